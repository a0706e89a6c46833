/**
 * Persist: writes one batch plan inside the caller's transaction — the raw archive first, then
 * sessions, minute records and positions — each table with one multi-row statement and
 * ON CONFLICT on its natural key, so a replayed or 补传 batch changes nothing the second time —
 * and marks the sessions it wrote to as due for streaming detection (detection/engine/due.ts).
 */
import { parseCourseCode } from '@jiapei/jt808-training'
import { type BatchColumn, ensurePartitions, insertBatch } from '../db/batch.ts'
import type { Sql } from '../db/client.ts'
import { markDue } from '../detection/engine/due.ts'
import type { BatchPlan, SessionDraft } from './dedupe.ts'
import type { RegistryCache, TerminalPlacement } from './registry-cache.ts'

/**
 * Months whose partitions this process has made sure of, per table. Transactions get a fresh `Sql`
 * each, so the batch helper's own cache would never hit; this one lives with the registry cache
 * and is cleared when a transaction fails (its partitions may have been rolled back).
 */
async function preparePartitions(
  tx: Sql,
  registry: RegistryCache,
  table: 'raw_frame' | 'minute_record' | 'position',
  times: Date[],
): Promise<void> {
  const missing = times.filter((t) => !registry.preparedMonths.has(`${table}:${t.toISOString().slice(0, 7)}`))
  if (missing.length === 0) return
  await ensurePartitions(tx, table, missing)
  for (const t of missing) registry.preparedMonths.add(`${table}:${t.toISOString().slice(0, 7)}`)
}

export interface PersistResult {
  /** Rows written per table (0 for a pure replay). */
  rawFrames: number
  sessions: number
  minutes: number
  positions: number
  /** Derived rows dropped because their terminal is not in the registry (the raw frame is kept). */
  unresolved: number
}

const RAW_COLUMNS: BatchColumn[] = [
  { name: 'received_at', type: 'timestamptz' },
  { name: 'terminal_phone', type: 'text' },
  { name: 'msg_id', type: 'int4' },
  { name: 'serial_no', type: 'int4' },
  { name: 'direction', type: 'text' },
  { name: 'frame', type: 'bytea' },
  { name: 'decode_error', type: 'text' },
  { name: 'gateway_node', type: 'text' },
]

const SESSION_COLUMNS: BatchColumn[] = [
  { name: 'terminal_id', type: 'int4' },
  { name: 'class_id', type: 'int8' },
  { name: 'institution_id', type: 'int4' },
  { name: 'city_code', type: 'text' },
  { name: 'county_code', type: 'text' },
  { name: 'student_id', type: 'int8' },
  { name: 'coach_id', type: 'int4' },
  { name: 'vehicle_id', type: 'int4' },
  { name: 'course_code', type: 'text' },
  { name: 'source_platform_id', type: 'int4' },
  { name: 'started_at', type: 'timestamptz' },
  { name: 'ended_at', type: 'timestamptz' },
  { name: 'part', type: 'int2' },
  { name: 'mode', type: 'int2' },
  { name: 'license_type', type: 'text' },
  { name: 'reported_minutes', type: 'int4' },
  { name: 'reported_mileage_m', type: 'int4' },
]

/**
 * A session row is merged, never replaced: the earliest start, the first end, and people already
 * resolved stay as they are. Replaying the same frames therefore leaves the row unchanged — and is
 * not even rewritten: every minute record of a batch names its session, and an update that changes
 * nothing would still cost a new row version and its index entries.
 */
