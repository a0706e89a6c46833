/**
 * The exchange interface for third-party 计时平台 (docs/exchange.md) and the management of their
 * 接入证书:
 *
 * - `POST /exchange/{service}?v=&ts=&sign=&user=` JSON body, signed (exchange/signature.ts)
 * - `POST /exchange/imageup/{type}?v=&ts=&sign=&user=` multipart: field `file` + text fields
 * - `GET|DELETE /exchange/{keyed path}?v=&ts=&sign=&user=` no body; the path's key values are signed
 * - every exchange answer is HTTP 200 `{ errorcode, message, data }`; errorcode 0 = success
 * - `GET  /api/timing-platforms/{id}/exchange-credentials` list (no key material)
 * - `POST /api/timing-platforms/{id}/exchange-credentials` issue: PKCS#12 + password, shown once
 * - `POST /api/timing-platforms/{id}/exchange-credentials/{credentialId}/revoke`
 * - `GET  /api/timing-platforms/{id}/exchange-requests` the request log with counts per errorcode
 *
 * The exchange routes read the body as raw bytes (the signature covers them exactly), so this
 * plugin replaces the JSON parser inside its own scope only.
 */
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { writeAudit } from '../../auth/audit.ts'
import type { Principal } from '../../auth/principal.ts'
import { appError } from '../../errors/catalogue.ts'
import { EXCHANGE_CODES } from '../../exchange/codes.ts'
import {
  issueExchangeCredential,
  listExchangeCredentials,
  revokeExchangeCredential,
} from '../../exchange/credentials.ts'
import { type Caller, type ExchangeCall, type ExchangeEnv, handleExchange } from '../../exchange/gate.ts'
import { createRateLimiter } from '../../exchange/rate-limit.ts'
import { IMAGE_MAX_MB, imageService, isImageType } from '../../exchange/services/images.ts'
import { POST_SERVICES } from '../../exchange/services/index.ts'
import { keyedService } from '../../exchange/services/keyed.ts'
import { keyValuesData, uploadData } from '../../exchange/signature.ts'
import { photoStoreOf } from '../../ingestion/bus.ts'
import { sharedFaceEngine } from '../../photos/faces.ts'
import { authenticated } from '../context.ts'
import { DateTime, PageQuery } from '../schemas.ts'

/** Largest JSON body of an exchange request. */
const EXCHANGE_BODY_LIMIT = 2 * 1024 * 1024

const SignedQuery = Type.Object(
  {
    v: Type.Optional(Type.String({ description: '接口版本，如 1.0.0.e1' })),
    ts: Type.Optional(Type.String({ description: '13 位毫秒时间戳' })),
    sign: Type.Optional(Type.String({ description: '签名（十六进制大写）' })),
    user: Type.Optional(Type.String({ description: '平台证书序列号' })),
  },
  { additionalProperties: true },
)

const Reply = Type.Object({
  errorcode: Type.Integer({ description: '0 成功；其余见 docs/exchange.md 错误码表' }),
  message: Type.String(),
  data: Type.Any(),
})

const Credential = Type.Object({
  id: Type.Integer(),
  timingPlatformId: Type.Integer(),
  certSn: Type.String({ description: '证书序列号 = 请求参数 user' }),
  issuedAt: DateTime,
  revokedAt: Type.Union([DateTime, Type.Null()]),
})

interface RequestLogRow {
  id: number
  certSn: string | null
  service: string
  method: string
  ts: number | null
  errorcode: number
  errorCode: string | null
  message: string | null
  receivedAt: Date
}

const PlatformParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

/** Province accounts (platform:write) manage any platform's credentials; an operator its own platform's. */
export function mayManage(request: FastifyRequest, platformId: number, action: string): Principal {
  const principal = authenticated(request)
  if (principal.permissions.includes('platform:write')) return principal
  if (principal.scope.kind === 'platform' && principal.scope.timingPlatformId === platformId) return principal
  throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action })
}

function actorOf(principal: Principal) {
  return { id: principal.user.id, username: principal.user.username, role: principal.user.role }
}

/** The POST service of a name (own keys only: `constructor` is no service). */
function postService(name: string) {
  return Object.hasOwn(POST_SERVICES, name) ? POST_SERVICES[name] : undefined
}

function queryOf(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>
}

const exchangeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const env: ExchangeEnv = {
    database: app.database,
    config: app.config.exchange,
    limiter: createRateLimiter(app.config.exchange.ratePerSecond, app.config.exchange.burst),
    photoStore: photoStoreOf(app.config),
    faces: () => sharedFaceEngine(),
    log: app.log,
  }

  // The signature covers the body bytes as sent: keep them raw in this plugin's scope.
  app.removeContentTypeParser(['application/json'])
  // Any other type (or none) is read the same way: the gate answers in the exchange shape.
  app.addContentTypeParser(
    ['application/json', 'text/plain', '*'],
    { parseAs: 'buffer', bodyLimit: EXCHANGE_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  )
  if (!app.hasContentTypeParser('multipart/form-data')) {
    await app.register(multipart, {
      limits: { fileSize: IMAGE_MAX_MB * 1024 * 1024, files: 1, fields: 20, parts: 30 },
      throwFileSizeLimit: true,
    })
  }

  const send = (reply: FastifyReply, body: { errorcode: number; message: string; data: unknown }) =>
    reply.code(200).header('cache-control', 'no-store').send(body)

  // Errors before a handler runs (body too large, bad multipart) still answer in the exchange shape.
  app.setErrorHandler(async (error, request, reply) => {
    if (!request.url.startsWith('/exchange/')) throw error
    const code = (error as { code?: string }).code
    const tooLarge = code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE'
    const service = (request.params as { service?: string; type?: string } | undefined)?.service ?? 'imageup'
    const call: ExchangeCall = {
      service,
      method: 'POST',
      query: queryOf(request),
      requestId: request.id,
      signedData: null,
      body: null,
      bodyError: tooLarge ? `请求体超过上限` : `请求无法解析（${(error as Error).message}）`,
    }
    if (tooLarge) {
      const limitMb = code === 'FST_REQ_FILE_TOO_LARGE' ? IMAGE_MAX_MB : EXCHANGE_BODY_LIMIT / 1024 / 1024
      const e = appError('ERR_HTTP_PAYLOAD_TOO_LARGE', { limitMb })
      await env.database
        .query(
          `INSERT INTO exchange_request (cert_sn, service, method, errorcode, error_code, message) VALUES ($1, $2, 'POST', $3, $4, $5)`,
          [
            String(queryOf(request).user ?? '').slice(0, 64) || null,
            service.slice(0, 100),
            EXCHANGE_CODES.ERR_HTTP_PAYLOAD_TOO_LARGE,
            e.code,
            e.message,
          ],
        )
        .catch((logError) => request.log.error({ err: logError }, '对接请求日志写入失败 / exchange request log failed'))
      return send(reply, {
        errorcode: EXCHANGE_CODES.ERR_HTTP_PAYLOAD_TOO_LARGE as number,
        message: e.message,
        data: null,
      })
    }
    return send(reply, await handleExchange(env, call, postService(service)))
  })

  const tags = ['对接接口（第三方计时平台）']

  app.post(
    '/exchange/imageup/:type',
    {
      schema: {
        summary: '上传文件（照片、PDF）',
        description:
          'multipart/form-data：文件字段 file，文本字段按类型（stuimg: stunum；vehimg: carnum；trainimg: stunum, recnum, ptime, event, faceconf；epdfimg: stunum）。签名数据 = 文件字节 + 按字段名排序的 name=value&…；返回 data.id 为文件编号。',
        tags,
        params: Type.Object({ type: Type.String() }),
        querystring: SignedQuery,
        response: { 200: Reply },
      },
    },
    async (request, reply) => {
      const type = request.params.type
      const fields: Record<string, string> = {}
      let file: Buffer | null = null
      let bodyError: string | undefined
      if (!request.isMultipart()) {
        bodyError = `应为 multipart/form-data，收到 ${request.headers['content-type'] ?? '（无）'}`
      } else {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname === 'file' && file === null) file = await part.toBuffer()
            else part.file.resume()
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value
          }
        }
      }
      const call: ExchangeCall = {
        service: `imageup/${type}`,
        method: 'POST',
        query: queryOf(request),
        requestId: request.id,
        signedData: bodyError ? null : uploadData(file ?? new Uint8Array(), fields),
        body: { ...fields, file: file ? { sizeBytes: file.length } : null },
        bodyError,
      }
      const service = isImageType(type) ? imageService(type, file) : undefined
      const wrapped = service && {
        handle: (caller: Parameters<typeof service.handle>[0], _body: unknown, e: ExchangeEnv) =>
          service.handle(caller, fields, e),
      }
      return send(reply, await handleExchange(env, call, wrapped))
    },
  )

  app.post(
    '/exchange/:service',
    {
      schema: {
        summary: '对接服务（JSON）',
        description:
          'service = institution、coach、trainingcar、device、student、classrecord、stagetrainningtime、graduation、evaluation、complaint、trainimginfo；examiner、securityguard、region、CharStandard 在本平台不适用（errorcode 1010）。签名数据 = 请求体原文（UTF-8）+ 8 字节大端 ts。',
        tags,
        params: Type.Object({ service: Type.String() }),
        querystring: SignedQuery,
        response: { 200: Reply },
      },
    },
    async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : null
      let body: unknown = null
      let bodyError: string | undefined
      if (!raw || raw.length === 0) bodyError = '请求体为空，应为 JSON 对象'
      else {
        try {
          body = JSON.parse(raw.toString('utf8'))
          if (!body || typeof body !== 'object' || Array.isArray(body)) bodyError = '应为 JSON 对象'
        } catch {
          bodyError = '不是有效的 JSON'
        }
      }
      const call: ExchangeCall = {
        service: request.params.service,
        method: 'POST',
        query: queryOf(request),
        requestId: request.id,
        signedData: raw,
        body,
        bodyError,
      }
      return send(reply, await handleExchange(env, call, postService(request.params.service)))
    },
  )

  const keyed = (method: 'GET' | 'DELETE') => async (request: FastifyRequest, reply: FastifyReply) => {
    const path = String((request.params as { '*'?: string })['*'] ?? '')
    const found = keyedService(method, path)
    const call: ExchangeCall = {
      // An unknown path is logged by its words only: its keys may be an ID card number and a name.
      service: found?.service.name ?? (path.replace(/[^A-Za-z-]/g, '').slice(0, 60) || 'unknown'),
      method,
      query: queryOf(request),
      requestId: request.id,
      signedData: found ? keyValuesData(found.values) : null,
      body: found ? { path } : null,
    }
    const handler = found && {
      handle: (caller: Caller, _body: unknown, e: ExchangeEnv) => found.service.handle(caller, found.keys, e),
    }
    return send(reply, await handleExchange(env, call, handler))
  }

  app.get(
    '/exchange/*',
    {
      schema: {
        summary: '对接查询（GET）',
        description:
          '路径含查询键，签名数据 = 键值按路径顺序拼接 + 8 字节大端 ts。提供：{stunum}-stagetrainningtimereview-{subject}（阶段报审审核结果）、student-{stunum}（注销学员）、{cardnum}-stuinfo-{name}（查询学员编号）、stuinfoquery-{stunum}（学员资料）、traininfo-{stunum}（学员培训信息：分部分学时台账）、{inscode}-evaluationquery-{YYYYMMDD}（评价）、{inscode}-complaintquery-{YYYYMMDD}（投诉）、{coachnum}-coachreview（教练员备案状态）、{carnum}-carreview（教练车备案状态）、{inscode}-regionreview-{seq}（教学区域状态）。只能查询本平台服务的机构的对象。',
        tags,
        querystring: SignedQuery,
        response: { 200: Reply },
      },
    },
    keyed('GET'),
  )

  app.delete(
    '/exchange/*',
    {
      schema: {
        summary: '对接注销（DELETE）',
        description:
          '路径含键值，签名数据 = 键值按路径顺序拼接 + 8 字节大端 ts。提供：coach-{coachnum}（教练员离职）、trainingCar-{carnum}（教练车停用）、device-{devnum}（计时终端停用并解绑）、{inscode}-region-{seq}（教学区域停用）；不删除历史数据，变更记入审计日志。examiner-{examnum}、securityguard-{secunum}、{inscode}-CharStandard-{seq} 在本平台不适用（errorcode 1010）。只能注销本平台服务的机构的对象。',
        tags,
        querystring: SignedQuery,
        response: { 200: Reply },
      },
    },
    keyed('DELETE'),
  )

  // ── 接入证书 ─────────────────────────────────────────────────────────────
  const credentialTags = ['计时平台接入证书']

  app.get(
    '/api/timing-platforms/:id/exchange-credentials',
    {
      schema: {
        summary: '计时平台的接入证书列表',
        tags: credentialTags,
        params: PlatformParams,
        response: { 200: Type.Object({ items: Type.Array(Credential) }) },
      },
    },
    async (request) => {
      mayManage(request, request.params.id, '查看接入证书')
      return { items: await listExchangeCredentials(app.database, request.params.id) }
    },
  )

  app.post(
    '/api/timing-platforms/:id/exchange-credentials',
    {
      schema: {
        summary: '签发接入证书',
        description:
          '生成 RSA-2048 密钥对和由平台 CA 签发的证书；PKCS#12（Base64）与口令只在本次返回，平台不保存私钥。证书序列号即请求参数 user。',
        tags: credentialTags,
        params: PlatformParams,
        response: {
          201: Type.Object({
            ...Credential.properties,
            certPem: Type.String({ description: '证书（PEM）' }),
            pkcs12Base64: Type.String({ description: 'PKCS#12（Base64），含私钥、证书与 CA 证书；只返回这一次' }),
            password: Type.String({ description: 'PKCS#12 口令；只返回这一次' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const principal = mayManage(request, request.params.id, '签发接入证书')
      const issued = await issueExchangeCredential(app.database, request.params.id)
      await writeAudit(app.database.db, {
        actor: actorOf(principal),
        action: 'token_create',
        entity: 'exchange_credential',
        entityId: issued.id,
        detail: { timingPlatformId: issued.timingPlatformId, certSn: issued.certSn },
        ip: request.ip,
      })
      return reply.code(201).header('cache-control', 'no-store').send(issued)
    },
  )

  app.post(
    '/api/timing-platforms/:id/exchange-credentials/:credentialId/revoke',
    {
      schema: {
        summary: '吊销接入证书',
        description: '吊销后以该证书签名的请求一律拒绝（errorcode 1102）。',
        tags: credentialTags,
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), credentialId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Credential },
      },
    },
    async (request) => {
      const principal = mayManage(request, request.params.id, '吊销接入证书')
      const row = await revokeExchangeCredential(app.database, request.params.id, request.params.credentialId)
      await writeAudit(app.database.db, {
        actor: actorOf(principal),
        action: 'token_revoke',
        entity: 'exchange_credential',
        entityId: row.id,
        detail: { timingPlatformId: row.timingPlatformId, certSn: row.certSn },
        ip: request.ip,
      })
      return row
    },
  )

  app.get(
    '/api/timing-platforms/:id/exchange-requests',
    {
      schema: {
        summary: '对接接口调用记录',
        description: '该平台的每次调用（成功或被拒）及其错误码，按时间倒序；counts 为各错误码的次数。',
        tags: credentialTags,
        params: PlatformParams,
        querystring: Type.Object({
          ...PageQuery,
          errorcode: Type.Optional(Type.Integer({ minimum: 0, description: '只看该错误码' })),
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            counts: Type.Array(
              Type.Object({
                errorcode: Type.Integer(),
                errorCode: Type.Union([Type.String(), Type.Null()]),
                count: Type.Integer(),
              }),
            ),
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                certSn: Type.Union([Type.String(), Type.Null()]),
                service: Type.String(),
                method: Type.String(),
                ts: Type.Union([Type.Integer(), Type.Null()]),
                errorcode: Type.Integer(),
                errorCode: Type.Union([Type.String(), Type.Null()]),
                message: Type.Union([Type.String(), Type.Null()]),
                receivedAt: DateTime,
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      mayManage(request, request.params.id, '查看对接接口调用记录')
      const { page, pageSize, errorcode } = request.query as { page: number; pageSize: number; errorcode?: number }
      const filter = errorcode === undefined ? '' : ' AND errorcode = $2'
      const params: unknown[] = errorcode === undefined ? [request.params.id] : [request.params.id, errorcode]
      const [items, total, counts] = await Promise.all([
        app.database.query<RequestLogRow>(
          `SELECT id, cert_sn AS "certSn", service, method, ts, errorcode, error_code AS "errorCode", message,
                  received_at AS "receivedAt"
             FROM exchange_request WHERE timing_platform_id = $1${filter}
            ORDER BY id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
          params,
        ),
        app.database.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM exchange_request WHERE timing_platform_id = $1${filter}`,
          params,
        ),
        app.database.query<{ errorcode: number; errorCode: string | null; count: number }>(
          `SELECT errorcode, error_code AS "errorCode", count(*)::int AS count FROM exchange_request
            WHERE timing_platform_id = $1 GROUP BY errorcode, error_code ORDER BY errorcode`,
          [request.params.id],
        ),
      ])
      return { total: total[0]?.n ?? 0, page, pageSize, counts, items }
    },
  )
}

export default exchangeRoutes
