/**
 * 登录、退出、当前账号与 API 令牌。
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { publicUser } from '../../auth/principal.ts'
import { createToken, listTokens, login, logout, revokeToken, SESSION_COOKIE } from '../../auth/sessions.ts'
import { authenticated } from '../context.ts'
import { DateTime, IdParams } from '../schemas.ts'

const tags = ['认证']

const UserView = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    roleLabel: Type.String(),
    regionCode: Type.Union([Type.String(), Type.Null()]),
    regionName: Type.Union([Type.String(), Type.Null()]),
    institutionId: Type.Union([Type.Integer(), Type.Null()]),
    institutionName: Type.Union([Type.String(), Type.Null()]),
    timingPlatformId: Type.Union([Type.Integer(), Type.Null()]),
    timingPlatformName: Type.Union([Type.String(), Type.Null()]),
    subjectId: Type.Union([Type.Integer(), Type.Null()]),
  },
  { title: '当前账号' },
)
const Me = Type.Object({ user: UserView, permissions: Type.Array(Type.String()) })

const TokenView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: '令牌前几位，用于辨认' }),
  createdAt: DateTime,
  expiresAt: Type.Union([DateTime, Type.Null()]),
  lastUsedAt: Type.Union([DateTime, Type.Null()]),
  revokedAt: Type.Union([DateTime, Type.Null()]),
})

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.database.db

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: '用户名密码登录，设置会话 Cookie jiapei_session',
        security: [],
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
        }),
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, principal } = await login(db, request.body, {
        ttlHours: app.config.http.sessionTtlHours,
        client: { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
      })
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.http.cookieSecure,
        expires: expiresAt,
      })
      return { user: publicUser(principal.user), permissions: [...principal.permissions] }
    },
  )

  app.post('/api/auth/logout', { schema: { tags, summary: '退出登录（删除会话）' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE]
    if (token) await logout(db, token, request.principal, { ip: request.ip })
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.status(204).send()
  })

  app.get('/api/auth/me', { schema: { tags, summary: '当前账号与权限', response: { 200: Me } } }, async (request) => {
    const principal = authenticated(request)
    return { user: publicUser(principal.user), permissions: [...principal.permissions] }
  })

  app.get(
    '/api/auth/tokens',
    { schema: { tags, summary: '我的 API 令牌', response: { 200: Type.Array(TokenView) } } },
    async (request) => listTokens(db, authenticated(request)),
  )

  app.post(
    '/api/auth/tokens',
    {
      schema: {
        tags,
        summary: '创建 API 令牌（令牌原文只返回这一次）',
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 60 }),
          expiresInDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()])),
        }),
        response: { 201: Type.Composite([TokenView, Type.Object({ token: Type.String() })]) },
      },
    },
    async (request, reply) => {
      const created = await createToken(db, authenticated(request), request.body, { ip: request.ip })
      return reply.status(201).send(created)
    },
  )

  app.delete(
    '/api/auth/tokens/:id',
    { schema: { tags, summary: '吊销 API 令牌', params: IdParams } },
    async (request, reply) => {
      await revokeToken(db, authenticated(request), request.params.id, { ip: request.ip })
      return reply.status(204).send()
    },
  )
}

export default authRoutes
