/**
 * Loads what the detection rules see (detection/rule.ts) from the database, set-based: for any
 * number of sessions a fixed handful of queries (sessions, minutes, positions, photos, students,
 * coaches, vehicles, training fields, policy versions), never one query per session.
 *
 * Registry facts:
 *  - a coach is `filed` when employed (`employment_status = 'employed'`) at an institution whose
 *    filing is active (`filing_status = 'filed'`); a vehicle is `filed` when in use (`status =
 *    'active'`) at such an institution;
 *  - `blacklisted` is false for everyone: the platform keeps no watch list yet;
 *  - fields are the institution's active training fields approved for the session's licence type
 *    (or for every type when the field lists none); a GeoJSON MultiPolygon becomes one field fact
 *    per polygon;
 *  - a session's vehicle is its own, or else the vehicle its terminal is mounted in.
 *
 * Policies: the detection and syllabus versions in force at each session's start (all versions
 * are read once and picked in memory).
 */
import type { Sql } from '../../db/client.ts'
import type { DetectionPolicy } from '../../policy/detection.ts'
import { listPolicyVersions, type PolicyKind, type PolicyVersion } from '../../policy/store.ts'
import type { SyllabusPart, TrainingMode } from '../../policy/syllabus.ts'
import type {
  CoachFact,
  CreditFact,
  CrossFacts,
  FieldFact,
  MinuteFact,
  PhotoFact,
  PositionFact,
  Ring,
  SessionFact,
  SessionFacts,
  StudentFact,
  VehicleFact,
} from '../rule.ts'
import { LOCAL_OFFSET_MS } from '../time.ts'

/** Policy versions of one kind, newest first, and the one in force at a time. */
export class PolicyTimeline<K extends PolicyKind> {
  constructor(readonly versions: PolicyVersion<K>[]) {
    if (versions.length === 0) throw new Error('policy timeline needs at least one version')
  }

  static async load<K extends PolicyKind>(q: Sql, kind: K): Promise<PolicyTimeline<K>> {
    return new PolicyTimeline((await listPolicyVersions(q, kind)).sort((a, b) => b.version - a.version))
  }

  /** The highest version effective at `at`; before every version, the earliest one. */
  at(at: Date): PolicyVersion<K> {
    const t = at.getTime()
    return (
      this.versions.find((v) => v.effectiveFrom.getTime() <= t) ?? (this.versions[this.versions.length - 1] as never)
    )
  }
}

export interface Policies {
  detection: PolicyTimeline<'detection'>
  syllabus: PolicyTimeline<'syllabus'>
}

export async function loadPolicies(q: Sql): Promise<Policies> {
  return { detection: await PolicyTimeline.load(q, 'detection'), syllabus: await PolicyTimeline.load(q, 'syllabus') }
}

/** Session facts with the policy versions they are judged under. */
export interface LoadedSession {
  facts: SessionFacts
  detection: PolicyVersion<'detection'>
  syllabus: PolicyVersion<'syllabus'>
  /**
   * The verdict each loaded minute holds now (by minuteKey), so a re-evaluation writes only the
   * minutes whose verdict changes; absent when minutes were not loaded in full.
   */
  stored?: ReadonlyMap<string, StoredVerdict>
}

/** A minute's recorded verdict: validity, reasons and the syllabus version it was decided under. */
export interface StoredVerdict {
  valid: boolean | null
  /** The reasons in PostgreSQL's array text form (`{a,b}`, `{}`), null when none are recorded. */
  reasonsText: string | null
  policyVersion: number | null
}

/** Key of a minute record (its primary key). */
export const minuteKey = (recordNo: string, minuteAt: Date): string => `${recordNo}@${minuteAt.getTime()}`

/**
 * Minute records chosen by what the cross rules of a pass read (rule.ts `MinuteNeed`): every
 * minute of the sessions that qualify, and for every other session without a logout its last
 * minute (for its span). Found with one aggregate over the sessions' minutes (per session and local
 * day: records, and records naming another coach), so the records themselves are read only for the
 * sessions that need them.
 */
export interface MinuteSelection {
  /** Sessions where some minute names a coach other than the session's. */
  coachMismatch: boolean
  /** Sessions of students with more than this many minute records on some local day; null = none. */
  studentDayOver: number | null
}

