/**
 * The shape of each policy kind as TypeBox schemas, and the check a body passes before it is
 * published: structure first (types, ranges, no unknown fields), then the relations between
 * figures (effective minutes within an hour, per-part hours adding up to the type's total, windows
 * that parse, rules and parameters the catalogue knows, each of its declared type). A failure is
 * ERR_POLICY_INVALID naming the JSON path of the bad field.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { RULES } from '../detection/rules/index.ts'
import { clockMinutes } from '../detection/time.ts'
import { appError } from '../errors/catalogue.ts'
import type { PolicyBodies, PolicyKind } from './store.ts'

const Hours = (description: string) => Type.Number({ minimum: 0, maximum: 1000, description })
const ModeKeys = ['1', '2', '3', '4'] as const
const perMode = <T extends TSchema>(value: T, optional: boolean) =>
  Type.Object(
    Object.fromEntries(ModeKeys.map((k) => [k, optional ? Type.Optional(value) : value])) as Record<string, T>,
    { additionalProperties: false },
  )

const CapCategory = Type.Union([Type.Literal('classroom'), Type.Literal('practical')])

export const PartHoursSchema = Type.Object(
  {
    total: Hours('本部分最低学时'),
    maxByMode: Type.Optional(perMode(Hours('该课程方式最多计入的学时'), true)),
    minByMode: Type.Optional(perMode(Hours('该课程方式最低学时'), true)),
  },
  { additionalProperties: false },
)

export const VehicleTypeHoursSchema = Type.Object(
  {
    total: Hours('总学时'),
    parts: Type.Object(
      { 1: PartHoursSchema, 2: PartHoursSchema, 3: PartHoursSchema, 4: PartHoursSchema },
      { additionalProperties: false },
    ),
    minMileageKm: Type.Number({ minimum: 0, maximum: 100_000, description: '最低培训里程（公里）' }),
    uncertain: Type.Boolean({ description: '数字未经可靠来源确认（待确认）' }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)

export const SyllabusPolicySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    hourMinutes: Type.Integer({ minimum: 1, maximum: 600, description: '1 学时的分钟数' }),
    effectiveMinutesPerHour: Type.Integer({ minimum: 1, maximum: 600, description: '1 学时须达到的有效分钟数' }),
    minValidShare: Type.Number({ minimum: 0, maximum: 1 }),
    dailyCapHours: Type.Object(
      { classroom: Type.Number({ minimum: 0, maximum: 24 }), practical: Type.Number({ minimum: 0, maximum: 24 }) },
      { additionalProperties: false },
    ),
    capCategoryOfMode: perMode(CapCategory, false),
    classroomMinHours: Hours('课堂教学合计最低学时'),
    timeZone: Type.Literal('Asia/Shanghai'),
    vehicleTypes: Type.Record(Type.String({ pattern: '^[A-Z][0-9A-Z]?$' }), VehicleTypeHoursSchema),
  },
  { additionalProperties: false },
)

const TimeWindowSchema = Type.Object(
  { from: Type.String({ pattern: '^\\d{2}:\\d{2}$' }), to: Type.String({ pattern: '^\\d{2}:\\d{2}$' }) },
  { additionalProperties: false },
)
const Windows = Type.Array(TimeWindowSchema, { maxItems: 24 })

export const DetectionPolicySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    windows: Type.Object(
      {
        default: perMode(Windows, false),
        byCity: Type.Record(Type.String({ pattern: '^\\d{6}$' }), perMode(Windows, true)),
      },
      { additionalProperties: false },
    ),
    rules: Type.Record(
      Type.String({ pattern: '^[a-z0-9-]+$' }),
      Type.Object(
        {
          enabled: Type.Boolean(),
          params: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export const POLICY_SCHEMAS = { syllabus: SyllabusPolicySchema, detection: DetectionPolicySchema } as const

export type SyllabusPolicyBody = Static<typeof SyllabusPolicySchema>

const invalid = (path: string, reason: string) =>
  appError('ERR_POLICY_INVALID', { detail: `${path || '/'} ${reason}` }, { path, reason })

function checkSyllabus(body: PolicyBodies['syllabus']): void {
  if (body.effectiveMinutesPerHour > body.hourMinutes) {
    throw invalid(
      '/effectiveMinutesPerHour',
      `有效分钟数 ${body.effectiveMinutesPerHour} 不能超过 1 学时的 ${body.hourMinutes} 分钟`,
    )
  }
  if (Object.keys(body.vehicleTypes).length === 0) throw invalid('/vehicleTypes', '至少需要一个培训车型')
  for (const [type, hours] of Object.entries(body.vehicleTypes)) {
    const sum = [1, 2, 3, 4].reduce((s, p) => s + hours.parts[p as 1 | 2 | 3 | 4].total, 0)
    if (Math.abs(sum - hours.total) > 1e-9) {
      throw invalid(`/vehicleTypes/${type}/total`, `总学时 ${hours.total} 与四个部分之和 ${sum} 不一致`)
    }
    for (const p of [1, 2, 3, 4] as const) {
      const part = hours.parts[p]
      const minSum = Object.values(part.minByMode ?? {}).reduce((s, n) => s + (n ?? 0), 0)
      if (minSum > part.total) {
        throw invalid(
          `/vehicleTypes/${type}/parts/${p}/minByMode`,
          `各课程方式最低学时之和 ${minSum} 超过本部分学时 ${part.total}`,
        )
      }
    }
  }
}

function checkWindows(path: string, windows: Record<string, { from: string; to: string }[] | undefined>): void {
  for (const [mode, list] of Object.entries(windows)) {
    for (const [i, w] of (list ?? []).entries()) {
      for (const end of ['from', 'to'] as const) {
        if (Number.isNaN(clockMinutes(w[end])))
          throw invalid(`${path}/${mode}/${i}/${end}`, `时间 ${w[end]} 无效（00:00–24:00）`)
      }
    }
  }
}

const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]))

/** Every rule is in the catalogue; every parameter is one the rule declares, of its default's type. */
function checkRules(rules: PolicyBodies['detection']['rules']): void {
  for (const [id, setting] of Object.entries(rules)) {
    const rule = RULE_BY_ID.get(id)
    if (!rule) throw invalid(`/rules/${id}`, `规则目录中没有规则 ${id}`)
    for (const [name, value] of Object.entries(setting.params)) {
      const spec = Object.hasOwn(rule.params, name) ? rule.params[name] : undefined
      if (!spec) {
        const known = Object.keys(rule.params)
        throw invalid(
          `/rules/${id}/params/${name}`,
          `规则 ${id} 没有参数 ${name}${known.length ? `（可用参数：${known.join('、')}）` : '（该规则没有参数）'}`,
        )
      }
      const expected = typeof spec.default
      if (typeof value !== expected) {
        const zh = { number: '数值', string: '文本', boolean: '是/否' }[expected as 'number' | 'string' | 'boolean']
        throw invalid(`/rules/${id}/params/${name}`, `应为${zh}（默认值 ${String(spec.default)}）`)
      }
      if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) {
        throw invalid(`/rules/${id}/params/${name}`, `应为不小于 0 的数值（默认值 ${String(spec.default)}）`)
      }
    }
  }
}

/** The body if it is a valid policy of the kind; ERR_POLICY_INVALID with the path of the first bad field otherwise. */
export function validatePolicy<K extends PolicyKind>(kind: K, body: unknown): PolicyBodies[K] {
  const schema = POLICY_SCHEMAS[kind]
  const first = Value.Errors(schema, body).First()
  if (first) throw invalid(first.path, `不符合要求：${first.message}`)
  if (kind === 'syllabus') checkSyllabus(body as PolicyBodies['syllabus'])
  else {
    const d = body as PolicyBodies['detection']
    checkWindows('/windows/default', d.windows.default as never)
    for (const [city, w] of Object.entries(d.windows.byCity)) checkWindows(`/windows/byCity/${city}`, w as never)
    checkRules(d.rules)
  }
  return body as PolicyBodies[K]
}
