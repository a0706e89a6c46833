/**
 * The hours API: a student's ledger within each role's jurisdiction, stage reviews from request to
 * decision (refused while findings are open), the police seeing approved reviews only, and the
 * completion certificate with its coded refusals.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/client.ts'
import { localDay } from '../../src/detection/time.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, sessions, testApp } from './fixture.ts'
import { seedCompleteC1, seedSession } from './hours-support.ts'

const ACCOUNTS = [
  'sheng',
  'hangzhou',
  'ningbo',
  'xihu',
  'yuhang',
  'zhifa',
  'jiaojing',
  'jigou',
  'jiaolian',
  'xueyuan',
  'yunying',
]

interface Ledger {
  student: { id: number; licenseType: string }
  ledger: {
    complete: boolean
    policyVersion: number
    parts: { part: number; requiredMinutes: number; countedMinutes: number; complete: boolean }[]
    mileage: { km: number; requiredKm: number }
    shortfalls: { kind: string; message: string }[]
  }
  credits: {
    sessionId: number
    finalMinutes: number
    validMinutes: number
    invalidMinutes: number
    reasons: string[]
  }[]
  reviews: { id: number; part: number; status: string }[]
  certificate: { certNo: string } | null
  openFindings: number
}

for (const engine of await testEngines()) {
  describe(`hours API [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let fixture: Fixture
    let as: (name: string) => { cookie: string }
    let complete: number
    let partial: number
    let bySessionPart: Record<number, number[]>

    const call = async (who: string, method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers: as(who), ...(payload ? { payload } : {}) })
      return {
        status: res.statusCode,
        body: res.json() as Record<string, unknown> & { code?: string; message?: string },
      }
    }

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      app = await testApp(db)
      as = await sessions(app, ACCOUNTS)
      // xihu[0] (the 学员 account) has one partly invalid lesson; xihu[1] has the whole syllabus.
      partial = fixture.ids.students.xihu[0]!
      complete = fixture.ids.students.xihu[1]!
      await seedSession(db, partial, {
        part: 2,
        mode: 1,
        start: new Date('2026-05-06T01:00:00Z'),
        minutes: 60,
        mileage: 100,
        invalid: { count: 20, rule: 'stationary' },
      })
      bySessionPart = await seedCompleteC1(db, complete)
    })
    after(async () => {
      await app?.close()
      await db?.close()
    })

    test('the ledger is read within jurisdiction only', async () => {
      const expected: [string, number, number][] = [
        ['sheng', partial, 200],
        ['hangzhou', partial, 200],
        ['xihu', partial, 200],
        ['zhifa', partial, 200],
        ['jiaojing', partial, 200],
        ['jigou', partial, 200],
        ['xueyuan', partial, 200],
        ['ningbo', partial, 404],
        ['yuhang', partial, 404],
        ['xueyuan', complete, 404],
        ['jigou', fixture.ids.students.yuhang[0]!, 404],
        ['jiaolian', partial, 403],
        ['yunying', partial, 403],
      ]
      for (const [who, id, status] of expected) {
        const res = await call(who, 'GET', `/api/students/${id}/ledger`)
        assert.equal(res.status, status, `${who} → ${id}: ${JSON.stringify(res.body)}`)
        if (status === 404) assert.equal(res.body.code, 'ERR_HOURS_STUDENT_NOT_FOUND')
      }
    })

    test('the ledger shows each credit with its reasons and what is missing', async () => {
      const { body } = await call('xihu', 'GET', `/api/students/${partial}/ledger`)
      const l = body as unknown as Ledger
      assert.equal(l.ledger.complete, false)
      assert.deepEqual(
        l.credits.map((c) => [c.validMinutes, c.invalidMinutes, c.finalMinutes, c.reasons]),
        [[40, 20, 53, ['stationary:20', 'LOW_VALID_SHARE']]],
      )
      const part2 = l.ledger.parts.find((p) => p.part === 2)!
      assert.deepEqual([part2.countedMinutes, part2.requiredMinutes], [53, 960])
      assert.ok(l.ledger.shortfalls.some((s) => s.kind === 'mileage'))
      const full = (await call('xihu', 'GET', `/api/students/${complete}/ledger`)).body as unknown as Ledger
      assert.equal(full.ledger.complete, true, JSON.stringify(full.ledger.shortfalls))
      assert.deepEqual(full.ledger.mileage, { km: 300, requiredKm: 300 })
    })

    test('an incomplete student is refused stage review and certificate with what is missing', async () => {
      const review = await call('jigou', 'POST', `/api/students/${partial}/stage-reviews`, { part: 2 })
      assert.equal(review.status, 409)
      assert.equal(review.body.code, 'ERR_HOURS_INCOMPLETE')
      assert.match(review.body.message!, /第二部分差 907 分钟/)
      const cert = await call('jigou', 'POST', `/api/students/${partial}/certificate`)
      assert.equal(cert.status, 409)
      assert.equal(cert.body.code, 'ERR_HOURS_INCOMPLETE')
      assert.match(cert.body.message!, /第一部分/)
      assert.match(cert.body.message!, /实操里程/)
      // The police read, never request.
      assert.equal((await call('jiaojing', 'POST', `/api/students/${partial}/stage-reviews`, { part: 2 })).status, 403)
    })

    test('stage reviews: request, open findings block approval, the police see approved ones', async () => {
      const ids: Record<number, number> = {}
      for (const part of [1, 2, 3, 4]) {
        const res = await call('jigou', 'POST', `/api/students/${complete}/stage-reviews`, { part })
        assert.equal(res.status, 201, JSON.stringify(res.body))
        assert.equal(res.body.status, 'pending')
        ids[part] = res.body.id as number
      }
      const again = await call('jigou', 'POST', `/api/students/${complete}/stage-reviews`, { part: 1 })
      assert.equal(again.body.code, 'ERR_HOURS_REVIEW_PENDING')

      // Pending reviews keep the certificate back.
      const early = await call('jigou', 'POST', `/api/students/${complete}/certificate`)
      assert.equal(early.body.code, 'ERR_HOURS_UNDER_REVIEW')

      // An open finding on a part-2 session.
      const session = bySessionPart[2]![0]!
      await db.query(
        `INSERT INTO finding (rule_id, rule_version, policy_version, severity, status, subject_kind, subject_id, session_id,
           student_id, institution_id, city_code, county_code, occurred_at, summary, detected_by, dedupe_key)
         VALUES ('stationary', 1, 1, 'medium', 'open', 'session', $4, $1, $2, $3, '330100', '330106', now(),
                 '连续 3 分钟速度为 0', 'batch', 'stationary:session:' || $4 || ':0')`,
        [session, complete, fixture.ids.institutions.xihu, String(session)],
      )
      const blocked = await call('zhifa', 'POST', `/api/stage-reviews/${ids[2]}/decision`, { decision: 'approve' })
      assert.equal(blocked.status, 409)
      assert.equal(blocked.body.code, 'ERR_HOURS_UNDER_REVIEW')

      // Outside the jurisdiction, or without the permission.
      assert.equal(
        (await call('yuhang', 'POST', `/api/stage-reviews/${ids[1]}/decision`, { decision: 'approve' })).status,
        404,
      )
      assert.equal(
        (await call('jigou', 'POST', `/api/stage-reviews/${ids[1]}/decision`, { decision: 'approve' })).status,
        403,
      )

      for (const part of [1, 3, 4]) {
        const res = await call('zhifa', 'POST', `/api/stage-reviews/${ids[part]}/decision`, { decision: 'approve' })
        assert.equal(res.status, 200, JSON.stringify(res.body))
        assert.equal(res.body.status, 'approved')
      }
      const twice = await call('zhifa', 'POST', `/api/stage-reviews/${ids[1]}/decision`, { decision: 'reject' })
      assert.equal(twice.body.code, 'ERR_HOURS_REVIEW_DECIDED')

      const police = await call('jiaojing', 'GET', '/api/stage-reviews')
      assert.deepEqual((police.body.items as { part: number }[]).map((r) => r.part).sort(), [1, 3, 4])
      const pending = await call('xihu', 'GET', '/api/stage-reviews?status=pending')
      assert.deepEqual(
        (pending.body.items as { part: number }[]).map((r) => r.part),
        [2],
      )
      assert.equal((await call('ningbo', 'GET', '/api/stage-reviews')).body.total, 0)
      assert.equal((await call('hangzhou', 'GET', '/api/stage-reviews?region=330110')).body.total, 0)
      assert.equal((await call('hangzhou', 'GET', '/api/stage-reviews?region=330106&part=3')).body.total, 1)

      // The finding is dismissed: part 2 can be approved.
      await db.query(`UPDATE finding SET status = 'dismissed' WHERE session_id = $1`, [session])
      const ok = await call('xihu', 'POST', `/api/stage-reviews/${ids[2]}/decision`, {
        decision: 'approve',
        note: '疑点已排除',
      })
      assert.equal(ok.status, 200, JSON.stringify(ok.body))
    })

    test('the certificate is issued once, with its number', async () => {
      assert.equal(
        (await call('xihu', 'GET', `/api/students/${complete}/certificate`)).body.code,
        'ERR_HOURS_CERTIFICATE_NOT_FOUND',
      )
      const res = await call('jigou', 'POST', `/api/students/${complete}/certificate`)
      assert.equal(res.status, 201, JSON.stringify(res.body))
      const year = localDay(new Date()).slice(0, 4)
      assert.equal(res.body.certNo, `JY330106${year}000001`)
      const again = await call('jigou', 'POST', `/api/students/${complete}/certificate`)
      assert.equal(again.status, 409)
      assert.equal(again.body.code, 'ERR_HOURS_ALREADY_CERTIFIED')
      const got = await call('jiaojing', 'GET', `/api/students/${complete}/certificate`)
      assert.equal(got.body.certNo, res.body.certNo)
      const ledger = (await call('xihu', 'GET', `/api/students/${complete}/ledger`)).body as unknown as Ledger
      assert.equal(ledger.certificate?.certNo, res.body.certNo)
      const [audit] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity IN ('stage_review', 'completion_certificate')`,
      )
      assert.ok((audit?.n ?? 0) >= 9)
    })
  })
}
