/**
 * Scoped reads of registry rows. Every query takes the caller's `Scope` and adds
 * `scopeCondition` to its WHERE clause; rows outside the jurisdiction do not exist for the caller.
 */
import { and, asc, count, desc, eq, getTableColumns, ilike, or, type SQL, sql } from 'drizzle-orm'
import { alias, type PgColumn } from 'drizzle-orm/pg-core'
import { type Scope, scopeCondition } from '../auth/scope.ts'
import type { Db } from '../db/client.ts'
import { institution, region, student, timingPlatform, vehicle } from '../db/schema/index.ts'
import { column, type EntityDef, type EntityName, entityDef } from './definitions.ts'
import type { Row } from './prepare.ts'

export type Reader = Pick<Db, 'select'>

export interface ListFilters {
  q?: string
  cityCode?: string
  countyCode?: string
  institutionId?: number
  status?: string
  licenseType?: string
  vehicleType?: string
  sort?: string
  order?: 'asc' | 'desc'
}

export interface Page {
  page: number
  pageSize: number
}

const cityRegion = alias(region, 'city_region')
const countyRegion = alias(region, 'county_region')

function has(def: EntityDef, key: string): boolean {
  return key in (def.drizzle as unknown as Record<string, unknown>)
}

/** The jurisdiction condition of an entity's table. */
export function visibleCondition(def: EntityDef, scope: Scope): SQL {
  if (def.name === 'platforms') {
    // Platforms have no region: readable by every account except coaches and students.
    return scope.kind === 'self' || scope.kind === 'none' ? sql`false` : sql`true`
  }
  const cols: Record<string, PgColumn> = {
    cityCode: column(def, 'cityCode'),
    countyCode: column(def, 'countyCode'),
  }
  if (def.name === 'institutions') {
    cols.institutionId = column(def, 'id')
    cols.timingPlatformId = column(def, 'timingPlatformId')
  } else {
    cols.institutionId = column(def, 'institutionId')
  }
  if (def.name === 'terminals') cols.timingPlatformId = column(def, 'timingPlatformId')
  if (def.name === 'coaches' || def.name === 'students') cols.id = column(def, 'id')
  return scopeCondition(scope, cols, def.table)
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function filterConditions(def: EntityDef, filters: ListFilters): SQL[] {
  const where: SQL[] = []
  const q = filters.q?.trim()
  if (q) {
    const pattern = `%${escapeLike(q)}%`
    where.push(or(...def.searchKeys.map((k) => ilike(column(def, k), pattern))) as SQL)
  }
  if (filters.cityCode && has(def, 'cityCode')) where.push(eq(column(def, 'cityCode'), filters.cityCode))
  if (filters.countyCode && has(def, 'countyCode')) where.push(eq(column(def, 'countyCode'), filters.countyCode))
  if (filters.institutionId !== undefined) {
    if (def.name === 'institutions') where.push(eq(column(def, 'id'), filters.institutionId))
    else if (has(def, 'institutionId')) where.push(eq(column(def, 'institutionId'), filters.institutionId))
  }
  const byKey = (key: string | undefined, value: string | undefined) => {
    if (!key || !value) return
    const f = def.fields.find((x) => x.key === key)
    const col = column(def, key)
    if (f?.kind === 'textArray') where.push(sql`${col} @> array[${value}]::text[]`)
    else if (f?.kind === 'enum' && typeof f.values?.[0] === 'number') where.push(eq(col, Number(value)))
    else where.push(eq(col, value))
  }
  byKey(def.statusKey, filters.status)
  byKey(def.licenseKey, filters.licenseType)
  byKey(def.vehicleTypeKey, filters.vehicleType)
  return where
}

/** Base query with the display names joined in (institutionName, cityName, countyName …). */
function selectWithNames(db: Reader, def: EntityDef) {
  const fields: Record<string, PgColumn | SQL.Aliased> = { ...getTableColumns(def.drizzle) }
  const joins: { table: unknown; on: SQL }[] = []
  if (has(def, 'cityCode')) {
    fields.cityName = cityRegion.name
    fields.countyName = countyRegion.name
    joins.push({ table: cityRegion, on: eq(cityRegion.code, column(def, 'cityCode')) })
    joins.push({ table: countyRegion, on: eq(countyRegion.code, column(def, 'countyCode')) })
  }
  if (def.owned) {
    fields.institutionName = institution.name
    joins.push({ table: institution, on: eq(institution.id, column(def, 'institutionId')) })
  }
  if (def.name === 'institutions' || def.name === 'terminals') {
    fields.platformName = timingPlatform.name
    joins.push({ table: timingPlatform, on: eq(timingPlatform.id, column(def, 'timingPlatformId')) })
  }
  if (def.name === 'terminals') {
    fields.vehiclePlate = vehicle.plate
    joins.push({ table: vehicle, on: eq(vehicle.id, column(def, 'vehicleId')) })
  }
  if (def.name === 'contracts') {
    fields.studentName = student.name
    fields.stuNo = student.stuNo
    joins.push({ table: student, on: eq(student.id, column(def, 'studentId')) })
  }
  // biome-ignore lint/suspicious/noExplicitAny: joins are assembled per entity at run time
  let query: any = db.select(fields).from(def.drizzle).$dynamic()
  for (const j of joins) query = query.leftJoin(j.table, j.on)
  return query as RowSelect
}

interface RowQuery extends PromiseLike<Row[]> {
  orderBy(...order: SQL[]): RowQuery
  limit(n: number): RowQuery
  offset(n: number): RowQuery
}
interface RowSelect {
  where(condition: SQL | undefined): RowQuery
}

export async function listRows(
  db: Reader,
  entity: EntityName,
  scope: Scope,
  filters: ListFilters,
  page: Page,
): Promise<{ items: Row[]; total: number }> {
  const def = entityDef(entity)
  const where = and(visibleCondition(def, scope), ...filterConditions(def, filters))
  const sortKey = filters.sort && def.sortKeys.includes(filters.sort) ? filters.sort : 'id'
  const direction = filters.order === 'desc' ? desc : asc
  const order = [direction(column(def, sortKey))]
  if (sortKey !== 'id') order.push(asc(column(def, 'id')))
  const [items, totals] = await Promise.all([
    selectWithNames(db, def)
      .where(where)
      .orderBy(...order)
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(def.drizzle).where(where),
  ])
  return { items, total: Number(totals[0]?.n ?? 0) }
}

/** One row with display names, or undefined when it does not exist inside the scope. */
export async function findRow(db: Reader, entity: EntityName, scope: Scope, id: number): Promise<Row | undefined> {
  const def = entityDef(entity)
  const rows = await selectWithNames(db, def)
    .where(and(visibleCondition(def, scope), eq(column(def, 'id'), id)))
    .limit(1)
  return rows[0]
}
