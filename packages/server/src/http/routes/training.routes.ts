/**
 * 课堂与学时: training sessions recorded by the terminals, their minute records, track and photos,
 * and the raw frames behind them for replay. Read-only; every answer is limited to the caller's
 * jurisdiction.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { appError } from '../../errors/catalogue.ts'
import { photoStoreOf } from '../../ingestion/bus.ts'
import { getSession, listSessions, photoContentKey, rawFramesOfSession } from '../../ingestion/read.ts'
import { permitted } from '../context.ts'
import { AnyObject, DateTime, IdParams, PageQuery, paged } from '../schemas.ts'

const tags = ['课堂与学时']

const trainingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const database = app.database
  const photos = photoStoreOf(app.config)

  app.get(
    '/api/training/sessions',
    {
      schema: {
        tags,
        summary: '课堂列表（按开始时间倒序）',
        querystring: Type.Object({
          ...PageQuery,
          institutionId: Type.Optional(Type.Integer({ minimum: 1 })),
          terminalId: Type.Optional(Type.Integer({ minimum: 1 })),
          studentId: Type.Optional(Type.Integer({ minimum: 1 })),
          coachId: Type.Optional(Type.Integer({ minimum: 1 })),
          from: Type.Optional(Type.String({ format: 'date-time', description: '开始时间不早于' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: '开始时间早于' })),
          open: Type.Optional(Type.Boolean({ description: '仅未登出的课堂' })),
          status: Type.Optional(
            Type.Union([Type.Literal('open'), Type.Literal('ended')], {
              description: 'open 进行中（未登出），ended 已结束',
            }),
          ),
          part: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 4,
              description: '培训部分（课程编码第 4 位）：1 第一部分 … 4 第四部分',
            }),
          ),
          person: Type.Optional(
            Type.String({ minLength: 1, maxLength: 40, description: '学员或教练员的姓名、全国统一编号（包含匹配）' }),
          ),
          backfill: Type.Optional(Type.Boolean({ description: 'true 含补传分钟学时的课堂，false 不含补传的课堂' })),
        }),
        response: { 200: paged(AnyObject) },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '查看课堂')
      const { page, pageSize, from, to, ...rest } = request.query
      if (from && to && new Date(from) > new Date(to)) throw appError('ERR_INGEST_RANGE_INVALID', { from, to })
      return listSessions(
        database,
        principal,
        { ...rest, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) },
        { page, pageSize },
      )
    },
  )

  app.get(
    '/api/training/sessions/:id',
    {
      schema: {
        tags,
        summary: '课堂详情：分钟学时、轨迹与照片',
        params: IdParams,
        response: {
          200: Type.Object({
            session: AnyObject,
            minutes: Type.Array(AnyObject),
            positions: Type.Array(AnyObject),
            photos: Type.Array(AnyObject),
          }),
        },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '查看课堂')
      return getSession(database, principal, request.params.id)
    },
  )

  app.get(
    '/api/training/sessions/:id/frames',
    {
      schema: {
        tags,
        summary: '课堂的原始报文（登录至登出，按接收顺序），用于回放与逐字段解析',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 20000, default: 5000 }) }),
        response: {
          200: Type.Object({
            session: AnyObject,
            frames: Type.Array(
              Type.Object({
                receivedAt: DateTime,
                msgId: Type.Integer(),
                serialNo: Type.Integer(),
                direction: Type.String(),
                hex: Type.String({ description: '反转义后的整帧（消息头+消息体+校验码）' }),
                decodeError: Type.Union([Type.String(), Type.Null()]),
                gatewayNode: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '查看原始报文')
      return rawFramesOfSession(database, principal, request.params.id, { limit: request.query.limit })
    },
  )

  app.get(
    '/api/photos/:id/content',
    { schema: { tags, summary: '照片内容（JPEG）', params: IdParams } },
    async (request, reply) => {
      const principal = permitted(request, 'registry:read', '查看照片')
      const key = await photoContentKey(database, principal, request.params.id)
      const bytes = await photos.get(key.sha256)
      if (!bytes) throw appError('ERR_INGEST_PHOTO_NOT_FOUND', { id: request.params.id })
      return reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('etag', `"${key.sha256}"`)
        .send(Buffer.from(bytes))
    },
  )
}

export default trainingRoutes
