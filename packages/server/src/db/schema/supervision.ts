/**
 * Trustworthy hours and detection (M2, M3, M5, M6, M17): versioned policies, the credit each
 * session earns, stage reviews, completion certificates, findings with their evidence, registered
 * face photos, exam records, and the exchange interface's platform credentials and request log.
 *
 * Credits and findings record the policy version they were decided under; a new policy version
 * never rewrites them silently (a re-decision supersedes a credit row and keeps the old one).
 */
import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { appUser } from './access.ts'
import { institution, student, timingPlatform } from './registry.ts'

const tz = (name: string) => timestamp(name, { withTimezone: true })

/**
 * 政策版本: one immutable row per version of a policy kind ('syllabus' = 大纲 hours and caps,
 * 'detection' = rule switches, thresholds and training windows). The version in force at a time
 * is the highest version whose effective_from is not after it.
 */
export const policyVersion = pgTable(
  'policy_version',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    effectiveFrom: tz('effective_from').notNull(),
    body: jsonb('body').notNull(),
    note: text('note'),
    createdBy: integer('created_by').references(() => appUser.id),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('policy_version_kind_version_uq').on(t.kind, t.version),
    index('policy_version_kind_effective_idx').on(t.kind, t.effectiveFrom),
  ],
)

/**
 * 学时认定: what one session earned on one local (Beijing) day, decided under one syllabus
 * version. A session crossing midnight has a row per day. The current decision is the row with
 * superseded_at null; a re-decision sets superseded_at on the old row and inserts a new one.
 */
export const sessionCredit = pgTable(
  'session_credit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sessionId: bigint('session_id', { mode: 'number' }).notNull(),
    localDay: date('local_day').notNull(),
    studentId: bigint('student_id', { mode: 'number' }).notNull(),
    institutionId: integer('institution_id').notNull(),
    cityCode: text('city_code').notNull(),
    countyCode: text('county_code').notNull(),
    /** 培训部分 1–4 and 课程方式 1 实操, 2 课堂, 3 模拟, 4 远程 (from the 课程编码). */
    part: smallint('part').notNull(),
    mode: smallint('mode').notNull(),
    /** 'practical' | 'classroom': which daily cap the minutes count against. */
    capCategory: text('cap_category').notNull(),
    policyVersion: integer('policy_version').notNull(),
    /** Minutes of the session on this day, valid among them, credited after the 45/60 rule, lost to the daily cap, and finally credited. */
    sessionMinutes: integer('session_minutes').notNull(),
    validMinutes: integer('valid_minutes').notNull(),
    creditedMinutes: integer('credited_minutes').notNull(),
    cappedMinutes: integer('capped_minutes').notNull().default(0),
    finalMinutes: integer('final_minutes').notNull(),
    mileageM: integer('mileage_m').notNull().default(0),
    /** Reason codes of the decision (rule ids of invalid minutes, DAILY_CAP, LOW_VALID_SHARE …). */
    reasons: text('reasons').array().notNull().default(sql`'{}'::text[]`),
    decidedAt: tz('decided_at').notNull().defaultNow(),
    supersededAt: tz('superseded_at'),
  },
  (t) => [
    uniqueIndex('session_credit_current_uq').on(t.sessionId, t.localDay).where(sql`superseded_at IS NULL`),
    index('session_credit_student_idx').on(t.studentId, t.localDay),
    index('session_credit_county_idx').on(t.countyCode, t.localDay),
  ],
)

/** 阶段报审: a student's hours for one part put up for review; the police read approved ones for exam eligibility. */
export const stageReview = pgTable(
  'stage_review',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    studentId: bigint('student_id', { mode: 'number' })
      .notNull()
      .references(() => student.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    cityCode: text('city_code').notNull(),
    countyCode: text('county_code').notNull(),
    part: smallint('part').notNull(),
    policyVersion: integer('policy_version').notNull(),
    /** 'pending' | 'approved' | 'rejected'. */
    status: text('status').notNull().default('pending'),
    /** Minutes per mode, required minutes, mileage, shortfalls: the snapshot the decision was made on. */
    totals: jsonb('totals').notNull(),
    /** Session ids whose credits the review includes (recarray). */
    sessionIds: bigint('session_ids', { mode: 'number' }).array().notNull(),
    source: text('source').notNull().default('platform'),
    sourcePlatformId: integer('source_platform_id').references(() => timingPlatform.id),
    requestedBy: integer('requested_by').references(() => appUser.id),
    requestedAt: tz('requested_at').notNull().defaultNow(),
    decidedBy: integer('decided_by').references(() => appUser.id),
    decidedAt: tz('decided_at'),
    note: text('note'),
  },
  (t) => [
    index('stage_review_student_idx').on(t.studentId, t.part),
    index('stage_review_county_idx').on(t.countyCode, t.status),
  ],
)

/** 结业证书: issued once per student when every part is complete and approved. */
export const completionCertificate = pgTable(
  'completion_certificate',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    certNo: text('cert_no').notNull(),
    studentId: bigint('student_id', { mode: 'number' })
      .notNull()
      .references(() => student.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    cityCode: text('city_code').notNull(),
    countyCode: text('county_code').notNull(),
    policyVersion: integer('policy_version').notNull(),
    totals: jsonb('totals').notNull(),
    issuedBy: integer('issued_by').references(() => appUser.id),
    issuedAt: tz('issued_at').notNull().defaultNow(),
    revokedAt: tz('revoked_at'),
  },
  (t) => [
    uniqueIndex('completion_certificate_no_uq').on(t.certNo),
    uniqueIndex('completion_certificate_student_uq').on(t.studentId).where(sql`revoked_at IS NULL`),
  ],
)

