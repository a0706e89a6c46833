/**
 * Scales of the demo province and the plan of its institutions: where they are, their class,
 * how many cars of which type, coaches and students. The plan is small (one object per
 * institution) and decides every count up front, so ids and progress totals are known before a
 * single row is generated.
 */
import { type RegionRecord, zhejiangRegions } from '../domain/regions.ts'
import { createRng, type Rng } from './random.ts'

export type ScaleName = 'tiny' | 'small' | 'city' | 'province'

export interface ScaleSpec {
  /** Target number of institutions in the province (each city gets at least one). */
  institutions: number
  timingPlatforms: number
  /** Share of class 1 / 2 / 3 institutions. */
  classMix: readonly [number, number, number]
  /** Students per training vehicle (currently registered, across the last 12 months). */
  studentsPerVehicle: number
}

export const SCALES: Record<ScaleName, ScaleSpec> = {
  /** Test-only: every city once, a handful of cars. Not offered on the command line. */
  tiny: { institutions: 13, timingPlatforms: 3, classMix: [0, 0, 1], studentsPerVehicle: 2 },
  small: { institutions: 40, timingPlatforms: 4, classMix: [0.05, 0.3, 0.65], studentsPerVehicle: 13 },
  city: { institutions: 150, timingPlatforms: 5, classMix: [0.08, 0.35, 0.57], studentsPerVehicle: 20 },
  province: { institutions: 800, timingPlatforms: 8, classMix: [0.15, 0.35, 0.5], studentsPerVehicle: 16 },
}

/** GB/T 30340-2013: minimum small training cars and field area per class, +400 m² per extra car. */
export const CLASS_MINIMUM: Record<1 | 2 | 3, { cars: number; areaM2: number }> = {
  1: { cars: 80, areaM2: 33_000 },
  2: { cars: 40, areaM2: 17_000 },
  3: { cars: 20, areaM2: 10_000 },
}
export const EXTRA_AREA_PER_CAR_M2 = 400

/** Required field area of an institution with `smallCars` small training cars. */
export function requiredAreaM2(classLevel: 1 | 2 | 3, smallCars: number): number {
  const min = CLASS_MINIMUM[classLevel]
  return min.areaM2 + Math.max(0, smallCars - min.cars) * EXTRA_AREA_PER_CAR_M2
}

/** Relative size of each city's training market (learners per year, SCALE §1.3). */
export const CITY_WEIGHT: Record<string, number> = {
  '330100': 20, // 杭州
  '330200': 16, // 宁波
  '330300': 13, // 温州
  '330400': 8, // 嘉兴
  '330500': 5, // 湖州
  '330600': 8, // 绍兴
  '330700': 11, // 金华
  '330800': 3.5, // 衢州
  '330900': 1.6, // 舟山
  '331000': 9, // 台州
  '331100': 3.5, // 丽水
}

/** Price level of training fees per city (1 = provincial average). */
export const CITY_PRICE: Record<string, number> = {
  '330100': 1.18,
  '330200': 1.12,
  '330300': 1.08,
  '330400': 1.02,
  '330500': 0.98,
  '330600': 1.02,
  '330700': 1.0,
  '330800': 0.9,
  '330900': 1.05,
  '331000': 1.0,
  '331100': 0.9,
}

/** Counties that must hold institutions at every scale (the demo accounts live there). */
export const REQUIRED_COUNTIES = ['330106', '330110'] as const

export type VehicleKind = 'C1' | 'C2' | 'C2EV' | 'B2' | 'A1' | 'A2'

export interface InstitutionPlan {
  index: number
  id: number
  cityCode: string
  countyCode: string
  classLevel: 1 | 2 | 3
  /** Vehicles by kind, in generation order. */
  cars: Record<VehicleKind, number>
  smallCars: number
  vehicles: number
  coaches: number
  students: number
  /** First ids of this institution's rows (ids are assigned by the generator). */
  firstCoachId: number
  firstVehicleId: number
  firstStudentId: number
  timingPlatformIndex: number
  seed: number
}

export interface ProvincePlan {
  scale: ScaleName
  seed: number
  regions: RegionRecord[]
  institutions: InstitutionPlan[]
  timingPlatforms: number
  totals: {
    institutions: number
    fields: number
    coaches: number
    vehicles: number
    terminals: number
    students: number
  }
}

