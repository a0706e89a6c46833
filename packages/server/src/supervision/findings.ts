/**
 * 疑点线索 (findings): the read side of what the detection engine wrote, and the review of a
 * finding by a supervisor.
 *
 * Who sees what (the roles of auth/roles.ts, the scopes of auth/scope.ts):
 *  - province, city, county, officer and police accounts: the findings of their region, by the
 *    finding's own city/county (the jurisdiction of the session it is anchored on);
 *  - an institution: the findings about its own sessions, people and vehicles (institution_id);
 *  - a timing-platform operator: the findings on sessions of its platform (its terminals' sessions
 *    and its exchange uploads: the session's source_platform_id), the rows its session list shows;
 *  - a coach or a student: only confirmed findings about themselves. Open and under-review
 *    suspicions stay with the supervisors, so a check in progress is not announced to its subject;
 *  - an account without a resolved scope: nothing.
 * A finding outside the caller's scope reads as absent (404 ERR_FINDING_NOT_FOUND).
 *
 * Review: province, city, county and officer accounts change a finding's status along
 * `FINDING_TRANSITIONS` (police read only; an institution answers through its own channels, not
 * by deciding on its findings). Each change is one transaction with its audit_log row.
 */

import { parseCourseCode } from '@jiapei/jt808-training'
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm'
import { writeAudit } from '../auth/audit.ts'
import type { Principal } from '../auth/principal.ts'
import type { Role } from '../auth/roles.ts'
import { type Scope, type ScopedColumns, scopeCondition } from '../auth/scope.ts'
import type { Database } from '../db/client.ts'
import {
  appUser,
  auditLog,
  coach,
  finding,
  institution,
  personPhoto,
  photo,
  student,
  terminal,
  vehicle,
} from '../db/schema/index.ts'
import type { Evidence } from '../detection/rule.ts'
import { ruleById } from '../detection/rules/index.ts'
import { levelOf } from '../domain/regions.ts'
import { appError } from '../errors/catalogue.ts'
import { minuteRecord, position, trainingSession } from '../ingestion/tables.ts'

export const FINDING_STATUSES = ['open', 'under_review', 'confirmed', 'dismissed'] as const
export type FindingStatus = (typeof FINDING_STATUSES)[number]

