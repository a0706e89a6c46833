/**
 * 备案信息 CRUD: one set of routes per registry entity, generated from the definitions.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ENTITIES, ENTITY_NAMES } from '../../registry/definitions.ts'
import {
  createEntity,
  DISCLOSURE_FIELDS,
  deleteEntity,
  getEntity,
  listEntity,
  transferStudent,
  updateEntity,
} from '../../registry/service.ts'
import { authenticated } from '../context.ts'
import { AnyObject, createBody, IdParams, listQuery, paged, updateBody } from '../schemas.ts'

const registryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.database.db

  app.get(
    '/api/registry/meta',
    {
      schema: {
        tags: ['备案'],
        summary: '各类备案信息的字段定义（标签、类型、枚举值、是否个人信息）',
      },
    },
    async (request) => {
      authenticated(request)
      return ENTITY_NAMES.map((name) => {
        const def = ENTITIES[name]
        return {
          name,
          label: def.label,
          owned: def.owned,
          write: def.write,
          searchKeys: def.searchKeys,
          sortKeys: def.sortKeys,
          statusKey: def.statusKey ?? null,
          licenseKey: def.licenseKey ?? null,
          vehicleTypeKey: def.vehicleTypeKey ?? null,
          disclosureFields: name === 'institutions' ? DISCLOSURE_FIELDS : [],
          fields: def.fields.map((f) => ({
            key: f.key,
            label: f.label,
            kind: f.kind,
            required: f.required ?? false,
            values: f.values ?? null,
            valueLabels: f.valueLabels ?? null,
            personal: f.personal ?? null,
            derived: f.derived ?? false,
            createOnly: f.createOnly ?? false,
            unique: f.unique ?? false,
          })),
        }
      })
    },
  )

  for (const name of ENTITY_NAMES) {
    const def = ENTITIES[name]
    const tags = [`备案：${def.label}`]
    const base = `/api/registry/${name}`

    app.get(
      base,
      {
        schema: {
          tags,
          summary: `${def.label}列表（管辖范围内，个人信息脱敏）`,
          querystring: listQuery(def),
          response: { 200: paged(AnyObject) },
        },
      },
      async (request) => {
        const { page, pageSize, ...filters } = request.query
        return listEntity(db, name, authenticated(request), filters, { page, pageSize })
      },
    )

    app.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `${def.label}详情（有 personal:read 权限时返回完整个人信息并记入审计）`,
          params: IdParams,
          response: { 200: AnyObject },
        },
      },
      async (request) => getEntity(db, name, authenticated(request), request.params.id, { ip: request.ip }),
    )

    app.post(
      base,
      {
        schema: { tags, summary: `新增${def.label}`, body: createBody(def), response: { 201: AnyObject } },
      },
      async (request, reply) => {
        const created = await createEntity(db, name, authenticated(request), request.body, { ip: request.ip })
        return reply.status(201).send(created)
      },
    )

    app.patch(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `修改${def.label}`,
          params: IdParams,
          body: updateBody(def),
          response: { 200: AnyObject },
        },
      },
      async (request) =>
        updateEntity(db, name, authenticated(request), request.params.id, request.body, { ip: request.ip }),
    )

    app.delete(
      `${base}/:id`,
      {
        schema: { tags, summary: `删除${def.label}（仍被引用时 409）`, params: IdParams },
      },
      async (request, reply) => {
        await deleteEntity(db, name, authenticated(request), request.params.id, { ip: request.ip })
        return reply.status(204).send()
      },
    )
  }

  app.post(
    '/api/registry/students/:id/transfer',
    {
      schema: {
        tags: [`备案：${ENTITIES.students.label}`],
        summary: '学员转学（转入机构须在管辖范围内）',
        params: IdParams,
        body: Type.Object({
          toInstitutionId: Type.Integer({ minimum: 1 }),
          reason: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
        }),
      },
    },
    async (request) => {
      const student = await transferStudent(db, authenticated(request), request.params.id, request.body, {
        ip: request.ip,
      })
      return { student }
    },
  )
}

export default registryRoutes
