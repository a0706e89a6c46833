/**
 * Row generators of the demo province. Pure and deterministic: the same plan, seed and `today`
 * give the same rows. Institutions and fields are generated up front (a few thousand rows);
 * everything below an institution is generated per institution so the writer can stream.
 */
import turfArea from '@turf/area'
import { ZHEJIANG_PLATE_LETTER } from '../domain/identity.ts'
import type { RegionRecord } from '../domain/regions.ts'
import { coachPlate, creditCode, dayOf, idCard, imei, isoDay, mobile, newEnergyPlate, vin } from './identity.ts'
import { CITY_PRICE, type InstitutionPlan, type ProvincePlan, requiredAreaM2, type VehicleKind } from './plan.ts'
import { createRng, type Rng } from './random.ts'
import type { Row } from './tables.ts'
import {
  CAR_MODELS,
  CLASSROOM_FACILITIES,
  COMPANY_KINDS,
  COMPANY_WORDS,
  CORE_FACILITIES,
  GIVEN_ANY,
  GIVEN_FEMALE,
  GIVEN_MALE,
  OTHER_PROVINCE_AREAS,
  PLATFORMS,
  ROAD_SUFFIXES,
  ROAD_WORDS,
  SITE_FACILITIES,
  SURNAMES,
  TERMINAL_MODELS,
} from './vocabulary.ts'

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** Practical-training hours of the 2016 syllabus (科目二 + 科目三) for the types it fixes (LAW §2). */
const PRACTICE_HOURS: Record<string, number> = { C1: 40, C2: 38 }

/** One-off fee (yuan) and hourly price (yuan) per licence type at price level 1. */
const BASE_FEES: Record<string, { lump: number; hour: number }> = {
  C1: { lump: 4300, hour: 110 },
  C2: { lump: 4600, hour: 120 },
  B2: { lump: 9500, hour: 260 },
  A1: { lump: 14_000, hour: 320 },
  A2: { lump: 15_000, hour: 330 },
}

const CITY_SHORT: Record<string, string> = {
  '330100': '杭',
  '330200': '甬',
  '330300': '温',
  '330400': '嘉',
  '330500': '湖',
  '330600': '绍',
  '330700': '金',
  '330800': '衢',
  '330900': '舟',
  '331000': '台',
  '331100': '丽',
}

const BRAND_WMI: Record<string, string> = {
  大众: 'LSV',
  丰田: 'LFM',
  雪佛兰: 'LSG',
  日产: 'LGB',
  本田: 'LHG',
  比亚迪: 'LGX',
  吉利: 'L6T',
  广汽埃安: 'LMG',
  东风: 'LGA',
  解放: 'LFW',
  宇通: 'LZY',
  金龙: 'LKL',
}

export interface GenerationContext {
  plan: ProvincePlan
  /** Day number (days since epoch, UTC) the data is generated "as of". */
  today: number
  regionsByCode: Map<string, RegionRecord>
  countiesByCity: Map<string, RegionRecord[]>
  platformNos: string[]
  usedPlates: Set<string>
  usedIdCards: Set<number>
  usedCreditCodes: Set<string>
  institutions: InstitutionInfo[]
}

export interface InstitutionInfo {
  plan: InstitutionPlan
  name: string
  shortName: string
  scope: string[]
  timingPlatformId: number
  fees: Record<string, { lump: number; hour: number }>
  address: string
}

export function createContext(plan: ProvincePlan, today: string): GenerationContext {
  const regionsByCode = new Map(plan.regions.map((r) => [r.code, r]))
  const countiesByCity = new Map<string, RegionRecord[]>()
  for (const r of plan.regions) {
    if (r.level !== 'county' || !r.parentCode) continue
    const list = countiesByCity.get(r.parentCode) ?? []
    list.push(r)
    countiesByCity.set(r.parentCode, list)
  }
  return {
    plan,
    today: dayOf(today),
    regionsByCode,
    countiesByCity,
    platformNos: Array.from({ length: plan.timingPlatforms }, (_, i) => `330${pad(i + 1, 2)}`),
    usedPlates: new Set(),
    usedIdCards: new Set(),
    usedCreditCodes: new Set(),
    institutions: [],
  }
}

