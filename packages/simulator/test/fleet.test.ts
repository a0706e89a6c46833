import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Database } from '../../server/src/db/client.ts'
import { openTestPglite } from '../../server/test/support/engines.ts'
import { loadFleetProfiles, runFleet } from '../src/index.ts'
import { FakePlatform } from './fake-platform.ts'
import { FIELD } from './fixtures.ts'
import { insertRegistry } from './registry-rows.ts'

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
