/**
 * The read side of ingestion for the console and the API: sessions (课堂) with their minute
 * records, track and photos, and the raw frames behind them for replay (事后倒查). Every query is
 * restricted to the caller's jurisdiction with `scopeCondition`; a row outside it reads as absent.
 */
import { and, asc, desc, eq, gte, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm'
import type { Principal } from '../auth/principal.ts'
import { type Scope, type ScopedColumns, scopeCondition } from '../auth/scope.ts'
import type { Database } from '../db/client.ts'
import { coach, institution, photo, student, terminal, vehicle } from '../db/schema/index.ts'
import { appError } from '../errors/catalogue.ts'
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
  if (filters.open) conditions.push(isNull(trainingSession.endedAt))
  const where = and(...conditions)
  const items = await sessionQuery(database)
    .where(where)
    .orderBy(desc(trainingSession.startedAt), desc(trainingSession.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
  const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(trainingSession).where(where)
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

/**
 * The raw frames of a session's terminal from login to logout, in arrival order: what replay and
 * the explain view read. 补传 frames that arrived later are found by their own minute records.
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
  const to = span.to
  const slack = 60_000
  const rows = await database.db
    .select()
    .from(rawFrame)
    .where(
      and(
        eq(rawFrame.terminalPhone, t.phone),
        gte(rawFrame.receivedAt, new Date(from.getTime() - slack)),
        lte(rawFrame.receivedAt, new Date(to.getTime() + slack)),
      ),
    )
    .orderBy(asc(rawFrame.receivedAt), asc(rawFrame.serialNo))
    .limit(Math.min(options.limit ?? 5000, 20_000))
  return {
    session,
    frames: rows.map((r) => ({
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