export function regionRows(plan: ProvincePlan): Row[] {
  return plan.regions.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parent_code: r.parentCode,
    center_lng: r.centerLng,
    center_lat: r.centerLat,
  }))
}

export function platformRows(ctx: GenerationContext): Row[] {
  const rng = createRng(ctx.plan.seed ^ 0x5eed)
  return ctx.platformNos.map((platformNo, i) => {
    const [name, operator] = PLATFORMS[i % PLATFORMS.length] as readonly [string, string]
    return {
      id: i + 1,
      platform_no: platformNo,
      name,
      operator_name: operator,
      contact_name: personName(rng, rng.chance(0.7) ? 'M' : 'F'),
      contact_phone: mobile(rng),
      status: 'active',
    }
  })
}

function personName(rng: Rng, sex: 'M' | 'F'): string {
  const surname = rng.weighted(SURNAMES)
  const pool = sex === 'M' ? GIVEN_MALE : GIVEN_FEMALE
  const first = rng.chance(0.25) ? GIVEN_ANY : pool
  const given = rng.chance(0.2)
    ? (pool[rng.int(0, pool.length - 1)] as string)
    : (first[rng.int(0, first.length - 1)] as string) + (pool[rng.int(0, pool.length - 1)] as string)
  return surname + given
}

function road(rng: Rng): string {
  return `${rng.pick(ROAD_WORDS)}${rng.pick(ROAD_SUFFIXES)}${rng.int(1, 999)}号`
}

/** A point within `radiusM` of (lng, lat), uniformly over the disc. */
function jitter(rng: Rng, lng: number, lat: number, radiusM: number): [number, number] {
  const r = radiusM * Math.sqrt(rng.next())
  const a = rng.float(0, 2 * Math.PI)
  const dLat = (r * Math.sin(a)) / 111_320
  const dLng = (r * Math.cos(a)) / (111_320 * Math.cos((lat * Math.PI) / 180))
  return [round6(lng + dLng), round6(lat + dLat)]
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6

/**
 * The site polygon: a rotated rectangle with 0–2 corners cut (4–6 vertices), scaled so its
 * geodesic area (@turf/area) is at least `minArea`.
 */
export function fieldPolygon(rng: Rng, center: [number, number], targetArea: number, minArea: number) {
  const aspect = rng.float(1.3, 2.2)
  const w = Math.sqrt(targetArea * aspect)
  const h = targetArea / w
  const theta = rng.float(0, Math.PI)
  const cuts = rng.int(0, 2)
  const corners: [number, number][] = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ]
  const local: [number, number][] = []
  corners.forEach(([x, y], i) => {
    if (i < cuts) {
      // Replace the corner by two points a little along each edge (a chamfer).
      const prev = corners[(i + 3) % 4] as [number, number]
      const next = corners[(i + 1) % 4] as [number, number]
      const f = rng.float(0.1, 0.25)
      local.push([x + (prev[0] - x) * f, y + (prev[1] - y) * f], [x + (next[0] - x) * f, y + (next[1] - y) * f])
    } else local.push([x, y])
  })
  const [lng0, lat0] = center
  const toLngLat = (scale: number) =>
    local.map(([x, y]) => {
      const rx = (x * Math.cos(theta) - y * Math.sin(theta)) * scale
      const ry = (x * Math.sin(theta) + y * Math.cos(theta)) * scale
      return [round6(lng0 + rx / (111_320 * Math.cos((lat0 * Math.PI) / 180))), round6(lat0 + ry / 111_320)]
    })
  let scale = 1
  for (;;) {
    const ring = toLngLat(scale)
    const polygon = { type: 'Polygon' as const, coordinates: [[...ring, ring[0] as number[]]] }
    const area = turfArea(polygon)
    if (area >= minArea) return { polygon, areaM2: Math.floor(area * 10) / 10 }
    scale *= Math.sqrt(minArea / area) * 1.002
  }
}

