import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { parseCourseCode } from '@jiapei/jt808-training'
import type { Database } from '../../src/db/client.ts'
import { localMidnight } from '../../src/detection/time.ts'
import { type SeedSummary, seedDemo } from '../../src/seed/seed.ts'
import { testEngines } from '../support/engines.ts'

const TODAY = '2025-06-15'
const DAYS = 5

/** The history as a digest: sessions, minute validity, credits and findings (timestamps of writing left out). */
async function digest(db: Database): Promise<string> {
  const hash = crypto.createHash('sha256')
  const queries = [
    `SELECT id, terminal_id, student_id, coach_id, vehicle_id, course_code, part, mode, started_at, ended_at,
            source_platform_id, source_record_no FROM training_session ORDER BY id`,
    'SELECT session_id, minute_at, record_no, valid, reasons, mileage_m FROM minute_record ORDER BY session_id, minute_at, record_no',
    'SELECT id, session_id, event_type, sha256, phash, face_distance FROM photo ORDER BY id',
    'SELECT session_id, local_day, credited_minutes, final_minutes, reasons FROM session_credit ORDER BY session_id, local_day',
    'SELECT rule_id, dedupe_key, session_id, severity, summary FROM finding ORDER BY dedupe_key',
  ]
  for (const sql of queries) hash.update(JSON.stringify(await db.query(sql)))
  return hash.digest('hex')
}

const count = async (db: Database, sql: string, params: unknown[] = []) =>
  Number((await db.query<{ n: number }>(sql, params))[0]?.n ?? 0)

for (const engine of await testEngines()) {
  describe(`demo training history [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let summary: SeedSummary
    let first: string

    before(async () => {
      db = await engine.open()
      // A tiny province has few lessons: a higher fraud rate than the demo's 5 % makes sure several kinds occur.
      summary = await seedDemo(db, { scale: 'tiny', seed: 7, today: TODAY, historyDays: DAYS, historyFraudRate: 0.3 })
      first = await digest(db)
    })
    after(async () => {
      await db?.close()
    })

    test('practical lessons and classroom records over the days before today, none today', async () => {
      const h = summary.history
      assert.ok(h, 'the summary reports the history')
      assert.ok(h.sessions.practical > 0 && h.sessions.classroom > 0, JSON.stringify(h.sessions))
      const rows = await db.query<{ mode: number; part: number; n: number; first: Date; last: Date }>(
        `SELECT mode, part, count(*)::int AS n, min(started_at) AS first, max(ended_at) AS last
           FROM training_session GROUP BY mode, part ORDER BY mode, part`,
      )
      const modes = new Set(rows.map((r) => `${r.mode}:${r.part}`))
      assert.ok(modes.has('2:1'), 'part 1 in the classroom')
      assert.ok(modes.has('1:2') || modes.has('1:3'), 'practical lessons of part 2 or 3')
      const from = localMidnight(TODAY).getTime() - DAYS * 86_400_000
      for (const r of rows) {
        assert.ok(new Date(r.first).getTime() >= from, 'not before the window')
        assert.ok(new Date(r.last).getTime() <= localMidnight(TODAY).getTime(), 'nothing today')
      }
      // Every course code says what the session's part, mode and licence type say.
      for (const r of await db.query<{ course_code: string; part: number; mode: number; license_type: string }>(
        'SELECT DISTINCT course_code, part, mode, license_type FROM training_session',
      )) {
        const c = parseCourseCode(r.course_code)
        assert.ok(c.ok, r.course_code)
        assert.deepEqual(
          [c.value.part, c.value.mode, c.value.licenseType, c.value.projectMatchesPart],
          [r.part, r.mode, r.license_type, true],
          r.course_code,
        )
      }
      // Classroom records carry no vehicle, no GNSS and no terminal; they come from a timing platform.
      assert.equal(
        await count(
          db,
          `SELECT count(*)::int AS n FROM training_session
            WHERE mode = 2 AND (terminal_id IS NOT NULL OR vehicle_id IS NOT NULL OR source_platform_id IS NULL)`,
        ),
        0,
      )
    })

    test('every minute is decided, sessions are credited, findings of several rules exist', async () => {
      assert.equal(await count(db, 'SELECT count(*)::int AS n FROM minute_record WHERE valid IS NULL'), 0)
      assert.equal(
        await count(db, 'SELECT count(*)::int AS n FROM training_session WHERE evaluated_at IS NULL'),
        0,
        'every session evaluated',
      )
      assert.ok((await count(db, 'SELECT count(*)::int AS n FROM session_credit WHERE final_minutes > 0')) > 0)
      const rules = (await db.query<{ rule_id: string }>('SELECT DISTINCT rule_id FROM finding')).map((r) => r.rule_id)
      assert.ok(rules.length >= 3, rules.join(', '))
      // The injected theory-while-driving record is found by the cross rule.
      assert.ok(rules.includes('cross-training'), rules.join(', '))
      assert.ok(Object.keys(summary.history?.frauds ?? {}).length >= 3, JSON.stringify(summary.history?.frauds))
    })

    test('the demo student has a ledger with sessions, the demo institution has findings', async () => {
      const [student] = await db.query<{ subject_id: number }>(
        "SELECT subject_id FROM app_user WHERE username = 'xueyuan'",
      )
      assert.ok(
        (await count(db, 'SELECT count(*)::int AS n FROM session_credit WHERE student_id = $1 AND final_minutes > 0', [
          student?.subject_id,
        ])) > 0,
        'xueyuan has credited sessions',
      )
      // Three days of classroom (4 学时 a day) complete part 1: the stage review may be requested.
      assert.ok(
        (await count(
          db,
          `SELECT coalesce(sum(c.final_minutes), 0)::int AS n FROM session_credit c
             JOIN training_session s ON s.id = c.session_id
            WHERE c.student_id = $1 AND s.part = 1 AND c.superseded_at IS NULL`,
          [student?.subject_id],
        )) >= 720,
        'part 1 hours reached',
      )
      const [institution] = await db.query<{ institution_id: number }>(
        "SELECT institution_id FROM app_user WHERE username = 'jigou'",
      )
      assert.ok(
        (await count(db, 'SELECT count(*)::int AS n FROM finding WHERE institution_id = $1', [
          institution?.institution_id,
        ])) > 0,
        'jigou has findings',
      )
    })

    test('the same seed gives the same history', async () => {
      await seedDemo(db, {
        scale: 'tiny',
        seed: 7,
        today: TODAY,
        historyDays: DAYS,
        historyFraudRate: 0.3,
        reset: true,
      })
      assert.equal(await digest(db), first)
    })
  })
}
