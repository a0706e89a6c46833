/** Shapes of the 计时平台接入 answers (server: exchange.routes.ts, exchange-console.routes.ts). */
import { vocabulary } from '../../validation.ts'

export interface Platform {
  id: number
  platformNo: string
  name: string
  operatorName: string | null
  status: string
}

export interface Credential {
  id: number
  timingPlatformId: number
  /** Certificate serial = the `user` parameter of every exchange request. */
  certSn: string
  issuedAt: string
  revokedAt: string | null
}

export interface IssuedCredential extends Credential {
  certPem: string
  pkcs12Base64: string
  password: string
}

export interface Validity {
  id: number
  notBefore: string | null
  notAfter: string | null
}

export interface RequestLogItem {
  id: number
  certSn: string | null
  service: string
  method: string
  ts: number | null
  errorcode: number
  errorCode: string | null
  message: string | null
  receivedAt: string
}

export interface ErrorcodeCount {
  errorcode: number
  errorCode: string | null
  count: number
}

export interface RequestLog {
  total: number
  page: number
  pageSize: number
  counts: ErrorcodeCount[]
  items: RequestLogItem[]
}

export interface ErrorcodeMeaning {
  errorcode: number
  codes: string[]
  meaning: string
}

const STATUS_COLORS: Record<string, string> = { active: 'green', suspended: 'orange', retired: 'default' }

/** The platform's 状态 with the label the registry uses. */
export function platformStatus(status: string): { label: string; color: string } {
  const label = vocabulary.PLATFORM_STATUS.find(([value]) => value === status)?.[1] ?? status
  return { label, color: STATUS_COLORS[status] ?? 'default' }
}

/** A credential's state as the gateway of the exchange interface sees it. */
export function credentialState(c: Credential, v: Validity | undefined, now = Date.now()) {
  if (c.revokedAt) return { key: 'revoked', label: '已吊销', color: 'red' } as const
  if (v?.notAfter && new Date(v.notAfter).getTime() < now)
    return { key: 'expired', label: '已过期', color: 'default' } as const
  return { key: 'valid', label: '有效', color: 'green' } as const
}

/** Saves bytes under a file name (the PKCS#12 of a new credential, its certificate). */
export function saveBytes(bytes: Uint8Array | string, name: string, type: string): void {
  const blob = new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
