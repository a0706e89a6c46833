/**
 * 用户账号管理（user:manage），限于管理者自己的管辖范围。
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ROLES } from '../../auth/roles.ts'
import { createUser, getManagedUser, listUsers, updateUser } from '../../auth/users.ts'
import { authenticated } from '../context.ts'
import { AnyObject, IdParams, PageQuery, paged } from '../schemas.ts'

const tags = ['用户']
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)))

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.database.db

  app.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: '管辖范围内的账号',
        querystring: Type.Object({
          ...PageQuery,
          q: Type.Optional(Type.String({ maxLength: 60 })),
          role: Type.Optional(RoleSchema),
        }),
        response: { 200: paged(AnyObject) },
      },
    },
    async (request) => listUsers(db, authenticated(request), request.query),
  )

  app.get('/api/users/:id', { schema: { tags, summary: '账号详情', params: IdParams } }, async (request) =>
    getManagedUser(db, authenticated(request), request.params.id),
  )

  app.post(
    '/api/users',
    {
      schema: {
        tags,
        summary: '创建账号（只能建在自己的管辖范围内）',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 40 }),
          displayName: Type.String({ minLength: 1, maxLength: 60 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
          role: RoleSchema,
          regionCode: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{6}$' }), Type.Null()])),
          institutionId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
          timingPlatformId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
          subjectId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        }),
      },
    },
    async (request, reply) => {
      const created = await createUser(db, authenticated(request), request.body, request.ip)
      return reply.status(201).send(created)
    },
  )

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: '停用/启用账号、修改显示名或重置密码',
        params: IdParams,
        body: Type.Object({
          disabled: Type.Optional(Type.Boolean()),
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
          password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
      },
    },
    async (request) => updateUser(db, authenticated(request), request.params.id, request.body, request.ip),
  )
}

export default usersRoutes
