/**
 * Validation of one registry input object, exactly as `POST` and `PATCH` apply it: types, identity
 * numbers (check digits), region codes, references, uniqueness, jurisdiction, and the values the
 * server derives (city/county from the institution, field area from its polygon, sex from the ID
 * card). Bulk import calls `prepareCreate` once per row.
 */
import turfArea from '@turf/area'
import { and, eq, inArray, ne, type SQL } from 'drizzle-orm'
import type { Scope } from '../auth/scope.ts'
import { scopeContains } from '../auth/scope.ts'
import type { Db } from '../db/client.ts'
import { institution, region, student, timingPlatform, vehicle } from '../db/schema/index.ts'
import { sexFromIdCard } from '../domain/identity.ts'
import { PROVINCE_CODE } from '../domain/regions.ts'
import { type AppError, appError } from '../errors/catalogue.ts'
import {
  column,
  type EntityDef,
  type EntityName,
  entityDef,
  type FieldDef,
  inputFields,
  updateFields,
} from './definitions.ts'

export type Row = Record<string, unknown>

/** What validation needs: a database (or open transaction) and the caller's jurisdiction. */
export interface RegistryContext {
  db: Pick<Db, 'select'>
  scope: Scope
  /**
   * Set by bulk callers (imports): institutions and platforms are read once per id for the whole
   * batch, and uniqueness against the database is left to one `findTakenValues` per column
   * instead of one query per row.
   */
  bulk?: BulkLookups
}

interface InstitutionRef {
  id: number
  cityCode: string
  countyCode: string
  timingPlatformId: number | null
}

export interface BulkLookups {
  institutions: Map<number, Promise<InstitutionRef | undefined>>
  platforms: Map<number, Promise<boolean>>
}

export function bulkLookups(): BulkLookups {
  return { institutions: new Map(), platforms: new Map() }
}

function memo<K, V>(cache: Map<K, Promise<V>> | undefined, key: K, load: () => Promise<V>): Promise<V> {
  if (!cache) return load()
  let hit = cache.get(key)
  if (!hit) {
    hit = load()
    cache.set(key, hit)
  }
  return hit
}

export function invalidField(field: FieldDef | { key: string; label: string }, reason: string): AppError {
  return appError(
    'ERR_REG_INVALID_FIELD',
    { field: field.label, reason },
    { field: field.key, label: field.label, reason },
  )
}

function isDateString(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

/**
 * Converts one raw value to the stored form of `field`, or throws ERR_REG_INVALID_FIELD.
 * Accepts what forms and spreadsheets produce: numeric strings, Chinese enum labels,
 * comma/顿号-separated lists, Date objects. `undefined` = absent, `null` = cleared.
 */
export function coerceField(field: FieldDef, raw: unknown): unknown {
  if (raw === undefined) return undefined
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return null
  switch (field.kind) {
    case 'text': {
      if (typeof raw !== 'string' && typeof raw !== 'number') throw invalidField(field, '应为文本')
      const value = field.normalize ? field.normalize(String(raw)) : String(raw).trim()
      if (field.maxLength && value.length > field.maxLength)
        throw invalidField(field, `长度不能超过 ${field.maxLength}`)
      const reason = field.check?.(value)
      if (reason) throw invalidField(field, reason)
      return value
    }
    case 'int':
    case 'float': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN
      if (!Number.isFinite(n)) throw invalidField(field, '应为数字')
      if (field.kind === 'int' && !Number.isInteger(n)) throw invalidField(field, '应为整数')
      if (field.min !== undefined && n < field.min) throw invalidField(field, `不能小于 ${field.min}`)
      if (field.max !== undefined && n > field.max) throw invalidField(field, `不能大于 ${field.max}`)
      return n
    }
    case 'date': {
      const value = raw instanceof Date ? raw.toISOString().slice(0, 10) : typeof raw === 'string' ? raw.trim() : ''
      if (!isDateString(value)) throw invalidField(field, '应为日期，格式 YYYY-MM-DD')
      return value
    }
    case 'enum': {
      const values = field.values ?? []
      const text = String(raw).trim()
      const byLabel = Object.entries(field.valueLabels ?? {}).find(([, label]) => label === text)?.[0]
      const candidate = byLabel ?? text
      const match = values.find((v) => String(v) === candidate)
      if (match === undefined) {
        const allowed = values.map((v) =>
          field.valueLabels?.[String(v)] ? `${v}（${field.valueLabels[String(v)]}）` : v,
        )
        throw invalidField(field, `应为 ${allowed.join('、')} 之一`)
      }
      return match
    }
    case 'textArray': {
      const items = Array.isArray(raw)
        ? raw.map((v) => String(v).trim())
        : typeof raw === 'string'
          ? raw.split(/[,，、;；\s]+/).map((v) => v.trim())
          : null
      if (!items) throw invalidField(field, '应为列表')
      const list = [...new Set(items.filter(Boolean))]
      if (field.values) {
        const bad = list.find((v) => !(field.values as readonly (string | number)[]).includes(v))
        if (bad !== undefined) throw invalidField(field, `${bad} 不是有效值，应为 ${field.values.join('、')} 之一`)
      }
      return list
    }
    case 'json': {
      if (typeof raw === 'string') {
        try {
          return JSON.parse(raw)
        } catch {
          throw invalidField(field, '应为 JSON')
        }
      }
      if (typeof raw !== 'object') throw invalidField(field, '应为 JSON 对象或数组')
      return raw
    }
  }
}

