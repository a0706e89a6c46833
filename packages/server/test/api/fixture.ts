/**
 * A small province for API tests: the real region table, two timing platforms, three
 * institutions (西湖区 and 余杭区 of 杭州, 海曙区 of 宁波) with their coaches, students, vehicles,
 * terminals and a training field, and one account of every role. Counts are exported so tests
 * compare API answers with what was inserted.
 */
import type { FastifyInstance } from 'fastify'
import { hashPassword } from '../../src/auth/passwords.ts'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import {
  appUser,
  coach,
  institution,
  region,
  student,
  terminal,
  timingPlatform,
  trainingField,
  vehicle,
} from '../../src/db/schema/index.ts'
import { idCardCheckChar, luhnCheckDigit } from '../../src/domain/identity.ts'
import { zhejiangRegions } from '../../src/domain/regions.ts'
import { buildApp } from '../../src/http/app.ts'

export const PASSWORD = 'Jiapei@2021'
export const XIHU = '330106'
export const YUHANG = '330110'
export const HANGZHOU = '330100'
export const NINGBO = '330200'
export const HAISHU = '330203'

/** A valid 18-digit ID card number. */
export function idCard(region6: string, birth: string, seq: number): string {
  const first17 = `${region6}${birth}${String(seq).padStart(3, '0')}`
  return first17 + idCardCheckChar(first17)
}

/** A valid 15-digit IMEI. */
export function imei(seq: number): string {
  const first14 = `86000000${String(seq).padStart(6, '0')}`
  return first14 + luhnCheckDigit(first14)
}

/** A 16-character registry number. */
export function regNo(prefix: string, seq: number): string {
  return `${prefix}${String(seq).padStart(16 - prefix.length, '0')}`
}

export interface Fixture {
  ids: {
    platforms: { p1: number; p2: number }
    institutions: { xihu: number; yuhang: number; haishu: number }
    coaches: { xihu: number[]; yuhang: number[]; haishu: number[] }
    students: { xihu: number[]; yuhang: number[]; haishu: number[] }
    vehicles: { xihu: number[]; yuhang: number[]; haishu: number[] }
    terminals: { xihu: number[]; haishu: number[] }
    fields: { xihu: number }
  }
}

/** Rows per institution, as inserted below. */
export const COUNTS = {
  coaches: { xihu: 2, yuhang: 1, haishu: 1 },
  students: { xihu: 3, yuhang: 2, haishu: 1 },
  vehicles: { xihu: 2, yuhang: 1, haishu: 1 },
  terminals: { xihu: 1, yuhang: 0, haishu: 1 },
  fields: { xihu: 1, yuhang: 0, haishu: 0 },
} as const

export const STUDENT_LICENSES = { xihu: ['C1', 'C1', 'C2'], yuhang: ['C1', 'B2'], haishu: ['C1'] } as const

function isoDaysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

