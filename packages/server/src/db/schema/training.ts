/**
 * Timing-chain tables that drizzle-kit manages: terminal credentials issued at registration, the
 * platform's certificate authority, and photo metadata (the bytes live in the content-addressed
 * photo store). The month-partitioned tables (raw_frame, minute_record, position) and
 * training_session are created by the hand-written migration 0001 and written with the batch
 * writer (src/db/batch.ts).
 */
import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  doublePrecision,
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
import { institution, terminal } from './registry.ts'

/** The platform's own CA (one active row): signs the terminal certificates issued on registration. */
export const platformCa = pgTable('platform_ca', {
  id: serial('id').primaryKey(),
  certPem: text('cert_pem').notNull(),
  /** PKCS#8 PEM of the CA key. Protect the database like the key itself. */
  keyPem: text('key_pem').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
})

/** 终端证书: issued in the 0x8100 registration answer; authentication verifies against its public key. */
export const terminalCredential = pgTable(
  'terminal_credential',
  {
    id: serial('id').primaryKey(),
    terminalId: integer('terminal_id')
      .notNull()
      .references(() => terminal.id),
    serialNo: text('serial_no').notNull(),
    certPem: text('cert_pem').notNull(),
    publicKeyPem: text('public_key_pem').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('terminal_credential_serial_uq').on(t.serialNo),
    index('terminal_credential_terminal_idx').on(t.terminalId),
  ],
)

/** 照片: metadata of a photo reassembled from 0x0305/0x0306 (or uploaded through the exchange API). */
export const photo = pgTable(
  'photo',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    terminalId: integer('terminal_id').references(() => terminal.id),
    /** 照片编号 as the terminal numbered it: idempotency key with the terminal. */
    photoNo: text('photo_no').notNull(),
    institutionId: integer('institution_id').references(() => institution.id),
    countyCode: text('county_code'),
    sessionId: bigint('session_id', { mode: 'number' }),
    studentId: bigint('student_id', { mode: 'number' }),
    coachId: integer('coach_id'),
    /** 上传模式 / 拍照事件 (17 学员登录, 18 学员登出, 19 培训中, 20 教练登录, 21 教练登出 …). */
    eventType: integer('event_type'),
    channel: integer('channel'),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    /** 人脸识别置信度 reported by the terminal (0–100). */
    faceConfidence: real('face_confidence'),
    sizeBytes: integer('size_bytes').notNull(),
    /** sha256 of the bytes: the storage key in the content-addressed store. */
    sha256: text('sha256').notNull(),
    /** 64-bit perceptual hash (hex), filled by the photo analysis. */
    phash: text('phash'),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set for photos uploaded through the exchange interface (photo_no is then the platform's file id). */
    sourcePlatformId: integer('source_platform_id'),
    /** Photo analysis: mean and standard deviation of luma (0–255): a covered camera is dark or uniform. */
    meanLuma: real('mean_luma'),
    lumaStddev: real('luma_stddev'),
    /** Faces found, the 128-d descriptor of the largest, and its distance to the person's registered photo. */
    faceCount: smallint('face_count'),
    faceDescriptor: real('face_descriptor').array(),
    faceDistance: real('face_distance'),
    analysisError: text('analysis_error'),
    analyzedAt: timestamp('analyzed_at', { withTimezone: true }),
    /** Lease of the analysis loop that took the photo: no other loop takes it before this time. */
    analysisClaimedUntil: timestamp('analysis_claimed_until', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('photo_terminal_no_uq').on(t.terminalId, t.photoNo),
    uniqueIndex('photo_platform_no_uq').on(t.sourcePlatformId, t.photoNo).where(sql`terminal_id IS NULL`),
    index('photo_phash_idx').on(t.phash).where(sql`phash IS NOT NULL`),
    index('photo_unanalyzed_idx').on(t.id).where(sql`analyzed_at IS NULL`),
    index('photo_session_idx').on(t.sessionId),
    index('photo_sha256_idx').on(t.sha256),
    // Re-scoring a person's photos after a (new) registration.
    index('photo_student_idx').on(t.studentId).where(sql`student_id IS NOT NULL`),
    index('photo_coach_idx').on(t.coachId).where(sql`coach_id IS NOT NULL`),
  ],
)