/** Institutions and their training fields (a site and a classroom each). */
export function institutionRows(ctx: GenerationContext): { institutions: Row[]; fields: Row[] } {
  const institutions: Row[] = []
  const fields: Row[] = []
  const usedNames = new Set<string>()
  for (const p of ctx.plan.institutions) {
    const rng = createRng(p.seed)
    const city = ctx.regionsByCode.get(p.cityCode) as RegionRecord
    const county = ctx.regionsByCode.get(p.countyCode) as RegionRecord
    const countyShort = county.name.length > 2 ? county.name.replace(/(区|县|市|畲族自治县)$/, '') : county.name
    let word = rng.pick(COMPANY_WORDS)
    let name = `${city.name.replace(/市$/, '')}${countyShort}${word}${rng.pick(COMPANY_KINDS)}`
    for (let i = 0; usedNames.has(name); i++) {
      word = rng.pick(COMPANY_WORDS) + (i > 5 ? String(i) : '')
      name = `${city.name.replace(/市$/, '')}${countyShort}${word}${rng.pick(COMPANY_KINDS)}`
    }
    usedNames.add(name)
    const shortName = `${countyShort}${word}驾校`
    const scope = ['C1', 'C2', ...(['B2', 'A1', 'A2'] as const).filter((k) => p.cars[k] > 0)]
    const level = (CITY_PRICE[p.cityCode] ?? 1) * rng.float(0.9, 1.15) * (p.classLevel === 1 ? 1.08 : 1)
    const fees: InstitutionInfo['fees'] = {}
    for (const t of scope) {
      const base = BASE_FEES[t] as { lump: number; hour: number }
      fees[t] = { lump: Math.round((base.lump * level) / 100) * 100, hour: Math.round((base.hour * level) / 10) * 10 }
    }
    const feeItems = scope.flatMap((t) => [
      {
        item: `${t} 培训费（一次性收费）`,
        licenseType: t,
        amountYuan: fees[t]?.lump,
        unit: '人',
        note: '含科目一至科目四培训，不含考试费',
      },
      { item: `${t} 计时培训费`, licenseType: t, amountYuan: fees[t]?.hour, unit: '学时', note: '按实际培训学时结算' },
    ])
    feeItems.push({
      item: '补训费',
      licenseType: 'C1',
      amountYuan: fees.C1?.hour,
      unit: '学时',
      note: '考试未通过后的补训',
    })
    const address = `${city.name}${county.name}${road(rng)}`
    const [lng, lat] = jitter(rng, city.centerLng ?? 120.15, city.centerLat ?? 29.29, 15_000)
    let credit = creditCode(rng, p.countyCode)
    while (ctx.usedCreditCodes.has(credit)) credit = creditCode(rng, p.countyCode)
    ctx.usedCreditCodes.add(credit)
    const founded = rng.int(1995, 2019)
    // The first institution of a county is always in good standing (demo accounts use it).
    const firstInCounty = !ctx.institutions.some((i) => i.plan.countyCode === p.countyCode)
    const filingStatus = firstInCounty
      ? 'filed'
      : rng.weighted([
          ['filed', 90],
          ['pending', 5],
          ['suspended', 3],
          ['revoked', 1],
          ['closed', 1],
        ] as const)
    const contactPhone = mobile(rng)
    institutions.push({
      id: p.id,
      ins_code: `${p.countyCode}1${pad(p.id, 9)}`,
      name,
      short_name: shortName,
      credit_code: credit,
      city_code: p.cityCode,
      county_code: p.countyCode,
      address,
      legal_person: personName(rng, rng.chance(0.8) ? 'M' : 'F'),
      contact_phone: contactPhone,
      class_level: p.classLevel,
      business_scope: scope,
      filing_status: filingStatus,
      licence_no: `浙交运管许可${CITY_SHORT[p.cityCode]}字${p.countyCode}${pad(rng.int(1, 999_999), 6)}号`,
      licence_valid_until: isoDay(ctx.today + (rng.chance(0.03) ? -rng.int(1, 120) : rng.int(30, 4 * 365))),
      fee_items: feeItems,
      disclosure: {
        serviceHours: rng.pick(['08:00–17:30', '07:30–18:00', '08:00–20:00']),
        servicePhone: contactPhone,
        complaintPhone: '12328',
        enrolmentAddress: address,
        founded,
        payModes: ['计时培训、计时收费', '先培训后付费', '一次性收费'].slice(0, rng.int(1, 3)),
        intro: `${name}成立于 ${founded} 年，${['一', '二', '三'][p.classLevel - 1]}级普通机动车驾驶员培训机构，拥有教练车 ${p.vehicles} 辆。`,
      },
      lng,
      lat,
      timing_platform_id: p.timingPlatformIndex + 1,
    })

    const minArea = requiredAreaM2(p.classLevel, p.smallCars)
    const site = fieldPolygon(rng, jitter(rng, lng, lat, 3000), minArea * rng.float(1.05, 1.4), minArea)
    const extra = SITE_FACILITIES.filter((f) => !CORE_FACILITIES.includes(f) && rng.chance(0.35))
    if (p.cars.B2 + p.cars.A1 + p.cars.A2 > 0) extra.push(...['停靠站台', '窄路掉头'].filter((f) => !extra.includes(f)))
    fields.push(
      {
        id: p.id * 2 - 1,
        institution_id: p.id,
        city_code: p.cityCode,
        county_code: p.countyCode,
        name: `${shortName}训练场`,
        kind: 'site',
        address: `${city.name}${county.name}${road(rng)}`,
        polygon: site.polygon,
        area_m2: site.areaM2,
        facilities: [...CORE_FACILITIES, ...extra],
        vehicle_types: scope,
        status: 'active',
      },
      {
        id: p.id * 2,
        institution_id: p.id,
        city_code: p.cityCode,
        county_code: p.countyCode,
        name: `${shortName}理论教室`,
        kind: 'classroom',
        address,
        polygon: null,
        area_m2: rng.int(8, 30) * 10,
        facilities: CLASSROOM_FACILITIES.filter((_, i) => i < 2 || rng.chance(0.5)),
        vehicle_types: scope,
        status: 'active',
      },
    )
    ctx.institutions.push({
      plan: p,
      name,
      shortName,
      scope,
      timingPlatformId: p.timingPlatformIndex + 1,
      fees,
      address,
    })
  }
  return { institutions, fields }
}

