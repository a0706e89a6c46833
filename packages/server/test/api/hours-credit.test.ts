/**
 * creditSessions on sessions as ingestion writes them (lessons encoded with the codec through the
 * writer) and on a session from a third-party platform: first decision, idempotence, re-decision
 * superseding the old row, crossing midnight, the daily cap across sources, and policy versions.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { creditSessions } from '../../src/hours/service.ts'
import { photoStoreOf } from '../../src/ingestion/bus.ts'
import { createIngestWriter, type IngestWriter } from '../../src/ingestion/writer.ts'
import { publishPolicy } from '../../src/policy/store.ts'
import { SYLLABUS_2016 } from '../../src/policy/syllabus.ts'
import { type LessonPeople, lessonEnvelopes, lessonPeople } from '../ingestion/lesson.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture } from './fixture.ts'

interface Credit {
  session_id: number
  local_day: string
  policy_version: number
  session_minutes: number
  valid_minutes: number
  credited_minutes: number
  capped_minutes: number
  final_minutes: number
  mileage_m: number
  reasons: string[]
  superseded_at: Date | null
}

for (const engine of await testEngines()) {
  describe(`creditSessions [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let dir: string
    let writer: IngestWriter
    let people: LessonPeople
    let fixture: Fixture
    let classId = 7000

    /** Runs a lesson through ingestion; returns its session id. */
    const lesson = async (start: string, minutes: number) => {
      classId++
      await writer.accept(lessonEnvelopes(people, { start: new Date(start), minutes, classId }))
      const [row] = await db.query<{ id: number }>('SELECT id FROM training_session WHERE class_id = $1', [classId])
      assert.ok(row)
      return row.id
    }
    /** What the detection engine does: decide every minute of the session, some invalid. */
    const evaluate = async (
      sessionId: number,
      invalid: { first: number; count: number; rule: string } | null = null,
    ) => {
      await db.query(
        'UPDATE minute_record SET valid = true, reasons = NULL, policy_version = 1 WHERE session_id = $1',
        [sessionId],
      )
      if (invalid) {
        await db.query(
          `UPDATE minute_record SET valid = false, reasons = ARRAY[$4]::text[]
            WHERE session_id = $1 AND minute_at IN (
              SELECT minute_at FROM minute_record WHERE session_id = $1 ORDER BY minute_at OFFSET $2 LIMIT $3)`,
          [sessionId, invalid.first, invalid.count, invalid.rule],
        )
      }
    }
    const credits = (sessionId: number, all = false) =>
      db.query<Credit>(
        `SELECT session_id, local_day, policy_version, session_minutes, valid_minutes, credited_minutes, capped_minutes,
                final_minutes, mileage_m, reasons, superseded_at
           FROM session_credit WHERE session_id = $1 ${all ? '' : 'AND superseded_at IS NULL'} ORDER BY local_day, id`,
        [sessionId],
      )
    const brief = (c: Credit) => [c.local_day, c.session_minutes, c.valid_minutes, c.final_minutes, c.capped_minutes]

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-hours-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      writer = createIngestWriter({ database: db, photoStore: photoStoreOf(config) })
      people = await lessonPeople(db)
    })
    after(async () => {
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('an evaluated lesson is credited once; unevaluated minutes are not; nothing changes twice', async () => {
      const id = await lesson('2026-05-06T01:00:00Z', 20)
      // Not evaluated yet: the minutes are counted but nothing is credited.
      let summary = await creditSessions(db, [id])
      assert.deepEqual([summary.sessions, summary.written], [1, 1])
      assert.deepEqual((await credits(id)).map(brief), [['2026-05-06', 20, 0, 0, 0]])
      assert.deepEqual((await credits(id))[0]?.reasons, ['UNEVALUATED:20', 'LOW_VALID_SHARE'])

      await evaluate(id, { first: 0, count: 3, rule: 'engine-rpm-zero' })
      summary = await creditSessions(db, [id])
      assert.deepEqual([summary.written, summary.superseded], [1, 1])
      const [c] = await credits(id)
      assert.deepEqual(brief(c!), ['2026-05-06', 20, 17, 20, 0])
      assert.deepEqual(c!.reasons, ['engine-rpm-zero:3'])
      assert.equal(c!.policy_version, 1)
      assert.equal(c!.mileage_m, 17 * 400)

      // Same facts again: no write.
      summary = await creditSessions(db, [id])
      assert.deepEqual([summary.decided, summary.unchanged, summary.written, summary.superseded], [1, 1, 0, 0])
      // The history keeps both decisions; only the latest is current.
      const all = await credits(id, true)
      assert.equal(all.length, 2)
      assert.equal(all.filter((r) => r.superseded_at === null).length, 1)
    })

    test('a session crossing local midnight is credited on both days', async () => {
      // 23:45 Beijing time on 8 May for 30 minutes.
      const id = await lesson('2026-05-08T15:45:00Z', 30)
      await evaluate(id)
      await creditSessions(db, [id])
      assert.deepEqual((await credits(id)).map(brief), [
        ['2026-05-08', 15, 15, 15, 0],
        ['2026-05-09', 15, 15, 15, 0],
      ])
    })

    test('the practical daily cap counts sessions from every source, in the order they happened', async () => {
      const [student] = await db.query<{ id: number; institution_id: number; city_code: string; county_code: string }>(
        'SELECT id, institution_id, city_code, county_code FROM student WHERE stu_no = $1',
        [people.studentNo],
      )
      assert.ok(student)
      // 10 May: 200 minutes at 08:00 from a third-party platform, then 60 minutes at 14:00 from a terminal.
      const [ex] = await db.query<{ id: number }>(
        `INSERT INTO training_session (terminal_id, class_id, institution_id, city_code, county_code, student_id,
           source_platform_id, source_record_no, course_code, part, mode, license_type, started_at, ended_at)
         VALUES (NULL, 1, $1, $2, $3, $4, $5, 'REC0001', '1212110000', 2, 1, 'C1', $6, $7) RETURNING id`,
        [
          student.institution_id,
          student.city_code,
          student.county_code,
          student.id,
          fixture.ids.platforms.p1,
          new Date('2026-05-10T00:00:00Z'),
          new Date('2026-05-10T03:20:00Z'),
        ],
      )
      assert.ok(ex)
      await db.query(
        `INSERT INTO minute_record (minute_at, record_no, session_id, student_id, institution_id, county_code, course_code,
           mileage_m, is_backfill, arrived_at, valid)
         SELECT $1::timestamptz + make_interval(mins => g), 'X10001REC0001' || lpad(g::text, 4, '0'), $2, $3, $4, $5,
                '1212110000', 300, false, now(), true
           FROM generate_series(0, 199) AS g`,
        [new Date('2026-05-10T00:00:00Z'), ex.id, student.id, student.institution_id, student.county_code],
      )
      const gw = await lesson('2026-05-10T06:00:00Z', 60)
      await evaluate(gw)
      // The engine credits the gateway session alone: the day is decided with both.
      const summary = await creditSessions(db, [gw])
      assert.equal(summary.decided, 2)
      assert.deepEqual((await credits(ex.id)).map(brief), [['2026-05-10', 200, 200, 200, 0]])
      const [late] = await credits(gw)
      assert.deepEqual(brief(late!), ['2026-05-10', 60, 60, 40, 20])
      assert.deepEqual(late!.reasons, ['DAILY_CAP'])
    })

    test('a new syllabus version governs later sessions only; earlier credits keep theirs', async () => {
      const before1 = await lesson('2026-05-12T01:00:00Z', 30)
      await evaluate(before1)
      await creditSessions(db, [before1])
      // The province lowers the practical cap to 3 学时 from 12 May 12:00 Beijing time.
      await publishPolicy(
        db,
        'syllabus',
        { ...SYLLABUS_2016, dailyCapHours: { classroom: 4, practical: 3 } },
        { effectiveFrom: new Date('2026-05-12T04:00:00Z') },
      )
      // Re-crediting the earlier session changes nothing.
      const again = await creditSessions(db, [before1])
      assert.deepEqual([again.unchanged, again.written], [1, 0])
      const after1 = await lesson('2026-05-12T06:00:00Z', 170)
      await evaluate(after1)
      await creditSessions(db, [after1])
      const [a] = await credits(before1)
      const [b] = await credits(after1)
      assert.equal(a!.policy_version, 1)
      assert.equal(b!.policy_version, 2)
      // 30 minutes used before; version 2 allows 180 in the day, so 150 of 170 fit.
      assert.deepEqual(brief(b!), ['2026-05-12', 170, 170, 150, 20])
      // The ledger's earlier days are untouched by the publication.
      const [older] = await credits(
        (await db.query<{ id: number }>('SELECT id FROM training_session ORDER BY id'))[0]!.id,
      )
      assert.equal(older!.policy_version, 1)
    })

    test('minutes handed in are decided as given; the other sessions of the student-day are read', async () => {
      const first = await lesson('2026-05-04T01:00:00Z', 20)
      const second = await lesson('2026-05-04T03:00:00Z', 20)
      await evaluate(first)
      await evaluate(second)
      await creditSessions(db, [first, second])
      const minutesOf = async (id: number, valid: boolean, reasons: string[]) =>
        (
          await db.query<{ minute_at: Date; mileage_m: number | null }>(
            'SELECT minute_at, mileage_m FROM minute_record WHERE session_id = $1 ORDER BY minute_at',
            [id],
          )
        ).map((m) => ({ minuteAt: new Date(m.minute_at), valid, reasons, mileageM: m.mileage_m }))
      // As stored: nothing to write.
      let summary = await creditSessions(db, [first], { known: new Map([[first, await minutesOf(first, true, [])]]) })
      assert.deepEqual([summary.decided, summary.unchanged, summary.written], [2, 2, 0])
      // Handed in as invalid: the first session follows them, the second is read as stored.
      summary = await creditSessions(db, [first], {
        known: new Map([[first, await minutesOf(first, false, ['engine-rpm-zero'])]]),
      })
      assert.deepEqual([summary.decided, summary.unchanged, summary.written, summary.superseded], [2, 1, 1, 1])
      assert.deepEqual((await credits(first)).map(brief), [['2026-05-04', 20, 0, 0, 0]])
      assert.deepEqual((await credits(first))[0]?.reasons, ['engine-rpm-zero:20', 'LOW_VALID_SHARE'])
      assert.deepEqual((await credits(second)).map(brief), [['2026-05-04', 20, 20, 20, 0]])
      // Without them the stored minutes decide again.
      await creditSessions(db, [first])
      assert.deepEqual((await credits(first)).map(brief), [['2026-05-04', 20, 20, 20, 0]])
    })

    test('ids that cannot be accounted are skipped', async () => {
      const summary = await creditSessions(db, [999_999, -1])
      assert.deepEqual([summary.sessions, summary.skipped, summary.written], [0, 1, 0])
    })
  })
}
