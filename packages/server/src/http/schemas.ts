/**
 * TypeBox schemas shared by the route plugins, and the per-entity schemas generated from the
 * registry definitions (so validation, OpenAPI and `prepareCreate` agree on the fields).
 */
import { type TSchema, Type } from '@sinclair/typebox'
import { type EntityDef, type FieldDef, inputFields, updateFields } from '../registry/definitions.ts'

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: '错误码，见 docs/error-codes.md' }),
    message: Type.String(),
    showType: Type.String(),
    details: Type.Optional(Type.Unknown()),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody', title: '错误' },
)

/** A timestamp (Date objects are serialised as ISO 8601). */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' })

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

export const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1, description: '页码，从 1 开始' }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20, description: '每页条数（≤200）' }),
}

/** A JSON object with any properties (rows are documented by /api/registry/meta). */
export const AnyObject = Type.Object({}, { additionalProperties: true })

export function paged(item: TSchema) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  })
}

function valueSchema(f: FieldDef): TSchema {
  const opts = { title: f.label }
  switch (f.kind) {
    case 'text':
      return Type.String({ ...opts, maxLength: f.maxLength ?? 500 })
    case 'int':
      return Type.Integer(opts)
    case 'float':
      return Type.Number(opts)
    case 'date':
      return Type.String({ ...opts, description: 'YYYY-MM-DD', maxLength: 10 })
    case 'enum':
      return Type.Unsafe({
        ...opts,
        type: typeof f.values?.[0] === 'number' ? 'integer' : 'string',
        enum: [...(f.values ?? [])],
        description: Object.entries(f.valueLabels ?? {})
          .map(([v, l]) => `${v}=${l}`)
          .join('，'),
      })
    case 'textArray':
      return Type.Array(f.values ? Type.Unsafe({ type: 'string', enum: [...f.values] }) : Type.String(), opts)
    case 'json':
      return Type.Unknown(opts)
  }
}

/** Body of POST /api/registry/{entity}. Identity numbers are checked by prepareCreate (ERR_REG_INVALID_FIELD). */
export function createBody(def: EntityDef) {
  const props: Record<string, TSchema> = {}
  for (const f of inputFields(def)) {
    const schema = valueSchema(f)
    props[f.key] = f.required ? schema : Type.Optional(Type.Union([schema, Type.Null()]))
  }
  return Type.Object(props, { title: `新增${def.label}` })
}

/** Body of PATCH /api/registry/{entity}/{id}: any subset of the updatable fields. */
export function updateBody(def: EntityDef) {
  const props: Record<string, TSchema> = {}
  for (const f of updateFields(def)) props[f.key] = Type.Optional(Type.Union([valueSchema(f), Type.Null()]))
  return Type.Object(props, { title: `修改${def.label}` })
}

/** Query string of GET /api/registry/{entity}. */
export function listQuery(def: EntityDef) {
  return Type.Object({
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 100, description: `搜索：${def.searchKeys.join(' / ')}` })),
    cityCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    countyCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    institutionId: Type.Optional(Type.Integer({ minimum: 1 })),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    licenseType: Type.Optional(Type.String({ maxLength: 4 })),
    vehicleType: Type.Optional(Type.String({ maxLength: 4 })),
    sort: Type.Optional(Type.Union(def.sortKeys.map((k) => Type.Literal(k)))),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  })
}
