import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Database } from '../../server/src/db/client.ts'
import { openTestPglite } from '../../server/test/support/engines.ts'
import { loadFleetProfiles, runFleet } from '../src/index.ts'
import { FakePlatform } from './fake-platform.ts'
import { FIELD } from './fixtures.ts'

/** One institution with its site, three C1 cars with terminals, two coaches and five students. */
async function insertRegistry(db: Database): Promise<void> {
  const [platform] = await db.query<{ id: number }>(
    `insert into timing_platform (platform_no, name, operator_name) values ('A0107', '计时平台', '运营商') returning id`,
  )
  const [inst] = await db.query<{ id: number }>(
    `insert into institution (ins_code, name, city_code, county_code, class_level, business_scope, timing_platform_id)
     values ('3301060000000001', '之江驾校', '330100', '330106', 1, '{C1}', $1) returning id`,
    [platform?.id],
  )
  await db.query(
    `insert into training_field (institution_id, city_code, county_code, name, kind, polygon)
     values ($1, '330100', '330106', '之江训练场', 'site', $2::jsonb)`,
    [inst?.id, JSON.stringify(FIELD)],
  )
  for (let i = 1; i <= 3; i++) {
    const [veh] = await db.query<{ id: number }>(
      `insert into vehicle (car_no, institution_id, city_code, county_code, plate, plate_color, vehicle_type)
       values ($1, $2, '330100', '330106', $3, 2, 'C1') returning id`,
      [`V33010600000000${i}`, inst?.id, `浙A0000${i}学`],
    )
    await db.query(
      `insert into terminal (device_no, phone, imei, institution_id, city_code, county_code, vehicle_id, timing_platform_id)
       values ($1, $2, $3, $4, '330100', '330106', $5, $6)`,
      [`T33010600000000${i}`, `1390000000${i}`, `86000000000000${i}`, inst?.id, veh?.id, platform?.id],
    )
  }
  for (let i = 1; i <= 2; i++) {
    await db.query(
      `insert into coach (coach_no, institution_id, city_code, county_code, name, sex, id_card, teach_permitted)
       values ($1, $2, '330100', '330106', '张教练', 'male', $3, 'C1')`,
      [`C33010600000000${i}`, inst?.id, `33010619800101000${i}`],
    )
  }
  for (let i = 1; i <= 5; i++) {
    await db.query(
      `insert into student (stu_no, institution_id, city_code, county_code, name, sex, id_card, license_type, enrolled_on)
       values ($1, $2, '330100', '330106', '李学员', 'female', $3, 'C1', '2026-01-01')`,
      [`S33010600000000${i}`, inst?.id, `33010620000101000${i}`],
    )
  }
}

describe('fleet from the registry', () => {
  let db: Database
  let platform: FakePlatform

  before(async () => {
    db = await openTestPglite()
    await insertRegistry(db)
    platform = new FakePlatform()
    await platform.start()
  })

  after(async () => {
    await platform?.stop()
    await db?.close()
  })

  it('builds profiles from terminals, vehicles, coaches, students and the site polygon, in an order fixed by the seed', async () => {
    const profiles = await loadFleetProfiles(db, 2, 9)
    assert.equal(profiles.length, 2)
    assert.deepEqual(await loadFleetProfiles(db, 2, 9), profiles)
    for (const p of profiles) {
      assert.match(p.deviceNo, /^T3301060000000\d{2}$/)
      assert.equal(p.provinceId, 33)
      assert.equal(p.cityId, 106)
      assert.equal(p.institutionNo, '3301060000000001')
      assert.equal(p.coach.teachPermitted, 'C1')
      assert.ok(p.students.length >= 1 && p.students.every((s) => s.licenseType === 'C1'))
      assert.deepEqual(p.field, FIELD)
      assert.match(p.plate, /^浙A0000\d学$/)
    }
    assert.notEqual(profiles[0]?.coach.coachNo, profiles[1]?.coach.coachNo, 'coaches are shared out')
  })

  it('runs lessons on every terminal against the platform and reports a summary', async () => {
    const progress: number[] = []
    const summary = await runFleet({
      host: '127.0.0.1',
      port: platform.port,
      terminals: 3,
      speedup: 3000,
      seed: 4,
      database: db,
      lessonMinutes: 2,
      onProgress: (p) => progress.push(p.stats.framesSent),
    })
    assert.equal(summary.terminals, 3)
    assert.equal(summary.stats.lessonsCompleted, 3)
    assert.equal(summary.stats.minuteRecords, 6)
    assert.equal(summary.stats.photos, 12)
    assert.equal(summary.stats.errors, 0)
    assert.equal(summary.stats.timeouts, 0)
    assert.ok(summary.stats.acks > 0)
    assert.deepEqual(summary.failures, [])
    assert.equal(platform.authResults.length, 3)
    assert.ok(platform.authResults.every(Boolean))
    assert.ok(progress.length >= 1)
    assert.equal(summary.online, 0, 'every terminal disconnected at the end')
  })
})
