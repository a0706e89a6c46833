/**
 * 学时: a student's ledger against the syllabus, stage reviews (阶段报审, the record the police
 * read for exam eligibility) and the completion certificate (结业证书). Every answer is limited to
 * the caller's jurisdiction; an institution sees its own students, a student only itself.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  decideStageReview,
  getCertificate,
  issueCertificate,
  listStageReviews,
  requestStageReview,
  studentLedger,
} from '../../hours/service.ts'
import type { SyllabusPart } from '../../policy/syllabus.ts'
import { permitted } from '../context.ts'
import { AnyObject, IdParams, PageQuery, paged } from '../schemas.ts'

const tags = ['学时']

const Part = Type.Integer({ minimum: 1, maximum: 4, description: '培训部分 1–4' })
const ReviewStatus = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')], {
  description: 'pending 待审核，approved 已通过，rejected 已退回',
})

const hoursRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const database = app.database

  app.get(
    '/api/students/:id/ledger',
    {
      schema: {
        tags,
        summary: '学时台账：按部分、课程方式对照大纲，含每次课堂的认定结果、阶段报审与结业证书',
        params: IdParams,
        response: { 200: AnyObject },
      },
    },
    async (request) => {
      const principal = permitted(request, 'hours:read', '查看学时台账')
      return studentLedger(database, principal.scope, request.params.id) as unknown as Record<string, unknown>
    },
  )

  app.post(
    '/api/students/:id/stage-reviews',
    {
      schema: {
        tags,
        summary: '阶段报审：该部分学时达标后提交审核',
        params: IdParams,
        body: Type.Object({ part: Part }),
        response: { 201: AnyObject },
      },
    },
    async (request, reply) => {
      const principal = permitted(request, 'hours:apply', '提交阶段报审')
      const review = await requestStageReview(database, principal, request.params.id, request.body.part as SyllabusPart)
      return reply.code(201).send(review as unknown as Record<string, unknown>)
    },
  )

  app.get(
    '/api/stage-reviews',
    {
      schema: {
        tags,
        summary: '阶段报审列表（公安交管仅见已通过的记录，即考试资格依据）',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(ReviewStatus),
          part: Type.Optional(Part),
          region: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '市或区县行政区划代码' })),
          studentId: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: paged(AnyObject) },
      },
    },
    async (request) => {
      const principal = permitted(request, 'hours:read', '查看阶段报审')
      const { page, pageSize, ...filters } = request.query
      return listStageReviews(database, principal, filters, { page, pageSize }) as unknown as {
        items: Record<string, unknown>[]
        total: number
        page: number
        pageSize: number
      }
    },
  )

  app.post(
    '/api/stage-reviews/:id/decision',
    {
      schema: {
        tags,
        summary: '审核阶段报审：通过须学时达标且该部分课堂无未核查疑点',
        params: IdParams,
        body: Type.Object({
          decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
          note: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: AnyObject },
      },
    },
    async (request) => {
      const principal = permitted(request, 'hours:review', '审核阶段报审')
      const review = await decideStageReview(database, principal, request.params.id, {
        approve: request.body.decision === 'approve',
        ...(request.body.note ? { note: request.body.note } : {}),
      })
      return review as unknown as Record<string, unknown>
    },
  )

  app.post(
    '/api/students/:id/certificate',
    {
      schema: {
        tags,
        summary: '发放结业证书（学时不全、审核中或已发放时以错误码拒绝）',
        params: IdParams,
        response: { 201: AnyObject },
      },
    },
    async (request, reply) => {
      const principal = permitted(request, 'hours:apply', '发放结业证书')
      const cert = await issueCertificate(database, principal, request.params.id)
      return reply.code(201).send(cert as unknown as Record<string, unknown>)
    },
  )

  app.get(
    '/api/students/:id/certificate',
    {
      schema: { tags, summary: '学员的结业证书', params: IdParams, response: { 200: AnyObject } },
    },
    async (request) => {
      const principal = permitted(request, 'hours:read', '查看结业证书')
      return getCertificate(database, principal.scope, request.params.id) as unknown as Record<string, unknown>
    },
  )
}

export default hoursRoutes