/**
 * 疑点 (finding): one rule's verdict on one subject, with the rule version, the parameters it
 * used and links to its evidence. dedupe_key makes re-evaluation idempotent.
 */
export const finding = pgTable(
  'finding',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: text('rule_id').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    policyVersion: integer('policy_version').notNull(),
    severity: text('severity').notNull(),
    /** 'open' | 'confirmed' | 'dismissed' | 'under_review'. */
    status: text('status').notNull().default('open'),
    /** What the finding is about: 'session' | 'student' | 'coach' | 'vehicle' | 'photo' | 'institution'. */
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    sessionId: bigint('session_id', { mode: 'number' }),
    studentId: bigint('student_id', { mode: 'number' }),
    coachId: integer('coach_id'),
    vehicleId: integer('vehicle_id'),
    institutionId: integer('institution_id'),
    cityCode: text('city_code').notNull(),
    countyCode: text('county_code').notNull(),
    occurredAt: tz('occurred_at').notNull(),
    /** One line in Chinese: what was seen. */
    summary: text('summary').notNull(),
    params: jsonb('params').notNull().default(sql`'{}'::jsonb`),
    /** { minutes: [{recordNo, minuteAt}], positions: [{terminalId, fixedAt}], photos: [id], sessions: [id], frames: [...], details: {...} } */
    evidence: jsonb('evidence').notNull().default(sql`'{}'::jsonb`),
    /** 'stream' | 'batch'. */
    detectedBy: text('detected_by').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    detectedAt: tz('detected_at').notNull().defaultNow(),
    reviewedBy: integer('reviewed_by').references(() => appUser.id),
    reviewedAt: tz('reviewed_at'),
    reviewNote: text('review_note'),
  },
  (t) => [
    uniqueIndex('finding_dedupe_uq').on(t.dedupeKey),
    index('finding_county_idx').on(t.countyCode, t.occurredAt),
    index('finding_rule_idx').on(t.ruleId, t.occurredAt),
    index('finding_session_idx').on(t.sessionId),
    index('finding_student_idx').on(t.studentId),
  ],
)

/** A batch evaluation over a window (e.g. one province-day): when it ran and what it found. */
export const detectionRun = pgTable('detection_run', {
  id: serial('id').primaryKey(),
  kind: text('kind').notNull(),
  windowFrom: tz('window_from').notNull(),
  windowTo: tz('window_to').notNull(),
  policyVersion: integer('policy_version').notNull(),
  startedAt: tz('started_at').notNull().defaultNow(),
  finishedAt: tz('finished_at'),
  stats: jsonb('stats').notNull().default(sql`'{}'::jsonb`),
  error: text('error'),
})

/** 备案照片: the registered face photo of a student or coach, with its 128-d face descriptor. */
export const personPhoto = pgTable(
  'person_photo',
  {
    id: serial('id').primaryKey(),
    /** 'student' | 'coach'. */
    personKind: text('person_kind').notNull(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    descriptor: real('descriptor').array(),
    analysisError: text('analysis_error'),
    registeredAt: tz('registered_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('person_photo_person_uq').on(t.personKind, t.personId)],
)

/** 考试记录: exam bookings and results (from the police or the exchange interface); drives 异地考试学时审核. */
export const examResult = pgTable(
  'exam_result',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    studentId: bigint('student_id', { mode: 'number' })
      .notNull()
      .references(() => student.id),
    /** 科目 1–4. */
    subject: smallint('subject').notNull(),
    examCityCode: text('exam_city_code').notNull(),
    examOn: date('exam_on').notNull(),
    /** 'booked' | 'passed' | 'failed'. */
    result: text('result').notNull(),
    source: text('source').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [index('exam_result_student_idx').on(t.studentId, t.subject)],
)

/** 计时平台接入凭证: the certificate a third-party timing platform signs exchange requests with. */
export const exchangeCredential = pgTable(
  'exchange_credential',
  {
    id: serial('id').primaryKey(),
    timingPlatformId: integer('timing_platform_id')
      .notNull()
      .references(() => timingPlatform.id),
    /** The `user` query parameter: certificate serial number (11 hex chars in the national interface). */
    certSn: text('cert_sn').notNull(),
    certPem: text('cert_pem'),
    publicKeyPem: text('public_key_pem').notNull(),
    issuedAt: tz('issued_at').notNull().defaultNow(),
    revokedAt: tz('revoked_at'),
  },
  (t) => [uniqueIndex('exchange_credential_sn_uq').on(t.certSn)],
)

/** 接口调用记录: every exchange request, accepted or refused, with its error code; the sign digest blocks replays. */
export const exchangeRequest = pgTable(
  'exchange_request',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    timingPlatformId: integer('timing_platform_id'),
    certSn: text('cert_sn'),
    service: text('service').notNull(),
    method: text('method').notNull(),
    ts: bigint('ts', { mode: 'number' }),
    /** sha256 of the sign parameter: unique among accepted requests, so a replay is refused. */
    signDigest: text('sign_digest'),
    errorcode: integer('errorcode').notNull(),
    errorCode: text('error_code'),
    message: text('message'),
    body: jsonb('body'),
    receivedAt: tz('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('exchange_request_sign_uq').on(t.signDigest).where(sql`errorcode = 0`),
    index('exchange_request_platform_idx').on(t.timingPlatformId, t.receivedAt),
  ],
)