export const FINDING_STATUS_LABELS: Record<FindingStatus, string> = {
  open: '待处理',
  under_review: '核查中',
  confirmed: '已确认',
  dismissed: '已排除',
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type FindingSeverity = (typeof SEVERITIES)[number]

/**
 * The review state machine. A new finding is `open`; a reviewer takes it into `under_review`
 * or decides at once; a decision (`confirmed` / `dismissed`) can be reopened into
 * `under_review` (an appeal, new evidence), never silently flipped to the other decision.
 * Staying in the same status is not a transition.
 */
export const FINDING_TRANSITIONS: Record<FindingStatus, readonly FindingStatus[]> = {
  open: ['under_review', 'confirmed', 'dismissed'],
  under_review: ['confirmed', 'dismissed'],
  confirmed: ['under_review'],
  dismissed: ['under_review'],
}

/** A note is required to dismiss a finding and to reopen a decided one. */
export function noteRequired(from: FindingStatus, to: FindingStatus): boolean {
  return to === 'dismissed' || from === 'confirmed' || from === 'dismissed'
}

/** Roles that decide on findings (the supervising authorities). */
const REVIEWER_ROLES: readonly Role[] = ['province', 'city', 'county', 'officer']

export function canReviewFindings(principal: Pick<Principal, 'user'>): boolean {
  return REVIEWER_ROLES.includes(principal.user.role)
}

/** 规则说明: the registered rule's title, basis and parameters, each with its default and the value the finding used. */
export function ruleExplanation(ruleId: string, used: Record<string, unknown>) {
  const rule = ruleById(ruleId)
  if (!rule) return null
  return {
    id: rule.id,
    version: rule.version,
    scope: rule.scope,
    title: rule.title,
    severity: rule.severity,
    requirements: rule.requirements,
    basis: rule.basis,
    params: Object.entries(rule.params).map(([name, spec]) => ({
      name,
      description: spec.description,
      unit: spec.unit ?? null,
      uncertain: spec.uncertain ?? false,
      default: spec.default,
      used: name in used ? used[name] : null,
    })),
  }
}

/** The Chinese title of a rule, or null for an id the registry does not know (yet). */
export const ruleTitle = (ruleId: string): string | null => ruleById(ruleId)?.title.zh ?? null

const isStatus = (v: string): v is FindingStatus => (FINDING_STATUSES as readonly string[]).includes(v)

/** The WHERE fragment restricting findings to what `scope` may see (see the module comment). */
export function findingScope(scope: Scope): SQL {
  switch (scope.kind) {
    case 'region':
    case 'institution':
      return scopeCondition(scope, {
        cityCode: finding.cityCode,
        countyCode: finding.countyCode,
        institutionId: finding.institutionId,
      })
    case 'platform':
      return sql`${finding.sessionId} IN (SELECT s.id FROM training_session s WHERE s.source_platform_id = ${scope.timingPlatformId})`
    case 'self': {
      const own = scope.entity === 'student' ? eq(finding.studentId, scope.id) : eq(finding.coachId, scope.id)
      return and(own, eq(finding.status, 'confirmed')) as SQL
    }
    case 'none':
      return sql`false`
  }
}

export interface FindingFilters {
  /** Province, city or county code: findings placed in that region. */
  regionCode?: string
  institutionId?: number
  ruleIds?: string[]
  severities?: FindingSeverity[]
  statuses?: FindingStatus[]
  /** occurred_at in [from, to). */
  from?: Date
  to?: Date
  studentId?: number
  coachId?: number
  vehicleId?: number
  sessionId?: number
}

export type FindingSort = 'occurredAt' | 'detectedAt' | 'severity'

export interface FindingPage {
  page: number
  pageSize: number
  sort?: FindingSort
  order?: 'asc' | 'desc'
}

function filterConditions(scope: Scope, f: FindingFilters): SQL[] {
  const c: SQL[] = [findingScope(scope)]
  if (f.regionCode) {
    const level = levelOf(f.regionCode)
    if (level === 'county') c.push(eq(finding.countyCode, f.regionCode))
    else if (level === 'city') c.push(eq(finding.cityCode, f.regionCode))
    else c.push(sql`${finding.cityCode} LIKE ${`${f.regionCode.slice(0, 2)}%`}`)
  }
  if (f.institutionId !== undefined) c.push(eq(finding.institutionId, f.institutionId))
  if (f.ruleIds?.length) c.push(inArray(finding.ruleId, f.ruleIds))
  if (f.severities?.length) c.push(inArray(finding.severity, f.severities))
  if (f.statuses?.length) c.push(inArray(finding.status, f.statuses))
  if (f.from) c.push(gte(finding.occurredAt, f.from))
  if (f.to) c.push(lt(finding.occurredAt, f.to))
  if (f.studentId !== undefined) c.push(eq(finding.studentId, f.studentId))
  if (f.coachId !== undefined) c.push(eq(finding.coachId, f.coachId))
  if (f.vehicleId !== undefined) c.push(eq(finding.vehicleId, f.vehicleId))
  if (f.sessionId !== undefined) c.push(eq(finding.sessionId, f.sessionId))
  return c
}

const severityRank = sql<number>`CASE ${finding.severity} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`

const listColumns = {
  id: finding.id,
  ruleId: finding.ruleId,
  ruleVersion: finding.ruleVersion,
  policyVersion: finding.policyVersion,
  severity: finding.severity,
  status: finding.status,
  subjectKind: finding.subjectKind,
  subjectId: finding.subjectId,
  sessionId: finding.sessionId,
  studentId: finding.studentId,
  studentName: student.name,
  studentNo: student.stuNo,
  coachId: finding.coachId,
  coachName: coach.name,
  coachNo: coach.coachNo,
  vehicleId: finding.vehicleId,
  plate: vehicle.plate,
  institutionId: finding.institutionId,
  institutionName: institution.name,
  cityCode: finding.cityCode,
  countyCode: finding.countyCode,
  occurredAt: finding.occurredAt,
  summary: finding.summary,
  detectedBy: finding.detectedBy,
  detectedAt: finding.detectedAt,
  reviewedAt: finding.reviewedAt,
}

function findingQuery(database: Database) {
  return database.db
    .select(listColumns)
    .from(finding)
    .leftJoin(student, eq(student.id, finding.studentId))
    .leftJoin(coach, eq(coach.id, finding.coachId))
    .leftJoin(vehicle, eq(vehicle.id, finding.vehicleId))
    .leftJoin(institution, eq(institution.id, finding.institutionId))
}

export type FindingSummaryRow = Awaited<ReturnType<ReturnType<typeof findingQuery>['execute']>>[number]

/** 疑点列表: filtered, sorted (newest first by default) and paged with the total. */
export async function listFindings(
  database: Database,
  principal: Pick<Principal, 'scope'>,
  filters: FindingFilters = {},
  page: FindingPage = { page: 1, pageSize: 20 },
): Promise<{
  items: (FindingSummaryRow & { ruleTitle: string | null })[]
  total: number
  page: number
  pageSize: number
}> {
  const where = and(...filterConditions(principal.scope, filters))
  const dir = page.order === 'asc' ? asc : desc
  const order =
    page.sort === 'severity'
      ? [dir(severityRank), desc(finding.occurredAt), desc(finding.id)]
      : page.sort === 'detectedAt'
        ? [dir(finding.detectedAt), dir(finding.id)]
        : [dir(finding.occurredAt), dir(finding.id)]
  const rows = await findingQuery(database)
    .where(where)
    .orderBy(...order)
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
  const items = rows.map((r) => ({ ...r, ruleTitle: ruleTitle(r.ruleId) }))
  const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(finding).where(where)
  return { items, total: count?.n ?? 0, page: page.page, pageSize: page.pageSize }
}

export interface FindingCounts {
  total: number
  byRule: { ruleId: string; ruleTitle: string | null; count: number }[]
  bySeverity: { severity: string; count: number }[]
  byStatus: { status: string; count: number }[]
}

/** Counts per rule, severity and status of the findings the same filters select (the chart cards). */
export async function summarizeFindings(
  database: Database,
  principal: Pick<Principal, 'scope'>,
  filters: FindingFilters = {},
): Promise<FindingCounts> {
  const where = and(...filterConditions(principal.scope, filters))
  const n = sql<number>`count(*)::int`
  const byRule = await database.db
    .select({ ruleId: finding.ruleId, count: n })
    .from(finding)
    .where(where)
    .groupBy(finding.ruleId)
    .orderBy(desc(n), asc(finding.ruleId))
  const bySeverity = await database.db
    .select({ severity: finding.severity, count: n })
    .from(finding)
    .where(where)
    .groupBy(finding.severity)
    .orderBy(desc(severityRank))
  const byStatus = await database.db
    .select({ status: finding.status, count: n })
    .from(finding)
    .where(where)
    .groupBy(finding.status)
  const order = (s: string) => (isStatus(s) ? FINDING_STATUSES.indexOf(s) : FINDING_STATUSES.length)
  byStatus.sort((a, b) => order(a.status) - order(b.status))
  return {
    total: byRule.reduce((sum, r) => sum + r.count, 0),
    byRule: byRule.map((r) => ({ ruleId: r.ruleId, ruleTitle: ruleTitle(r.ruleId), count: r.count })),
    bySeverity,
    byStatus,
  }
}

/** The finding row itself, if the scope sees it. */
async function visibleFinding(database: Database, scope: Scope, id: number) {
  const [row] = await database.db
    .select({
      ...listColumns,
      params: finding.params,
      evidence: finding.evidence,
      dedupeKey: finding.dedupeKey,
      reviewedBy: finding.reviewedBy,
      reviewerName: appUser.displayName,
      reviewNote: finding.reviewNote,
    })
    .from(finding)
    .leftJoin(student, eq(student.id, finding.studentId))
    .leftJoin(coach, eq(coach.id, finding.coachId))
    .leftJoin(vehicle, eq(vehicle.id, finding.vehicleId))
    .leftJoin(institution, eq(institution.id, finding.institutionId))
    .leftJoin(appUser, eq(appUser.id, finding.reviewedBy))
    .where(and(eq(finding.id, id), findingScope(scope)))
    .limit(1)
  if (!row) throw appError('ERR_FINDING_NOT_FOUND', { id })
  return row
}

/** Evidence as stored, with anything malformed dropped (the JSON comes from the engine, not from a schema). */
export function readEvidence(raw: unknown): Required<Evidence> {
  const e = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
  const obj = (v: unknown): Record<string, unknown> | null =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  const isInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0
  const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v))
  return {
    sessions: list(e.sessions).filter(isInt),
    photos: list(e.photos).filter(isInt),
    minutes: list(e.minutes).flatMap((m) => {
      const o = obj(m)
      return o && typeof o.recordNo === 'string' && isTime(o.minuteAt)
        ? [{ recordNo: o.recordNo, minuteAt: o.minuteAt }]
        : []
    }),
    positions: list(e.positions).flatMap((p) => {
      const o = obj(p)
      return o && isInt(o.terminalId) && isTime(o.fixedAt) ? [{ terminalId: o.terminalId, fixedAt: o.fixedAt }] : []
    }),
    frames: list(e.frames).flatMap((f) => {
      const o = obj(f)
      return o &&
        typeof o.terminalPhone === 'string' &&
        isTime(o.receivedAt) &&
        Number.isInteger(o.msgId) &&
        Number.isInteger(o.serialNo)
        ? [
            {
              terminalPhone: o.terminalPhone,
              receivedAt: o.receivedAt,
              msgId: o.msgId as number,
              serialNo: o.serialNo as number,
            },
          ]
        : []
    }),
    details: obj(e.details) ?? {},
  }
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
  sourcePlatformId: trainingSession.sourcePlatformId,
  sourceRecordNo: trainingSession.sourceRecordNo,
  studentId: trainingSession.studentId,
  studentName: student.name,
  studentNo: student.stuNo,
  coachId: trainingSession.coachId,
  coachName: coach.name,
  coachNo: coach.coachNo,
  vehicleId: trainingSession.vehicleId,
  plate: vehicle.plate,
  courseCode: trainingSession.courseCode,
  part: trainingSession.part,
  mode: trainingSession.mode,
  startedAt: trainingSession.startedAt,
  endedAt: trainingSession.endedAt,
  reportedMinutes: trainingSession.reportedMinutes,
  reportedMileageM: trainingSession.reportedMileageM,
  evaluatedAt: trainingSession.evaluatedAt,
}