export async function buildFixture(database: Database): Promise<Fixture> {
  const db = database.db
  await db.insert(region).values(zhejiangRegions())
  const [p1, p2] = await db
    .insert(timingPlatform)
    .values([
      { platformNo: '10001', name: '之江计时平台', operatorName: '之江科技有限公司' },
      { platformNo: '10002', name: '甬城计时平台', operatorName: '甬城信息技术有限公司' },
    ])
    .returning({ id: timingPlatform.id })

  const inst = async (
    seq: number,
    name: string,
    city: string,
    county: string,
    classLevel: number,
    platform: number,
  ) => {
    const [row] = await db
      .insert(institution)
      .values({
        insCode: regNo('INS', seq),
        name,
        cityCode: city,
        countyCode: county,
        classLevel,
        businessScope: ['C1', 'C2'],
        timingPlatformId: platform,
      })
      .returning({ id: institution.id })
    return row!.id
  }
  const xihu = await inst(1, '西湖驾驶员培训学校', HANGZHOU, XIHU, 1, p1!.id)
  const yuhang = await inst(2, '余杭驾驶员培训有限公司', HANGZHOU, YUHANG, 2, p1!.id)
  const haishu = await inst(3, '海曙驾校', NINGBO, HAISHU, 1, p2!.id)
  const places = {
    xihu: { id: xihu, city: HANGZHOU, county: XIHU },
    yuhang: { id: yuhang, city: HANGZHOU, county: YUHANG },
    haishu: { id: haishu, city: NINGBO, county: HAISHU },
  }

  let seq = 0
  const coaches = { xihu: [] as number[], yuhang: [] as number[], haishu: [] as number[] }
  const students = { xihu: [] as number[], yuhang: [] as number[], haishu: [] as number[] }
  const vehicles = { xihu: [] as number[], yuhang: [] as number[], haishu: [] as number[] }
  for (const key of ['xihu', 'yuhang', 'haishu'] as const) {
    const p = places[key]
    for (let i = 0; i < COUNTS.coaches[key]; i++) {
      seq++
      const [row] = await db
        .insert(coach)
        .values({
          coachNo: regNo('CO', seq),
          institutionId: p.id,
          cityCode: p.city,
          countyCode: p.county,
          name: `教练${seq}`,
          sex: 'M',
          idCard: idCard(p.county, '19800101', seq * 2 + 1),
          mobile: `1380000${String(seq).padStart(4, '0')}`,
          teachPermitted: 'C1',
        })
        .returning({ id: coach.id })
      coaches[key].push(row!.id)
    }
    for (const [i, licenseType] of STUDENT_LICENSES[key].entries()) {
      seq++
      const [row] = await db
        .insert(student)
        .values({
          stuNo: regNo('ST', seq),
          institutionId: p.id,
          cityCode: p.city,
          countyCode: p.county,
          name: `学员${seq}`,
          sex: 'F',
          idCard: idCard(p.county, '20000101', seq * 2),
          phone: `1390000${String(seq).padStart(4, '0')}`,
          licenseType,
          enrolledOn: `2026-03-0${i + 1}`,
        })
        .returning({ id: student.id })
      students[key].push(row!.id)
    }
    for (let i = 0; i < COUNTS.vehicles[key]; i++) {
      seq++
      const letter = p.city === NINGBO ? 'B' : 'A'
      const [row] = await db
        .insert(vehicle)
        .values({
          carNo: regNo('CAR', seq),
          institutionId: p.id,
          cityCode: p.city,
          countyCode: p.county,
          plate: `浙${letter}${String(seq).padStart(4, '0')}学`,
          plateColor: 2,
          vehicleType: 'C1',
          // The first vehicle of 西湖 is due for its annual inspection within 10 days.
          inspectionValidUntil: key === 'xihu' && i === 0 ? isoDaysFromNow(10) : isoDaysFromNow(200),
        })
        .returning({ id: vehicle.id })
      vehicles[key].push(row!.id)
    }
  }
  const [t1] = await db
    .insert(terminal)
    .values({
      deviceNo: regNo('DEV', 1),
      phone: '14700000001',
      imei: imei(1),
      institutionId: xihu,
      cityCode: HANGZHOU,
      countyCode: XIHU,
      vehicleId: vehicles.xihu[0],
      timingPlatformId: p1!.id,
    })
    .returning({ id: terminal.id })
  const [t2] = await db
    .insert(terminal)
    .values({
      deviceNo: regNo('DEV', 2),
      phone: '14700000002',
      imei: imei(2),
      institutionId: haishu,
      cityCode: NINGBO,
      countyCode: HAISHU,
      vehicleId: vehicles.haishu[0],
      timingPlatformId: p2!.id,
    })
    .returning({ id: terminal.id })
  const [field] = await db
    .insert(trainingField)
    .values({ institutionId: xihu, cityCode: HANGZHOU, countyCode: XIHU, name: '转塘训练场' })
    .returning({ id: trainingField.id })

  const passwordHash = await hashPassword(PASSWORD)
  const user = (username: string, role: string, extra: Partial<typeof appUser.$inferInsert> = {}) => ({
    username,
    displayName: username,
    passwordHash,
    role,
    ...extra,
  })
  await db
    .insert(appUser)
    .values([
      user('sheng', 'province', { regionCode: '330000' }),
      user('hangzhou', 'city', { regionCode: HANGZHOU }),
      user('ningbo', 'city', { regionCode: NINGBO }),
      user('xihu', 'county', { regionCode: XIHU }),
      user('yuhang', 'county', { regionCode: YUHANG }),
      user('zhifa', 'officer', { regionCode: XIHU }),
      user('jiaojing', 'police', { regionCode: '330000' }),
      user('jigou', 'institution', { institutionId: xihu }),
      user('jiaolian', 'coach', { institutionId: xihu, subjectId: coaches.xihu[0] }),
      user('xueyuan', 'student', { institutionId: xihu, subjectId: students.xihu[0] }),
      user('yunying', 'operator', { timingPlatformId: p1!.id }),
    ])

  return {
    ids: {
      platforms: { p1: p1!.id, p2: p2!.id },
      institutions: { xihu, yuhang, haishu },
      coaches,
      students,
      vehicles,
      terminals: { xihu: [t1!.id], haishu: [t2!.id] },
      fields: { xihu: field!.id },
    },
  }
}

export async function testApp(database: Database, webDist = '/nonexistent-web-dist'): Promise<FastifyInstance> {
  const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent' })
  const app = await buildApp({ config, database, webDist })
  await app.ready()
  return app
}

/** Logs in and returns the Cookie header value for later requests. */
export async function loginAs(app: FastifyInstance, username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`)
  const cookie = res.cookies.find((c) => c.name === 'jiapei_session')
  if (!cookie) throw new Error('no session cookie')
  return `jiapei_session=${cookie.value}`
}

/** Logs in every account once; `as(name)` gives inject options with its cookie. */
export async function sessions(app: FastifyInstance, usernames: readonly string[]) {
  const cookies = new Map<string, string>()
  for (const name of usernames) cookies.set(name, await loginAs(app, name))
  return (name: string) => ({ cookie: cookies.get(name)! })
}
