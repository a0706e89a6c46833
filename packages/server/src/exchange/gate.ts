/**
 * The checks every exchange request passes, in this order, each refusal with its own code:
 *
 *   1. known service                      ERR_EXCHANGE_SERVICE_UNKNOWN (1000)
 *   2. v, ts, sign, user present          ERR_EXCHANGE_PARAM_MISSING (1001) / _PARAM_INVALID (1002)
 *   3. `user` is a live credential        ERR_EXCHANGE_USER_UNKNOWN (1101) / _USER_REVOKED (1102)
 *   4. ts inside the replay window        ERR_EXCHANGE_TS_EXPIRED (1201)
 *   5. signature                          ERR_EXCHANGE_SIGN_INVALID (1202)
 *   6. sign never accepted before         ERR_EXCHANGE_REPLAYED (1203)
 *   7. platform's token bucket            ERR_EXCHANGE_RATE_LIMITED (1301)
 *   8. body against the service schema    ERR_EXCHANGE_BODY_INVALID (2001)
 *   9. the service's business checks      3xxx / 4xxx
 *
 * Every request, accepted or refused, lands in exchange_request with its numeric errorcode and
 * catalogue code. The sign digest of an accepted request is unique (a partial unique index), so
 * two copies of one request racing past check 6 end with one accepted and one refused as a
 * replay; the services are idempotent, so the loser's work changes nothing.
 */
import type { TSchema } from '@sinclair/typebox'
import { Value, ValueErrorType } from '@sinclair/typebox/value'
import type { Config } from '../config/load.ts'
import type { Database } from '../db/client.ts'
import { type AppError, appError, isAppError } from '../errors/catalogue.ts'
import type { PhotoStore } from '../ingestion/photo-store.ts'
import type { FaceEngine } from '../photos/faces.ts'
import { EXCHANGE_OK, exchangeErrorcode } from './codes.ts'
import { type CallerCredential, credentialBySn } from './credentials.ts'
import type { RateLimiter } from './rate-limit.ts'
import { signDigest, verifyExchange } from './signature.ts'

/** Where the exchange endpoints live. */
export const EXCHANGE_BASE = '/exchange/'

export interface ExchangeEnv {
  database: Database
  config: Readonly<Config['exchange']>
  limiter: RateLimiter
  photoStore: PhotoStore
  /** The face engine that registers 学员照片 (stuimg); the process's shared one. */
  faces?: () => FaceEngine
  /** The clock (tests move it). */
  now?: () => Date
  log?: { error(obj: unknown, msg: string): void }
}

/** The platform a request was authenticated as. */
export interface Caller {
  platformId: number
  platformNo: string
  platformName: string
  credentialId: number
  certSn: string
}

export interface ExchangeReply {
  errorcode: number
  message: string
  data: unknown
}

export interface ExchangeCall {
  service: string
  method: 'POST' | 'GET' | 'DELETE'
  query: Record<string, unknown>
  /** The bytes the signature covers (body, key values, or file + fields); null when the request had none. */
  signedData: Uint8Array | string | null
  /** The request body as logged and validated; `bodyError` when it could not be parsed. */
  body: unknown
  bodyError?: string
  /** The HTTP request id, named in internal-error answers. */
  requestId?: string
}

export interface ServiceHandler {
  /** Body schema (TypeBox); fields carry `errorMessage` in Chinese for the field-level refusal. */
  schema?: TSchema
  handle(caller: Caller, body: unknown, env: ExchangeEnv): Promise<unknown>
}

const PARAM_NAMES = ['v', 'ts', 'sign', 'user'] as const

function param(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name]
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined
}

/** The first schema violation as a Chinese field-level message. */
export function bodyError(schema: TSchema, body: unknown): AppError | null {
  const first = Value.Errors(schema, body).First()
  if (!first) return null
  const field = first.path.replace(/^\//, '').replace(/\//g, '.') || '请求体'
  const own = (first.schema as { errorMessage?: string }).errorMessage
  const reason =
    first.type === ValueErrorType.ObjectRequiredProperty
      ? '不能为空'
      : first.type === ValueErrorType.ObjectAdditionalProperties
        ? '不是该接口的字段'
        : (own ?? `格式有误（${first.message}）`)
  return appError('ERR_EXCHANGE_BODY_INVALID', { field, reason }, { field, reason })
}

/** A database error that says the accepted-sign index refused a second copy. */
function isSignConflict(error: unknown): boolean {
  let e: unknown = error
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const c = e as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown }
    if (c.code === '23505') return true
    e = c.cause
  }
  return false
}

interface LogRow {
  caller?: Caller
  certSn?: string
  ts?: number
  sign?: string
  errorcode: number
  errorCode: string | null
  message: string
}

async function logRequest(env: ExchangeEnv, call: ExchangeCall, row: LogRow): Promise<void> {
  const body = call.bodyError ? { unparsed: call.bodyError } : (call.body ?? null)
  await env.database.query(
    `INSERT INTO exchange_request (timing_platform_id, cert_sn, service, method, ts, sign_digest, errorcode, error_code, message, body, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)`,
    [
      row.caller?.platformId ?? null,
      row.caller?.certSn ?? row.certSn ?? null,
      call.service.slice(0, 100),
      call.method,
      row.ts ?? null,
      row.sign ? signDigest(row.sign) : null,
      row.errorcode,
      row.errorCode,
      row.message,
      JSON.stringify(body),
      (env.now?.() ?? new Date()).toISOString(),
    ],
  )
}