/**
 * Sessions by id as the finding page shows them. A session of another jurisdiction that a
 * cross-scope finding links to (the other half of an overlap) is listed with its time and
 * institution only: the reader learns where to ask, not who trained there.
 */
async function sessionsOf(database: Database, scope: Scope, ids: number[]) {
  if (ids.length === 0) return []
  const rows = await database.db
    .select({
      ...sessionColumns,
      visible: sql<boolean>`(${sessionVisibility(scope)})`.mapWith((v) => v === true || v === 't'),
    })
    .from(trainingSession)
    .leftJoin(terminal, eq(terminal.id, trainingSession.terminalId))
    .leftJoin(institution, eq(institution.id, trainingSession.institutionId))
    .leftJoin(student, eq(student.id, trainingSession.studentId))
    .leftJoin(coach, eq(coach.id, trainingSession.coachId))
    .leftJoin(vehicle, eq(vehicle.id, trainingSession.vehicleId))
    .where(inArray(trainingSession.id, ids))
    .orderBy(asc(trainingSession.startedAt))
  return rows.map((r) => {
    const course = r.courseCode ? parseCourseCode(r.courseCode) : null
    const courseLabel = course?.ok ? course.value.label : null
    if (r.visible) return { ...r, visible: true as const, courseLabel }
    return {
      id: r.id,
      visible: false as const,
      institutionId: r.institutionId,
      institutionName: r.institutionName,
      cityCode: r.cityCode,
      countyCode: r.countyCode,
      courseCode: r.courseCode,
      courseLabel,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
    }
  })
}

