import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import turfArea from '@turf/area'
import { verifyPassword } from '../../src/auth/passwords.ts'
import type { Database } from '../../src/db/client.ts'
import {
  checkCreditCode,
  checkIdCard,
  checkImei,
  checkMobile,
  checkPlate,
  checkRegistryNo,
  checkTerminalPhone,
  sexFromIdCard,
  ZHEJIANG_PLATE_LETTER,
} from '../../src/domain/identity.ts'
import { DEMO_PASSWORD, listDemoAccounts } from '../../src/seed/accounts.ts'
import { CLASS_MINIMUM, requiredAreaM2 } from '../../src/seed/plan.ts'
import { seedDemo } from '../../src/seed/seed.ts'
import { testEngines } from '../support/engines.ts'

const TODAY = '2025-06-15'
const DIGEST_TABLES = ['institution', 'training_field', 'coach', 'vehicle', 'terminal', 'student', 'contract']

/** A digest of the registry rows (timestamps and the salted password hash left out). */
async function digest(db: Database): Promise<string> {
  const hash = crypto.createHash('sha256')
  for (const table of DIGEST_TABLES) {
    const rows = await db.query<{ r: string }>(
      `SELECT (to_jsonb(t) - 'created_at' - 'updated_at')::text AS r FROM ${table} t ORDER BY id`,
    )
    for (const row of rows) hash.update(row.r)
  }
  const users = await db.query(
    'SELECT username, role, region_code, institution_id, timing_platform_id, subject_id, display_name FROM app_user ORDER BY username',
  )
  hash.update(JSON.stringify(users))
  return hash.digest('hex')
}

