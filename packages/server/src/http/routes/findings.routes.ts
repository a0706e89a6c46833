/**
 * 疑点线索: the findings of the detection rules in the caller's jurisdiction, their counts for the
 * chart cards, one finding with its evidence resolved, and the review of a finding
 * (supervision/findings.ts holds who sees and decides what).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from '@sinclair/typebox'
import { appError } from '../../errors/catalogue.ts'
import {
  FINDING_STATUSES,
  type FindingFilters,
  getFinding,
  listFindings,
  reviewFinding,
  SEVERITIES,
  summarizeFindings,
} from '../../supervision/findings.ts'
import { permitted } from '../context.ts'
import { AnyObject, DateTime, IdParams, PageQuery, paged } from '../schemas.ts'

const tags = ['疑点线索']

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)))

const Status = literals(FINDING_STATUSES)
const Severity = literals(SEVERITIES)

const FilterQuery = {
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '省、市或区县代码' })),
  institutionId: Type.Optional(Type.Integer({ minimum: 1 })),
  ruleId: Type.Optional(
    Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }), {
      maxItems: 50,
      description: '规则编号，可重复（ruleId=a&ruleId=b）',
    }),
  ),
  severity: Type.Optional(
    Type.Array(Severity, { maxItems: 4, description: '严重程度 low 低 / medium 中 / high 高 / critical 严重，可重复' }),
  ),
  status: Type.Optional(
    Type.Array(Status, {
      maxItems: 4,
      description: '状态 open 待处理 / under_review 核查中 / confirmed 已确认 / dismissed 已排除，可重复',
    }),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', description: '发生时间不早于' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: '发生时间早于' })),
  studentId: Type.Optional(Type.Integer({ minimum: 1 })),
  coachId: Type.Optional(Type.Integer({ minimum: 1 })),
  vehicleId: Type.Optional(Type.Integer({ minimum: 1 })),
  sessionId: Type.Optional(Type.Integer({ minimum: 1, description: '课堂' })),
}

const FilterQuerySchema = Type.Object(FilterQuery)

function filtersOf(q: Static<typeof FilterQuerySchema>): FindingFilters {
  if (q.from && q.to && new Date(q.from) > new Date(q.to)) throw appError('ERR_INGEST_RANGE_INVALID', q)
  const { from, to, ruleId, severity, status, ...rest } = q
  return {
    ...rest,
    ...(ruleId ? { ruleIds: ruleId } : {}),
    ...(severity ? { severities: severity } : {}),
    ...(status ? { statuses: status } : {}),
    ...(from ? { from: new Date(from) } : {}),
    ...(to ? { to: new Date(to) } : {}),
  }
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

const FindingItem = Type.Object(
  {
    id: Type.Integer(),
    ruleId: Type.String({ description: '规则 id' }),
    ruleTitle: Nullable(Type.String({ description: '规则名称（规则目录中没有该规则时为 null）' })),
    ruleVersion: Type.Integer(),
    policyVersion: Type.Integer({ description: '判定时的检测政策版本' }),
    severity: Severity,
    status: Status,
    subjectKind: Type.String({
      description: 'session 课堂 / student 学员 / coach 教练员 / vehicle 教练车 / photo 照片 / institution 机构',
    }),
    subjectId: Type.String(),
    sessionId: Nullable(Type.Integer()),
    studentId: Nullable(Type.Integer()),
    studentName: Nullable(Type.String()),
    studentNo: Nullable(Type.String()),
    coachId: Nullable(Type.Integer()),
    coachName: Nullable(Type.String()),
    coachNo: Nullable(Type.String()),
    vehicleId: Nullable(Type.Integer()),
    plate: Nullable(Type.String()),
    institutionId: Nullable(Type.Integer()),
    institutionName: Nullable(Type.String()),
    cityCode: Type.String(),
    countyCode: Type.String(),
    occurredAt: DateTime,
    summary: Type.String({ description: '一句话说明所见（含测量值与阈值）' }),
    detectedBy: Type.String({ description: 'stream 实时研判 / batch 批量研判' }),
    detectedAt: DateTime,
    reviewedAt: Nullable(DateTime),
  },
  { title: '疑点' },
)

const findingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const database = app.database

  app.get(
    '/api/findings',
    {
      schema: {
        tags,
        summary: '疑点列表（默认按发生时间倒序）',
        querystring: Type.Object({
          ...PageQuery,
          ...FilterQuery,
          sort: Type.Optional(
            Type.Union([Type.Literal('occurredAt'), Type.Literal('detectedAt'), Type.Literal('severity')], {
              description: 'occurredAt 发生时间（默认）、detectedAt 发现时间、severity 严重程度',
            }),
          ),
          order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
        }),
        response: { 200: paged(FindingItem) },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '查看疑点')
      const { page, pageSize, sort, order, ...query } = request.query
      return listFindings(database, principal, filtersOf(query), {
        page,
        pageSize,
        ...(sort ? { sort } : {}),
        ...(order ? { order } : {}),
      })
    },
  )

  app.get(
    '/api/findings/summary',
    {
      schema: {
        tags,
        summary: '疑点统计：按规则、严重程度、状态计数（与列表相同的筛选条件）',
        querystring: FilterQuerySchema,
        response: {
          200: Type.Object({
            total: Type.Integer(),
            byRule: Type.Array(
              Type.Object({ ruleId: Type.String(), ruleTitle: Nullable(Type.String()), count: Type.Integer() }),
            ),
            bySeverity: Type.Array(Type.Object({ severity: Type.String(), count: Type.Integer() })),
            byStatus: Type.Array(Type.Object({ status: Type.String(), count: Type.Integer() })),
          }),
        },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '查看疑点')
      return summarizeFindings(database, principal, filtersOf(request.query))
    },
  )

  app.get(
    '/api/findings/:id',
    {
      schema: {
        tags,
        summary: '疑点详情：规则参数、证据（课堂、分钟学时、轨迹、照片与备案照片、原始报文）与可执行的审核操作',
        params: IdParams,
        response: { 200: AnyObject },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '查看疑点')
      return getFinding(database, principal, request.params.id)
    },
  )

  app.patch(
    '/api/findings/:id',
    {
      schema: {
        tags,
        summary: '审核疑点：改为核查中、已确认或已排除（排除与重新核查须填写意见）',
        params: IdParams,
        body: Type.Object({
          status: literals(['under_review', 'confirmed', 'dismissed'] as const),
          note: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
        }),
        response: { 200: AnyObject },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '审核疑点')
      return reviewFinding(database, principal, request.params.id, request.body, { ip: request.ip })
    },
  )
}

export default findingsRoutes
