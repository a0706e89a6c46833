/**
 * Hour accounting services: crediting sessions (called by the detection engine right after it has
 * written minute validity), a student's ledger, stage reviews (阶段报审) and the completion
 * certificate (结业证书). Every entry point that serves a request takes the caller's principal and
 * reads only inside its jurisdiction; a student outside it reads as absent.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import { writeAudit } from '../auth/audit.ts'
import type { Principal } from '../auth/principal.ts'
import { type Scope, scopeCondition, scopeContains } from '../auth/scope.ts'
import type { Database, Sql } from '../db/client.ts'
import { institution, stageReview, student } from '../db/schema/index.ts'
import { localDay } from '../detection/time.ts'
import { levelOf } from '../domain/regions.ts'
import { appError } from '../errors/catalogue.ts'
import { policyAt } from '../policy/store.ts'
import type { SyllabusPart } from '../policy/syllabus.ts'
import { buildLedger, type Ledger, PART_LABELS, PARTS } from './account.ts'

export { type CreditSummary, creditSessions } from './credit.ts'

type Who = Pick<Principal, 'scope' | 'user'>

export interface StudentFacts {
  id: number
  stuNo: string
  name: string
  licenseType: string
  institutionId: number
  institutionName: string | null
  cityCode: string
  countyCode: string
}

/** The student if the scope sees it (own students for an institution, self for a student); 404 otherwise. */
export async function visibleStudent(database: Database, scope: Scope, id: number): Promise<StudentFacts> {
  const [row] = await database.db
    .select({
      id: student.id,
      stuNo: student.stuNo,
      name: student.name,
      licenseType: student.licenseType,
      institutionId: student.institutionId,
      institutionName: institution.name,
      cityCode: student.cityCode,
      countyCode: student.countyCode,
    })
    .from(student)
    .leftJoin(institution, eq(institution.id, student.institutionId))
    .where(
      and(
        eq(student.id, id),
        scopeCondition(
          scope,
          {
            cityCode: student.cityCode,
            countyCode: student.countyCode,
            institutionId: student.institutionId,
            id: student.id,
          },
          'student',
        ),
      ),
    )
  if (!row) throw appError('ERR_HOURS_STUDENT_NOT_FOUND', { id })
  return row
}

export interface CreditView {
  sessionId: number
  localDay: string
  part: number
  mode: number
  policyVersion: number
  sessionMinutes: number
  validMinutes: number
  invalidMinutes: number
  creditedMinutes: number
  cappedMinutes: number
  finalMinutes: number
  mileageM: number
  reasons: string[]
  decidedAt: Date
  startedAt: Date
  endedAt: Date | null
  source: 'gateway' | 'exchange'
  courseCode: string | null
}

export interface ReviewView {
  id: number
  studentId: number
  studentName: string | null
  stuNo: string | null
  institutionId: number
  institutionName: string | null
  cityCode: string
  countyCode: string
  part: number
  policyVersion: number
  status: string
  totals: unknown
  sessionIds: number[]
  source: string
  requestedAt: Date
  decidedAt: Date | null
  note: string | null
}

export interface CertificateView {
  id: number
  certNo: string
  studentId: number
  policyVersion: number
  totals: unknown
  issuedAt: Date
}

export interface StudentLedger {
  student: StudentFacts
  ledger: Ledger
  credits: CreditView[]
  reviews: ReviewView[]
  certificate: CertificateView | null
  /** Findings still open or under review on the student's sessions. */
  openFindings: number
}

interface CreditRow {
  session_id: number
  local_day: string
  part: number
  mode: number
  policy_version: number
  session_minutes: number
  valid_minutes: number
  credited_minutes: number
  capped_minutes: number
  final_minutes: number
  mileage_m: number
  reasons: string[]
  decided_at: Date
  started_at: Date
  ended_at: Date | null
  terminal_id: number | null
  course_code: string | null
}

async function currentCredits(q: Sql, studentId: number): Promise<CreditView[]> {
  const rows = await q.query<CreditRow>(
    `SELECT c.session_id, c.local_day, c.part, c.mode, c.policy_version, c.session_minutes, c.valid_minutes,
            c.credited_minutes, c.capped_minutes, c.final_minutes, c.mileage_m, c.reasons, c.decided_at,
            s.started_at, s.ended_at, s.terminal_id, s.course_code
       FROM session_credit c JOIN training_session s ON s.id = c.session_id
      WHERE c.student_id = $1 AND c.superseded_at IS NULL
      ORDER BY s.started_at, c.local_day`,
    [studentId],
  )
  return rows.map((r) => ({
    sessionId: Number(r.session_id),
    localDay: r.local_day,
    part: r.part,
    mode: r.mode,
    policyVersion: r.policy_version,
    sessionMinutes: r.session_minutes,
    validMinutes: r.valid_minutes,
    invalidMinutes: r.session_minutes - r.valid_minutes,
    creditedMinutes: r.credited_minutes,
    cappedMinutes: r.capped_minutes,
    finalMinutes: r.final_minutes,
    mileageM: r.mileage_m,
    reasons: r.reasons,
    decidedAt: new Date(r.decided_at),
    startedAt: new Date(r.started_at),
    endedAt: r.ended_at ? new Date(r.ended_at) : null,
    source: r.terminal_id === null ? 'exchange' : 'gateway',
    courseCode: r.course_code,
  }))
}