export interface LoadOptions {
  now?: Date
  /** Load the terminal's positions of each session (default true; cross rules do not need them). */
  positions?: boolean
  /**
   * Minute records to load (default 'all'): 'open-last' keeps only the last minute of a session
   * without a logout (what its span needs), 'none' none, a selection those of the sessions it picks.
   */
  minutes?: 'all' | 'open-last' | 'none' | MinuteSelection
  /** Load the photos of each session (default true). */
  photos?: boolean
  /** With minutes 'all': also the verdict each minute holds now (LoadedSession.stored; default false). */
  verdicts?: boolean
  policies?: Policies
}

interface SessionRow {
  id: number
  terminal_id: number | null
  source_platform_id: number | null
  student_id: number | null
  coach_id: number | null
  vehicle_id: number | null
  institution_id: number
  city_code: string
  county_code: string
  course_code: string | null
  mode: number | null
  part: number | null
  license_type: string | null
  started_at: Date
  ended_at: Date | null
  reported_minutes: number | null
  reported_mileage_m: number | null
}

const SESSION_SELECT = `SELECT ts.id, ts.terminal_id, ts.source_platform_id, ts.student_id, ts.coach_id,
       COALESCE(ts.vehicle_id, t.vehicle_id) AS vehicle_id, ts.institution_id, ts.city_code, ts.county_code,
       ts.course_code, ts.mode, ts.part, ts.license_type, ts.started_at, ts.ended_at, ts.reported_minutes,
       ts.reported_mileage_m
  FROM training_session ts LEFT JOIN terminal t ON t.id = ts.terminal_id`

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)))
/** A Date from epochMs(…) (a number, or its text when a driver returns float8 as text). */
const fromMs = (v: unknown): Date => new Date(Number(v))

const toMode = (v: number | null): TrainingMode | null => (v !== null && v >= 1 && v <= 4 ? (v as TrainingMode) : null)
const toPart = (v: number | null): SyllabusPart | null => (v !== null && v >= 1 && v <= 4 ? (v as SyllabusPart) : null)

/**
 * A timestamptz as epoch milliseconds (float8, truncated to the millisecond as a JS Date parse
 * would): a dozen digits to read instead of a 22–29 character timestamp, and no time-zone text
 * formatting on the server.
 */
const epochMs = (column: string) => `round(date_part('epoch', date_trunc('milliseconds', ${column})) * 1000)`

const MINUTE_COLUMNS = `record_no, ${epochMs('minute_at')} AS minute_ms, session_id, max_speed_kmh, record_speed_kmh, mileage_m,
       engine_rpm, lng, lat, is_backfill, ${epochMs('arrived_at')} AS arrived_ms, coach_id`
/** What the minutes hold already, for LoadOptions.verdicts. */
const VERDICT_COLUMNS = ', valid, reasons::text AS reasons_text, policy_version'

function sessionFact(r: SessionRow): SessionFact {
  return {
    id: Number(r.id),
    source: r.terminal_id === null && r.source_platform_id !== null ? 'exchange' : 'gateway',
    sourcePlatformId: num(r.source_platform_id),
    terminalId: num(r.terminal_id),
    studentId: num(r.student_id),
    coachId: num(r.coach_id),
    vehicleId: num(r.vehicle_id),
    institutionId: Number(r.institution_id),
    cityCode: r.city_code,
    countyCode: r.county_code,
    courseCode: r.course_code,
    mode: toMode(num(r.mode)),
    part: toPart(num(r.part)),
    licenseType: r.license_type,
    startedAt: date(r.started_at),
    endedAt: r.ended_at === null ? null : date(r.ended_at),
    reportedMinutes: num(r.reported_minutes),
    reportedMileageM: num(r.reported_mileage_m),
  }
}

/** GeoJSON Polygon / MultiPolygon → polygons as ring lists; anything else → []. */
export function polygonsOf(geo: unknown): Ring[][] {
  if (!geo || typeof geo !== 'object') return []
  const g = geo as { type?: string; coordinates?: unknown }
  if (g.type === 'Polygon' && Array.isArray(g.coordinates)) return [g.coordinates as Ring[]]
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) return g.coordinates as Ring[][]
  return []
}

