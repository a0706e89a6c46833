/**
 * The read side of ingestion for the console and the API: sessions (课堂) with their minute
 * records, track and photos, and the raw frames behind them for replay (事后倒查). Every query is
 * restricted to the caller's jurisdiction with `scopeCondition`; a row outside it reads as absent.
 */
import {
  and,
  asc,
  desc,
  eq,
  exists,
  gt,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  not,
  or,
  type SQL,
  sql,
} from 'drizzle-orm'
import type { Principal } from '../auth/principal.ts'
import { type Scope, type ScopedColumns, scopeCondition } from '../auth/scope.ts'
import type { Database } from '../db/client.ts'
import { coach, institution, photo, student, terminal, vehicle } from '../db/schema/index.ts'
import { levelOf } from '../domain/regions.ts'
import { appError } from '../errors/catalogue.ts'
import type { FrameEnvelope } from './envelope.ts'
import { normalizeEnvelope } from './normalize/events.ts'
import { minuteRecord, position, rawFrame, trainingSession } from './tables.ts'

type ScopeLike = Scope | Pick<Principal, 'scope'>
const scopeOf = (s: ScopeLike): Scope => ('kind' in s ? s : s.scope)

/** A session is visible by its own placement; coaches and students see their own sessions. */
function sessionScope(scope: Scope): SQL {
  const columns: ScopedColumns = {
    cityCode: trainingSession.cityCode,
    countyCode: trainingSession.countyCode,
    institutionId: trainingSession.institutionId,
    timingPlatformId: trainingSession.sourcePlatformId,
  }
  if (scope.kind === 'self') {
    columns.id = scope.entity === 'student' ? trainingSession.studentId : trainingSession.coachId
    return scopeCondition(scope, columns, scope.entity)
  }
  return scopeCondition(scope, columns)
}

export interface SessionFilters {
  institutionId?: number
  terminalId?: number
  studentId?: number
  coachId?: number
  /** Sessions that started at or after / before these instants. */
  from?: Date
  to?: Date
  /** Only sessions without a logout yet. */
  open?: boolean
  /** 进行中 (no logout yet) or 已结束. */
  status?: 'open' | 'ended'
  /** 培训部分 1–4: the fourth digit of the course code. */
  part?: number
  /** Part of a student's or coach's name or registry number. */
  person?: string
  /** true: sessions with at least one 补传 minute record; false: sessions without any. */
  backfill?: boolean
}

export interface Page {
  page: number
  pageSize: number
}

const sessionColumns = {
  id: trainingSession.id,
  terminalId: trainingSession.terminalId,
  deviceNo: terminal.deviceNo,
  classId: trainingSession.classId,
  institutionId: trainingSession.institutionId,
  institutionName: institution.name,
  cityCode: trainingSession.cityCode,
  countyCode: trainingSession.countyCode,
  studentId: trainingSession.studentId,
  studentName: student.name,
  studentNo: student.stuNo,
  coachId: trainingSession.coachId,
  coachName: coach.name,
  coachNo: coach.coachNo,
  vehicleId: trainingSession.vehicleId,
  plate: vehicle.plate,
  courseCode: trainingSession.courseCode,
  startedAt: trainingSession.startedAt,
  endedAt: trainingSession.endedAt,
  minuteCount: sql<number>`(SELECT count(*)::int FROM minute_record m WHERE m.session_id = ${trainingSession.id})`,
  backfillMinuteCount: sql<number>`(SELECT count(*)::int FROM minute_record m
    WHERE m.session_id = ${trainingSession.id} AND m.is_backfill)`,
}

function sessionQuery(database: Database) {
  return database.db
    .select(sessionColumns)
    .from(trainingSession)
    .leftJoin(terminal, eq(terminal.id, trainingSession.terminalId))
    .leftJoin(institution, eq(institution.id, trainingSession.institutionId))
    .leftJoin(student, eq(student.id, trainingSession.studentId))
    .leftJoin(coach, eq(coach.id, trainingSession.coachId))
    .leftJoin(vehicle, eq(vehicle.id, trainingSession.vehicleId))
}