// ── lookups ─────────────────────────────────────────────────────────────

interface RegionRow {
  code: string
  name: string
  level: string
  parentCode: string | null
}
const regionCache = new WeakMap<object, Promise<Map<string, RegionRow>>>()

/** The region table, cached per database handle; reloaded when a code is missing (regions seeded later). */
async function regions(ctx: RegistryContext, needed?: string): Promise<Map<string, RegionRow>> {
  let cached = regionCache.get(ctx.db)
  if (cached && needed && !(await cached).has(needed)) cached = undefined
  if (!cached) {
    cached = ctx.db
      .select({ code: region.code, name: region.name, level: region.level, parentCode: region.parentCode })
      .from(region)
      .then((rows) => new Map(rows.map((r) => [r.code, r])))
    regionCache.set(ctx.db, cached)
  }
  return cached
}

/** Checks a county code (and optional city code) against the region table; returns both. */
async function resolvePlacement(
  ctx: RegistryContext,
  def: EntityDef,
  countyCode: string,
  cityCode: string | null | undefined,
): Promise<{ cityCode: string; countyCode: string }> {
  const all = await regions(ctx, countyCode)
  const countyField = def.fields.find((f) => f.key === 'countyCode')!
  const cityField = def.fields.find((f) => f.key === 'cityCode')!
  const county = all.get(countyCode)
  if (!county)
    throw appError('ERR_REG_REGION_UNKNOWN', { code: countyCode }, { field: 'countyCode', label: countyField.label })
  if (county.level !== 'county') throw invalidField(countyField, `${countyCode} 不是区县级行政区划代码`)
  const parent = county.parentCode ?? ''
  if (cityCode && cityCode !== parent) {
    const city = all.get(cityCode)
    if (!city)
      throw appError('ERR_REG_REGION_UNKNOWN', { code: cityCode }, { field: 'cityCode', label: cityField.label })
    throw invalidField(countyField, `${county.name}（${countyCode}）不属于${city.name}（${cityCode}）`)
  }
  const city = all.get(parent)
  if (city?.level !== 'city' || city?.parentCode !== PROVINCE_CODE) {
    throw invalidField(countyField, `${countyCode} 不属于本省的地市`)
  }
  return { cityCode: parent, countyCode }
}

function findInstitution(ctx: RegistryContext, id: number): Promise<InstitutionRef | undefined> {
  return memo(ctx.bulk?.institutions, id, async () => {
    const [row] = await ctx.db
      .select({
        id: institution.id,
        cityCode: institution.cityCode,
        countyCode: institution.countyCode,
        timingPlatformId: institution.timingPlatformId,
      })
      .from(institution)
      .where(eq(institution.id, id))
    return row
  })
}

function platformExists(ctx: RegistryContext, id: number): Promise<boolean> {
  return memo(ctx.bulk?.platforms, id, async () => {
    const rows = await ctx.db.select({ id: timingPlatform.id }).from(timingPlatform).where(eq(timingPlatform.id, id))
    return rows.length > 0
  })
}

function field(def: EntityDef, key: string): FieldDef {
  return def.fields.find((f) => f.key === key) ?? { key, label: key, kind: 'text' }
}

function outOfScope(detail: string): AppError {
  return appError('ERR_AUTH_OUT_OF_SCOPE', { detail })
}