const splitTypes = (text: string | null): string[] =>
  (text ?? '')
    .split(/[\s,，、;；/]+/)
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean)

function group<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = out.get(k)
    if (list) list.push(row)
    else out.set(k, [row])
  }
  return out
}

/** Facts of the given sessions, in the order of `sessionIds` (unknown ids are skipped). */
export async function loadSessionFacts(
  q: Sql,
  sessionIds: readonly number[],
  options: LoadOptions = {},
): Promise<LoadedSession[]> {
  const ids = [...new Set(sessionIds)]
  if (ids.length === 0) return []
  const rows = await q.query<SessionRow>(`${SESSION_SELECT} WHERE ts.id = ANY($1::bigint[])`, [ids])
  return assemble(q, rows, options)
}

async function assemble(q: Sql, rows: SessionRow[], options: LoadOptions): Promise<LoadedSession[]> {
  const now = options.now ?? new Date()
  const policies = options.policies ?? (await loadPolicies(q))
  const sessions = rows.map(sessionFact)
  if (sessions.length === 0) return []
  const ids = sessions.map((s) => s.id)

  const minuteMode = options.minutes ?? 'all'
  const withVerdicts = minuteMode === 'all' && options.verdicts === true
  // Sessions whose every minute is read, and sessions of which only the last minute is.
  const fullIds =
    minuteMode === 'all' ? ids : typeof minuteMode === 'object' ? await selectedSessions(q, sessions, minuteMode) : []
  const full = new Set(fullIds)
  const openIds =
    minuteMode === 'open-last' || typeof minuteMode === 'object'
      ? sessions.filter((s) => s.endedAt === null && !full.has(s.id)).map((s) => s.id)
      : []
  const minuteRows = [
    ...(fullIds.length > 0
      ? await q.query<Record<string, unknown>>(
          `SELECT ${MINUTE_COLUMNS}${withVerdicts ? VERDICT_COLUMNS : ''} FROM minute_record WHERE session_id = ANY($1::bigint[])
            ORDER BY session_id, minute_at, record_no`,
          [fullIds],
        )
      : []),
    ...(openIds.length > 0
      ? await q.query<Record<string, unknown>>(
          `SELECT DISTINCT ON (session_id) ${MINUTE_COLUMNS} FROM minute_record WHERE session_id = ANY($1::bigint[])
            ORDER BY session_id, minute_at DESC, record_no DESC`,
          [openIds],
        )
      : []),
  ]
  const stored = new Map<string, StoredVerdict>()
  const minutes = group(
    minuteRows.map((r): MinuteFact => {
      const fact: MinuteFact = {
        recordNo: String(r.record_no),
        minuteAt: fromMs(r.minute_ms),
        sessionId: Number(r.session_id),
        maxSpeedKmh: num(r.max_speed_kmh),
        recordSpeedKmh: num(r.record_speed_kmh),
        mileageM: num(r.mileage_m),
        engineRpm: num(r.engine_rpm),
        lng: num(r.lng),
        lat: num(r.lat),
        backfill: Boolean(r.is_backfill),
        arrivedAt: fromMs(r.arrived_ms),
        coachId: num(r.coach_id),
      }
      if (withVerdicts) {
        stored.set(minuteKey(fact.recordNo, fact.minuteAt), {
          valid: r.valid === null || r.valid === undefined ? null : Boolean(r.valid),
          reasonsText: r.reasons_text === null || r.reasons_text === undefined ? null : String(r.reasons_text),
          policyVersion: num(r.policy_version),
        })
      }
      return fact
    }),
    (m) => m.sessionId,
  )

  const positions = new Map<number, PositionFact[]>()
  if (options.positions !== false) {
    const positionRows = await q.query<Record<string, unknown>>(
      // Per session a range scan of position's (terminal_id, fixed_at) key: LATERAL … OFFSET 0 keeps
      // the planner from hashing the whole month's partition when a batch is a large share of it.
      `SELECT s.id AS session_id, ${epochMs('p.fixed_at')} AS fixed_ms, p.lng, p.lat, p.speed_kmh, p.status_flags,
              p.is_backfill, ${epochMs('p.arrived_at')} AS arrived_ms
         FROM training_session s
        CROSS JOIN LATERAL (
              SELECT fixed_at, lng, lat, speed_kmh, status_flags, is_backfill, arrived_at FROM position
               WHERE terminal_id = s.terminal_id AND fixed_at >= s.started_at AND fixed_at <= COALESCE(s.ended_at, $2)
              OFFSET 0) p
        WHERE s.id = ANY($1::bigint[]) AND s.terminal_id IS NOT NULL
        ORDER BY s.id, p.fixed_at`,
      [ids, now],
    )
    for (const [sessionId, list] of group(positionRows, (r) => Number(r.session_id))) {
      positions.set(
        sessionId,
        list.map((r) => {
          const status = num(r.status_flags)
          return {
            fixedAt: fromMs(r.fixed_ms),
            lng: Number(r.lng),
            lat: Number(r.lat),
            speedKmh: num(r.speed_kmh),
            // 状态位 bit 1 = 定位; a position without status flags is taken as located.
            located: status === null ? true : (status & 2) !== 0,
            backfill: Boolean(r.is_backfill),
            arrivedAt: fromMs(r.arrived_ms),
          }
        }),
      )
    }
  }

  const photoRows =
    options.photos === false
      ? []
      : await q.query<Record<string, unknown>>(
          `SELECT id, session_id, taken_at, event_type, face_confidence, sha256, phash, mean_luma, luma_stddev,
                  face_count, face_distance, student_id, coach_id
             FROM photo WHERE session_id = ANY($1::bigint[]) ORDER BY session_id, taken_at NULLS LAST, id`,
          [ids],
        )
  const photos = group(
    photoRows.map((r) => {
      const eventType = num(r.event_type)
      // 教练员登录/登出 photos (20, 21) show the coach; every other event shows the student.
      const coachPhoto = eventType === 20 || eventType === 21
      const personId = coachPhoto ? num(r.coach_id) : num(r.student_id)
      const fact: PhotoFact & { sessionId: number } = {
        sessionId: Number(r.session_id),
        id: Number(r.id),
        takenAt: r.taken_at === null ? null : date(r.taken_at),
        eventType,
        faceConfidence: num(r.face_confidence),
        sha256: String(r.sha256),
        phash: r.phash === null ? null : String(r.phash),
        meanLuma: num(r.mean_luma),
        lumaStddev: num(r.luma_stddev),
        faceCount: num(r.face_count),
        faceDistance: num(r.face_distance),
        personKind: personId === null ? null : coachPhoto ? 'coach' : 'student',
        personId,
      }
      return fact
    }),
    (p) => p.sessionId,
  )

  const unique = (values: (number | null)[]) => [...new Set(values.filter((v): v is number => v !== null))]
  const studentIds = unique(sessions.map((s) => s.studentId))
  const coachIds = unique(sessions.map((s) => s.coachId))
  const vehicleIds = unique(sessions.map((s) => s.vehicleId))
  const institutionIds = unique(sessions.map((s) => s.institutionId))

  const students = new Map<number, StudentFact>()
  for (const r of await q.query<Record<string, unknown>>(
    'SELECT id, stu_no, institution_id, license_type, city_code FROM student WHERE id = ANY($1::bigint[])',
    [studentIds],
  )) {
    students.set(Number(r.id), {
      id: Number(r.id),
      stuNo: String(r.stu_no),
      institutionId: Number(r.institution_id),
      licenseType: String(r.license_type),
      cityCode: String(r.city_code),
    })
  }
  const coaches = new Map<number, CoachFact>()
  for (const r of await q.query<Record<string, unknown>>(
    `SELECT c.id, c.coach_no, c.institution_id, c.employment_status, c.teach_permitted, i.filing_status
       FROM coach c JOIN institution i ON i.id = c.institution_id WHERE c.id = ANY($1::int[])`,
    [coachIds],
  )) {
    coaches.set(Number(r.id), {
      id: Number(r.id),
      coachNo: String(r.coach_no),
      institutionId: Number(r.institution_id),
      filed: r.employment_status === 'employed' && r.filing_status === 'filed',
      blacklisted: false,
      teachPermitted: splitTypes(r.teach_permitted as string | null),
    })
  }
  const vehicles = new Map<number, VehicleFact>()
  for (const r of await q.query<Record<string, unknown>>(
    `SELECT v.id, v.plate, v.institution_id, v.status, v.vehicle_type, v.inspection_valid_until, i.filing_status
       FROM vehicle v JOIN institution i ON i.id = v.institution_id WHERE v.id = ANY($1::int[])`,
    [vehicleIds],
  )) {
    vehicles.set(Number(r.id), {
      id: Number(r.id),
      plate: String(r.plate),
      institutionId: Number(r.institution_id),
      filed: r.status === 'active' && r.filing_status === 'filed',
      vehicleType: String(r.vehicle_type),
      inspectionValidUntil: r.inspection_valid_until === null ? null : String(r.inspection_valid_until),
    })
  }
  const fieldsOf = new Map<number, { types: string[]; fact: FieldFact }[]>()
  for (const r of await q.query<Record<string, unknown>>(
    `SELECT id, institution_id, name, polygon, vehicle_types FROM training_field
      WHERE institution_id = ANY($1::int[]) AND status = 'active' ORDER BY id`,
    [institutionIds],
  )) {
    const types = ((r.vehicle_types as string[] | null) ?? []).map((t) => t.toUpperCase())
    const polygons = polygonsOf(r.polygon)
    const list = fieldsOf.get(Number(r.institution_id)) ?? []
    for (const polygon of polygons.length > 0 ? polygons : [null]) {
      list.push({ types, fact: { id: Number(r.id), name: String(r.name), polygon, vehicleTypes: types } })
    }
    fieldsOf.set(Number(r.institution_id), list)
  }

  return sessions.map((session) => {
    const detection = policies.detection.at(session.startedAt)
    const syllabus = policies.syllabus.at(session.startedAt)
    const student = session.studentId === null ? null : (students.get(session.studentId) ?? null)
    const licenseType = (session.licenseType ?? student?.licenseType ?? '').toUpperCase()
    const fields = (fieldsOf.get(session.institutionId) ?? [])
      .filter((f) => f.types.length === 0 || licenseType === '' || f.types.includes(licenseType))
      .map((f) => f.fact)
    return {
      detection,
      syllabus,
      ...(withVerdicts ? { stored } : {}),
      facts: {
        session,
        minutes: minutes.get(session.id) ?? [],
        positions: positions.get(session.id) ?? [],
        photos: (photos.get(session.id) ?? []).map(({ sessionId: _, ...p }) => p),
        student,
        coach: session.coachId === null ? null : (coaches.get(session.coachId) ?? null),
        vehicle: session.vehicleId === null ? null : (vehicles.get(session.vehicleId) ?? null),
        fields,
        windows: (detection.body as DetectionPolicy).windows,
        syllabus: syllabus.body,
        now,
      },
    }
  })
}

