/**
 * What the HTTP layer adds to Fastify: the open database and configuration on the instance, and
 * the signed-in principal (`{ user, scope, permissions }`) on every request. Route plugins (ours
 * and import/export) use `authenticated(request)` and `permitted(request, permission, action)`.
 */
import type {} from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Principal } from '../auth/principal.ts'
import type { Permission } from '../auth/roles.ts'
import { principalFromSession, principalFromToken, SESSION_COOKIE } from '../auth/sessions.ts'
import type { Config } from '../config/load.ts'
import type { Database } from '../db/client.ts'
import { type AppError, appError, isAppError } from '../errors/catalogue.ts'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
    config: Readonly<Config>
  }
  interface FastifyRequest {
    /** The signed-in account, its jurisdiction and permissions; null when not signed in. */
    principal: Principal | null
    /** Why the presented credentials were refused (raised only by routes that need a login). */
    authError: AppError | null
  }
}

/** Resolves the session cookie or bearer token of every /api request. */
export function registerAuthentication(app: FastifyInstance): void {
  app.decorateRequest('principal', null)
  app.decorateRequest('authError', null)
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return
    const header = request.headers.authorization
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
    const cookie = request.cookies?.[SESSION_COOKIE]
    try {
      if (bearer) request.principal = await principalFromToken(app.database.db, bearer)
      else if (header) request.authError = appError('ERR_AUTH_TOKEN_INVALID')
      else if (cookie) request.principal = await principalFromSession(app.database.db, cookie)
    } catch (error) {
      if (!isAppError(error)) throw error
      request.authError = error
    }
  })
}

/** The principal of a request that needs a login (401 otherwise). */
export function authenticated(request: FastifyRequest): Principal {
  if (request.principal) return request.principal
  throw request.authError ?? appError('ERR_AUTH_REQUIRED')
}

/** The principal of a request that needs `permission` (403 ERR_AUTH_FORBIDDEN otherwise). */
export function permitted(request: FastifyRequest, permission: Permission, action: string): Principal {
  const principal = authenticated(request)
  if (!principal.permissions.includes(permission)) {
    throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action })
  }
  return principal
}