/** Derives placement from the institution and checks it lies in the caller's jurisdiction. */
async function placeUnderInstitution(ctx: RegistryContext, def: EntityDef, values: Row, institutionId: number) {
  const inst = await findInstitution(ctx, institutionId)
  if (!inst) throw invalidField(field(def, 'institutionId'), `机构 ${institutionId} 不存在`)
  values.institutionId = inst.id
  values.cityCode = inst.cityCode
  values.countyCode = inst.countyCode
  const timingPlatformId = typeof values.timingPlatformId === 'number' ? values.timingPlatformId : undefined
  const placement = { cityCode: inst.cityCode, countyCode: inst.countyCode, institutionId: inst.id, timingPlatformId }
  if (!scopeContains(ctx.scope, placement)) throw outOfScope(`机构 ${institutionId}`)
}

async function checkUnique(ctx: RegistryContext, def: EntityDef, values: Row, excludeId?: number) {
  for (const f of def.fields) {
    if (!f.unique) continue
    const value = values[f.key]
    if (value === undefined || value === null) continue
    const idCol = column(def, 'id')
    const conditions: SQL[] = [eq(column(def, f.key), value)]
    if (excludeId !== undefined) conditions.push(ne(idCol, excludeId))
    const rows = await ctx.db
      .select({ id: idCol })
      .from(def.drizzle)
      .where(and(...conditions))
      .limit(1)
    if (rows.length > 0) throw duplicateError(def, f, value)
  }
}

export function duplicateError(def: EntityDef, f: FieldDef, value: unknown): AppError {
  return appError(
    'ERR_REG_DUPLICATE',
    { entity: def.label, field: f.label, value: f.personal ? '（已隐藏）' : value },
    { field: f.key, label: f.label },
  )
}

/** The values among `values` that a unique column already holds: the bulk form of the per-row check. */
export async function findTakenValues(
  ctx: RegistryContext,
  entity: EntityName,
  key: string,
  values: readonly unknown[],
): Promise<Set<unknown>> {
  const def = entityDef(entity)
  const col = column(def, key)
  const taken = new Set<unknown>()
  const distinct = [...new Set(values.filter((v) => v !== undefined && v !== null))]
  for (let start = 0; start < distinct.length; start += 5000) {
    const rows = await ctx.db
      .select({ value: col })
      .from(def.drizzle)
      .where(inArray(col, distinct.slice(start, start + 5000)))
    for (const r of rows) taken.add(r.value)
  }
  return taken
}

/** Entity-specific references and derived values, shared by create and update. */
async function deriveAndCheck(
  ctx: RegistryContext,
  def: EntityDef,
  next: Row,
  changed: Set<string>,
  creating: boolean,
) {
  const name: EntityName = def.name
  if (name === 'institutions') {
    if (creating || changed.has('countyCode') || changed.has('cityCode')) {
      const placement = await resolvePlacement(ctx, def, next.countyCode as string, next.cityCode as string | null)
      next.cityCode = placement.cityCode
      next.countyCode = placement.countyCode
      changed.add('cityCode')
      if (!scopeContains(ctx.scope, placement)) throw outOfScope(`区县 ${placement.countyCode}`)
    }
    if (next.timingPlatformId && changed.has('timingPlatformId')) {
      if (!(await platformExists(ctx, next.timingPlatformId as number))) {
        throw invalidField(field(def, 'timingPlatformId'), `计时平台 ${next.timingPlatformId} 不存在`)
      }
    }
    return
  }
  if (name === 'platforms') return

  if (name === 'contracts') {
    if (creating) {
      const [stu] = await ctx.db
        .select({ institutionId: student.institutionId })
        .from(student)
        .where(eq(student.id, next.studentId as number))
      if (!stu) throw invalidField(field(def, 'studentId'), `学员 ${next.studentId} 不存在`)
      await placeUnderInstitution(ctx, def, next, stu.institutionId)
    }
  } else if (creating || changed.has('institutionId')) {
    await placeUnderInstitution(ctx, def, next, next.institutionId as number)
    if (!creating) {
      changed.add('cityCode')
      changed.add('countyCode')
    }
  }

  if ((name === 'coaches' || name === 'students') && !next.sex && typeof next.idCard === 'string') {
    next.sex = sexFromIdCard(next.idCard)
    changed.add('sex')
  }
  if (name === 'fields' && (creating || changed.has('polygon'))) {
    next.areaM2 = next.polygon ? polygonArea(def, next.polygon) : null
    changed.add('areaM2')
  }
  if (name === 'terminals') {
    if (creating || changed.has('timingPlatformId')) {
      if (!(await platformExists(ctx, next.timingPlatformId as number))) {
        throw invalidField(field(def, 'timingPlatformId'), `计时平台 ${next.timingPlatformId} 不存在`)
      }
      if (ctx.scope.kind === 'platform' && ctx.scope.timingPlatformId !== next.timingPlatformId) {
        throw outOfScope(`计时平台 ${next.timingPlatformId}`)
      }
    }
    if (next.vehicleId && (creating || changed.has('vehicleId') || changed.has('institutionId'))) {
      const [car] = await ctx.db
        .select({ institutionId: vehicle.institutionId })
        .from(vehicle)
        .where(eq(vehicle.id, next.vehicleId as number))
      if (!car || car.institutionId !== next.institutionId) {
        throw invalidField(field(def, 'vehicleId'), `车辆 ${next.vehicleId} 不存在或不属于该机构`)
      }
    }
  }
}