/** Runs one exchange request through every check and the service; never throws. */
export async function handleExchange(
  env: ExchangeEnv,
  call: ExchangeCall,
  service: ServiceHandler | undefined,
): Promise<ExchangeReply> {
  const log: Omit<LogRow, 'errorcode' | 'errorCode' | 'message'> = {}
  const refuse = async (error: AppError): Promise<ExchangeReply> => {
    const errorcode = exchangeErrorcode(error.code)
    try {
      await logRequest(env, call, { ...log, errorcode, errorCode: error.code, message: error.message })
    } catch (logError) {
      env.log?.error({ err: logError }, '对接请求日志写入失败 / exchange request log failed')
    }
    return { errorcode, message: error.message, data: error.details ?? null }
  }
  try {
    if (!service) return await refuse(appError('ERR_EXCHANGE_SERVICE_UNKNOWN', { service: call.service }))

    const missing = PARAM_NAMES.filter((n) => param(call.query, n) === undefined)
    if (missing.length > 0) {
      log.certSn = param(call.query, 'user')
      return await refuse(
        appError('ERR_EXCHANGE_PARAM_MISSING', {
          params: missing.join('、'),
          base: EXCHANGE_BASE,
          service: call.service,
        }),
      )
    }
    const user = (param(call.query, 'user') as string).toUpperCase()
    const tsText = param(call.query, 'ts') as string
    const sign = param(call.query, 'sign') as string
    log.certSn = user.slice(0, 64)
    if (!/^[0-9A-Z]{1,64}$/.test(user)) {
      return await refuse(
        appError('ERR_EXCHANGE_PARAM_INVALID', { param: 'user', reason: '应为证书序列号（十六进制）' }),
      )
    }
    if (!/^\d{13}$/.test(tsText)) {
      return await refuse(appError('ERR_EXCHANGE_PARAM_INVALID', { param: 'ts', reason: '应为 13 位毫秒时间戳' }))
    }
    const ts = Number(tsText)
    log.ts = ts
    if (!/^(?:[0-9A-Fa-f]{2})+$/.test(sign) || sign.length > 2048) {
      return await refuse(appError('ERR_EXCHANGE_PARAM_INVALID', { param: 'sign', reason: '应为十六进制签名' }))
    }
    log.sign = sign

    const credential: CallerCredential | undefined = await credentialBySn(env.database, user)
    if (!credential) return await refuse(appError('ERR_EXCHANGE_USER_UNKNOWN', { user }))
    const caller: Caller = {
      platformId: credential.platform.id,
      platformNo: credential.platform.platformNo,
      platformName: credential.platform.name,
      credentialId: credential.credentialId,
      certSn: credential.certSn,
    }
    log.caller = caller
    if (credential.revoked || credential.platform.status !== 'active') {
      return await refuse(appError('ERR_EXCHANGE_USER_REVOKED', { user }))
    }

    const now = (env.now?.() ?? new Date()).getTime()
    const skewSeconds = Math.round((ts - now) / 1000)
    if (Math.abs(ts - now) > env.config.replayWindowSeconds * 1000) {
      return await refuse(
        appError('ERR_EXCHANGE_TS_EXPIRED', { ts, skewSeconds, windowSeconds: env.config.replayWindowSeconds }),
      )
    }

    if (call.signedData === null || !verifyExchange(call.signedData, ts, sign, credential.publicKeyPem)) {
      return await refuse(appError('ERR_EXCHANGE_SIGN_INVALID'))
    }

    const seen = await env.database.query(
      'SELECT 1 FROM exchange_request WHERE sign_digest = $1 AND errorcode = 0 LIMIT 1',
      [signDigest(sign)],
    )
    if (seen.length > 0) return await refuse(appError('ERR_EXCHANGE_REPLAYED'))

    const waitMs = env.limiter.take(caller.platformId)
    if (waitMs > 0) {
      return await refuse(
        appError('ERR_EXCHANGE_RATE_LIMITED', {
          perSecond: env.limiter.perSecond,
          burst: env.limiter.burst,
          retryAfterMs: waitMs,
        }),
      )
    }

    if (call.bodyError) {
      return await refuse(
        appError(
          'ERR_EXCHANGE_BODY_INVALID',
          { field: '请求体', reason: call.bodyError },
          { field: null, reason: call.bodyError },
        ),
      )
    }
    if (service.schema) {
      const invalid = bodyError(service.schema, call.body)
      if (invalid) return await refuse(invalid)
    }

    let data: unknown
    try {
      data = await service.handle(caller, call.body, env)
    } catch (error) {
      if (isAppError(error)) return await refuse(error)
      throw error
    }
    try {
      await logRequest(env, call, { ...log, errorcode: EXCHANGE_OK, errorCode: null, message: '成功' })
    } catch (error) {
      if (isSignConflict(error)) return await refuse(appError('ERR_EXCHANGE_REPLAYED'))
      throw error
    }
    return { errorcode: EXCHANGE_OK, message: '成功', data: data ?? null }
  } catch (error) {
    env.log?.error({ err: error, service: call.service }, '对接请求处理失败 / exchange request failed')
    return refuse(appError('ERR_HTTP_INTERNAL', { requestId: call.requestId ?? '—' }))
  }
}
