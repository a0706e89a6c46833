/**
 * 学时认定 against the database: reads minute_record and training_session, decides every affected
 * student-day with the pure core (account.ts) and writes session_credit rows.
 *
 * A credit row is never updated in place and never deleted: a changed decision sets superseded_at
 * on the current row and inserts a new one; an unchanged decision writes nothing. Each session is
 * decided under the syllabus version in force at its start, so publishing a new version does not
 * change the credits of sessions that started before it.
 */
import type { Sql } from '../db/client.ts'
import { localDay, localMidnight } from '../detection/time.ts'
import { listPolicyVersions, type PolicyVersion } from '../policy/store.ts'
import type { SyllabusPart, TrainingMode } from '../policy/syllabus.ts'
import { type DayCredit, decideCredits, type MinuteInput, type SessionInput } from './account.ts'

export interface CreditSummary {
  /** Sessions asked for that could be accounted (a student, a part and a mode). */
  sessions: number
  /** Sessions asked for that were skipped: unknown id, no student, or no part/mode. */
  skipped: number
  /** Student-days re-decided (each with all its sessions, from every source). */
  studentDays: number
  /** Credit rows decided, of them unchanged, newly written, and old rows superseded. */
  decided: number
  unchanged: number
  written: number
  superseded: number
}

interface SessionRow {
  id: number
  student_id: number | null
  institution_id: number
  city_code: string
  county_code: string
  part: number | null
  mode: number | null
  started_at: Date
}

interface MinuteRow {
  session_id: number
  minute_at: Date
  valid: boolean | null
  reasons: string[] | null
  mileage_m: number | null
}

interface CreditRow {
  id: number
  session_id: number
  local_day: string
  part: number
  mode: number
  cap_category: string
  policy_version: number
  session_minutes: number
  valid_minutes: number
  credited_minutes: number
  capped_minutes: number
  final_minutes: number
  mileage_m: number
  reasons: string[]
}

const DAY_MS = 86_400_000
const INSERT_CHUNK = 2000
/** Joins a credit's reasons for the batch insert (rule ids never contain it). */
const REASON_SEPARATOR = '\u001f'
const nextDay = (day: string) => localDay(new Date(localMidnight(day).getTime() + DAY_MS + 3_600_000))

/** The syllabus version in force at `at` among `versions` (sorted newest first). */
export function versionAt(versions: readonly PolicyVersion<'syllabus'>[], at: Date): PolicyVersion<'syllabus'> {
  const inForce = versions.find((v) => v.effectiveFrom.getTime() <= at.getTime())
  return inForce ?? (versions[versions.length - 1] as PolicyVersion<'syllabus'>)
}

const accountable = (s: SessionRow) =>
  s.student_id !== null &&
  s.part !== null &&
  s.part >= 1 &&
  s.part <= 4 &&
  s.mode !== null &&
  s.mode >= 1 &&
  s.mode <= 4

function sameDecision(row: CreditRow, c: DayCredit): boolean {
  return (
    row.part === c.part &&
    row.mode === c.mode &&
    row.cap_category === c.capCategory &&
    row.policy_version === c.policyVersion &&
    row.session_minutes === c.sessionMinutes &&
    row.valid_minutes === c.validMinutes &&
    row.credited_minutes === c.creditedMinutes &&
    row.capped_minutes === c.cappedMinutes &&
    row.final_minutes === c.finalMinutes &&
    row.mileage_m === c.mileageM &&
    row.reasons.join('\u0000') === c.reasons.join('\u0000')
  )
}

/**
 * (Re)decides the credits of the given sessions' student-days from minute_record.valid (null =
 * not yet evaluated → not credited). Every session of the same student with minutes on those days
 * is decided with them (the daily caps span all sources). Idempotent: a second call with nothing
 * changed writes nothing.
 */
export interface CreditOptions {
  now?: Date
  /**
   * Every minute record of some of the asked sessions, as minute_record holds them now (the
   * detection step passes the minutes it has just judged): those sessions' minutes are not read
   * again, only the other sessions' of the same student-days.
   */
  known?: ReadonlyMap<number, readonly MinuteInput[]>
}