/** Regional platforms serve mostly their own city; index → city. Indexes 0 and 1 serve the whole province. */
export const PLATFORM_HOME_CITY: Record<number, string> = {
  2: '330200',
  3: '330300',
  4: '330700',
  5: '330600',
  6: '330400',
  7: '331000',
}

export function planProvince(scale: ScaleName, seed: number): ProvincePlan {
  const spec = SCALES[scale]
  const rng = createRng(seed)
  const regions = zhejiangRegions()
  const cities = regions.filter((r) => r.level === 'city')
  const totalWeight = cities.reduce((s, c) => s + (CITY_WEIGHT[c.code] ?? 1), 0)

  const placements: { cityCode: string; countyCode: string }[] = []
  for (const city of cities) {
    const counties = regions.filter((r) => r.parentCode === city.code)
    let n = Math.max(1, Math.round((spec.institutions * (CITY_WEIGHT[city.code] ?? 1)) / totalWeight))
    const required = counties.filter((c) => (REQUIRED_COUNTIES as readonly string[]).includes(c.code))
    n = Math.max(n, required.length)
    // Every county gets one before any gets a second; urban districts weigh more after that.
    const order = [
      ...required,
      ...shuffle(
        rng,
        counties.filter((c) => !required.includes(c)),
      ),
    ]
    const chosen: string[] = []
    for (let i = 0; i < n; i++) {
      if (i < order.length) chosen.push((order[i] as RegionRecord).code)
      else chosen.push(rng.weighted(counties.map((c) => [c.code, c.name.endsWith('区') ? 1.6 : 1] as const)))
    }
    for (const countyCode of chosen) placements.push({ cityCode: city.code, countyCode })
  }
  // Stable order by county keeps ids readable (all of 西湖区 together); the required counties
  // are each filled by the first institution placed there.
  placements.sort((a, b) => a.countyCode.localeCompare(b.countyCode))

  const institutions: InstitutionPlan[] = []
  const totals = { institutions: 0, fields: 0, coaches: 0, vehicles: 0, terminals: 0, students: 0 }
  const platformCount = spec.timingPlatforms
  placements.forEach((p, index) => {
    const classLevel = rng.weighted([
      [1, spec.classMix[0]],
      [2, spec.classMix[1]],
      [3, spec.classMix[2]],
    ] as const) as 1 | 2 | 3
    const min = CLASS_MINIMUM[classLevel].cars
    const smallCars = Math.max(
      min,
      classLevel === 1
        ? rng.int(80, 140)
        : classLevel === 2
          ? rng.int(40, 72)
          : rng.int(20, scale === 'tiny' ? 22 : 36),
    )
    const c2 = Math.round(smallCars * rng.float(0.2, 0.4))
    const c2ev = Math.round(c2 * rng.float(0.2, 0.6))
    const cars: Record<VehicleKind, number> = { C1: smallCars - c2, C2: c2 - c2ev, C2EV: c2ev, B2: 0, A1: 0, A2: 0 }
    if (classLevel === 1) {
      cars.B2 = rng.int(4, 12)
      if (rng.chance(0.5)) cars.A1 = rng.int(2, 6)
      if (rng.chance(0.6)) cars.A2 = rng.int(2, 8)
    }
    const vehicles = Object.values(cars).reduce((s, n) => s + n, 0)
    const coaches = Math.round(vehicles * rng.float(1.25, 1.55))
    const students = Math.max(1, Math.round(vehicles * spec.studentsPerVehicle * rng.float(0.7, 1.3)))
    let timingPlatformIndex = rng.int(0, Math.min(1, platformCount - 1))
    for (const [i, city] of Object.entries(PLATFORM_HOME_CITY)) {
      if (city === p.cityCode && Number(i) < platformCount && rng.chance(0.6)) timingPlatformIndex = Number(i)
    }
    institutions.push({
      index,
      id: index + 1,
      ...p,
      classLevel,
      cars,
      smallCars,
      vehicles,
      coaches,
      students,
      firstCoachId: totals.coaches + 1,
      firstVehicleId: totals.vehicles + 1,
      firstStudentId: totals.students + 1,
      timingPlatformIndex,
      seed: Math.floor(rng.next() * 4294967296),
    })
    totals.institutions += 1
    totals.fields += 2
    totals.coaches += coaches
    totals.vehicles += vehicles
    totals.terminals += vehicles
    totals.students += students
  })
  return { scale, seed, regions, institutions, timingPlatforms: platformCount, totals }
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}
