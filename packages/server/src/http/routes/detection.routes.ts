/**
 * 检测规则目录: every detection rule with its titles, severity, requirements, basis, parameters
 * (declared default and the value of the detection policy in force) and its documentation page.
 * Any signed-in account may read it: it explains the findings every role sees.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ruleCatalogue } from '../../detection/engine/catalogue.ts'
import { policyAt } from '../../policy/store.ts'
import { authenticated } from '../context.ts'
import { DateTime } from '../schemas.ts'

const Value = Type.Union([Type.Number(), Type.String(), Type.Boolean()])

const RuleEntry = Type.Object({
  id: Type.String({ description: '规则 id（分钟学时无效原因码与疑点均使用此 id）' }),
  version: Type.Integer({ description: '规则逻辑版本，疑点记录其判定时的版本' }),
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  scope: Type.Union([Type.Literal('session'), Type.Literal('cross')], {
    description: 'session 课堂规则（流式与批量），cross 跨课堂规则（批量）',
  }),
  severity: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high'), Type.Literal('critical')]),
  requirements: Type.Array(Type.String(), { description: '对应的需求编号（M1…M17）' }),
  basis: Type.String({ description: '依据（标准、法规条款）' }),
  invalidates: Type.Boolean({ description: '可判分钟学时无效（只对课堂规则）' }),
  enabled: Type.Boolean({ description: '现行检测政策是否启用' }),
  params: Type.Array(
    Type.Object({
      name: Type.String(),
      default: Value,
      value: Value,
      unit: Type.Union([Type.String(), Type.Null()]),
      description: Type.String(),
      uncertain: Type.Boolean({ description: '无公开来源的阈值，由省级政策确定' }),
    }),
  ),
  doc: Type.String({ description: '说明文档在代码库中的路径' }),
})

const CatalogueAnswer = Type.Object({
  policy: Type.Object({
    version: Type.Integer({ description: '现行检测政策版本' }),
    name: Type.String(),
    effectiveFrom: DateTime,
  }),
  rules: Type.Array(RuleEntry),
})

const detectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const database = app.database

  app.get(
    '/api/detection/rules',
    {
      schema: {
        tags: ['检测与疑点'],
        summary: '检测规则目录：名称、严重程度、依据、参数默认值与现行政策取值、说明文档',
        response: { 200: CatalogueAnswer },
      },
    },
    async (request) => {
      authenticated(request)
      const policy = await policyAt(database, 'detection')
      return {
        policy: { version: policy.version, name: policy.body.name, effectiveFrom: policy.effectiveFrom },
        rules: ruleCatalogue(policy.body),
      }
    },
  )
}

export default detectionRoutes
export { detectionRoutes }