export async function creditSessions(
  q: Sql,
  sessionIds: number[],
  options: CreditOptions = {},
): Promise<CreditSummary> {
  const now = options.now ?? new Date()
  const summary: CreditSummary = {
    sessions: 0,
    skipped: 0,
    studentDays: 0,
    decided: 0,
    unchanged: 0,
    written: 0,
    superseded: 0,
  }
  const ids = [...new Set(sessionIds.filter((id) => Number.isSafeInteger(id) && id > 0))]
  if (ids.length === 0) return summary
  const asked = await q.query<SessionRow>(
    `SELECT id, student_id, institution_id, city_code, county_code, part, mode, started_at
       FROM training_session WHERE id = ANY($1::bigint[])`,
    [ids],
  )
  const usable = asked.filter(accountable)
  summary.sessions = usable.length
  summary.skipped = ids.length - usable.length
  if (usable.length === 0) return summary

  // The local days each asked session has minutes on (a session crossing midnight has two), plus
  // the days it already holds credits on (minutes may have been re-dated).
  const known = new Map<number, readonly MinuteInput[]>()
  for (const s of usable) {
    const list = options.known?.get(Number(s.id))
    if (list) known.set(Number(s.id), list)
  }
  const unknownIds = usable.map((s) => Number(s.id)).filter((id) => !known.has(id))
  const dayRows =
    unknownIds.length > 0
      ? await q.query<{ session_id: number; minute_at: Date }>(
          `SELECT session_id, min(minute_at) AS minute_at FROM minute_record
            WHERE session_id = ANY($1::bigint[])
            GROUP BY session_id, ((minute_at AT TIME ZONE 'UTC') + interval '8 hours')::date`,
          [unknownIds],
        )
      : []
  const held = await q.query<{ session_id: number; local_day: string }>(
    `SELECT session_id, local_day FROM session_credit WHERE session_id = ANY($1::bigint[]) AND superseded_at IS NULL`,
    [usable.map((s) => s.id)],
  )
  const studentOf = new Map(usable.map((s) => [Number(s.id), Number(s.student_id)]))
  const daysByStudent = new Map<number, Set<string>>()
  const addDay = (sessionId: number, day: string) => {
    const student = studentOf.get(Number(sessionId))
    if (student === undefined) return
    let days = daysByStudent.get(student)
    if (!days) {
      days = new Set()
      daysByStudent.set(student, days)
    }
    days.add(day)
  }
  for (const r of dayRows) addDay(r.session_id, localDay(new Date(r.minute_at)))
  for (const [sessionId, list] of known) for (const m of list) addDay(sessionId, localDay(m.minuteAt))
  for (const r of held) addDay(r.session_id, r.local_day)

  const versions = await listPolicyVersions(q, 'syllabus')
  const students = [...daysByStudent.keys()]
  const allDays = [...new Set([...daysByStudent.values()].flatMap((d) => [...d]))].sort()
  summary.studentDays = [...daysByStudent.values()].reduce((n, d) => n + d.size, 0)
  const from = localMidnight(allDays[0] as string)
  const to = localMidnight(nextDay(allDays[allDays.length - 1] as string))

  // Every minute of these students in the window, from every source (the caps span them all):
  // those of the known sessions as given, the others read.
  const minutes = await q.query<Omit<MinuteRow, 'minute_at'> & { student_id: number; minute_ms: number }>(
    // minute_at as epoch milliseconds (truncated, as a JS Date parse would): fewer bytes to read.
    `SELECT m.session_id, s.student_id,
            round(date_part('epoch', date_trunc('milliseconds', m.minute_at)) * 1000) AS minute_ms,
            m.valid, m.reasons, m.mileage_m
       FROM minute_record m JOIN training_session s ON s.id = m.session_id
      WHERE s.student_id = ANY($1::bigint[]) AND s.id <> ALL($4::bigint[])
        AND m.minute_at >= $2 AND m.minute_at < $3`,
    [students, from, to, [...known.keys()]],
  )
  const minutesBySession = new Map<number, MinuteInput[]>()
  const take = (sessionId: number, studentId: number, m: MinuteInput) => {
    if (!daysByStudent.get(studentId)?.has(localDay(m.minuteAt))) return
    const list = minutesBySession.get(sessionId) ?? []
    list.push(m)
    minutesBySession.set(sessionId, list)
  }
  for (const m of minutes) {
    take(Number(m.session_id), Number(m.student_id), {
      minuteAt: new Date(Number(m.minute_ms)),
      valid: m.valid,
      reasons: m.reasons,
      mileageM: m.mileage_m,
    })
  }
  const [fromMs, toMs] = [from.getTime(), to.getTime()]
  for (const [sessionId, list] of known) {
    const studentId = studentOf.get(sessionId) as number
    for (const m of list) {
      const t = m.minuteAt.getTime()
      if (t >= fromMs && t < toMs) take(sessionId, studentId, m)
    }
  }
  const sessions = minutesBySession.size
    ? await q.query<SessionRow>(
        `SELECT id, student_id, institution_id, city_code, county_code, part, mode, started_at
           FROM training_session WHERE id = ANY($1::bigint[])`,
        [[...minutesBySession.keys()]],
      )
    : []
  const placement = new Map(sessions.map((s) => [Number(s.id), s]))
  const inputsByStudent = new Map<number, SessionInput[]>()
  for (const s of sessions.filter(accountable)) {
    const version = versionAt(versions, new Date(s.started_at))
    const list = inputsByStudent.get(Number(s.student_id)) ?? []
    list.push({
      id: Number(s.id),
      startedAt: new Date(s.started_at),
      part: s.part as SyllabusPart,
      mode: s.mode as TrainingMode,
      policyVersion: version.version,
      policy: version.body,
      minutes: minutesBySession.get(Number(s.id)) ?? [],
    })
    inputsByStudent.set(Number(s.student_id), list)
  }

  const current = await q.query<CreditRow & { student_id: number }>(
    `SELECT id, student_id, session_id, local_day, part, mode, cap_category, policy_version, session_minutes,
            valid_minutes, credited_minutes, capped_minutes, final_minutes, mileage_m, reasons
       FROM session_credit
      WHERE student_id = ANY($1::bigint[]) AND local_day = ANY($2::date[]) AND superseded_at IS NULL`,
    [students, allDays],
  )
  const inScope = current.filter((r) => daysByStudent.get(Number(r.student_id))?.has(r.local_day))
  const currentByKey = new Map(inScope.map((r) => [`${r.session_id}:${r.local_day}`, r]))
  const decidedKeys = new Set<string>()
  const supersede: number[] = []
  const inserts: { studentId: number; credit: DayCredit; session: SessionRow }[] = []
  for (const [studentId, inputs] of inputsByStudent) {
    for (const c of decideCredits(inputs)) {
      summary.decided++
      const key = `${c.sessionId}:${c.localDay}`
      decidedKeys.add(key)
      const row = currentByKey.get(key)
      if (row && sameDecision(row, c)) {
        summary.unchanged++
        continue
      }
      if (row) supersede.push(Number(row.id))
      inserts.push({ studentId, credit: c, session: placement.get(c.sessionId) as SessionRow })
    }
  }
  // A current row whose session no longer has minutes that day (or lost its student) is withdrawn.
  for (const row of inScope) if (!decidedKeys.has(`${row.session_id}:${row.local_day}`)) supersede.push(Number(row.id))

  if (supersede.length > 0) {
    const done = await q.query(
      'UPDATE session_credit SET superseded_at = $2 WHERE id = ANY($1::bigint[]) AND superseded_at IS NULL RETURNING id',
      [supersede, now],
    )
    summary.superseded += done.length
  }
  for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
    const chunk = inserts.slice(i, i + INSERT_CHUNK)
    const col = <T>(f: (x: (typeof chunk)[number]) => T) => chunk.map(f)
    const written = await q.query(
      `INSERT INTO session_credit (session_id, local_day, student_id, institution_id, city_code, county_code, part, mode,
          cap_category, policy_version, session_minutes, valid_minutes, credited_minutes, capped_minutes,
          final_minutes, mileage_m, reasons, decided_at)
       SELECT t.session_id, t.local_day, t.student_id, t.institution_id, t.city_code, t.county_code, t.part, t.mode,
              t.cap_category, t.policy_version, t.session_minutes, t.valid_minutes, t.credited_minutes,
              t.capped_minutes, t.final_minutes, t.mileage_m,
              CASE WHEN t.reasons = '' THEN '{}'::text[] ELSE string_to_array(t.reasons, chr(31)) END, $18
         FROM unnest($1::bigint[], $2::date[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::int2[], $8::int2[],
                     $9::text[], $10::int[], $11::int[], $12::int[], $13::int[], $14::int[], $15::int[], $16::int[],
                     $17::text[])
           AS t(session_id, local_day, student_id, institution_id, city_code, county_code, part, mode, cap_category,
                policy_version, session_minutes, valid_minutes, credited_minutes, capped_minutes, final_minutes,
                mileage_m, reasons)
       ON CONFLICT (session_id, local_day) WHERE superseded_at IS NULL DO NOTHING
       RETURNING id`,
      [
        col((x) => x.credit.sessionId),
        col((x) => x.credit.localDay),
        col((x) => x.studentId),
        col((x) => x.session.institution_id),
        col((x) => x.session.city_code),
        col((x) => x.session.county_code),
        col((x) => x.credit.part),
        col((x) => x.credit.mode),
        col((x) => x.credit.capCategory),
        col((x) => x.credit.policyVersion),
        col((x) => x.credit.sessionMinutes),
        col((x) => x.credit.validMinutes),
        col((x) => x.credit.creditedMinutes),
        col((x) => x.credit.cappedMinutes),
        col((x) => x.credit.finalMinutes),
        col((x) => x.credit.mileageM),
        col((x) => x.credit.reasons.join(REASON_SEPARATOR)),
        now,
      ],
    )
    summary.written += written.length
  }
  return summary
}