export type SessionSummary = Awaited<ReturnType<ReturnType<typeof sessionQuery>['execute']>>[number]

export async function listSessions(
  database: Database,
  who: ScopeLike,
  filters: SessionFilters = {},
  page: Page = { page: 1, pageSize: 20 },
): Promise<{ items: SessionSummary[]; total: number; page: number; pageSize: number }> {
  const conditions: SQL[] = [sessionScope(scopeOf(who))]
  if (filters.institutionId !== undefined) conditions.push(eq(trainingSession.institutionId, filters.institutionId))
  if (filters.terminalId !== undefined) conditions.push(eq(trainingSession.terminalId, filters.terminalId))
  if (filters.studentId !== undefined) conditions.push(eq(trainingSession.studentId, filters.studentId))
  if (filters.coachId !== undefined) conditions.push(eq(trainingSession.coachId, filters.coachId))
  if (filters.from) conditions.push(gte(trainingSession.startedAt, filters.from))
  if (filters.to) conditions.push(lt(trainingSession.startedAt, filters.to))
  if (filters.open || filters.status === 'open') conditions.push(isNull(trainingSession.endedAt))
  if (filters.status === 'ended') conditions.push(isNotNull(trainingSession.endedAt))
  if (filters.part !== undefined)
    conditions.push(sql`substr(${trainingSession.courseCode}, 4, 1) = ${String(filters.part)}`)
  const person = filters.person?.trim()
  if (person) {
    const pattern = `%${person.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    conditions.push(
      or(
        ilike(student.name, pattern),
        ilike(student.stuNo, pattern),
        ilike(coach.name, pattern),
        ilike(coach.coachNo, pattern),
      ) as SQL,
    )
  }
  if (filters.backfill !== undefined) {
    const anyBackfill = exists(
      database.db
        .select({ one: sql`1` })
        .from(minuteRecord)
        .where(and(eq(minuteRecord.sessionId, trainingSession.id), eq(minuteRecord.isBackfill, true))),
    )
    conditions.push(filters.backfill ? anyBackfill : not(anyBackfill))
  }
  const where = and(...conditions)
  const items = await sessionQuery(database)
    .where(where)
    .orderBy(desc(trainingSession.startedAt), desc(trainingSession.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
  const [count] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(trainingSession)
    .leftJoin(student, eq(student.id, trainingSession.studentId))
    .leftJoin(coach, eq(coach.id, trainingSession.coachId))
    .where(where)
  return { items, total: count?.n ?? 0, page: page.page, pageSize: page.pageSize }
}

/** How long after a logout (or, for an open session, after its start) the track is read. */
const OPEN_SESSION_SPAN_MS = 12 * 3600_000

async function visibleSession(database: Database, who: ScopeLike, id: number): Promise<SessionSummary> {
  const [session] = await sessionQuery(database)
    .where(and(eq(trainingSession.id, id), sessionScope(scopeOf(who))))
    .limit(1)
  if (!session) throw appError('ERR_INGEST_SESSION_NOT_FOUND', { id })
  return session
}

function spanOf(session: SessionSummary): { from: Date; to: Date } {
  return {
    from: session.startedAt,
    to: session.endedAt ?? new Date(session.startedAt.getTime() + OPEN_SESSION_SPAN_MS),
  }
}

/** One session with its minute records, its track (the terminal's fixes between login and logout) and photos. */
export async function getSession(database: Database, who: ScopeLike, id: number) {
  const session = await visibleSession(database, who, id)
  const { from, to } = spanOf(session)
  const minutes = await database.db
    .select()
    .from(minuteRecord)
    .where(eq(minuteRecord.sessionId, id))
    .orderBy(asc(minuteRecord.minuteAt))
  const track =
    session.terminalId === null
      ? []
      : await database.db
          .select({
            fixedAt: position.fixedAt,
            lng: position.lng,
            lat: position.lat,
            speedKmh: position.speedKmh,
            heading: position.heading,
            mileageM: position.mileageM,
            isBackfill: position.isBackfill,
          })
          .from(position)
          .where(
            and(
              eq(position.terminalId, session.terminalId),
              or(
                eq(position.sessionId, id),
                and(gte(position.fixedAt, from), lte(position.fixedAt, to), isNull(position.sessionId)),
              ),
            ),
          )
          .orderBy(asc(position.fixedAt))
  const photos = await database.db
    .select({
      id: photo.id,
      photoNo: photo.photoNo,
      eventType: photo.eventType,
      channel: photo.channel,
      takenAt: photo.takenAt,
      lng: photo.lng,
      lat: photo.lat,
      faceConfidence: photo.faceConfidence,
      sizeBytes: photo.sizeBytes,
      sha256: photo.sha256,
      receivedAt: photo.receivedAt,
    })
    .from(photo)
    .where(eq(photo.sessionId, id))
    .orderBy(asc(photo.takenAt), asc(photo.id))
  return { session, minutes, positions: track, photos }
}

export interface RawFrameView {
  receivedAt: Date
  msgId: number
  serialNo: number
  direction: string
  /** The unescaped frame as hex, ready for the codec's explain. */
  hex: string
  decodeError: string | null
  gatewayNode: string | null
}

/** Envelope of an archived frame, for normalising it again. */
function envelopeOfRow(row: typeof rawFrame.$inferSelect): FrameEnvelope {
  return {
    receivedAt: row.receivedAt,
    terminalPhone: row.terminalPhone,
    msgId: row.msgId,
    serialNo: row.serialNo,
    layout: 'jiapei',
    direction: row.direction === 'down' ? 'down' : 'up',
    frame: row.frame,
    ...(row.decodeError ? { decodeError: row.decodeError } : {}),
    gatewayNode: row.gatewayNode ?? '',
  }
}

/** Whether an archived frame is about this session: its class, or a fix / minute inside its span. */
function frameBelongsTo(row: typeof rawFrame.$inferSelect, classId: number, span: { from: Date; to: Date }): boolean {
  const inSpan = (at: Date) => at >= span.from && at <= span.to
  for (const event of normalizeEnvelope(envelopeOfRow(row)).events) {
    if (event.kind === 'position' && inSpan(event.fixedAt)) return true
    if (event.kind !== 'position' && event.classId === classId) return true
  }
  return false
}

/**
 * The raw frames of a session's terminal from login to logout, in arrival order: what replay and
 * the explain view read. 补传 frames that arrived after the window are found through the minute
 * records and fixes of the session (their arrival instant is the frame's) and kept when their
 * decoded content belongs to the session.
 */
export async function rawFramesOfSession(
  database: Database,
  who: ScopeLike,
  id: number,
  options: { limit?: number } = {},
): Promise<{ session: SessionSummary; frames: RawFrameView[] }> {
  const session = await visibleSession(database, who, id)
  if (session.terminalId === null) return { session, frames: [] }
  const [t] = await database.db
    .select({ phone: terminal.phone })
    .from(terminal)
    .where(eq(terminal.id, session.terminalId))
  if (!t) return { session, frames: [] }
  const span = spanOf(session)
  // A terminal clock running ahead of ours (compressed time of the simulated terminals) still
  // finds its frames: the window opens no later than the session's arrival.
  const [row] = await database.db
    .select({ createdAt: trainingSession.createdAt })
    .from(trainingSession)
    .where(eq(trainingSession.id, id))
  const from = row && row.createdAt < span.from ? row.createdAt : span.from
  const slack = 60_000
  const windowFrom = new Date(from.getTime() - slack)
  const windowTo = new Date(span.to.getTime() + slack)
  const limit = Math.min(options.limit ?? 5000, 20_000)
  const rows = await database.db
    .select()
    .from(rawFrame)
    .where(
      and(
        eq(rawFrame.terminalPhone, t.phone),
        gte(rawFrame.receivedAt, windowFrom),
        lte(rawFrame.receivedAt, windowTo),
      ),
    )
    .orderBy(asc(rawFrame.receivedAt), asc(rawFrame.serialNo))
    .limit(limit)

  // Late arrivals: the instants at which this session's minute records and fixes came in after the window.
  const lateMinutes = await database.db
    .selectDistinct({ at: minuteRecord.arrivedAt })
    .from(minuteRecord)
    .where(
      and(
        or(
          eq(minuteRecord.sessionId, id),
          and(
            isNull(minuteRecord.sessionId),
            eq(minuteRecord.terminalId, session.terminalId),
            gte(minuteRecord.minuteAt, span.from),
            lte(minuteRecord.minuteAt, span.to),
          ),
        ),
        gt(minuteRecord.arrivedAt, windowTo),
      ),
    )
  const lateFixes = await database.db
    .selectDistinct({ at: position.arrivedAt })
    .from(position)
    .where(
      and(
        eq(position.terminalId, session.terminalId),
        or(
          eq(position.sessionId, id),
          and(isNull(position.sessionId), gte(position.fixedAt, span.from), lte(position.fixedAt, span.to)),
        ),
        gt(position.arrivedAt, windowTo),
      ),
    )
  const instants = [...new Set([...lateMinutes, ...lateFixes].map((r) => r.at.getTime()))].map((ms) => new Date(ms))
  const late: (typeof rawFrame.$inferSelect)[] = []
  for (let i = 0; i < instants.length && rows.length + late.length < limit; i += 500) {
    const candidates = await database.db
      .select()
      .from(rawFrame)
      .where(and(eq(rawFrame.terminalPhone, t.phone), inArray(rawFrame.receivedAt, instants.slice(i, i + 500))))
      .orderBy(asc(rawFrame.receivedAt), asc(rawFrame.serialNo))
    for (const c of candidates) if (frameBelongsTo(c, session.classId, span)) late.push(c)
  }
  return {
    session,
    frames: [...rows, ...late.slice(0, Math.max(0, limit - rows.length))].map((r) => ({
      receivedAt: r.receivedAt,
      msgId: r.msgId,
      serialNo: r.serialNo,
      direction: r.direction,
      hex: Buffer.from(r.frame).toString('hex'),
      decodeError: r.decodeError,
      gatewayNode: r.gatewayNode,
    })),
  }
}

/** A photo's storage key, if the photo is in the caller's jurisdiction. */
export async function photoContentKey(
  database: Database,
  who: ScopeLike,
  id: number,
): Promise<{ sha256: string; sizeBytes: number }> {
  const scope = scopeOf(who)
  const columns: ScopedColumns = {
    cityCode: institution.cityCode,
    countyCode: institution.countyCode,
    institutionId: photo.institutionId,
    timingPlatformId: terminal.timingPlatformId,
  }
  let visible: SQL
  if (scope.kind === 'self') {
    columns.id = scope.entity === 'student' ? photo.studentId : photo.coachId
    visible = scopeCondition(scope, columns, scope.entity)
  } else visible = scopeCondition(scope, columns)
  const [row] = await database.db
    .select({ sha256: photo.sha256, sizeBytes: photo.sizeBytes })
    .from(photo)
    .leftJoin(institution, eq(institution.id, photo.institutionId))
    .leftJoin(terminal, eq(terminal.id, photo.terminalId))
    .where(and(eq(photo.id, id), visible))
    .limit(1)
  if (!row) throw appError('ERR_INGEST_PHOTO_NOT_FOUND', { id })
  return row
}

/** A terminal connected to the gateway now, as the gateway reports it. */
export interface OnlineTerminal {
  terminalId: number
  connectedAt: Date
  lastSeenAt: Date
}

export type LiveState = 'training' | 'idle'

export interface LiveFilters {
  /** A city or county code: terminals placed there. */
  regionCode?: string
  institutionId?: number
  /** 培训中 or 在线空闲. */
  state?: LiveState
  /** Part of the plate, the device number or the SIM number. */
  q?: string
}

export interface LiveTerminal {
  terminalId: number
  deviceNo: string
  phone: string
  institutionId: number
  institutionName: string | null
  cityCode: string
  countyCode: string
  vehicleId: number | null
  plate: string | null
  connectedAt: Date
  lastSeenAt: Date
  state: LiveState
  position: { lng: number; lat: number; speedKmh: number | null; fixedAt: Date } | null
  session: {
    id: number
    studentName: string | null
    studentNo: string | null
    coachName: string | null
    coachNo: string | null
    courseCode: string | null
    /** 培训部分 1–4 from the course code, null when the code does not carry one. */
    part: number | null
    startedAt: Date
    /** Minute records received so far. */
    minuteCount: number
    /** Minutes since the login (by our clock; never negative). */
    elapsedMinutes: number
  } | null
}

/** A map point: every matching terminal with a known position, not only the page's. */
export interface LivePoint {
  terminalId: number
  plate: string | null
  state: LiveState
  lng: number
  lat: number
}

export interface LiveCounts {
  /** Online terminals in the jurisdiction. */
  online: number
  /** Of those, with a student logged in. */
  training: number
  /** Sessions started today (Beijing day). */
  sessionsToday: number
  /** Minute records of today (Beijing day). */
  minutesToday: number
}

const BEIJING_OFFSET_MS = 8 * 3600_000
const DAY_MS = 86_400_000

/** The Beijing calendar day containing `now`, as UTC instants. */
export function beijingDay(now: Date): { from: Date; to: Date } {
  const start = Math.floor((now.getTime() + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS
  return { from: new Date(start), to: new Date(start + DAY_MS) }
}

/** How far back the last fix of an online terminal is looked for before all months are searched. */
const RECENT_FIX_MS = 2 * 86_400_000

/** A fix as the live query builds it with json_build_object. */
interface Fix {
  lng: number
  lat: number
  speedKmh: number | null
  fixedAtMs: number
}

const FIX_JSON = sql.raw(`json_build_object('lng', p.lng, 'lat', p.lat, 'speedKmh', p.speed_kmh,
  'fixedAtMs', (extract(epoch FROM p.fixed_at) * 1000)::bigint)`)

/** Both drivers parse json; a string is parsed here in case one does not. */
const parseFix = (v: unknown): Fix | null => (typeof v === 'string' ? (JSON.parse(v) as Fix) : (v as Fix | null))

const TERMINAL_SCOPE: ScopedColumns = {
  cityCode: terminal.cityCode,
  countyCode: terminal.countyCode,
  institutionId: terminal.institutionId,
  timingPlatformId: terminal.timingPlatformId,
}

function partOf(courseCode: string | null): number | null {
  const digit = Number(courseCode?.charAt(3))
  return digit >= 1 && digit <= 4 ? digit : null
}

/** Today's counts of the jurisdiction: sessions started and minute records. */
async function todayCounts(database: Database, scope: Scope, now: Date) {
  const day = beijingDay(now)
  const [sessions] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(trainingSession)
    .where(and(sessionScope(scope), gte(trainingSession.startedAt, day.from), lt(trainingSession.startedAt, day.to)))
  const columns: ScopedColumns = {
    cityCode: institution.cityCode,
    countyCode: minuteRecord.countyCode,
    institutionId: minuteRecord.institutionId,
    timingPlatformId: terminal.timingPlatformId,
  }
  let visible: SQL
  if (scope.kind === 'self') {
    columns.id = scope.entity === 'student' ? minuteRecord.studentId : minuteRecord.coachId
    visible = scopeCondition(scope, columns, scope.entity)
  } else visible = scopeCondition(scope, columns)
  const [minutes] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(minuteRecord)
    .leftJoin(institution, eq(institution.id, minuteRecord.institutionId))
    .leftJoin(terminal, eq(terminal.id, minuteRecord.terminalId))
    .where(and(visible, gte(minuteRecord.minuteAt, day.from), lt(minuteRecord.minuteAt, day.to)))
  return { sessionsToday: sessions?.n ?? 0, minutesToday: minutes?.n ?? 0 }
}

/**
 * 实时监控: the online terminals of the caller's jurisdiction with their last fix and the session
 * running on them, filtered and paged, and the counts of the header cards (which ignore the
 * filters). `online` is what the gateway reports; everything else is read here, scoped.
 */
export async function liveTerminals(
  database: Database,
  who: ScopeLike,
  online: readonly OnlineTerminal[],
  filters: LiveFilters = {},
  page: Page & { focus?: number } = { page: 1, pageSize: 20 },
  now: Date = new Date(),
): Promise<{
  counts: LiveCounts
  points: LivePoint[]
  items: LiveTerminal[]
  total: number
  page: number
  pageSize: number
}> {
  const scope = scopeOf(who)
  const byId = new Map(online.map((o) => [o.terminalId, o]))
  const ids = [...byId.keys()]
  // A session left open for longer than a lesson can last (a terminal that never logged out) is not live.
  const openSince = new Date(now.getTime() - OPEN_SESSION_SPAN_MS)
  // Last fixes are looked for in the recent partitions first (one index probe per terminal).
  const recentSince = new Date(now.getTime() - RECENT_FIX_MS)
  const rows: {
    id: number
    deviceNo: string
    phone: string
    institutionId: number
    institutionName: string | null
    cityCode: string
    countyCode: string
    vehicleId: number | null
    plate: string | null
    sessionId: number | null
    fix: Fix | null
  }[] = []
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = await database.db
      .select({
        id: terminal.id,
        deviceNo: terminal.deviceNo,
        phone: terminal.phone,
        institutionId: terminal.institutionId,
        institutionName: institution.name,
        cityCode: terminal.cityCode,
        countyCode: terminal.countyCode,
        vehicleId: terminal.vehicleId,
        plate: vehicle.plate,
        sessionId: sql<number | null>`(SELECT s.id FROM training_session s
          WHERE s.terminal_id = ${terminal.id} AND s.ended_at IS NULL AND s.started_at >= ${openSince.toISOString()}::timestamptz
          ORDER BY s.started_at DESC LIMIT 1)`.mapWith((v) => (v === null ? null : Number(v))),
        fix: sql<Fix | null>`(SELECT ${FIX_JSON}
          FROM position p WHERE p.terminal_id = ${terminal.id} AND p.fixed_at >= ${recentSince.toISOString()}::timestamptz
          ORDER BY p.fixed_at DESC LIMIT 1)`.mapWith(parseFix),
      })
      .from(terminal)
      .leftJoin(institution, eq(institution.id, terminal.institutionId))
      .leftJoin(vehicle, eq(vehicle.id, terminal.vehicleId))
      .where(and(inArray(terminal.id, ids.slice(i, i + 1000)), scopeCondition(scope, TERMINAL_SCOPE, 'terminal')))
    rows.push(...chunk)
  }
  // Terminals without a recent fix (rare for a terminal online): their last one from any month.
  const stale = rows.filter((r) => !r.fix)
  for (let i = 0; i < stale.length; i += 1000) {
    const chunk = stale.slice(i, i + 1000)
    const older = await database.db
      .select({
        id: terminal.id,
        fix: sql<Fix | null>`(SELECT ${FIX_JSON} FROM position p WHERE p.terminal_id = ${terminal.id}
          ORDER BY p.fixed_at DESC LIMIT 1)`.mapWith(parseFix),
      })
      .from(terminal)
      .where(
        inArray(
          terminal.id,
          chunk.map((r) => r.id),
        ),
      )
    const byTerminal = new Map(older.map((o) => [o.id, o.fix]))
    for (const r of chunk) r.fix = byTerminal.get(r.id) ?? null
  }

  const sessionIds = rows.map((r) => r.sessionId).filter((v): v is number => v !== null)
  const sessions = new Map<number, SessionSummary>()
  for (let i = 0; i < sessionIds.length; i += 1000) {
    const chunk = await sessionQuery(database).where(
      and(inArray(trainingSession.id, sessionIds.slice(i, i + 1000)), sessionScope(scope)),
    )
    for (const s of chunk) sessions.set(s.id, s)
  }

  const all: LiveTerminal[] = rows.map((r) => {
    const o = byId.get(r.id) as OnlineTerminal
    const s = r.sessionId === null ? undefined : sessions.get(r.sessionId)
    return {
      terminalId: r.id,
      deviceNo: r.deviceNo,
      phone: r.phone,
      institutionId: r.institutionId,
      institutionName: r.institutionName,
      cityCode: r.cityCode,
      countyCode: r.countyCode,
      vehicleId: r.vehicleId,
      plate: r.plate,
      connectedAt: o.connectedAt,
      lastSeenAt: o.lastSeenAt,
      state: s ? 'training' : 'idle',
      position: r.fix
        ? {
            lng: Number(r.fix.lng),
            lat: Number(r.fix.lat),
            speedKmh: r.fix.speedKmh === null ? null : Number(r.fix.speedKmh),
            fixedAt: new Date(Number(r.fix.fixedAtMs)),
          }
        : null,
      session: s
        ? {
            id: s.id,
            studentName: s.studentName,
            studentNo: s.studentNo,
            coachName: s.coachName,
            coachNo: s.coachNo,
            courseCode: s.courseCode,
            part: partOf(s.courseCode),
            startedAt: s.startedAt,
            minuteCount: s.minuteCount,
            elapsedMinutes: Math.max(0, Math.floor((now.getTime() - s.startedAt.getTime()) / 60_000)),
          }
        : null,
    }
  })

  const q = filters.q?.replace(/[\s·.]/g, '').toUpperCase()
  const region = filters.regionCode
  const matching = all.filter(
    (t) =>
      (!region ||
        levelOf(region) === 'province' ||
        (levelOf(region) === 'city' ? t.cityCode === region : t.countyCode === region)) &&
      (filters.institutionId === undefined || t.institutionId === filters.institutionId) &&
      (!filters.state || t.state === filters.state) &&
      (!q || (t.plate ?? '').toUpperCase().includes(q) || t.deviceNo.toUpperCase().includes(q) || t.phone.includes(q)),
  )
  matching.sort(
    (a, b) =>
      (a.state === b.state ? 0 : a.state === 'training' ? -1 : 1) ||
      (a.institutionName ?? '').localeCompare(b.institutionName ?? '', 'zh-CN') ||
      a.deviceNo.localeCompare(b.deviceNo),
  )
  const today = await todayCounts(database, scope, now)
  // `focus`: the page that holds this terminal (a point clicked on the map), when it matches.
  const focused = page.focus === undefined ? -1 : matching.findIndex((t) => t.terminalId === page.focus)
  const current = focused >= 0 ? Math.floor(focused / page.pageSize) + 1 : page.page
  const start = (current - 1) * page.pageSize
  return {
    counts: { online: all.length, training: all.filter((t) => t.state === 'training').length, ...today },
    points: matching.flatMap((t) =>
      t.position
        ? [{ terminalId: t.terminalId, plate: t.plate, state: t.state, lng: t.position.lng, lat: t.position.lat }]
        : [],
    ),
    items: matching.slice(start, start + page.pageSize),
    total: matching.length,
    page: current,
    pageSize: page.pageSize,
  }
}