const reviewColumns = {
  id: stageReview.id,
  studentId: stageReview.studentId,
  studentName: student.name,
  stuNo: student.stuNo,
  institutionId: stageReview.institutionId,
  institutionName: institution.name,
  cityCode: stageReview.cityCode,
  countyCode: stageReview.countyCode,
  part: stageReview.part,
  policyVersion: stageReview.policyVersion,
  status: stageReview.status,
  totals: stageReview.totals,
  sessionIds: stageReview.sessionIds,
  source: stageReview.source,
  requestedAt: stageReview.requestedAt,
  decidedAt: stageReview.decidedAt,
  note: stageReview.note,
}

function reviewQuery(database: Database) {
  return database.db
    .select(reviewColumns)
    .from(stageReview)
    .leftJoin(student, eq(student.id, stageReview.studentId))
    .leftJoin(institution, eq(institution.id, stageReview.institutionId))
}

async function reviewsOf(database: Database, studentId: number): Promise<ReviewView[]> {
  return reviewQuery(database).where(eq(stageReview.studentId, studentId)).orderBy(desc(stageReview.id))
}

async function certificateOf(q: Sql, studentId: number): Promise<CertificateView | null> {
  const [row] = await q.query<{
    id: number
    cert_no: string
    student_id: number
    policy_version: number
    totals: unknown
    issued_at: Date
  }>(
    `SELECT id, cert_no, student_id, policy_version, totals, issued_at FROM completion_certificate
      WHERE student_id = $1 AND revoked_at IS NULL`,
    [studentId],
  )
  return row
    ? {
        id: Number(row.id),
        certNo: row.cert_no,
        studentId: Number(row.student_id),
        policyVersion: row.policy_version,
        totals: row.totals,
        issuedAt: new Date(row.issued_at),
      }
    : null
}

