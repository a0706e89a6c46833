/**
 * The demo's 阶段报审: after the history, every complete part has a review made through the hour
 * accounting services — some approved, some rejected with a reason, some pending — with the
 * accounts that made them and their audit rows; a part still short of hours has none.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Database } from '../../src/db/client.ts'
import { studentLedger } from '../../src/hours/service.ts'
import { type SeedSummary, seedDemo } from '../../src/seed/seed.ts'
import { DEMO_REJECTION_NOTE } from '../../src/seed/stage-reviews.ts'
import { testEngines } from '../support/engines.ts'

const TODAY = '2025-06-15'

interface ReviewRow {
  id: number
  studentId: number
  part: number
  status: string
  note: string | null
  requester: string | null
  decider: string | null
}

for (const engine of await testEngines()) {
  describe(`demo stage reviews [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let summary: SeedSummary
    let reviews: ReviewRow[]

    before(async () => {
      db = await engine.open()
      summary = await seedDemo(db, { scale: 'tiny', seed: 7, today: TODAY, historyDays: 5 })
      reviews = await db.query<ReviewRow>(
        `SELECT r.id, r.student_id AS "studentId", r.part, r.status, r.note,
                q.username AS requester, d.username AS decider
           FROM stage_review r LEFT JOIN app_user q ON q.id = r.requested_by LEFT JOIN app_user d ON d.id = r.decided_by
          ORDER BY r.id`,
      )
    })
    after(async () => {
      await db?.close()
    })

    test('reviews of complete parts: approved, rejected with a reason and pending, as the summary counts them', () => {
      const s = summary.stageReviews
      assert.ok(s, 'the summary reports the stage reviews')
      assert.equal(reviews.length, s.requested)
      assert.ok(s.requested >= 3, `a few reviews (${JSON.stringify(s)})`)
      const by = (status: string) => reviews.filter((r) => r.status === status)
      assert.equal(by('approved').length, s.approved)
      assert.equal(by('rejected').length, s.rejected)
      assert.equal(by('pending').length, s.pending)
      assert.ok(s.approved > 0 && s.rejected > 0 && s.pending > 0, JSON.stringify(s))
      for (const r of by('rejected')) assert.ok(r.note && r.note.length > 10, `rejection ${r.id} has a reason`)
      assert.ok(by('rejected').some((r) => r.note === DEMO_REJECTION_NOTE))
      for (const r of by('pending')) assert.equal(r.decider, null)
      for (const r of [...by('approved'), ...by('rejected')]) assert.ok(r.decider, `review ${r.id} names its reviewer`)
      for (const r of reviews) assert.ok(r.requester, `review ${r.id} names who requested it`)
    })

    test('each review is of a part the ledger shows complete; a complete part without a review is none', async () => {
      const province = { kind: 'region', regionCode: '330000' } as const
      const students = await db.query<{ id: number }>(
        'SELECT DISTINCT t.student_id AS id FROM training_session t JOIN session_credit c ON c.session_id = t.id',
      )
      for (const { id } of students) {
        const { ledger } = await studentLedger(db, province, id)
        for (const part of ledger.parts) {
          const has = reviews.some((r) => r.studentId === id && r.part === part.part)
          assert.equal(has, part.complete, `student ${id} part ${part.part}: complete ${part.complete}, review ${has}`)
        }
      }
    })

    test('made through the services: one audit row per request and per decision', async () => {
      const [audit] = await db.query<{ created: number; updated: number }>(
        `SELECT count(*) FILTER (WHERE action = 'create')::int AS created, count(*) FILTER (WHERE action = 'update')::int AS updated
           FROM audit_log WHERE entity = 'stage_review'`,
      )
      assert.equal(audit?.created, reviews.length)
      assert.equal(audit?.updated, reviews.filter((r) => r.status !== 'pending').length)
    })

    test('the demo institution requests its own students; others are requested by a region account', () => {
      const own = reviews.filter((r) => r.requester === 'jigou')
      const others = reviews.filter((r) => r.requester !== 'jigou')
      assert.ok(own.length + others.length === reviews.length)
      for (const r of others)
        assert.ok(['sheng', 'hangzhou', 'xihu', 'yuhang'].includes(r.requester ?? ''), r.requester ?? '')
    })
  })
}