export interface MemberRows {
  coach: Row[]
  vehicle: Row[]
  terminal: Row[]
  student: Row[]
  contract: Row[]
}

/** A person's ID card: unique across the run, area and birth date as asked. */
function uniqueIdCard(ctx: GenerationContext, rng: Rng, area: string, birthDay: number, sex: 'M' | 'F'): string {
  const areaKey = Number(area)
  for (;;) {
    const seq = rng.int(0, 499)
    // area (6 digits) × day (≤ 5 digits) × sequence: a collision-free numeric key.
    const key = (areaKey * 100_000 + (birthDay + 40_000)) * 1000 + seq * 2 + (sex === 'M' ? 1 : 0)
    if (ctx.usedIdCards.has(key)) continue
    ctx.usedIdCards.add(key)
    return idCard(area, birthDay, seq, sex)
  }
}

/** Area code of a person's ID card: mostly the home county, some elsewhere in the city, province or country. */
function homeArea(ctx: GenerationContext, rng: Rng, p: InstitutionPlan, local: number, city: number, province: number) {
  const r = rng.next()
  if (r < local) return p.countyCode
  if (r < local + city) return (rng.pick(ctx.countiesByCity.get(p.cityCode) ?? []) as RegionRecord).code
  if (r < local + city + province) {
    const cities = [...ctx.countiesByCity.values()]
    return (rng.pick(rng.pick(cities)) as RegionRecord).code
  }
  return rng.pick(OTHER_PROVINCE_AREAS)
}

const YEAR = 365.25

