/**
 * Jurisdiction: which rows an account may see and touch.
 *
 * Every repository query that reads or writes registry rows takes a `Scope` and adds
 * `scopeCondition(scope, table)` to its WHERE clause; there is no unscoped read path for request
 * handlers. Rows carry `city_code`, `county_code` and `institution_id` themselves, so the
 * condition is one equality on the row (see docs/architecture.md "Jurisdiction").
 */
import { and, eq, like, type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { levelOf } from '../domain/regions.ts'

export type Scope =
  /** A region subtree: province (330000), city (330100) or county (330102). */
  | { kind: 'region'; regionCode: string }
  /** One institution's own data. */
  | { kind: 'institution'; institutionId: number }
  /** A timing-platform operator: the terminals it runs and the institutions they serve. */
  | { kind: 'platform'; timingPlatformId: number }
  /** A coach or student: their own record only. */
  | { kind: 'self'; entity: 'coach' | 'student'; id: number; institutionId: number }
  /** Nothing at all (an account whose scope could not be resolved). */
  | { kind: 'none' }

/** Columns a scoped table exposes. Tables without one of them are simply not visible to that kind of scope. */
export interface ScopedColumns {
  cityCode?: PgColumn
  countyCode?: PgColumn
  institutionId?: PgColumn
  /** The row's own id, for `self` scopes on coach/student tables. */
  id?: PgColumn
  timingPlatformId?: PgColumn
}

const NOTHING = sql`false`

/** The WHERE fragment that restricts `table` to `scope`. */
export function scopeCondition(scope: Scope, table: ScopedColumns, entity?: string): SQL {
  switch (scope.kind) {
    case 'region': {
      const level = levelOf(scope.regionCode)
      if (level === 'county') return table.countyCode ? eq(table.countyCode, scope.regionCode) : NOTHING
      if (level === 'city') return table.cityCode ? eq(table.cityCode, scope.regionCode) : NOTHING
      return table.cityCode ? like(table.cityCode, `${scope.regionCode.slice(0, 2)}%`) : NOTHING
    }
    case 'institution':
      if (table.institutionId) return eq(table.institutionId, scope.institutionId)
      return NOTHING
    case 'platform':
      if (table.timingPlatformId) return eq(table.timingPlatformId, scope.timingPlatformId)
      return NOTHING
    case 'self':
      if (entity === scope.entity && table.id) return and(eq(table.id, scope.id)) as SQL
      return NOTHING
    case 'none':
      return NOTHING
  }
}

/** Whether a concrete placement (a row being created or moved) lies inside the scope. */
export function scopeContains(
  scope: Scope,
  placement: { cityCode: string; countyCode: string; institutionId?: number; timingPlatformId?: number },
): boolean {
  switch (scope.kind) {
    case 'region': {
      const level = levelOf(scope.regionCode)
      if (level === 'county') return placement.countyCode === scope.regionCode
      if (level === 'city') return placement.cityCode === scope.regionCode
      return placement.cityCode.slice(0, 2) === scope.regionCode.slice(0, 2)
    }
    case 'institution':
      return placement.institutionId === scope.institutionId
    case 'platform':
      return placement.timingPlatformId === scope.timingPlatformId
    case 'self':
    case 'none':
      return false
  }
}

/** Region codes an account sees on maps and dashboards (its own subtree). */
export function scopeRegionPrefix(scope: Scope): string | null {
  if (scope.kind !== 'region') return null
  const level = levelOf(scope.regionCode)
  if (level === 'province') return scope.regionCode.slice(0, 2)
  if (level === 'city') return scope.regionCode.slice(0, 4)
  return scope.regionCode
}