/** The sessions a minute selection reads in full (see MinuteSelection). */
async function selectedSessions(
  q: Sql,
  sessions: readonly SessionFact[],
  selection: MinuteSelection,
): Promise<number[]> {
  if (!selection.coachMismatch && selection.studentDayOver === null) return []
  const stats = await q.query<{ session_id: number; day: number; n: number; mismatched: number }>(
    `SELECT m.session_id, floor((${epochMs('m.minute_at')} + $2::float8) / 86400000)::int AS day,
            count(*)::int AS n, count(*) FILTER (WHERE m.coach_id <> s.coach_id)::int AS mismatched
       FROM minute_record m JOIN training_session s ON s.id = m.session_id
      WHERE m.session_id = ANY($1::bigint[])
      GROUP BY 1, 2`,
    [sessions.map((s) => s.id), LOCAL_OFFSET_MS],
  )
  const studentOf = new Map(sessions.map((s) => [s.id, s.studentId]))
  const picked = new Set<number>()
  const perStudentDay = new Map<string, number>()
  for (const r of stats) {
    const sessionId = Number(r.session_id)
    if (selection.coachMismatch && Number(r.mismatched) > 0) picked.add(sessionId)
    const studentId = studentOf.get(sessionId)
    if (selection.studentDayOver === null || studentId === null || studentId === undefined) continue
    const key = `${studentId}|${r.day}`
    perStudentDay.set(key, (perStudentDay.get(key) ?? 0) + Number(r.n))
  }
  const busy = new Set<number>()
  for (const [key, n] of perStudentDay) if (n > (selection.studentDayOver ?? 0)) busy.add(Number(key.split('|')[0]))
  for (const s of sessions) if (s.studentId !== null && busy.has(s.studentId)) picked.add(s.id)
  return [...picked]
}