/** Coaches, vehicles, terminals, students and contracts of one institution. */
export function memberRows(ctx: GenerationContext, info: InstitutionInfo): MemberRows {
  const p = info.plan
  const rng = createRng(p.seed ^ 0x9e3779b9)
  const today = ctx.today
  const place = { institution_id: p.id, city_code: p.cityCode, county_code: p.countyCode }
  const out: MemberRows = { coach: [], vehicle: [], terminal: [], student: [], contract: [] }
  const letter = ZHEJIANG_PLATE_LETTER[p.cityCode] as string

  // Vehicles and their terminals.
  const kinds: VehicleKind[] = []
  for (const [kind, n] of Object.entries(p.cars) as [VehicleKind, number][])
    for (let i = 0; i < n; i++) kinds.push(kind)
  const [vendor, model, tac] = rng.pick(TERMINAL_MODELS)
  const platformNo = ctx.platformNos[p.timingPlatformIndex] as string
  kinds.forEach((kind, i) => {
    const id = p.firstVehicleId + i
    const type = kind === 'C2EV' ? 'C2' : kind
    let plate: string
    do {
      plate = kind === 'C2EV' ? newEnergyPlate(rng, letter) : coachPlate(rng, letter)
    } while (ctx.usedPlates.has(plate))
    ctx.usedPlates.add(plate)
    const [brand, carModel] = rng.pick(CAR_MODELS[kind] ?? []) as readonly [string, string]
    const purchased = today - rng.int(30, Math.round(8 * YEAR))
    const purchaseYear = Number(isoDay(purchased).slice(0, 4))
    const status = rng.weighted([
      ['active', 95],
      ['suspended', 3],
      ['scrapped', 2],
    ] as const)
    // Inspection is due every year on the purchase anniversary; a few are overdue.
    const yearsOwned = Math.floor((today - purchased) / YEAR)
    let validUntil = purchased + Math.round((yearsOwned + 1) * YEAR)
    if (rng.chance(0.03)) validUntil = today - rng.int(1, 90)
    out.vehicle.push({
      id,
      car_no: `${p.countyCode}3${pad(id, 9)}`,
      ...place,
      plate,
      plate_color: kind === 'C2EV' ? 5 : 2,
      vehicle_type: type,
      brand,
      model: carModel,
      vin: vin(rng, BRAND_WMI[brand] ?? 'LVV', purchaseYear, id),
      engine_no:
        kind === 'C2EV'
          ? `TZ${pad(rng.int(0, 99_999_999), 8)}`
          : `${rng.pick(['EA', 'DK', 'HR', 'L'])}${pad(rng.int(0, 9_999_999), 7)}`,
      purchased_on: isoDay(purchased),
      inspection_valid_until: isoDay(validUntil),
      status,
    })
    // Terminal numbers are unique by construction: a coprime multiplier scrambles the vehicle id.
    out.terminal.push({
      id,
      device_no: `${platformNo}${pad((id * 7919) % 100_000_000_000, 11)}`,
      phone: `1440${pad((id * 7919) % 1_000_000_000, 9)}`,
      imei: imei(tac, (id * 7919) % 1_000_000),
      serial_no: `${model.replace(/[^A-Z0-9]/g, '')}${purchaseYear}${pad(id, 7)}`,
      vendor,
      model,
      terminal_type: 1,
      ...place,
      vehicle_id: id,
      timing_platform_id: info.timingPlatformId,
      status: status === 'scrapped' ? 'retired' : rng.chance(0.02) ? 'banned' : 'active',
    })
  })

  // Coaches: what they teach follows the fleet.
  for (let i = 0; i < p.coaches; i++) {
    const id = p.firstCoachId + i
    const sex = rng.chance(0.88) ? 'M' : 'F'
    const age = rng.int(25, 58)
    const birth = today - Math.round(age * YEAR) - rng.int(0, 364)
    const teach = kinds.length ? (kinds[i % kinds.length] as string).replace('EV', '') : 'C1'
    const driving = teach === 'C1' || teach === 'C2' ? (rng.chance(0.25) ? rng.pick(['B2', 'A1', 'A2']) : 'C1') : teach
    const firstLicensed = birth + Math.round(rng.int(19, Math.min(30, age - 5)) * YEAR) + rng.int(0, 300)
    const hired = Math.min(today - 30, firstLicensed + Math.round(rng.int(3, 12) * YEAR) + rng.int(0, 364))
    const employment =
      i === 0
        ? 'employed'
        : rng.weighted([
            ['employed', 92],
            ['left', 5],
            ['suspended', 3],
          ] as const)
    out.coach.push({
      id,
      coach_no: `${p.countyCode}2${pad(id, 9)}`,
      ...place,
      name: personName(rng, sex),
      sex,
      id_card: uniqueIdCard(ctx, rng, homeArea(ctx, rng, p, 0.55, 0.2, 0.1), birth, sex),
      mobile: mobile(rng),
      driving_permitted: driving,
      teach_permitted: teach,
      first_licensed_on: isoDay(firstLicensed),
      occupation_level: rng.weighted([
        [1, 30],
        [2, 35],
        [3, 25],
        [4, 8],
        [5, 2],
      ] as const),
      occupation_cert_no: `${isoDay(hired).slice(0, 4)}${p.cityCode.slice(0, 4)}${pad(rng.int(0, 9_999_999), 7)}`,
      employment_status: employment,
      hired_on: isoDay(hired),
      left_on: employment === 'left' ? isoDay(Math.min(today - 1, hired + rng.int(200, 2000))) : null,
    })
  }

  // Students and their contracts.
  const cityName = (ctx.regionsByCode.get(p.cityCode) as RegionRecord).name
  const county = ctx.regionsByCode.get(p.countyCode) as RegionRecord
  const counties = ctx.countiesByCity.get(p.cityCode) ?? [county]
  const typeWeights = info.scope.map((t) => [t, { C1: 70, C2: 26, B2: 6, A2: 3, A1: 1.5 }[t as 'C1'] ?? 1] as const)
  for (let i = 0; i < p.students; i++) {
    const id = p.firstStudentId + i
    const licenseType = rng.weighted(typeWeights)
    const heavy = licenseType !== 'C1' && licenseType !== 'C2'
    const sex = rng.chance(heavy ? 0.95 : 0.55) ? 'M' : 'F'
    const enrolled = today - rng.int(0, 364)
    const age = heavy
      ? rng.int(22, 50)
      : rng.weighted([
          [rng.int(18, 22), 45],
          [rng.int(23, 35), 38],
          [rng.int(36, 60), 17],
        ] as const)
    const birth = enrolled - Math.round(age * YEAR) - rng.int(0, 364)
    const since = today - enrolled
    // The first student of every institution is in training (the demo student account uses it).
    const status =
      i === 0
        ? 'training'
        : since < 30
          ? rng.weighted([
              ['enrolled', 70],
              ['training', 30],
            ] as const)
          : since < 120
            ? rng.weighted([
                ['enrolled', 8],
                ['training', 86],
                ['withdrawn', 6],
              ] as const)
            : rng.weighted([
                ['training', 45],
                ['graduated', 50],
                ['withdrawn', 5],
              ] as const)
    const stuNo = `${p.countyCode}5${pad(id, 9)}`
    out.student.push({
      id,
      stu_no: stuNo,
      ...place,
      name: personName(rng, sex),
      sex,
      id_card: uniqueIdCard(ctx, rng, homeArea(ctx, rng, p, 0.6, 0.22, 0.06), birth, sex),
      nationality: '中国',
      phone: mobile(rng),
      address: `${cityName}${(rng.chance(0.7) ? county : (rng.pick(counties) as RegionRecord)).name}${road(rng)}`,
      license_type: licenseType,
      business_type: heavy ? (rng.chance(0.85) ? 'upgrade' : 'initial') : rng.chance(0.01) ? 'other' : 'initial',
      enrolled_on: isoDay(enrolled),
      status,
    })
    const fee = info.fees[licenseType] ?? (info.fees.C1 as { lump: number; hour: number })
    const payMode = rng.weighted([
      ['per_hour', 45],
      ['train_first', 20],
      ['lump_sum', 35],
    ] as const)
    const hours = PRACTICE_HOURS[licenseType]
    const hourly = payMode !== 'lump_sum'
    out.contract.push({
      id,
      contract_no: `HT${stuNo}`,
      student_id: id,
      ...place,
      license_type: licenseType,
      pay_mode: payMode,
      total_amount_fen: hourly && hours ? fee.hour * hours * 100 : fee.lump * 100,
      unit_price_fen: hourly ? fee.hour * 100 : null,
      escrow_account:
        payMode === 'train_first' ? null : `6228${pad(rng.int(0, 999_999_999), 9)}${pad(rng.int(0, 999_999), 6)}`,
      signed_on: isoDay(enrolled),
      status: status === 'graduated' ? 'completed' : status === 'withdrawn' ? 'terminated' : 'active',
    })
  }
  return out
}