const SESSION_CONFLICT = `(terminal_id, class_id) DO UPDATE SET
  started_at = LEAST(training_session.started_at, EXCLUDED.started_at),
  ended_at = COALESCE(training_session.ended_at, EXCLUDED.ended_at),
  student_id = COALESCE(training_session.student_id, EXCLUDED.student_id),
  coach_id = COALESCE(training_session.coach_id, EXCLUDED.coach_id),
  course_code = COALESCE(training_session.course_code, EXCLUDED.course_code),
  part = COALESCE(training_session.part, EXCLUDED.part),
  mode = COALESCE(training_session.mode, EXCLUDED.mode),
  license_type = COALESCE(training_session.license_type, EXCLUDED.license_type),
  reported_minutes = COALESCE(training_session.reported_minutes, EXCLUDED.reported_minutes),
  reported_mileage_m = COALESCE(training_session.reported_mileage_m, EXCLUDED.reported_mileage_m)
  WHERE EXCLUDED.started_at < training_session.started_at
     OR (training_session.ended_at IS NULL AND EXCLUDED.ended_at IS NOT NULL)
     OR (training_session.student_id IS NULL AND EXCLUDED.student_id IS NOT NULL)
     OR (training_session.coach_id IS NULL AND EXCLUDED.coach_id IS NOT NULL)
     OR (training_session.course_code IS NULL AND EXCLUDED.course_code IS NOT NULL)
     OR (training_session.part IS NULL AND EXCLUDED.part IS NOT NULL)
     OR (training_session.mode IS NULL AND EXCLUDED.mode IS NOT NULL)
     OR (training_session.license_type IS NULL AND EXCLUDED.license_type IS NOT NULL)
     OR (training_session.reported_minutes IS NULL AND EXCLUDED.reported_minutes IS NOT NULL)
     OR (training_session.reported_mileage_m IS NULL AND EXCLUDED.reported_mileage_m IS NOT NULL)`

const MINUTE_COLUMNS: BatchColumn[] = [
  { name: 'minute_at', type: 'timestamptz' },
  { name: 'record_no', type: 'text' },
  { name: 'session_id', type: 'int8' },
  { name: 'terminal_id', type: 'int4' },
  { name: 'student_id', type: 'int8' },
  { name: 'coach_id', type: 'int4' },
  { name: 'institution_id', type: 'int4' },
  { name: 'county_code', type: 'text' },
  { name: 'course_code', type: 'text' },
  { name: 'status', type: 'int4' },
  { name: 'max_speed_kmh', type: 'float4' },
  { name: 'mileage_m', type: 'int4' },
  { name: 'lng', type: 'float8' },
  { name: 'lat', type: 'float8' },
  { name: 'is_backfill', type: 'bool' },
  { name: 'arrived_at', type: 'timestamptz' },
  { name: 'record_speed_kmh', type: 'float4' },
  { name: 'engine_rpm', type: 'int4' },
  { name: 'vehicle_id', type: 'int4' },
]

const POSITION_COLUMNS: BatchColumn[] = [
  { name: 'fixed_at', type: 'timestamptz' },
  { name: 'terminal_id', type: 'int4' },
  { name: 'session_id', type: 'int8' },
  { name: 'lng', type: 'float8' },
  { name: 'lat', type: 'float8' },
  { name: 'speed_kmh', type: 'float4' },
  { name: 'heading', type: 'int2' },
  { name: 'altitude_m', type: 'int2' },
  { name: 'alarm_flags', type: 'int8' },
  { name: 'status_flags', type: 'int8' },
  { name: 'mileage_m', type: 'int4' },
  { name: 'is_backfill', type: 'bool' },
  { name: 'arrived_at', type: 'timestamptz' },
]

