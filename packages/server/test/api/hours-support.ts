/**
 * Credited hours for route tests without running thousands of terminal frames: sessions as the
 * exchange interface stores them (no terminal, one minute record per minute), evaluated and then
 * credited with creditSessions.
 */
import type { Database } from '../../src/db/client.ts'
import { creditSessions } from '../../src/hours/service.ts'

let recordSeq = 0

export interface SeedSession {
  part: number
  mode: number
  /** Session start (UTC). */
  start: Date
  minutes: number
  /** Metres per minute. */
  mileage?: number
  /** First n minutes are invalid with this rule id. */
  invalid?: { count: number; rule: string }
}

/** Inserts a session of a student with evaluated minutes, credits it and returns its id. */
export async function seedSession(db: Database, studentId: number, s: SeedSession): Promise<number> {
  const [stu] = await db.query<{
    institution_id: number
    city_code: string
    county_code: string
    license_type: string
  }>('SELECT institution_id, city_code, county_code, license_type FROM student WHERE id = $1', [studentId])
  if (!stu) throw new Error(`no student ${studentId}`)
  recordSeq++
  const recordNo = `T${String(recordSeq).padStart(8, '0')}`
  const courseCode = `${s.mode}21${s.part}110000`
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO training_session (terminal_id, class_id, institution_id, city_code, county_code, student_id,
       source_record_no, course_code, part, mode, license_type, started_at, ended_at)
     VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      recordSeq,
      stu.institution_id,
      stu.city_code,
      stu.county_code,
      studentId,
      recordNo,
      courseCode,
      s.part,
      s.mode,
      stu.license_type,
      s.start,
      new Date(s.start.getTime() + s.minutes * 60_000),
    ],
  )
  const id = row!.id
  await db.query(
    `INSERT INTO minute_record (minute_at, record_no, session_id, student_id, institution_id, county_code, course_code,
       mileage_m, is_backfill, arrived_at, valid, reasons, policy_version, decided_at)
     SELECT $1::timestamptz + make_interval(mins => g), $2 || lpad(g::text, 4, '0'), $3, $4, $5, $6, $7, $8, false, now(),
            g >= $9, CASE WHEN g < $9 THEN ARRAY[$10]::text[] END, 1, now()
       FROM generate_series(0, $11::int - 1) AS g`,
    [
      s.start,
      recordNo,
      id,
      studentId,
      stu.institution_id,
      stu.county_code,
      courseCode,
      s.mileage ?? 0,
      s.invalid?.count ?? 0,
      s.invalid?.rule ?? 'x',
      s.minutes,
    ],
  )
  await creditSessions(db, [id])
  return id
}

const day = (n: number) => new Date(Date.UTC(2026, 3, 1 + n, 0, 0))

/**
 * A C1 student's full 2016 syllabus, one 4-hour session a day: part 1 8 h classroom + 4 h remote,
 * part 2 16 h and part 3 24 h practical (300 km), part 4 10 h classroom. Returns session ids by part.
 */
export async function seedCompleteC1(db: Database, studentId: number): Promise<Record<number, number[]>> {
  const plan: [part: number, mode: number, minutes: number][] = [
    [1, 2, 240],
    [1, 2, 240],
    [1, 4, 240],
    ...Array.from({ length: 4 }, (): [number, number, number] => [2, 1, 240]),
    ...Array.from({ length: 6 }, (): [number, number, number] => [3, 1, 240]),
    [4, 2, 240],
    [4, 2, 240],
    [4, 2, 120],
  ]
  const out: Record<number, number[]> = { 1: [], 2: [], 3: [], 4: [] }
  for (const [i, [part, mode, minutes]] of plan.entries()) {
    out[part]!.push(
      await seedSession(db, studentId, { part, mode, start: day(i), minutes, mileage: mode === 1 ? 125 : 0 }),
    )
  }
  return out
}
