/**
 * The detection engine against the database, on both engines: a gateway lesson with planted bad
 * minutes is evaluated (validity, reasons, policy version on the minutes; one finding kept across
 * re-evaluations with its review state; credits written), the streaming loop picks sessions with
 * newly arrived minutes, and a batch run over the day finds a classroom record from another
 * timing platform overlapping the practical lesson (理论与实操交叉培训).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { runDetectionBatch } from '../../src/detection/engine/batch.ts'
import { detectSessions } from '../../src/detection/engine/detect.ts'
import { dueSessionIds } from '../../src/detection/engine/due.ts'
import { startDetectionStream } from '../../src/detection/engine/stream.ts'
import { engineOff } from '../../src/detection/rules/engine-off.ts'
import { localMidnight } from '../../src/detection/time.ts'
import { photoStoreOf } from '../../src/ingestion/bus.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { buildFixture, type Fixture } from '../api/fixture.ts'
import { lessonEnvelopes, lessonPeople } from '../ingestion/lesson.ts'
import { testEngines } from '../support/engines.ts'

const LESSON_START = new Date('2026-05-06T02:00:00Z') // 10:00 Beijing time
const NOW = new Date('2026-05-06T03:00:00Z')

interface MinuteRow {
  minute_at: Date
  valid: boolean | null
  reasons: string[] | null
  policy_version: number | null
  decided_at: Date | null
}

for (const engine of await testEngines()) {
  describe(`detection engine [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let dir: string
    let fixture: Fixture
    let sessionId: number
    let studentId: number
    let people: Awaited<ReturnType<typeof lessonPeople>>
    let writerConfig: ReturnType<typeof loadConfig>

    const minutes = () =>
      db.query<MinuteRow>(
        'SELECT minute_at, valid, reasons, policy_version, decided_at FROM minute_record WHERE session_id = $1 ORDER BY minute_at',
        [sessionId],
      )

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-detect-'))
      writerConfig = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      people = await lessonPeople(db)
      const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(writerConfig) })
      await writer.accept(lessonEnvelopes(people, { start: LESSON_START, minutes: 5, classId: 9001 }))
      await writer.close()
      const [s] = await db.query<{ id: number; student_id: number }>(
        'SELECT id, student_id FROM training_session WHERE class_id = 9001',
      )
      assert.ok(s)
      sessionId = s.id
      studentId = s.student_id
      // Plant: the engine was off in the first two minutes.
      await db.query(`UPDATE minute_record SET engine_rpm = 0 WHERE session_id = $1 AND minute_at < $2`, [
        sessionId,
        new Date(LESSON_START.getTime() + 120_000),
      ])
    })
    after(async () => {
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('a lesson written by the ingestion is due for streaming detection', async () => {
      assert.deepEqual(await dueSessionIds(db, { limit: 10 }), [sessionId])
      assert.deepEqual(await dueSessionIds(db, { limit: 10, exclude: [sessionId] }), [])
      assert.deepEqual(await dueSessionIds(db, { limit: 10, settleMs: 3_600_000 }), [], 'still settling')
      assert.equal(
        (await minutes()).every((m) => m.valid === null),
        true,
      )
    })

    test('evaluation invalidates the planted minutes with their reason, stores one finding and the credits', async () => {
      const summary = await detectSessions(db, [sessionId], { rules: [engineOff], now: NOW })
      assert.equal(summary.sessions, 1)
      assert.equal(summary.minutes, 5)
      assert.equal(summary.invalidMinutes, 2)
      assert.deepEqual(summary.findings, { inserted: 1, updated: 0 })
      const rows = await minutes()
      assert.deepEqual(
        rows.map((m) => [m.valid, m.reasons]),
        [
          [false, ['engine-off']],
          [false, ['engine-off']],
          [true, []],
          [true, []],
          [true, []],
        ],
      )
      assert.ok(rows.every((m) => m.policy_version === 1 && m.decided_at?.getTime() === NOW.getTime()))
      const [session] = await db.query<{ evaluated_at: Date }>(
        'SELECT evaluated_at FROM training_session WHERE id = $1',
        [sessionId],
      )
      assert.equal(session?.evaluated_at.getTime(), NOW.getTime())

      const findings = await db.query<Record<string, unknown>>('SELECT * FROM finding')
      assert.equal(findings.length, 1)
      const f = findings[0] as Record<string, unknown>
      assert.equal(f.rule_id, 'engine-off')
      assert.equal(f.rule_version, 1)
      assert.equal(f.policy_version, 1)
      assert.equal(f.severity, 'medium')
      assert.equal(f.status, 'open')
      assert.equal(f.subject_kind, 'session')
      assert.equal(Number(f.session_id), sessionId)
      assert.equal(Number(f.student_id), studentId)
      assert.equal(f.institution_id, fixture.ids.institutions.xihu)
      assert.equal(f.city_code, '330100')
      assert.equal(f.county_code, '330106')
      assert.equal(f.detected_by, 'stream')
      assert.equal(f.dedupe_key, `engine-off:session:${sessionId}:session`)
      assert.deepEqual(f.params, { maxOffRpm: 0 })
      assert.equal((f.evidence as { minutes: unknown[] }).minutes.length, 2)

      const credits = await db.query<{ valid_minutes: number; session_minutes: number; policy_version: number }>(
        'SELECT valid_minutes, session_minutes, policy_version FROM session_credit WHERE session_id = $1 AND superseded_at IS NULL',
        [sessionId],
      )
      assert.equal(credits.length, 1)
      assert.equal(credits[0]?.session_minutes, 5)
      assert.equal(credits[0]?.valid_minutes, 3)

      // The same facts again: nothing is rewritten, the minutes keep the time they were decided.
      const same = await detectSessions(db, [sessionId], { rules: [engineOff], now: new Date(NOW.getTime() + 30_000) })
      assert.equal(same.changedMinutes, 0)
      assert.deepEqual(same.findings, { inserted: 0, updated: 0 })
      assert.ok((await minutes()).every((m) => m.decided_at?.getTime() === NOW.getTime()))

      // A verdict recorded differently only in its reasons (NULL, not {}) is rewritten.
      await db.query('UPDATE minute_record SET reasons = NULL WHERE session_id = $1 AND valid', [sessionId])
      const fixed = await detectSessions(db, [sessionId], { rules: [engineOff], now: new Date(NOW.getTime() + 40_000) })
      assert.equal(fixed.changedMinutes, 3)
      assert.ok((await minutes()).every((m) => Array.isArray(m.reasons)))
    })

    test('re-evaluation keeps one finding with its review state and refreshes its evidence', async () => {
      await db.query(`UPDATE finding SET status = 'confirmed', review_note = '已核实'`)
      await db.query(`UPDATE minute_record SET engine_rpm = 0 WHERE session_id = $1`, [sessionId])
      const later = new Date(NOW.getTime() + 60_000)
      const summary = await detectSessions(db, [sessionId], { rules: [engineOff], now: later })
      assert.deepEqual(summary.findings, { inserted: 0, updated: 1 })
      const findings = await db.query<{ status: string; review_note: string; evidence: { minutes: unknown[] } }>(
        'SELECT status, review_note, evidence FROM finding',
      )
      assert.equal(findings.length, 1)
      assert.equal(findings[0]?.status, 'confirmed')
      assert.equal(findings[0]?.review_note, '已核实')
      assert.equal(findings[0]?.evidence.minutes.length, 5)
      assert.ok((await minutes()).every((m) => m.valid === false))
      const credits = await db.query<{ valid_minutes: number }>(
        'SELECT valid_minutes FROM session_credit WHERE session_id = $1 AND superseded_at IS NULL',
        [sessionId],
      )
      assert.deepEqual(
        credits.map((c) => c.valid_minutes),
        [0],
      )
    })

    test('the stream claims what is due; a minute arriving later makes the session due again', async () => {
      await db.query(`UPDATE minute_record SET engine_rpm = 1500 WHERE session_id = $1`, [sessionId])
      const now = new Date('2026-05-06T05:01:00Z')
      const batches: number[] = []
      const stream = startDetectionStream({
        database: db,
        intervalMs: 3_600_000,
        batchSize: 50,
        rules: [engineOff],
        now: () => now,
        onBatch: (s) => batches.push(s.sessions),
      })
      try {
        assert.equal(await stream.tick(), 1, 'the lesson the ingestion wrote')
        assert.equal(await stream.tick(), 0, 'claimed once, then nothing is due')
        assert.deepEqual(await dueSessionIds(db, { limit: 10 }), [])
        // A 补传 minute for the same 课堂 arrives through the ingestion.
        const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(writerConfig) })
        await writer.accept(lessonEnvelopes(people, { start: LESSON_START, minutes: 6, classId: 9001 }))
        await writer.close()
        assert.deepEqual(await dueSessionIds(db, { limit: 10 }), [sessionId])
        assert.equal(await stream.tick(), 1)
        assert.deepEqual(batches, [1, 1])
        assert.equal(await stream.tick(), 0)
      } finally {
        await stream.stop()
      }
      const rows = await minutes()
      assert.equal(rows.length, 6)
      assert.ok(rows.every((m) => m.valid === true && m.reasons?.length === 0))
      // A replayed batch writes nothing and makes nothing due.
      const replay = createIngestWriter({ database: db, photoStore: photoStoreOf(writerConfig) })
      await replay.accept(lessonEnvelopes(people, { start: LESSON_START, minutes: 6, classId: 9001 }))
      await replay.close()
      assert.deepEqual(await dueSessionIds(db, { limit: 10 }), [])
    })

    test('a classroom record from another platform overlapping the practical lesson → cross-training', async () => {
      const [platform] = await db.query<{ id: number; platform_no: string }>(
        'SELECT id, platform_no FROM timing_platform WHERE id = $1',
        [fixture.ids.platforms.p2],
      )
      assert.ok(platform)
      const start = new Date(LESSON_START.getTime() + 60_000)
      const [exchange] = await db.query<{ id: number }>(
        `INSERT INTO training_session (terminal_id, class_id, institution_id, city_code, county_code, student_id,
                                       course_code, source_platform_id, source_record_no, part, mode, license_type,
                                       started_at, ended_at, reported_minutes)
         VALUES (NULL, 77, $1, '330100', '330106', $2, '2211010000', $3, 'R0000077', 1, 2, 'C1', $4, $5, 3)
         RETURNING id`,
        [fixture.ids.institutions.xihu, studentId, platform.id, start, new Date(start.getTime() + 180_000)],
      )
      assert.ok(exchange)
      for (let i = 0; i < 3; i++) {
        await db.query(
          `INSERT INTO minute_record (minute_at, record_no, session_id, student_id, institution_id, county_code,
                                      course_code, is_backfill, arrived_at)
           VALUES ($1, $2, $3, $4, $5, '330106', '2211010000', false, $6)`,
          [
            new Date(start.getTime() + i * 60_000),
            `X${platform.platform_no}R0000077`,
            exchange.id,
            studentId,
            fixture.ids.institutions.xihu,
            new Date('2026-05-06T06:00:00Z'),
          ],
        )
      }
      const from = localMidnight('2026-05-06')
      const to = localMidnight('2026-05-07')
      const progress: string[] = []
      const run = await runDetectionBatch(db, {
        from,
        to,
        now: new Date('2026-05-06T07:00:00Z'),
        onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`),
      })
      assert.equal(run.sessions, 2)
      assert.equal(run.byRule['cross-training'], 1)
      // Cross passes: the student rules, the rules over all sessions, the photo rules.
      assert.ok(progress.includes('sessions:2/2') && progress.includes('cross:3/3'), progress.join(' '))
      const findings = await db.query<{
        session_id: number
        subject_kind: string
        subject_id: string
        detected_by: string
        evidence: { sessions: number[] }
      }>(
        `SELECT session_id, subject_kind, subject_id, detected_by, evidence FROM finding WHERE rule_id = 'cross-training'`,
      )
      assert.equal(findings.length, 1)
      assert.equal(Number(findings[0]?.session_id), exchange.id)
      assert.equal(findings[0]?.subject_kind, 'student')
      assert.equal(findings[0]?.subject_id, String(studentId))
      assert.equal(findings[0]?.detected_by, 'batch')
      assert.deepEqual(
        findings[0]?.evidence.sessions.map(Number).sort((a, b) => a - b),
        [sessionId, exchange.id].sort((a, b) => a - b),
      )
      const exchangeMinutes = await db.query<{ valid: boolean | null }>(
        'SELECT valid FROM minute_record WHERE session_id = $1',
        [exchange.id],
      )
      assert.ok(
        exchangeMinutes.every((m) => m.valid !== null),
        'the exchange minutes were evaluated too',
      )
      const [runRow] = await db.query<{ finished_at: Date | null; error: string | null; stats: { sessions: number } }>(
        'SELECT finished_at, error, stats FROM detection_run WHERE id = $1',
        [run.runId],
      )
      assert.ok(runRow?.finished_at)
      assert.equal(runRow?.error, null)
      assert.equal(runRow?.stats.sessions, 2)

      // The same window again: nothing duplicated.
      const again = await runDetectionBatch(db, { from, to, now: new Date('2026-05-06T08:00:00Z') })
      assert.equal(again.findingsInserted, 0)
      // Students read one at a time (as a province-day is, in slices): the same findings.
      const sliced = await runDetectionBatch(db, {
        from,
        to,
        now: new Date('2026-05-06T08:00:00Z'),
        sessions: false,
        crossSliceSessions: 1,
      })
      assert.equal(sliced.crossPasses, 4, 'two slices of students, all sessions, photos')
      assert.deepEqual(sliced.byRule, { 'cross-training': 1 })
      assert.equal(sliced.findingsInserted, 0)
      const [count] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM finding WHERE rule_id = 'cross-training'`,
      )
      assert.equal(count?.n, 1)
    })

    test('the stream runs the cross rules over yesterday and today on its own', async () => {
      const stream = startDetectionStream({
        database: db,
        intervalMs: 3_600_000,
        batchSize: 50,
        now: () => new Date('2026-05-06T09:00:00Z'),
      })
      try {
        const summary = await stream.cross()
        assert.equal(summary.sessions, 0, 'no session is re-evaluated')
        assert.equal(summary.byRule['cross-training'], 1)
        assert.equal(summary.findingsInserted, 0)
        const [run] = await db.query<{ kind: string; window_from: Date }>(
          'SELECT kind, window_from FROM detection_run WHERE id = $1',
          [summary.runId],
        )
        assert.equal(run?.kind, 'cross')
        assert.equal(run?.window_from.toISOString(), '2026-05-04T16:00:00.000Z')
      } finally {
        await stream.stop()
      }
    })
  })
}
