/**
 * Query-side declarations of the hand-written training tables (migration 0001) for the read
 * functions and the jurisdiction helpers. drizzle-kit does not see this file (the tables are
 * created by SQL, see drizzle.config.ts); keep the columns in step with the migration.
 */
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  integer,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'

const bytea = customType<{ data: Uint8Array }>({ dataType: () => 'bytea' })
const tz = (name: string) => timestamp(name, { withTimezone: true })

export const trainingSession = pgTable('training_session', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  terminalId: integer('terminal_id'),
  classId: bigint('class_id', { mode: 'number' }).notNull(),
  institutionId: integer('institution_id').notNull(),
  cityCode: text('city_code').notNull(),
  countyCode: text('county_code').notNull(),
  studentId: bigint('student_id', { mode: 'number' }),
  coachId: integer('coach_id'),
  vehicleId: integer('vehicle_id'),
  courseCode: text('course_code'),
  sourcePlatformId: integer('source_platform_id'),
  startedAt: tz('started_at').notNull(),
  endedAt: tz('ended_at'),
  createdAt: tz('created_at').notNull(),
  /** 电子教学日志编号 of a session that came through the exchange interface. */
  sourceRecordNo: text('source_record_no'),
  /** 培训部分, 课程方式 and 培训车型 from the 课程编码. */
  part: smallint('part'),
  mode: smallint('mode'),
  licenseType: text('license_type'),
  /** Duration and mileage as the source reported them (exchange classrecord, 0x0202 logout). */
  reportedMinutes: integer('reported_minutes'),
  reportedMileageM: integer('reported_mileage_m'),
  evaluatedAt: tz('evaluated_at'),
})

export const minuteRecord = pgTable('minute_record', {
  minuteAt: tz('minute_at').notNull(),
  recordNo: text('record_no').notNull(),
  sessionId: bigint('session_id', { mode: 'number' }),
  terminalId: integer('terminal_id'),
  studentId: bigint('student_id', { mode: 'number' }),
  coachId: integer('coach_id'),
  institutionId: integer('institution_id').notNull(),
  countyCode: text('county_code').notNull(),
  courseCode: text('course_code'),
  status: integer('status'),
  maxSpeedKmh: real('max_speed_kmh'),
  mileageM: integer('mileage_m'),
  lng: doublePrecision('lng'),
  lat: doublePrecision('lat'),
  isBackfill: boolean('is_backfill').notNull(),
  arrivedAt: tz('arrived_at').notNull(),
  valid: boolean('valid'),
  reasons: text('reasons').array(),
  /** 行驶记录速度 and 发动机转速 from the record's GNSS block. */
  recordSpeedKmh: real('record_speed_kmh'),
  engineRpm: integer('engine_rpm'),
  vehicleId: integer('vehicle_id'),
  /** Syllabus policy version under which valid/reasons were decided, and when. */
  policyVersion: integer('policy_version'),
  decidedAt: tz('decided_at'),
})

export const position = pgTable('position', {
  fixedAt: tz('fixed_at').notNull(),
  terminalId: integer('terminal_id').notNull(),
  sessionId: bigint('session_id', { mode: 'number' }),
  lng: doublePrecision('lng').notNull(),
  lat: doublePrecision('lat').notNull(),
  speedKmh: real('speed_kmh'),
  heading: smallint('heading'),
  altitudeM: smallint('altitude_m'),
  alarmFlags: bigint('alarm_flags', { mode: 'number' }),
  statusFlags: bigint('status_flags', { mode: 'number' }),
  mileageM: integer('mileage_m'),
  isBackfill: boolean('is_backfill').notNull(),
  arrivedAt: tz('arrived_at').notNull(),
})

export const rawFrame = pgTable('raw_frame', {
  receivedAt: tz('received_at').notNull(),
  terminalPhone: text('terminal_phone').notNull(),
  msgId: integer('msg_id').notNull(),
  serialNo: integer('serial_no').notNull(),
  direction: text('direction').notNull(),
  frame: bytea('frame').notNull(),
  decodeError: text('decode_error'),
  gatewayNode: text('gateway_node'),
})
