/**
 * The one place where errors become HTTP responses: `{ code, message, showType, details?, requestId }`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type AppError, appError, isAppError } from '../errors/catalogue.ts'

interface ValidationIssue {
  instancePath?: string
  message?: string
  keyword?: string
  params?: Record<string, unknown>
}

function fieldOf(issue: ValidationIssue | undefined): string {
  if (!issue) return ''
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  const missing = issue.params?.missingProperty
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing
  return path
}

const DB_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003'])

function isDatabaseDown(error: unknown): boolean {
  let e: unknown = error
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && DB_DOWN.has(code)) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/** Maps anything thrown by a route to a catalogue error. */
export function toAppError(
  error: FastifyError | Error,
  request: FastifyRequest,
): { error: AppError; internal: boolean } {
  if (isAppError(error)) return { error, internal: false }
  const fe = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string }
  if (fe.validation) {
    const first = fe.validation[0]
    const field = fieldOf(first)
    const where = fe.validationContext ?? 'body'
    const detail = `${where}${field ? `.${field}` : ''} ${first?.message ?? ''}`.trim()
    return {
      error: appError(
        'ERR_HTTP_VALIDATION',
        { detail },
        {
          field,
          in: where,
          errors: fe.validation.map((v) => ({ field: fieldOf(v), message: v.message, keyword: v.keyword })),
        },
      ),
      internal: false,
    }
  }
  const status = fe.statusCode ?? 500
  if (status === 413) return { error: appError('ERR_HTTP_PAYLOAD_TOO_LARGE', { limitMb: 1 }), internal: false }
  if (status === 415) {
    return {
      error: appError('ERR_HTTP_UNSUPPORTED_MEDIA', { type: request.headers['content-type'] ?? '' }),
      internal: false,
    }
  }
  if (status === 404) {
    return { error: appError('ERR_HTTP_NOT_FOUND', { method: request.method, url: request.url }), internal: false }
  }
  if (status >= 400 && status < 500)
    return { error: appError('ERR_HTTP_VALIDATION', { detail: fe.message }), internal: false }
  if (isDatabaseDown(error)) return { error: appError('ERR_DB_UNAVAILABLE'), internal: true }
  return { error: appError('ERR_HTTP_INTERNAL', { requestId: request.id }), internal: true }
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  return reply.status(error.status).send({
    code: error.code,
    message: error.message,
    showType: error.showType,
    ...(error.details === undefined ? {} : { details: error.details }),
    requestId: request.id,
  })
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const { error, internal } = toAppError(raw, request)
    if (internal) request.log.error({ err: raw, requestId: request.id }, '请求处理失败 / request failed')
    else if (error.status >= 500) request.log.warn({ err: raw }, error.message)
    return sendError(reply, request, error)
  })
}