export interface WindowOptions extends LoadOptions {
  /** 6-digit city code: only sessions of that city. */
  cityCode?: string
  /**
   * Only the sessions of one slice of the students: those whose student id modulo `count` is
   * `index` (sessions without a student fall in slice 0). A student's sessions are never split.
   */
  studentSlice?: { count: number; index: number }
  /** Load the students' exams and current credits (default true). */
  studentFacts?: boolean
}

export interface LoadedWindow {
  cross: CrossFacts
  sessions: LoadedSession[]
}

/** The longest a session can run; bounds the index scan of sessions overlapping a window. */
const MAX_SESSION_MS = 24 * 3_600_000

/** Ids of the sessions overlapping [from, to) (optionally of one city), oldest first. */
export async function sessionIdsInWindow(q: Sql, from: Date, to: Date, cityCode?: string): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT id FROM training_session
      WHERE started_at < $2 AND started_at > $3 AND COALESCE(ended_at, 'infinity') > $1
        AND ($4::text IS NULL OR city_code = $4)
      ORDER BY started_at, id`,
    [from, to, new Date(from.getTime() - MAX_SESSION_MS), cityCode ?? null],
  )
  return rows.map((r) => Number(r.id))
}

/**
 * Everything the cross rules see for [from, to): the sessions overlapping it with their facts
 * (positions only when asked for; minutes, photos and the students' exams and credits unless
 * told otherwise; optionally one slice of the students only), and the syllabus in force at `from`.
 */
export async function loadWindowFacts(
  q: Sql,
  from: Date,
  to: Date,
  options: WindowOptions = {},
): Promise<LoadedWindow> {
  const now = options.now ?? new Date()
  const policies = options.policies ?? (await loadPolicies(q))
  const rows = await q.query<SessionRow>(
    `${SESSION_SELECT}
      WHERE ts.started_at < $2 AND ts.started_at > $3 AND COALESCE(ts.ended_at, 'infinity') > $1
        AND ($4::text IS NULL OR ts.city_code = $4)
        AND ($5::int IS NULL OR COALESCE(ts.student_id, 0) % $5 = $6)
      ORDER BY ts.started_at, ts.id`,
    [
      from,
      to,
      new Date(from.getTime() - MAX_SESSION_MS),
      options.cityCode ?? null,
      options.studentSlice?.count ?? null,
      options.studentSlice?.index ?? 0,
    ],
  )
  const sessions = await assemble(q, rows, { ...options, now, policies, positions: options.positions ?? false })
  const studentIds =
    options.studentFacts === false
      ? []
      : [...new Set(sessions.map((s) => s.facts.session.studentId).filter((v): v is number => v !== null))]
  const exams = (
    await q.query<Record<string, unknown>>(
      `SELECT student_id, subject, exam_city_code, exam_on::text AS exam_on, result FROM exam_result
        WHERE student_id = ANY($1::bigint[]) ORDER BY student_id, exam_on, subject`,
      [studentIds],
    )
  ).map((r) => ({
    studentId: Number(r.student_id),
    subject: Number(r.subject),
    examCityCode: String(r.exam_city_code),
    examOn: String(r.exam_on),
    result: String(r.result),
  }))
  const credits = (
    await q.query<Record<string, unknown>>(
      `SELECT student_id, part, mode, SUM(final_minutes)::int AS minutes FROM session_credit
        WHERE superseded_at IS NULL AND student_id = ANY($1::bigint[])
        GROUP BY student_id, part, mode ORDER BY student_id, part, mode`,
      [studentIds],
    )
  ).map(
    (r): CreditFact => ({
      studentId: Number(r.student_id),
      part: Number(r.part) as SyllabusPart,
      mode: Number(r.mode) as TrainingMode,
      creditedMinutes: Number(r.minutes),
    }),
  )
  return {
    sessions,
    cross: {
      from,
      to,
      sessions: sessions.map((s) => s.facts),
      exams,
      credits,
      syllabus: policies.syllabus.at(from).body,
      now,
    },
  }
}