/** Area in m² of a GeoJSON Polygon/MultiPolygon, or ERR_REG_INVALID_FIELD. */
export function polygonArea(def: EntityDef, polygon: unknown): number {
  const f = field(def, 'polygon')
  const g = polygon as { type?: unknown; coordinates?: unknown }
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
    throw invalidField(f, '应为 GeoJSON Polygon 或 MultiPolygon')
  }
  const rings = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[][]
  for (const poly of rings) {
    if (!Array.isArray(poly) || poly.length === 0) throw invalidField(f, '多边形没有坐标')
    for (const ring of poly) {
      if (!Array.isArray(ring) || ring.length < 4) throw invalidField(f, '多边形的环至少需要 4 个坐标点（首尾相同）')
      for (const p of ring) {
        if (!Array.isArray(p) || p.length < 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
          throw invalidField(f, '坐标应为 [经度, 纬度] 数字对')
        }
      }
    }
  }
  const area = turfArea({ type: 'Feature', properties: {}, geometry: polygon as GeoJSON.Polygon })
  return Math.round(area * 100) / 100
}

/**
 * Validates one input object for `POST /api/registry/{entity}` and returns the row values to
 * insert (camelCase column keys). Throws AppError (ERR_REG_INVALID_FIELD / ERR_REG_REGION_UNKNOWN
 * with `details.field`, ERR_REG_DUPLICATE, ERR_AUTH_OUT_OF_SCOPE).
 */
export async function prepareCreate(
  entity: EntityName,
  input: Record<string, unknown>,
  ctx: RegistryContext,
): Promise<Row> {
  const def = entityDef(entity)
  const values: Row = {}
  for (const f of inputFields(def)) {
    const value = coerceField(f, input[f.key])
    if ((value === undefined || value === null) && f.required) throw invalidField(f, '不能为空')
    if (value !== undefined && value !== null) values[f.key] = value
  }
  await deriveAndCheck(ctx, def, values, new Set(Object.keys(values)), true)
  if (!ctx.bulk) await checkUnique(ctx, def, values)
  return values
}

/**
 * Validates a partial update of `existing` for `PATCH /api/registry/{entity}/{id}`. Returns the
 * values to write and the keys that actually change.
 */
export async function prepareUpdate(
  entity: EntityName,
  existing: Row,
  patch: Record<string, unknown>,
  ctx: RegistryContext,
): Promise<{ values: Row; changed: string[] }> {
  const def = entityDef(entity)
  const changed = new Set<string>()
  const next: Row = { ...existing }
  for (const f of updateFields(def)) {
    const value = coerceField(f, patch[f.key])
    if (value === undefined) continue
    if (value === null && f.required) throw invalidField(f, '不能为空')
    if (JSON.stringify(value) === JSON.stringify(existing[f.key] ?? null)) continue
    next[f.key] = value
    changed.add(f.key)
  }
  if (changed.size === 0) return { values: {}, changed: [] }
  await deriveAndCheck(ctx, def, next, changed, false)
  const values: Row = {}
  for (const key of changed) {
    if (JSON.stringify(next[key] ?? null) !== JSON.stringify(existing[key] ?? null)) values[key] = next[key] ?? null
  }
  const uniqueChanged: Row = {}
  for (const f of def.fields) if (f.unique && f.key in values) uniqueChanged[f.key] = values[f.key]
  await checkUnique(ctx, def, uniqueChanged, existing.id as number)
  return { values, changed: Object.keys(values) }
}
