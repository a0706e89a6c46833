/**
 * 首页总览: registry totals and breakdowns for the caller's jurisdiction, computed by SQL
 * aggregates on the same scoped conditions the registry lists use.
 */
import { and, asc, count, countDistinct, desc, eq, inArray, isNotNull, lte, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Principal } from '../auth/principal.ts'
import type { Db } from '../db/client.ts'
import { coach, institution, region, student, terminal, trainingField, vehicle } from '../db/schema/index.ts'
import { PROVINCE_CODE } from '../domain/regions.ts'
import { appError } from '../errors/catalogue.ts'
import { ENTITIES, type EntityName } from '../registry/definitions.ts'
import { visibleCondition } from '../registry/repository.ts'

/** Vehicles whose annual inspection expires within this many days (or has expired) count as due. */
export const INSPECTION_DUE_DAYS = 30

export interface DashboardSummary {
  totals: Record<'institutions' | 'fields' | 'coaches' | 'vehicles' | 'terminals' | 'students' | 'platforms', number>
  byCity: { code: string; name: string; institutions: number; coaches: number; vehicles: number; students: number }[]
  studentsByLicenseType: { licenseType: string; count: number }[]
  institutionsByClass: { classLevel: number; count: number }[]
  vehiclesInspectionDue: number
}

export async function dashboardSummary(db: Db, principal: Principal): Promise<DashboardSummary> {
  if (!principal.permissions.includes('dashboard:read')) {
    throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action: '查看总览' })
  }
  const scope = principal.scope
  const visible = (name: EntityName) => visibleCondition(ENTITIES[name], scope)

  const total = async (table: PgTable, where: SQL) =>
    Number((await db.select({ n: count() }).from(table).where(where))[0]?.n ?? 0)
  const perCity = async (table: PgTable, cityCode: PgColumn, where: SQL) =>
    new Map(
      (await db.select({ code: cityCode, n: count() }).from(table).where(where).groupBy(cityCode)).map((r) => [
        r.code as string,
        Number(r.n),
      ]),
    )

  const [institutions, fields, coaches, vehicles, terminals, students, platforms] = await Promise.all([
    total(institution, visible('institutions')),
    total(trainingField, visible('fields')),
    total(coach, visible('coaches')),
    total(vehicle, visible('vehicles')),
    total(terminal, visible('terminals')),
    total(student, visible('students')),
    // Timing platforms serving the jurisdiction: those running at least one of its terminals.
    db
      .select({ n: countDistinct(terminal.timingPlatformId) })
      .from(terminal)
      .where(visible('terminals'))
      .then((r) => Number(r[0]?.n ?? 0)),
  ])

  const [instByCity, coachByCity, vehicleByCity, studentByCity] = await Promise.all([
    perCity(institution, institution.cityCode, visible('institutions')),
    perCity(coach, coach.cityCode, visible('coaches')),
    perCity(vehicle, vehicle.cityCode, visible('vehicles')),
    perCity(student, student.cityCode, visible('students')),
  ])
  const cityCodes = new Set([
    ...instByCity.keys(),
    ...coachByCity.keys(),
    ...vehicleByCity.keys(),
    ...studentByCity.keys(),
  ])
  if (scope.kind === 'region') cityCodes.add(`${scope.regionCode.slice(0, 4)}00`)
  const cityWhere =
    scope.kind === 'region' && scope.regionCode === PROVINCE_CODE
      ? eq(region.level, 'city')
      : and(eq(region.level, 'city'), inArray(region.code, cityCodes.size ? [...cityCodes] : ['']))
  const cities = await db
    .select({ code: region.code, name: region.name })
    .from(region)
    .where(cityWhere)
    .orderBy(asc(region.code))

  const [byLicense, byClass, due] = await Promise.all([
    db
      .select({ licenseType: student.licenseType, count: count() })
      .from(student)
      .where(visible('students'))
      .groupBy(student.licenseType)
      .orderBy(desc(count()), asc(student.licenseType)),
    db
      .select({ classLevel: institution.classLevel, count: count() })
      .from(institution)
      .where(visible('institutions'))
      .groupBy(institution.classLevel)
      .orderBy(asc(institution.classLevel)),
    total(
      vehicle,
      and(
        visible('vehicles'),
        eq(vehicle.status, 'active'),
        isNotNull(vehicle.inspectionValidUntil),
        lte(vehicle.inspectionValidUntil, sql`current_date + ${INSPECTION_DUE_DAYS}::int`),
      ) as SQL,
    ),
  ])

  return {
    totals: { institutions, fields, coaches, vehicles, terminals, students, platforms },
    byCity: cities.map((c) => ({
      code: c.code,
      name: c.name,
      institutions: instByCity.get(c.code) ?? 0,
      coaches: coachByCity.get(c.code) ?? 0,
      vehicles: vehicleByCity.get(c.code) ?? 0,
      students: studentByCity.get(c.code) ?? 0,
    })),
    studentsByLicenseType: byLicense.map((r) => ({ licenseType: r.licenseType, count: Number(r.count) })),
    institutionsByClass: byClass.map((r) => ({ classLevel: r.classLevel, count: Number(r.count) })),
    vehiclesInspectionDue: due,
  }
}