/** Findings still open or under review on the student's sessions (of one part, when given). */
async function openFindings(q: Sql, studentId: number, part?: number): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM finding f
      WHERE f.status IN ('open', 'under_review')
        AND f.session_id IN (SELECT id FROM training_session WHERE student_id = $1 AND ($2::int IS NULL OR part = $2))`,
    [studentId, part ?? null],
  )
  return row?.n ?? 0
}

/** The student's ledger under the syllabus version in force now; credits keep the versions they were decided under. */
async function ledgerOf(q: Sql, s: StudentFacts, credits: CreditView[], at: Date): Promise<Ledger> {
  const policy = await policyAt(q, 'syllabus', at)
  const ledger = buildLedger(credits, s.licenseType, policy.body, policy.version)
  if (!ledger) throw appError('ERR_HOURS_LICENSE_UNKNOWN', { licenseType: s.licenseType, version: policy.version })
  return ledger
}

/** A student's ledger: per part and mode against the syllabus, with every credit, review and the certificate. */
export async function studentLedger(
  database: Database,
  scope: Scope,
  studentId: number,
  options: { now?: Date } = {},
): Promise<StudentLedger> {
  const s = await visibleStudent(database, scope, studentId)
  const credits = await currentCredits(database, s.id)
  return {
    student: s,
    ledger: await ledgerOf(database, s, credits, options.now ?? new Date()),
    credits,
    reviews: await reviewsOf(database, s.id),
    certificate: await certificateOf(database, s.id),
    openFindings: await openFindings(database, s.id),
  }
}

const partTotals = (ledger: Ledger, part: SyllabusPart) => {
  const p = ledger.parts[part - 1]!
  return {
    licenseType: ledger.licenseType,
    requiredMinutes: p.requiredMinutes,
    finalMinutes: p.finalMinutes,
    countedMinutes: p.countedMinutes,
    byMode: p.byMode,
    mileageKm: ledger.mileage.km,
    shortfalls: p.shortfalls,
  }
}

const actor = (who: Who) => ({ id: who.user.id, username: who.user.username, role: who.user.role })

/** 阶段报审: puts a complete part up for review, with a snapshot of its totals and sessions. */
export async function requestStageReview(
  database: Database,
  who: Who,
  studentId: number,
  part: SyllabusPart,
  options: { now?: Date } = {},
): Promise<ReviewView> {
  const s = await visibleStudent(database, who.scope, studentId)
  const credits = await currentCredits(database, s.id)
  const ledger = await ledgerOf(database, s, credits, options.now ?? new Date())
  const existing = (await reviewsOf(database, s.id)).filter((r) => r.part === part)
  const pending = existing.find((r) => r.status === 'pending')
  if (pending) throw appError('ERR_HOURS_REVIEW_PENDING', { part: PART_LABELS[part], id: pending.id })
  const approved = existing.find((r) => r.status === 'approved')
  if (approved) throw appError('ERR_HOURS_REVIEW_APPROVED', { part: PART_LABELS[part], id: approved.id })
  const p = ledger.parts[part - 1]!
  if (!p.complete) throw appError('ERR_HOURS_INCOMPLETE', { detail: p.shortfalls.map((x) => x.message).join('；') })
  const [row] = await database.db
    .insert(stageReview)
    .values({
      studentId: s.id,
      institutionId: s.institutionId,
      cityCode: s.cityCode,
      countyCode: s.countyCode,
      part,
      policyVersion: ledger.policyVersion,
      totals: partTotals(ledger, part),
      sessionIds: p.sessionIds,
      requestedBy: who.user.id,
    })
    .returning({ id: stageReview.id })
  await writeAudit(database.db, {
    actor: actor(who),
    action: 'create',
    entity: 'stage_review',
    entityId: row!.id,
    regionCode: s.countyCode,
    detail: { studentId: s.id, part },
  })
  return (await reviewQuery(database).where(eq(stageReview.id, row!.id)))[0]!
}

export interface ReviewFilters {
  status?: 'pending' | 'approved' | 'rejected'
  part?: number
  /** A region code (city or county) inside the caller's jurisdiction. */
  region?: string
  studentId?: number
}

/** Stage reviews in the caller's jurisdiction; the police see approved ones only (the exam-eligibility record). */
export async function listStageReviews(
  database: Database,
  who: Who,
  filters: ReviewFilters = {},
  page: { page: number; pageSize: number } = { page: 1, pageSize: 20 },
): Promise<{ items: ReviewView[]; total: number; page: number; pageSize: number }> {
  const conditions: SQL[] = [
    scopeCondition(
      who.scope,
      {
        cityCode: stageReview.cityCode,
        countyCode: stageReview.countyCode,
        institutionId: stageReview.institutionId,
        id: stageReview.studentId,
      },
      'student',
    ),
  ]
  if (who.user.role === 'police') conditions.push(eq(stageReview.status, 'approved'))
  if (filters.status) conditions.push(eq(stageReview.status, filters.status))
  if (filters.part !== undefined) conditions.push(eq(stageReview.part, filters.part))
  if (filters.studentId !== undefined) conditions.push(eq(stageReview.studentId, filters.studentId))
  if (filters.region) {
    const level = levelOf(filters.region)
    if (level === 'county') conditions.push(eq(stageReview.countyCode, filters.region))
    else if (level === 'city') conditions.push(eq(stageReview.cityCode, filters.region))
  }
  const where = and(...conditions)
  const items = await reviewQuery(database)
    .where(where)
    .orderBy(desc(stageReview.requestedAt), desc(stageReview.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
  const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(stageReview).where(where)
  return { items, total: count?.n ?? 0, ...page }
}

/**
 * 审核: approve or reject a pending review. Approval re-checks the part against the credits as
 * they are now and refuses while findings on the student's sessions of that part are open.
 */
export async function decideStageReview(
  database: Database,
  who: Who,
  reviewId: number,
  decision: { approve: boolean; note?: string },
  options: { now?: Date } = {},
): Promise<ReviewView> {
  const [review] = await reviewQuery(database).where(eq(stageReview.id, reviewId))
  if (!review || !scopeContains(who.scope, review)) throw appError('ERR_HOURS_REVIEW_NOT_FOUND', { id: reviewId })
  if (review.status !== 'pending') throw appError('ERR_HOURS_REVIEW_DECIDED', { status: review.status })
  const now = options.now ?? new Date()
  let totals = review.totals
  if (decision.approve) {
    const part = review.part as SyllabusPart
    const s = await visibleStudent(database, { kind: 'region', regionCode: review.countyCode }, review.studentId)
    const ledger = await ledgerOf(database, s, await currentCredits(database, s.id), now)
    const p = ledger.parts[part - 1]!
    if (!p.complete) throw appError('ERR_HOURS_INCOMPLETE', { detail: p.shortfalls.map((x) => x.message).join('；') })
    const open = await openFindings(database, s.id, part)
    if (open > 0) {
      throw appError('ERR_HOURS_UNDER_REVIEW', { detail: `${PART_LABELS[part]}的课堂有 ${open} 条疑点未核查完毕` })
    }
    totals = partTotals(ledger, part)
  }
  await database.db
    .update(stageReview)
    .set({
      status: decision.approve ? 'approved' : 'rejected',
      decidedBy: who.user.id,
      decidedAt: now,
      note: decision.note ?? null,
      totals,
    })
    .where(and(eq(stageReview.id, reviewId), eq(stageReview.status, 'pending')))
  await writeAudit(database.db, {
    actor: actor(who),
    action: 'update',
    entity: 'stage_review',
    entityId: reviewId,
    regionCode: review.countyCode,
    detail: { decision: decision.approve ? 'approved' : 'rejected', note: decision.note ?? null },
  })
  return (await reviewQuery(database).where(eq(stageReview.id, reviewId)))[0]!
}

/** The student's certificate (404 when none). */
export async function getCertificate(database: Database, scope: Scope, studentId: number): Promise<CertificateView> {
  const s = await visibleStudent(database, scope, studentId)
  const cert = await certificateOf(database, s.id)
  if (!cert) throw appError('ERR_HOURS_CERTIFICATE_NOT_FOUND', { id: studentId })
  return cert
}

/**
 * 结业证书. Refused with ERR_HOURS_ALREADY_CERTIFIED (one per student), ERR_HOURS_INCOMPLETE
 * (any shortfall, or a part without an approved stage review) or ERR_HOURS_UNDER_REVIEW (open
 * findings on the student's sessions, pending stage reviews).
 *
 * cert_no = 'JY' + county code (6) + Beijing year (4) + sequence within county and year (6),
 * e.g. JY3301062026000001.
 */
export async function issueCertificate(
  database: Database,
  who: Who,
  studentId: number,
  options: { now?: Date } = {},
): Promise<CertificateView> {
  const now = options.now ?? new Date()
  const s = await visibleStudent(database, who.scope, studentId)
  const existing = await certificateOf(database, s.id)
  if (existing) {
    throw appError('ERR_HOURS_ALREADY_CERTIFIED', {
      certNo: existing.certNo,
      issuedAt: localDay(existing.issuedAt),
    })
  }
  const credits = await currentCredits(database, s.id)
  const ledger = await ledgerOf(database, s, credits, now)
  const reviews = await reviewsOf(database, s.id)
  const missing = ledger.shortfalls.map((x) => x.message)
  const unapproved = PARTS.filter((part) => !reviews.some((r) => r.part === part && r.status === 'approved'))
  const pending = reviews.filter((r) => r.status === 'pending')
  const notReviewed = unapproved.filter((part) => !pending.some((r) => r.part === part))
  if (notReviewed.length > 0) missing.push(`${notReviewed.map((p) => PART_LABELS[p]).join('、')}未通过阶段报审`)
  if (missing.length > 0) throw appError('ERR_HOURS_INCOMPLETE', { detail: missing.join('；') })
  const open = await openFindings(database, s.id)
  if (open > 0 || pending.length > 0) {
    const parts: string[] = []
    if (open > 0) parts.push(`${open} 条疑点未核查完毕`)
    if (pending.length > 0)
      parts.push(`${pending.map((r) => PART_LABELS[r.part as SyllabusPart]).join('、')}阶段报审待审核`)
    throw appError('ERR_HOURS_UNDER_REVIEW', { detail: parts.join('，') })
  }
  const year = localDay(now).slice(0, 4)
  const prefix = `JY${s.countyCode}${year}`
  const cert = await database.transaction(async (tx) => {
    const [seq] = await tx.query<{ n: number }>(
      'SELECT count(*)::int + 1 AS n FROM completion_certificate WHERE cert_no LIKE $1',
      [`${prefix}%`],
    )
    const certNo = `${prefix}${String(seq?.n ?? 1).padStart(6, '0')}`
    const totals = {
      licenseType: ledger.licenseType,
      parts: ledger.parts.map((p) => ({
        part: p.part,
        countedMinutes: p.countedMinutes,
        requiredMinutes: p.requiredMinutes,
      })),
      classroomMinutes: ledger.classroom.finalMinutes,
      mileageKm: ledger.mileage.km,
      reviews: reviews.filter((r) => r.status === 'approved').map((r) => r.id),
    }
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO completion_certificate (cert_no, student_id, institution_id, city_code, county_code, policy_version,
         totals, issued_by, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) RETURNING id`,
      [
        certNo,
        s.id,
        s.institutionId,
        s.cityCode,
        s.countyCode,
        ledger.policyVersion,
        JSON.stringify(totals),
        who.user.id,
        now,
      ],
    )
    return { id: Number(row!.id), certNo }
  })
  await writeAudit(database.db, {
    actor: actor(who),
    action: 'create',
    entity: 'completion_certificate',
    entityId: cert.id,
    regionCode: s.countyCode,
    detail: { studentId: s.id, certNo: cert.certNo },
  })
  return (await certificateOf(database, s.id))!
}
