/**
 * 政策版本: the versions of each policy kind (syllabus = 大纲 hours and caps, detection = rule
 * switches, thresholds and training windows) and publishing a new one (province only). A version
 * is immutable once published; credits and findings name the version they were decided under.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { writeAudit } from '../../auth/audit.ts'
import { validatePolicy } from '../../policy/schema.ts'
import {
  assertPolicyKind,
  listPolicyVersions,
  type PolicyVersion,
  policyAt,
  publishPolicy,
} from '../../policy/store.ts'
import { authenticated, permitted } from '../context.ts'
import { AnyObject, DateTime } from '../schemas.ts'

const tags = ['政策版本']

const KindParams = Type.Object({
  kind: Type.String({ description: 'syllabus（教学大纲学时）或 detection（检测规则与培训时段）', maxLength: 40 }),
})

const Version = Type.Object({
  kind: Type.String(),
  version: Type.Integer(),
  effectiveFrom: DateTime,
  body: AnyObject,
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
})

const view = (v: PolicyVersion) => ({ ...v, body: v.body as unknown as Record<string, unknown> })

const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const database = app.database

  app.get(
    '/api/policies/:kind',
    {
      schema: {
        tags,
        summary: '政策的全部版本（新→旧）与当前生效版本',
        params: KindParams,
        response: { 200: Type.Object({ kind: Type.String(), current: Version, versions: Type.Array(Version) }) },
      },
    },
    async (request) => {
      authenticated(request)
      const { kind } = request.params
      assertPolicyKind(kind)
      const current = await policyAt(database, kind)
      const versions = await listPolicyVersions(database, kind)
      return { kind, current: view(current), versions: versions.map(view) }
    },
  )

  app.post(
    '/api/policies/:kind',
    {
      schema: {
        tags,
        summary: '发布新版本（仅省厅）；已认定的学时与疑点仍按原版本',
        params: KindParams,
        body: Type.Object({
          body: Type.Unknown({ description: '完整的政策内容（见 docs/hours.md）' }),
          effectiveFrom: Type.Optional(Type.String({ format: 'date-time', description: '生效时间，默认立即' })),
          note: Type.Optional(Type.String({ maxLength: 500, description: '修订说明' })),
        }),
        response: { 201: Version },
      },
    },
    async (request, reply) => {
      const principal = permitted(request, 'policy:write', '发布政策版本')
      const { kind } = request.params
      assertPolicyKind(kind)
      const body = validatePolicy(kind, request.body.body)
      const published = await publishPolicy(database, kind, body, {
        ...(request.body.effectiveFrom ? { effectiveFrom: new Date(request.body.effectiveFrom) } : {}),
        ...(request.body.note ? { note: request.body.note } : {}),
        createdBy: principal.user.id,
      })
      await writeAudit(database.db, {
        actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
        action: 'create',
        entity: 'policy_version',
        entityId: `${kind}:v${published.version}`,
        regionCode: principal.user.regionCode,
        detail: {
          kind,
          version: published.version,
          effectiveFrom: published.effectiveFrom.toISOString(),
          note: published.note,
        },
        ip: request.ip,
      })
      return reply.code(201).send(view(published))
    },
  )
}

export default policyRoutes
