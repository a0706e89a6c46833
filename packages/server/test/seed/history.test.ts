import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { parseCourseCode } from '@jiapei/jt808-training'
import { loadFleetProfiles, type TerminalProfile } from '@jiapei/simulator'
import type { Database } from '../../src/db/client.ts'
import { runDetectionBatch } from '../../src/detection/engine/batch.ts'
import { localDay, localMidnight } from '../../src/detection/time.ts'
import { ensureDefaultPolicy } from '../../src/policy/store.ts'
import { SYLLABUS_2016 } from '../../src/policy/syllabus.ts'
import { type SeedSummary, seedDemo } from '../../src/seed/seed.ts'
import {
  FraudRotation,
  HistoryGenerator,
  loadRegistryIndex,
  type Planned,
  planPracticalDay,
  writePlanned,
} from '../../src/seed/training-history.ts'
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
      // Classroom, simulator and remote records carry no vehicle, no GNSS and no terminal; they come
      // from a timing platform.
      assert.equal(
        await count(
          db,
          `SELECT count(*)::int AS n FROM training_session
            WHERE mode <> 1 AND (terminal_id IS NOT NULL OR vehicle_id IS NOT NULL OR source_platform_id IS NULL)`,
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

/** The four cross kinds whose case is more than a changed lesson. */
const CROSS_KINDS = ['cross-training', 'daily-cap-exceeded', 'exam-city-audit', 'coach-consistency']
const DAY = '2025-06-10'

const ms = (v: unknown) => (v as Date).getTime()
const overlapping = (a: Planned, b: Planned) =>
  ms(a.rows.session.started_at) < ms(b.rows.session.ended_at) &&
  ms(b.rows.session.started_at) < ms(a.rows.session.ended_at)
const studentOf = (p: Planned) => p.rows.session.student_id as number

for (const engine of await testEngines()) {
  describe(`labelled cross cases of the benchmark [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let planned: Planned[]
    let registry: Awaited<ReturnType<typeof loadRegistryIndex>>
    const findings = new Map<string, Set<number>>()

    before(async () => {
      db = await engine.open()
      await seedDemo(db, { scale: 'tiny', seed: 7, today: DAY })
      await ensureDefaultPolicy(db, 'detection')
      await ensureDefaultPolicy(db, 'syllabus')
      registry = await loadRegistryIndex(db)
      const g = new HistoryGenerator(registry, 7)
      const profiles: TerminalProfile[] = []
      const coaches = new Set<string>()
      for (const p of await loadFleetProfiles(db, 120, 7)) {
        if (profiles.length >= 30 || coaches.has(p.coach.coachNo) || !registry.terminals.has(p.deviceNo)) continue
        if (!registry.coachIds.has(p.coach.coachNo)) continue
        coaches.add(p.coach.coachNo)
        profiles.push(p)
      }
      await g.prepareSpares(db, profiles, DAY, false)
      planned = planPracticalDay(g, new FraudRotation(undefined, CROSS_KINDS), {
        day: DAY,
        profiles,
        lessons: 4,
        fraudRate: 0.3,
        seed: 7,
      })
      g.settle(planned)
      await writePlanned(db, planned, g)
      const from = localMidnight(DAY)
      const to = new Date(from.getTime() + 86_400_000)
      await runDetectionBatch(db, { from, to, now: new Date(to.getTime() + 86_400_000) })
      for (const f of await db.query<{ rule_id: string; session_id: number | null; sessions: unknown }>(
        `SELECT rule_id, session_id, evidence->'sessions' AS sessions FROM finding`,
      )) {
        const set = findings.get(f.rule_id) ?? new Set<number>()
        if (f.session_id !== null) set.add(Number(f.session_id))
        const linked = typeof f.sessions === 'string' ? JSON.parse(f.sessions) : f.sessions
        if (Array.isArray(linked)) for (const id of linked) set.add(Number(id))
        findings.set(f.rule_id, set)
      }
    })
    after(async () => {
      await db?.close()
    })

    const ofKind = (kind: string) => planned.filter((p) => p.fraud === kind)

    test('every kind is injected', () => {
      for (const kind of CROSS_KINDS) assert.ok(ofKind(kind).length >= 2, `${kind}: ${ofKind(kind).length}`)
    })

    test('cross-training: a theory record from the timing platform overlapping the student’s car lesson', () => {
      for (const p of ofKind('cross-training')) {
        const s = p.rows.session
        assert.equal(s.terminal_id, null)
        assert.equal(s.vehicle_id, null)
        assert.ok(s.source_platform_id !== null && typeof s.source_record_no === 'string')
        assert.ok(p.mode === 2 || p.mode === 4, `mode ${p.mode}`)
        assert.ok(p.part === 1 || p.part === 4, `part ${p.part}`)
        assert.equal(p.rows.minutes.length, 30)
        const partners = planned.filter(
          (q) => q !== p && q.mode === 1 && studentOf(q) === studentOf(p) && overlapping(p, q),
        )
        assert.equal(partners.length, 1, `session ${p.id} overlaps one car lesson of its student`)
        assert.equal(
          partners[0]?.rows.session.source_platform_id ?? null,
          null,
          'the car lesson came through the gateway',
        )
        assert.ok(p.expected.has('cross-training') && partners[0]?.expected.has('cross-training'))
      }
    })

    test('daily-cap-exceeded: a simulator record takes the student’s practical minutes of the day over the cap', () => {
      const cap = SYLLABUS_2016.dailyCapHours.practical * SYLLABUS_2016.hourMinutes
      for (const p of ofKind('daily-cap-exceeded')) {
        assert.equal(p.mode, 3)
        assert.equal(p.rows.session.terminal_id, null)
        assert.ok(p.rows.session.source_platform_id !== null)
        const day = planned.filter(
          (q) => studentOf(q) === studentOf(p) && localDay(q.rows.session.started_at as Date) === DAY,
        )
        assert.ok(
          day.some((q) => q.mode === 1),
          'the student drove that day',
        )
        assert.ok(!day.some((q) => q !== p && overlapping(p, q)), 'the record overlaps none of the student’s sessions')
        const minutes = new Set(
          day.filter((q) => q.mode === 1 || q.mode === 3).flatMap((q) => q.rows.minutes.map((m) => ms(m.minute_at))),
        )
        assert.ok(minutes.size > cap, `${minutes.size} > ${cap}`)
        // Every practical session of that day is labelled (the finding lists them), theory ones are not.
        for (const q of day)
          assert.equal(q.expected.has('daily-cap-exceeded'), q.mode === 1 || q.mode === 3, `session ${q.id}`)
      }
    })

    test('exam-city-audit: an exam booked in another city; the student’s latest session is labelled', () => {
      const exams = planned.flatMap((p) => p.rows.exams ?? [])
      for (const p of ofKind('exam-city-audit')) {
        const place = registry.studentPlaces.get(studentOf(p))
        const own = exams.filter((e) => e.student_id === studentOf(p))
        assert.ok(own.length >= 1)
        for (const e of own) assert.notEqual(String(e.exam_city_code).slice(0, 4), place?.cityCode.slice(0, 4))
        const sessions = planned.filter((q) => studentOf(q) === studentOf(p))
        const latest = sessions.reduce((a, b) =>
          ms(b.rows.session.started_at) > ms(a.rows.session.started_at) ||
          (ms(b.rows.session.started_at) === ms(a.rows.session.started_at) && b.id > a.id)
            ? b
            : a,
        )
        for (const q of sessions) assert.equal(q.expected.has('exam-city-audit'), q === latest, `session ${q.id}`)
      }
      // Clean students book in their own city.
      const injected = new Set(ofKind('exam-city-audit').map(studentOf))
      const clean = exams.filter((e) => !injected.has(Number(e.student_id)))
      assert.ok(clean.length > 0, 'some clean students book an exam')
      for (const e of clean)
        assert.equal(
          String(e.exam_city_code).slice(0, 4),
          registry.studentPlaces.get(Number(e.student_id))?.cityCode.slice(0, 4),
        )
    })

    test('coach-consistency: from halfway the minute records name another coach of the school; the signed-in coach stays', async () => {
      for (const p of ofKind('coach-consistency')) {
        const signedIn = p.rows.session.coach_id
        const others = p.rows.minutes.filter((m) => m.coach_id !== signedIn)
        assert.ok(others.length > 0 && others.length <= Math.ceil(p.rows.minutes.length / 2))
        assert.equal(new Set(others.map((m) => m.coach_id)).size, 1)
        assert.notEqual(p.rows.minutes[p.rows.minutes.length - 1]?.coach_id, signedIn, 'they teach to the end')
        const other = others[0]?.coach_id as number
        const [coach] = await db.query<{ institution_id: number; employment_status: string; teach_permitted: string }>(
          'SELECT institution_id, employment_status, teach_permitted FROM coach WHERE id = $1',
          [other],
        )
        assert.equal(coach?.institution_id, p.terminal.institutionId)
        assert.equal(coach?.employment_status, 'employed')
        assert.ok(coach?.teach_permitted.includes(p.student.licenseType))
        assert.ok(
          !planned.some((q) => q.rows.session.coach_id === other),
          'the other coach teaches no lesson of their own',
        )
        assert.ok(p.expected.has('coach-consistency'))
      }
    })

    test('detection finds exactly the labelled sessions of the four rules', () => {
      for (const rule of CROSS_KINDS) {
        const labelled = planned
          .filter((p) => p.expected.has(rule))
          .map((p) => p.id)
          .sort((a, b) => a - b)
        const flagged = [...(findings.get(rule) ?? [])].sort((a, b) => a - b)
        assert.ok(labelled.length > 0, rule)
        assert.deepEqual(flagged, labelled, rule)
      }
    })
  })
}