for (const engine of await testEngines()) {
  describe(`demo province generator [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let first: string

    before(async () => {
      db = await engine.open()
      await seedDemo(db, { scale: 'tiny', seed: 7, today: TODAY })
      first = await digest(db)
    })
    after(async () => {
      await db?.close()
    })

    test('the same seed gives identical registry rows', async () => {
      await seedDemo(db, { scale: 'tiny', seed: 7, today: TODAY, reset: true })
      assert.equal(await digest(db), first)
    })

    test('seeding a non-empty database is refused unless --reset', async () => {
      await assert.rejects(seedDemo(db, { scale: 'tiny', seed: 7, today: TODAY }), { code: 'ERR_SEED_NOT_EMPTY' })
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM institution')) as [{ n: number }]
      assert.ok(n > 0)
    })

    test('every city and the demo counties hold institutions; all codes are known regions', async () => {
      const cities = await db.query<{ city_code: string }>('SELECT DISTINCT city_code FROM institution')
      assert.equal(cities.length, 11)
      const counties = new Set(
        (await db.query<{ county_code: string }>('SELECT DISTINCT county_code FROM institution')).map(
          (r) => r.county_code,
        ),
      )
      assert.ok(counties.has('330106') && counties.has('330110'))
      for (const table of ['institution', 'training_field', 'coach', 'vehicle', 'terminal', 'student', 'contract']) {
        const unknown = await db.query(
          `SELECT t.county_code, t.city_code FROM ${table} t
             LEFT JOIN region r ON r.code = t.county_code AND r.level = 'county' AND r.parent_code = t.city_code
            WHERE r.code IS NULL LIMIT 1`,
        )
        assert.deepEqual(unknown, [], `${table} uses a county code that is not a county of its city`)
      }
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM region')) as [{ n: number }]
      assert.equal(n, 102)
    })

    test('ID cards are valid, unique for coaches, and match the recorded sex; coaches are 25–58', async () => {
      const coaches = await db.query<{ id_card: string; sex: string; mobile: string }>(
        'SELECT id_card, sex, mobile FROM coach',
      )
      const students = await db.query<{ id_card: string; sex: string; phone: string; enrolled_on: string }>(
        'SELECT id_card, sex, phone, enrolled_on FROM student',
      )
      assert.ok(coaches.length > 0 && students.length > 0)
      for (const p of [...coaches, ...students]) {
        assert.equal(checkIdCard(p.id_card), null, p.id_card)
        assert.equal(sexFromIdCard(p.id_card), p.sex, p.id_card)
      }
      assert.equal(new Set(coaches.map((c) => c.id_card)).size, coaches.length)
      assert.equal(new Set(students.map((s) => s.id_card)).size, students.length)
      for (const c of coaches) {
        assert.equal(checkMobile(c.mobile), null)
        const age =
          (Date.parse(TODAY) - Date.parse(c.id_card.slice(6, 14).replace(/(\d{4})(\d\d)(\d\d)/, '$1-$2-$3'))) /
          3.15576e10
        assert.ok(age >= 25 && age < 59, `coach age ${age}`)
      }
      for (const s of students) {
        const birth = Date.parse(s.id_card.slice(6, 14).replace(/(\d{4})(\d\d)(\d\d)/, '$1-$2-$3'))
        assert.ok((Date.parse(s.enrolled_on) - birth) / 3.15576e10 >= 18, 'students are adults when they enrol')
        assert.ok(s.enrolled_on <= TODAY && s.enrolled_on > '2024-06-14', 'enrolled within the last 12 months')
      }
    })

    test('plates are valid, unique and carry the city letter; registry numbers and credit codes are valid', async () => {
      const vehicles = await db.query<{ plate: string; city_code: string; car_no: string }>(
        'SELECT plate, city_code, car_no FROM vehicle',
      )
      assert.equal(new Set(vehicles.map((v) => v.plate)).size, vehicles.length)
      for (const v of vehicles) {
        assert.equal(checkPlate(v.plate), null, v.plate)
        assert.equal(v.plate.slice(0, 2), `浙${ZHEJIANG_PLATE_LETTER[v.city_code]}`)
        assert.equal(checkRegistryNo(v.car_no), null)
      }
      assert.ok(vehicles.some((v) => v.plate.endsWith('学')))
      assert.ok(
        vehicles.some((v) => /^浙.D/.test(v.plate)),
        'some new-energy plates',
      )
      const institutions = await db.query<{ credit_code: string; ins_code: string }>(
        'SELECT credit_code, ins_code FROM institution',
      )
      for (const i of institutions) {
        assert.equal(checkCreditCode(i.credit_code), null, i.credit_code)
        assert.equal(checkRegistryNo(i.ins_code), null)
      }
    })

    test('every vehicle has one terminal with a valid IMEI and a unique phone', async () => {
      const terminals = await db.query<{ imei: string; phone: string; device_no: string; vehicle_id: number }>(
        'SELECT imei, phone, device_no, vehicle_id FROM terminal',
      )
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM vehicle')) as [{ n: number }]
      assert.equal(terminals.length, n)
      assert.equal(new Set(terminals.map((t) => t.vehicle_id)).size, n)
      assert.equal(new Set(terminals.map((t) => t.phone)).size, n)
      for (const t of terminals) {
        assert.equal(checkImei(t.imei), null, t.imei)
        assert.equal(checkTerminalPhone(t.phone), null)
        assert.equal(t.phone.length, 13)
        assert.equal(checkRegistryNo(t.device_no), null)
      }
    })

    test('institutions have the cars and field area their class requires', async () => {
      const rows = await db.query<{
        id: number
        class_level: 1 | 2 | 3
        small_cars: number
        area_m2: number
        polygon: unknown
      }>(
        `SELECT i.id, i.class_level, f.area_m2, f.polygon,
                (SELECT count(*)::int FROM vehicle v WHERE v.institution_id = i.id AND v.vehicle_type IN ('C1', 'C2')) AS small_cars
           FROM institution i JOIN training_field f ON f.institution_id = i.id AND f.kind = 'site'`,
      )
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM institution')) as [{ n: number }]
      assert.equal(rows.length, n, 'one site per institution')
      for (const r of rows) {
        assert.ok(r.small_cars >= CLASS_MINIMUM[r.class_level].cars, `institution ${r.id} has too few cars`)
        assert.ok(r.area_m2 >= requiredAreaM2(r.class_level, r.small_cars), `institution ${r.id} field too small`)
        const measured = turfArea(r.polygon as Parameters<typeof turfArea>[0])
        assert.ok(Math.abs(measured - r.area_m2) < 1, 'area_m2 is the polygon area')
      }
    })

    test('every student has a contract of the same institution with an amount in fen', async () => {
      const orphans = await db.query(
        `SELECT s.id FROM student s LEFT JOIN contract c ON c.student_id = s.id AND c.institution_id = s.institution_id
          WHERE c.id IS NULL LIMIT 1`,
      )
      assert.deepEqual(orphans, [])
      const modes = await db.query<{ pay_mode: string; min: number }>(
        'SELECT pay_mode, min(total_amount_fen)::int AS min FROM contract GROUP BY pay_mode ORDER BY pay_mode',
      )
      assert.deepEqual(
        modes.map((m) => m.pay_mode),
        ['lump_sum', 'per_hour', 'train_first'],
      )
      for (const m of modes) assert.ok(m.min >= 100_000, 'at least 1,000 yuan')
    })

    test('the demo accounts exist with the right scopes', async () => {
      const users = await db.query<{
        username: string
        role: string
        region_code: string | null
        institution_id: number | null
        timing_platform_id: number | null
        subject_id: number | null
        password_hash: string
      }>('SELECT * FROM app_user')
      const by = new Map(users.map((u) => [u.username, u]))
      const expectRegion = {
        sheng: '330000',
        hangzhou: '330100',
        xihu: '330106',
        yuhang: '330110',
        zhifa: '330106',
        jiaojing: '330000',
      }
      for (const [username, region] of Object.entries(expectRegion))
        assert.equal(by.get(username)?.region_code, region, username)
      assert.equal(by.get('sheng')?.role, 'province')
      assert.equal(by.get('zhifa')?.role, 'officer')
      assert.equal(by.get('jiaojing')?.role, 'police')
      const [firstXihu] = await db.query<{ id: number }>(
        "SELECT id FROM institution WHERE county_code = '330106' ORDER BY id LIMIT 1",
      )
      const jigou = by.get('jigou')
      assert.equal(jigou?.role, 'institution')
      assert.equal(jigou?.institution_id, firstXihu?.id)
      const [coach] = await db.query<{ institution_id: number; employment_status: string }>(
        'SELECT institution_id, employment_status FROM coach WHERE id = $1',
        [by.get('jiaolian')?.subject_id],
      )
      assert.equal(coach?.institution_id, firstXihu?.id)
      assert.equal(coach?.employment_status, 'employed')
      const [student] = await db.query<{ institution_id: number }>('SELECT institution_id FROM student WHERE id = $1', [
        by.get('xueyuan')?.subject_id,
      ])
      assert.equal(student?.institution_id, firstXihu?.id)
      assert.equal(by.get('jiaolian')?.institution_id, firstXihu?.id)
      assert.equal(by.get('xueyuan')?.institution_id, firstXihu?.id)
      const [platform] = await db.query<{ id: number }>('SELECT min(id)::int AS id FROM timing_platform')
      assert.equal(by.get('yunying')?.timing_platform_id, platform?.id)
      assert.equal(await verifyPassword(by.get('jigou')?.password_hash ?? '', DEMO_PASSWORD), true)
      const listed = await listDemoAccounts(db)
      assert.equal(listed.length, 10)
    })

    test('id sequences continue after the generated ids', async () => {
      const [platform] = await db.query<{ id: number }>(
        "INSERT INTO timing_platform (platform_no, name, operator_name) VALUES ('ZZ999', '测试平台', '测试公司') RETURNING id",
      )
      const [{ max }] = (await db.query<{ max: number }>('SELECT max(id)::int AS max FROM timing_platform')) as [
        { max: number },
      ]
      assert.equal(platform?.id, max)
      const [student] = await db.query<{ id: number }>(
        `INSERT INTO student (stu_no, institution_id, city_code, county_code, name, sex, id_card, license_type, enrolled_on)
         SELECT '3301065999999999', id, city_code, county_code, '测试', 'M', '11010519491231002X', 'C1', '2025-01-01'
           FROM institution ORDER BY id LIMIT 1 RETURNING id`,
      )
      const [{ count }] = (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM student')) as [
        { count: number },
      ]
      assert.equal(student?.id, count)
    })

    test('a different seed gives a different province', async () => {
      await seedDemo(db, { scale: 'tiny', seed: 8, today: TODAY, reset: true })
      assert.notEqual(await digest(db), first)
    })
  })
}