/** bytea elements as Buffers: node-postgres and PGlite both serialise them inside a bytea[] parameter. */
function byteaValue(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** A terminal's WORD in a smallint column: out-of-range values (vendor garbage) become null. */
function smallint(v: number): number | null {
  return Number.isInteger(v) && v >= -32768 && v <= 32767 ? v : null
}

interface SessionRef {
  id: number
  terminalId: number
  classId: number
  studentId: number | null
  coachId: number | null
  courseCode: string | null
  startedAt: Date
  endedAt: Date | null
}

export async function persist(tx: Sql, plan: BatchPlan, registry: RegistryCache): Promise<PersistResult> {
  const result: PersistResult = { rawFrames: 0, sessions: 0, minutes: 0, positions: 0, unresolved: 0 }

  // 1. The raw archive: every envelope, decodable or not.
  if (plan.raw.length > 0) {
    await preparePartitions(
      tx,
      registry,
      'raw_frame',
      plan.raw.map((r) => r.envelope.receivedAt),
    )
    result.rawFrames = await insertBatch(
      tx,
      'raw_frame',
      RAW_COLUMNS,
      plan.raw
        .map(({ envelope: e, decodeError }) => [
          e.receivedAt,
          e.terminalPhone,
          e.msgId,
          e.serialNo,
          e.direction,
          byteaValue(e.frame),
          decodeError,
          e.gatewayNode,
        ])
        .sort(
          (a, b) =>
            compareText(a[1] as string, b[1] as string) ||
            (a[0] as Date).getTime() - (b[0] as Date).getTime() ||
            (a[2] as number) - (b[2] as number) ||
            (a[3] as number) - (b[3] as number),
        ),
      { onConflict: 'DO NOTHING' },
    )
  }
  if (plan.sessions.length === 0 && plan.positions.length === 0) return result

  // 2. Registry: terminals, then the people named by sessions and minute records.
  const derived = [...plan.sessions, ...plan.positions, ...plan.minutes]
  const { byPhone, byId } = await registry.terminals(
    tx,
    derived.filter((d) => d.terminalId === undefined).map((d) => d.terminalPhone),
    derived.flatMap((d) => (d.terminalId === undefined ? [] : [d.terminalId])),
  )
  const terminalOf = (d: { terminalId: number | undefined; terminalPhone: string }): TerminalPlacement | undefined =>
    d.terminalId === undefined ? byPhone.get(d.terminalPhone) : byId.get(d.terminalId)
  const studentIds = await registry.studentIds(tx, [
    ...plan.sessions.flatMap((s) => (s.studentNo ? [s.studentNo] : [])),
    ...plan.minutes.map((m) => m.event.studentNo),
  ])
  const coachIds = await registry.coachIds(tx, [
    ...plan.sessions.flatMap((s) => (s.coachNo ? [s.coachNo] : [])),
    ...plan.minutes.map((m) => m.event.coachNo),
  ])

  // 3. Sessions (课堂), merged on (terminal, 课堂ID).
  // Rows go in in key order, in every table: two transactions writing the same keys (concurrent
  // group commits, or several ingest processes) then wait for each other instead of deadlocking.
  const sessionRows: unknown[][] = []
  const sessionKeys: [number, number][] = []
  for (const s of plan.sessions) {
    const t = terminalOf(s)
    if (!t) {
      result.unresolved++
      continue
    }
    sessionRows.push(sessionRow(s, t, studentIds, coachIds))
  }
  sessionRows.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number))
  for (const row of sessionRows) sessionKeys.push([row[0] as number, row[1] as number])
  const sessions = new Map<string, SessionRef>()
  if (sessionRows.length > 0) {
    result.sessions = await insertBatch(tx, 'training_session', SESSION_COLUMNS, sessionRows, {
      onConflict: SESSION_CONFLICT,
    })
    const refs = await tx.query<SessionRef>(
      `SELECT s.id, s.terminal_id AS "terminalId", s.class_id AS "classId", s.student_id AS "studentId",
              s.coach_id AS "coachId", s.course_code AS "courseCode", s.started_at AS "startedAt", s.ended_at AS "endedAt"
         FROM training_session s
         JOIN unnest($1::int4[], $2::int8[]) AS k(t, c) ON s.terminal_id = k.t AND s.class_id = k.c`,
      [sessionKeys.map((k) => k[0]), sessionKeys.map((k) => k[1])],
    )
    for (const ref of refs) sessions.set(`${ref.terminalId}|${ref.classId}`, ref)
  }

  // 4. Minute records: keyed by 学时记录编号 + minute; a stored record is never overwritten.
  const minuteRows: unknown[][] = []
  for (const m of plan.minutes) {
    const t = terminalOf(m)
    if (!t) {
      result.unresolved++
      continue
    }
    const e = m.event
    const s = sessions.get(`${t.id}|${e.classId}`)
    minuteRows.push([
      e.minuteAt,
      e.recordNo,
      s?.id ?? null,
      t.id,
      studentIds.get(e.studentNo) ?? s?.studentId ?? null,
      coachIds.get(e.coachNo) ?? s?.coachId ?? null,
      t.institutionId,
      t.countyCode,
      e.courseCode,
      e.status,
      e.maxSpeedKmh,
      e.mileageM,
      e.lng,
      e.lat,
      e.backfill,
      m.arrivedAt,
      e.recordSpeedKmh,
      e.engineRpm,
      t.vehicleId,
    ])
  }
  if (minuteRows.length > 0) {
    minuteRows.sort(
      (a, b) => compareText(a[1] as string, b[1] as string) || (a[0] as Date).getTime() - (b[0] as Date).getTime(),
    )
    await preparePartitions(
      tx,
      registry,
      'minute_record',
      minuteRows.map((r) => r[0] as Date),
    )
    result.minutes = await insertBatch(tx, 'minute_record', MINUTE_COLUMNS, minuteRows, { onConflict: 'DO NOTHING' })
  }

  // 5. Positions, attached to the session that was open on their terminal at the fix time.
  const positionRows: unknown[][] = []
  const positionTerminals = new Map<number, TerminalPlacement>()
  for (const p of plan.positions) {
    const t = terminalOf(p)
    if (t) positionTerminals.set(t.id, t)
  }
  const candidates = await sessionCandidates(tx, [...positionTerminals.keys()], sessions)
  for (const p of plan.positions) {
    const t = terminalOf(p)
    if (!t) {
      result.unresolved++
      continue
    }
    const e = p.event
    const s = candidates
      .get(t.id)
      ?.find((c) => c.startedAt <= e.fixedAt && (c.endedAt === null || e.fixedAt <= c.endedAt))
    positionRows.push([
      e.fixedAt,
      t.id,
      s?.id ?? null,
      e.lng,
      e.lat,
      e.speedKmh,
      smallint(e.heading),
      e.altitudeM === null ? null : smallint(e.altitudeM),
      e.alarmFlags,
      e.statusFlags,
      e.mileageM,
      e.backfill,
      p.arrivedAt,
    ])
  }
  if (positionRows.length > 0) {
    positionRows.sort(
      (a, b) => (a[1] as number) - (b[1] as number) || (a[0] as Date).getTime() - (b[0] as Date).getTime(),
    )
    await preparePartitions(
      tx,
      registry,
      'position',
      positionRows.map((r) => r[0] as Date),
    )
    result.positions = await insertBatch(tx, 'position', POSITION_COLUMNS, positionRows, {
      onConflict: 'DO NOTHING',
    })
  }

  // 6. Sessions with a new minute record, start or end are due for streaming detection.
  if (result.minutes > 0 || result.sessions > 0)
    await markDue(
      tx,
      [...sessions.values()].map((s) => Number(s.id)),
    )
  return result
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function sessionRow(
  s: SessionDraft,
  t: TerminalPlacement,
  studentIds: Map<string, number>,
  coachIds: Map<string, number>,
): unknown[] {
  const parsed = s.courseCode ? parseCourseCode(s.courseCode) : null
  const course = parsed?.ok ? parsed.value : null
  return [
    t.id,
    s.classId,
    t.institutionId,
    t.cityCode,
    t.countyCode,
    s.studentNo ? (studentIds.get(s.studentNo) ?? null) : null,
    s.coachNo ? (coachIds.get(s.coachNo) ?? null) : null,
    t.vehicleId,
    s.courseCode,
    t.timingPlatformId,
    s.startedAt,
    s.endedAt,
    course?.part ?? null,
    course?.mode ?? null,
    course?.licenseType ?? null,
    s.reportedMinutes,
    s.reportedMileageM,
  ]
}

/**
 * Per terminal, the sessions a position may belong to, latest start first: those touched by this
 * batch plus the terminal's most recent stored session.
 */
async function sessionCandidates(
  tx: Sql,
  terminalIds: number[],
  batchSessions: Map<string, SessionRef>,
): Promise<Map<number, SessionRef[]>> {
  const out = new Map<number, SessionRef[]>()
  const add = (ref: SessionRef) => {
    const list = out.get(ref.terminalId) ?? []
    if (!list.some((r) => r.id === ref.id)) list.push(ref)
    out.set(ref.terminalId, list)
  }
  for (const ref of batchSessions.values()) add(ref)
  if (terminalIds.length > 0) {
    const latest = await tx.query<SessionRef>(
      `SELECT DISTINCT ON (terminal_id) id, terminal_id AS "terminalId", class_id AS "classId",
              student_id AS "studentId", coach_id AS "coachId", course_code AS "courseCode",
              started_at AS "startedAt", ended_at AS "endedAt"
         FROM training_session WHERE terminal_id = ANY($1::int4[])
        ORDER BY terminal_id, started_at DESC`,
      [terminalIds],
    )
    for (const ref of latest) add(ref)
  }
  for (const list of out.values()) list.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
  return out
}
