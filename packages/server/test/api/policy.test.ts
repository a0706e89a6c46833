/**
 * The policy API: versions readable by every account, publication by the province only with the
 * path of a bad field in the refusal, an audit entry, and existing credits untouched by a new version.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/client.ts'
import { creditSessions } from '../../src/hours/service.ts'
import { SYLLABUS_2016 } from '../../src/policy/syllabus.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, sessions, testApp } from './fixture.ts'
import { seedSession } from './hours-support.ts'

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

for (const engine of await testEngines()) {
  describe(`policy API [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let fixture: Fixture
    let as: (name: string) => { cookie: string }

    const post = (who: string, kind: string, payload: object) =>
      app.inject({ method: 'POST', url: `/api/policies/${kind}`, headers: as(who), payload })

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      app = await testApp(db)
      as = await sessions(app, ['sheng', 'hangzhou', 'jigou', 'xueyuan'])
    })
    after(async () => {
      await app?.close()
      await db?.close()
    })

    test('every account reads the versions; the built-in 2016 syllabus is version 1', async () => {
      for (const who of ['sheng', 'jigou', 'xueyuan']) {
        const res = await app.inject({ url: '/api/policies/syllabus', headers: as(who) })
        assert.equal(res.statusCode, 200)
        const body = res.json() as { current: { version: number; body: { hourMinutes: number } }; versions: unknown[] }
        assert.equal(body.current.version, 1)
        assert.equal(body.current.body.hourMinutes, 60)
        assert.equal(body.versions.length, 1)
      }
      assert.equal((await app.inject({ url: '/api/policies/syllabus' })).statusCode, 401)
      const unknown = await app.inject({ url: '/api/policies/tariffs', headers: as('sheng') })
      assert.equal(unknown.json().code, 'ERR_POLICY_KIND_UNKNOWN')
    })

    test('only the province publishes; a bad field is named by its path', async () => {
      const res = await post('hangzhou', 'syllabus', { body: clone(SYLLABUS_2016) })
      assert.equal(res.statusCode, 403)
      const cases: [string, object, string][] = [
        ['a string where minutes go', { ...clone(SYLLABUS_2016), hourMinutes: '60' }, '/hourMinutes'],
        [
          'a part total that does not add up',
          {
            ...clone(SYLLABUS_2016),
            vehicleTypes: { C1: { ...clone(SYLLABUS_2016.vehicleTypes.C1!), total: 70 } },
          },
          '/vehicleTypes/C1/total',
        ],
        [
          'an unknown cap category',
          { ...clone(SYLLABUS_2016), capCategoryOfMode: { 1: 'x', 2: 'classroom', 3: 'practical', 4: 'classroom' } },
          '/capCategoryOfMode/1',
        ],
        [
          'more effective minutes than an hour has',
          { ...clone(SYLLABUS_2016), effectiveMinutesPerHour: 61 },
          '/effectiveMinutesPerHour',
        ],
      ]
      for (const [name, body, path] of cases) {
        const bad = await post('sheng', 'syllabus', { body })
        assert.equal(bad.statusCode, 400, name)
        const err = bad.json() as { code: string; message: string; details: { path: string } }
        assert.equal(err.code, 'ERR_POLICY_INVALID', name)
        assert.equal(err.details.path, path, name)
        assert.ok(err.message.includes(path), name)
      }
      const window = await post('sheng', 'detection', {
        body: {
          name: 'x',
          windows: { default: { 1: [{ from: '06:00', to: '25:00' }], 2: [], 3: [], 4: [] }, byCity: {} },
          rules: {},
        },
      })
      assert.equal(window.json().details.path, '/windows/default/1/0/to')
      const windows = { default: { 1: [], 2: [], 3: [], 4: [] }, byCity: {} }
      const ruleCases: [string, object, string][] = [
        [
          'a rule the catalogue does not know',
          { 'no-such-rule': { enabled: true, params: {} } },
          '/rules/no-such-rule',
        ],
        [
          'a parameter the rule does not declare',
          { stationary: { enabled: true, params: { minutez: 3 } } },
          '/rules/stationary/params/minutez',
        ],
        [
          'a parameter named like a built-in',
          { stationary: { enabled: true, params: { constructor: 3 } } },
          '/rules/stationary/params/constructor',
        ],
        [
          'a parameter of the wrong type',
          { stationary: { enabled: true, params: { useRecordSpeed: 1 } } },
          '/rules/stationary/params/useRecordSpeed',
        ],
        [
          'a negative threshold',
          { 'zero-mileage': { enabled: true, params: { maxZeroMileageMinutes: -2 } } },
          '/rules/zero-mileage/params/maxZeroMileageMinutes',
        ],
      ]
      for (const [name, rules, path] of ruleCases) {
        const bad = await post('sheng', 'detection', { body: { name: 'x', windows, rules } })
        assert.equal(bad.statusCode, 400, name)
        assert.equal(bad.json().details.path, path, name)
      }
    })

    test('a new version is audited and leaves existing credits as they were decided', async () => {
      const student = fixture.ids.students.xihu[0]!
      const session = await seedSession(db, student, {
        part: 2,
        mode: 1,
        start: new Date('2026-05-06T01:00:00Z'),
        minutes: 60,
        invalid: { count: 20, rule: 'stationary' },
      })
      const before = await db.query('SELECT * FROM session_credit WHERE session_id = $1 ORDER BY id', [session])
      const stricter = { ...clone(SYLLABUS_2016), effectiveMinutesPerHour: 50, name: '2026 年试行' }
      const res = await post('sheng', 'syllabus', { body: stricter, note: '有效分钟提高到 50' })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().version, 2)
      const list = (await app.inject({ url: '/api/policies/syllabus', headers: as('jigou') })).json()
      assert.deepEqual(
        list.versions.map((v: { version: number }) => v.version),
        [2, 1],
      )
      assert.equal(list.current.version, 2)
      // The session started before the publication: re-deciding it changes nothing.
      const summary = await creditSessions(db, [session])
      assert.deepEqual([summary.unchanged, summary.written], [1, 0])
      const afterRows = await db.query('SELECT * FROM session_credit WHERE session_id = $1 ORDER BY id', [session])
      assert.deepEqual(afterRows, before)
      const [audit] = await db.query<{ entity_id: string }>(
        `SELECT entity_id FROM audit_log WHERE entity = 'policy_version' ORDER BY id DESC LIMIT 1`,
      )
      assert.equal(audit?.entity_id, 'syllabus:v2')
      // An effective time before the current version's is refused.
      const past = await post('sheng', 'syllabus', { body: stricter, effectiveFrom: '2020-01-01T00:00:00Z' })
      assert.equal(past.json().code, 'ERR_POLICY_EFFECTIVE_IN_PAST')
    })
  })
}
