/**
 * 总览、行政区划与审计日志。
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { listAudit } from '../../dashboard/audit-log.ts'
import { cityGeoJson, listRegions } from '../../dashboard/regions.ts'
import { dashboardSummary, INSPECTION_DUE_DAYS } from '../../dashboard/summary.ts'
import { authenticated } from '../context.ts'
import { AnyObject, PageQuery, paged } from '../schemas.ts'

const Count = Type.Integer({ minimum: 0 })

const Summary = Type.Object({
  totals: Type.Object({
    institutions: Count,
    fields: Count,
    coaches: Count,
    vehicles: Count,
    terminals: Count,
    students: Count,
    platforms: Type.Integer({ minimum: 0, description: '为管辖范围内终端提供服务的计时平台数' }),
  }),
  byCity: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      institutions: Count,
      coaches: Count,
      vehicles: Count,
      students: Count,
    }),
  ),
  studentsByLicenseType: Type.Array(Type.Object({ licenseType: Type.String(), count: Count })),
  institutionsByClass: Type.Array(Type.Object({ classLevel: Type.Integer(), count: Count })),
  vehiclesInspectionDue: Type.Integer({
    minimum: 0,
    description: `在用教练车中年审已过期或 ${INSPECTION_DUE_DAYS} 天内到期的数量`,
  }),
})

const Region = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  centerLng: Type.Union([Type.Number(), Type.Null()]),
  centerLat: Type.Union([Type.Number(), Type.Null()]),
})

const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.database.db

  app.get(
    '/api/dashboard/summary',
    { schema: { tags: ['总览'], summary: '管辖范围内的备案总览', response: { 200: Summary } } },
    async (request) => dashboardSummary(db, authenticated(request)),
  )

  app.get(
    '/api/regions',
    {
      schema: { tags: ['行政区划'], summary: '浙江省行政区划（省、市、区县）', response: { 200: Type.Array(Region) } },
    },
    async (request) => {
      authenticated(request)
      return listRegions(db)
    },
  )

  app.get(
    '/api/regions/geo',
    { schema: { tags: ['行政区划'], summary: '浙江省地市边界 GeoJSON（properties.code 为 6 位地市代码）' } },
    async (request, reply) => {
      authenticated(request)
      reply.header('cache-control', 'private, max-age=86400')
      return cityGeoJson()
    },
  )

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['审计'],
        summary: '审计日志（管辖范围内）',
        querystring: Type.Object({
          ...PageQuery,
          action: Type.Optional(Type.String({ maxLength: 40 })),
          entity: Type.Optional(Type.String({ maxLength: 40 })),
          entityId: Type.Optional(Type.String({ maxLength: 40 })),
          username: Type.Optional(Type.String({ maxLength: 60 })),
        }),
        response: { 200: paged(AnyObject) },
      },
    },
    async (request) => listAudit(db, authenticated(request), request.query),
  )
}

export default dashboardRoutes
