/**
 * The one way the console talks to the server: same-origin fetch with the session cookie, JSON in
 * and out. Every failure becomes an `ApiError` and goes through the error policy of
 * `request-error.ts` unless the caller handles it first (`onError` returning true).
 */
import { reportError } from './request-error.ts'

export type ShowType = 'silent' | 'warning' | 'error' | 'notification' | 'redirect'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly showType: ShowType,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  query?: Query
  /** JSON body. */
  body?: unknown
  /** Multipart body (file uploads). */
  form?: FormData
  /** Handles an error before the policy; return true when it was fully handled. */
  onError?: (error: ApiError) => boolean
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const s = params.toString()
  return s ? `${path}?${s}` : path
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: { code?: string; message?: string; showType?: ShowType; details?: unknown; requestId?: string } = {}
  try {
    body = await res.json()
  } catch {
    // not JSON (proxy error page, empty body): fall back to the status line
  }
  const fallback = res.status === 401 ? 'redirect' : res.status >= 500 ? 'error' : 'warning'
  return new ApiError(
    res.status,
    body.code ?? `HTTP_${res.status}`,
    body.message ?? `请求失败（HTTP ${res.status}）`,
    body.showType ?? fallback,
    body.details,
    body.requestId,
  )
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: BodyInit | undefined
  if (options.form) body = options.form
  else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  let res: Response
  try {
    res = await fetch(withQuery(path, options.query), {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      credentials: 'same-origin',
    })
  } catch (cause) {
    const error = new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试', 'error')
    error.cause = cause
    fail(error, options)
  }
  if (!res.ok) fail(await toApiError(res), options)
  return res
}

function fail(error: ApiError, options: RequestOptions): never {
  if (!options.onError?.(error)) reportError(error)
  throw error
}

/** JSON request; resolves to the parsed body (undefined for 204). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options)
  if (res.status === 204) return undefined as T
  const type = res.headers.get('content-type') ?? ''
  return (type.includes('json') ? await res.json() : await res.text()) as T
}

/** Downloads a file answer (export, template) and saves it under the server's file name. */
export async function download(path: string, query: Query, fallbackName: string): Promise<void> {
  const res = await send(path, { query })
  const blob = await res.blob()
  const disposition = res.headers.get('content-disposition') ?? ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  const name = star?.[1] ? decodeURIComponent(star[1]) : (plain?.[1] ?? fallbackName)
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  pageSize: number
}