/** The scope condition of the training-session list (ingestion/read.ts), for the links of a finding. */
function sessionVisibility(scope: Scope): SQL {
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

/** The scope condition of photo content (ingestion/read.ts photoContentKey). */
function photoVisibility(scope: Scope): SQL {
  const columns: ScopedColumns = {
    cityCode: institution.cityCode,
    countyCode: institution.countyCode,
    institutionId: photo.institutionId,
    timingPlatformId: terminal.timingPlatformId,
  }
  if (scope.kind === 'self') {
    columns.id = scope.entity === 'student' ? photo.studentId : photo.coachId
    return scopeCondition(scope, columns, scope.entity)
  }
  return scopeCondition(scope, columns)
}

const OPEN_SESSION_SPAN_MS = 12 * 3600_000

export type FindingDetail = Awaited<ReturnType<typeof getFinding>>

/**
 * 疑点详情: the finding with its evidence resolved — the anchor session (course label, people),
 * every minute record of it plus the linked minutes of other sessions (`flagged` marks the linked
 * ones), its track (`flagged` fixes), the linked photos with their analysis beside the registered
 * photo of the person, the linked frames with the replay window they sit in, and what the caller
 * may do next.
 */
export async function getFinding(database: Database, principal: Pick<Principal, 'scope' | 'user'>, id: number) {
  const scope = principal.scope
  const row = await visibleFinding(database, scope, id)
  const { params, evidence: rawEvidence, ...rest } = row
  const evidence = readEvidence(rawEvidence)
  const usedParams = (params && typeof params === 'object' ? params : {}) as Record<string, unknown>

  const sessionIds = [...new Set([...(row.sessionId ? [row.sessionId] : []), ...evidence.sessions])]
  const sessions = await sessionsOf(database, scope, sessionIds)
  const visibleSessions = sessions.flatMap((s) => (s.visible ? [s] : []))
  const anchor = visibleSessions.find((s) => s.id === row.sessionId) ?? null
  const visibleSessionIds = visibleSessions.map((s) => s.id)

  // Minutes: the anchor session's, and the linked ones of other visible sessions.
  const flaggedKeys = new Set(evidence.minutes.map((m) => `${m.recordNo}|${new Date(m.minuteAt).getTime()}`))
  const minuteConditions: SQL[] = []
  if (anchor) minuteConditions.push(eq(minuteRecord.sessionId, anchor.id))
  if (evidence.minutes.length > 0 && visibleSessionIds.length > 0) {
    const at = evidence.minutes.map((m) => new Date(m.minuteAt))
    const first = new Date(Math.min(...at.map((d) => d.getTime())))
    const last = new Date(Math.max(...at.map((d) => d.getTime())))
    minuteConditions.push(
      and(
        inArray(minuteRecord.sessionId, visibleSessionIds),
        inArray(
          minuteRecord.recordNo,
          evidence.minutes.map((m) => m.recordNo),
        ),
        gte(minuteRecord.minuteAt, first),
        lte(minuteRecord.minuteAt, last),
      ) as SQL,
    )
  }
  const minuteRows =
    minuteConditions.length === 0
      ? []
      : await database.db
          .select({
            sessionId: minuteRecord.sessionId,
            recordNo: minuteRecord.recordNo,
            minuteAt: minuteRecord.minuteAt,
            status: minuteRecord.status,
            maxSpeedKmh: minuteRecord.maxSpeedKmh,
            recordSpeedKmh: minuteRecord.recordSpeedKmh,
            mileageM: minuteRecord.mileageM,
            engineRpm: minuteRecord.engineRpm,
            lng: minuteRecord.lng,
            lat: minuteRecord.lat,
            isBackfill: minuteRecord.isBackfill,
            arrivedAt: minuteRecord.arrivedAt,
            valid: minuteRecord.valid,
            reasons: minuteRecord.reasons,
            policyVersion: minuteRecord.policyVersion,
          })
          .from(minuteRecord)
          .where(or(...minuteConditions))
          .orderBy(asc(minuteRecord.minuteAt), asc(minuteRecord.recordNo))
  // Reason codes on minutes are rule ids (plus accounting codes); their titles for display.
  const reasonTitles: Record<string, string> = {}
  for (const m of minuteRows)
    for (const r of m.reasons ?? []) {
      const title = ruleTitle(r)
      if (title) reasonTitles[r] = title
    }
  const minutes = minuteRows.map((m) => ({
    ...m,
    flagged: flaggedKeys.has(`${m.recordNo}|${m.minuteAt.getTime()}`),
  }))

  // Track of the anchor session (as in the replay), linked fixes flagged.
  const flaggedFixes = new Set(evidence.positions.map((p) => `${p.terminalId}|${new Date(p.fixedAt).getTime()}`))
  let positions: {
    terminalId: number
    fixedAt: Date
    lng: number
    lat: number
    speedKmh: number | null
    isBackfill: boolean
    flagged: boolean
  }[] = []
  if (anchor?.terminalId) {
    const from = anchor.startedAt
    const to = anchor.endedAt ?? new Date(anchor.startedAt.getTime() + OPEN_SESSION_SPAN_MS)
    const fixes = await database.db
      .select({
        terminalId: position.terminalId,
        fixedAt: position.fixedAt,
        lng: position.lng,
        lat: position.lat,
        speedKmh: position.speedKmh,
        isBackfill: position.isBackfill,
      })
      .from(position)
      .where(
        and(
          eq(position.terminalId, anchor.terminalId),
          or(
            eq(position.sessionId, anchor.id),
            and(gte(position.fixedAt, from), lte(position.fixedAt, to), isNull(position.sessionId)),
          ),
        ),
      )
      .orderBy(asc(position.fixedAt))
    positions = fixes.map((p) => ({ ...p, flagged: flaggedFixes.has(`${p.terminalId}|${p.fixedAt.getTime()}`) }))
  }

  // Photos linked as evidence, with their analysis; content only when the photo is in scope.
  const photoRows =
    evidence.photos.length === 0
      ? []
      : await database.db
          .select({
            id: photo.id,
            photoNo: photo.photoNo,
            sessionId: photo.sessionId,
            studentId: photo.studentId,
            coachId: photo.coachId,
            institutionName: institution.name,
            eventType: photo.eventType,
            takenAt: photo.takenAt,
            faceConfidence: photo.faceConfidence,
            faceCount: photo.faceCount,
            faceDistance: photo.faceDistance,
            meanLuma: photo.meanLuma,
            lumaStddev: photo.lumaStddev,
            phash: photo.phash,
            sha256: photo.sha256,
            analysisError: photo.analysisError,
            visible: sql<boolean>`(${photoVisibility(scope)})`.mapWith((v) => v === true || v === 't'),
          })
          .from(photo)
          .leftJoin(institution, eq(institution.id, photo.institutionId))
          .leftJoin(terminal, eq(terminal.id, photo.terminalId))
          .where(inArray(photo.id, evidence.photos))
          .orderBy(asc(photo.takenAt), asc(photo.id))
  const photos = photoRows.map(({ visible, ...p }) =>
    visible
      ? { ...p, visible: true, contentUrl: `/api/photos/${p.id}/content` }
      : { id: p.id, visible: false, institutionName: p.institutionName, takenAt: p.takenAt, contentUrl: null },
  )

  // 备案照片 of the people the finding or its photos are about.
  const people = new Map<string, { personKind: 'student' | 'coach'; personId: number }>()
  const addPerson = (personKind: 'student' | 'coach', personId: number | null | undefined) => {
    if (personId) people.set(`${personKind}:${personId}`, { personKind, personId })
  }
  addPerson('student', row.studentId)
  addPerson('coach', row.coachId)
  for (const p of photos) if ('studentId' in p) addPerson('student', p.studentId)
  const registered = await Promise.all(
    [...people.values()].map(async ({ personKind, personId }) => {
      const [reg] = await database.db
        .select({
          registeredAt: personPhoto.registeredAt,
          hasDescriptor: sql<boolean>`${personPhoto.descriptor} IS NOT NULL`.mapWith((v) => v === true || v === 't'),
          analysisError: personPhoto.analysisError,
        })
        .from(personPhoto)
        .where(and(eq(personPhoto.personKind, personKind), eq(personPhoto.personId, personId)))
        .limit(1)
      return {
        personKind,
        personId,
        registered: Boolean(reg),
        registeredAt: reg?.registeredAt ?? null,
        hasDescriptor: reg?.hasDescriptor ?? false,
        analysisError: reg?.analysisError ?? null,
        contentUrl: reg ? `/api/registry/${personKind === 'student' ? 'students' : 'coaches'}/${personId}/photo` : null,
      }
    }),
  )

  // Frames: each linked frame with the replay of the session whose window holds it.
  const replayOf = (at: Date) =>
    visibleSessions.find(
      (s) =>
        at.getTime() >= s.startedAt.getTime() - 60_000 &&
        at.getTime() <= (s.endedAt ?? new Date(s.startedAt.getTime() + OPEN_SESSION_SPAN_MS)).getTime() + 60_000,
    ) ?? anchor
  const frames = evidence.frames.map((f) => {
    const s = replayOf(new Date(f.receivedAt))
    return {
      ...f,
      sessionId: s?.id ?? null,
      framesUrl: s ? `/api/training/sessions/${s.id}/frames` : null,
      replayPath: s ? `/training/sessions/${s.id}` : null,
    }
  })

  // 审核记录: every status change, from the audit log (the finding row keeps only the latest).
  const history = (
    await database.db
      .select({
        at: auditLog.at,
        username: auditLog.username,
        displayName: appUser.displayName,
        role: auditLog.role,
        detail: auditLog.detail,
      })
      .from(auditLog)
      .leftJoin(appUser, eq(appUser.id, auditLog.userId))
      .where(and(eq(auditLog.entity, 'finding'), eq(auditLog.entityId, String(id)), eq(auditLog.action, 'update')))
      .orderBy(asc(auditLog.at), asc(auditLog.id))
  ).map((h) => {
    const d = (h.detail ?? {}) as { from?: string; to?: string; note?: string | null }
    return {
      at: h.at,
      reviewerName: h.displayName ?? h.username,
      role: h.role,
      from: d.from ?? null,
      to: d.to ?? null,
      note: d.note ?? null,
    }
  })

  const status = isStatus(row.status) ? row.status : 'open'
  const reviewable = canReviewFindings(principal)
  const highlight = minutes.filter((m) => m.flagged && m.sessionId === anchor?.id).map((m) => m.recordNo)
  return {
    finding: { ...rest, ruleTitle: ruleTitle(row.ruleId), params: usedParams, evidence },
    rule: ruleExplanation(row.ruleId, usedParams),
    session: anchor,
    sessions,
    minutes,
    reasonTitles,
    positions,
    photos,
    registeredPhotos: registered,
    frames,
    replay: anchor
      ? {
          path: `/training/sessions/${anchor.id}`,
          highlight,
          framesUrl: `/api/training/sessions/${anchor.id}/frames`,
        }
      : null,
    review: {
      allowed: reviewable,
      transitions: reviewable ? FINDING_TRANSITIONS[status] : [],
      history,
    },
  }
}

export interface ReviewInput {
  status: FindingStatus
  note?: string | null
}

/**
 * Moves a finding to `input.status` along the state machine, records the reviewer, time and
 * note, and writes the audit row in the same transaction. A concurrent review of the same
 * finding is detected (the update is conditional on the status read) and answers the 409 too.
 */
export async function reviewFinding(
  database: Database,
  principal: Principal,
  id: number,
  input: ReviewInput,
  info: { ip?: string | null } = {},
) {
  if (!canReviewFindings(principal)) {
    throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action: '审核疑点' })
  }
  const current = await visibleFinding(database, principal.scope, id)
  const from = isStatus(current.status) ? current.status : 'open'
  const to = input.status
  const allowed = FINDING_TRANSITIONS[from]
  const illegal = () =>
    appError(
      'ERR_FINDING_TRANSITION_INVALID',
      {
        id,
        from: FINDING_STATUS_LABELS[from],
        to: FINDING_STATUS_LABELS[to],
        allowed: allowed.map((s) => FINDING_STATUS_LABELS[s]).join('、') || '无',
      },
      { from, to, allowed },
    )
  if (!allowed.includes(to)) throw illegal()
  const note = input.note?.trim() || null
  if (!note && noteRequired(from, to)) throw appError('ERR_FINDING_NOTE_REQUIRED', { to: FINDING_STATUS_LABELS[to] })
  await database.db.transaction(async (tx) => {
    const changed = await tx
      .update(finding)
      .set({ status: to, reviewedBy: principal.user.id, reviewedAt: new Date(), reviewNote: note })
      .where(and(eq(finding.id, id), eq(finding.status, current.status)))
      .returning({ id: finding.id })
    if (changed.length === 0) throw illegal()
    await writeAudit(tx, {
      actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
      action: 'update',
      entity: 'finding',
      entityId: id,
      regionCode: current.countyCode,
      detail: { ruleId: current.ruleId, from, to, note, title: current.summary },
      ip: info.ip ?? null,
    })
  })
  return getFinding(database, principal, id)
}
