/**
 * Builders of realistic SessionFacts for rule tests, engine tests and the detection benchmark.
 *
 * A clean practical session (课程方式 1, C1, 科目二 基础驾驶 `1212110000`) drives a circle of
 * 100 m radius at 12 km/h inside a training field in Hangzhou (西湖区); a 0x0200 position every
 * 15 s, one minute record per minute with its fix at second 30, and photos at sign-in (event 17),
 * every 15 minutes during training (19) and at sign-out (18). Every figure passes every session
 * rule with its default parameters, so a test changes one thing and expects exactly one verdict.
 *
 * A classroom session (课程方式 2, part 1) has a terminal and photos but no vehicle, no GNSS and
 * minute records with zero speed and mileage, as classroom terminals send them.
 *
 * Pure: the same options give the same facts.
 */
import { DETECTION_DEFAULT } from '../../policy/detection.ts'
import type { SyllabusPart, TrainingMode } from '../../policy/syllabus.ts'
import { SYLLABUS_2016 } from '../../policy/syllabus.ts'
import type {
  CoachFact,
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

const MINUTE_MS = 60_000
const METRES_PER_DEGREE_LAT = 111_320

/** 杭州市, 西湖区. */
export const HANGZHOU_CITY = '330100'
export const HANGZHOU_COUNTY = '330106'

/** Centre of the fixture training field (lng, lat). */
export const FIELD_CENTER: [number, number] = [120.0855, 30.2935]

/** Degrees of longitude / latitude per metre at the field's latitude. */
export const LNG_PER_M = 1 / (METRES_PER_DEGREE_LAT * Math.cos((FIELD_CENTER[1] * Math.PI) / 180))
export const LAT_PER_M = 1 / METRES_PER_DEGREE_LAT

/** A point `east` and `north` metres from the field centre. */
export function offsetFromCenter(east: number, north: number): [number, number] {
  return [FIELD_CENTER[0] + east * LNG_PER_M, FIELD_CENTER[1] + north * LAT_PER_M]
}

/** The field: a 400 m × 300 m rectangle (closed ring) around FIELD_CENTER. */
export const FIELD_RING: Ring = [
  offsetFromCenter(-200, -150),
  offsetFromCenter(200, -150),
  offsetFromCenter(200, 150),
  offsetFromCenter(-200, 150),
  offsetFromCenter(-200, -150),
]

/** A point 2 km north of the field (on a road, outside every fixture field). */
export const POINT_OUTSIDE: [number, number] = offsetFromCenter(0, 2_000)

export const FIELD: FieldFact = { id: 601, name: '西湖训练场', polygon: [FIELD_RING], vehicleTypes: ['C1', 'C2'] }

/** Radius (m) and speed (km/h) of the fixture track. */
export const TRACK_RADIUS_M = 100
export const TRACK_SPEED_KMH = 12
/** Metres driven per minute at TRACK_SPEED_KMH. */
export const TRACK_METRES_PER_MINUTE = (TRACK_SPEED_KMH * 1000) / 60

/** 2026-03-10 10:00 Beijing time. */
export const DEFAULT_START = new Date('2026-03-10T02:00:00Z')

export const DEVICE_NO = '3301000000000101'

export const STUDENT: StudentFact = {
  id: 201,
  stuNo: '3301000000000201',
  institutionId: 501,
  licenseType: 'C1',
  cityCode: HANGZHOU_CITY,
}

export const COACH: CoachFact = {
  id: 301,
  coachNo: '3301000000000301',
  institutionId: 501,
  filed: true,
  blacklisted: false,
  teachPermitted: ['C1', 'C2'],
}

export const VEHICLE: VehicleFact = {
  id: 401,
  plate: '浙AD12345',
  institutionId: 501,
  filed: true,
  vehicleType: 'C1',
  inspectionValidUntil: '2027-01-31',
}

/** 学时记录编号: device number + YYMMDD + minute of the local day (26 characters), as terminals build it. */
export function recordNoOf(deviceNo: string, minuteAt: Date): string {
  const local = new Date(minuteAt.getTime() + 8 * 3_600_000)
  const day = local.toISOString().slice(2, 10).replaceAll('-', '')
  const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes()
  return `${deviceNo}${day}${String(minuteOfDay).padStart(4, '0')}`
}

/** Position on the fixture circle `seconds` after the session start. */
export function trackPoint(seconds: number): [number, number] {
  const angle = ((TRACK_METRES_PER_MINUTE / 60) * seconds) / TRACK_RADIUS_M
  return offsetFromCenter(TRACK_RADIUS_M * Math.cos(angle), TRACK_RADIUS_M * Math.sin(angle))
}

export interface SessionOptions {
  /** Training minutes (one minute record each). Default 60. */
  minutes?: number
  startAt?: Date
  /** Seconds between 0x0200 positions (practical only). Default 15. */
  positionEverySeconds?: number
  /** Minutes between in-training photos (event 19). Default 15. */
  photoEveryMinutes?: number
  /** Overrides of the session row (ids, part, licence type, source …). */
  session?: Partial<SessionFact>
  /** null = not in the registry. */
  student?: Partial<StudentFact> | null
  coach?: Partial<CoachFact> | null
  vehicle?: Partial<VehicleFact> | null
  fields?: FieldFact[]
  /** Default: end of the session + 1 h (closed session fully arrived). */
  now?: Date
}

function merged<T>(base: T, patch: Partial<T> | null | undefined): T | null {
  if (patch === null) return null
  return { ...base, ...(patch ?? {}) }
}

function photo(
  id: number,
  takenAt: Date,
  eventType: number,
  personId: number | null,
  personKind: PhotoFact['personKind'] = 'student',
): PhotoFact {
  const hex = (id * 2_654_435_761).toString(16).padStart(16, '0').slice(-16)
  return {
    id,
    takenAt,
    eventType,
    faceConfidence: 92,
    sha256: hex.repeat(4),
    phash: hex,
    meanLuma: 118,
    lumaStddev: 46,
    faceCount: 1,
    faceDistance: 0.34,
    personKind,
    personId,
  }
}

/** Photos of a session: sign-in (17) at the start, 19 every `every` minutes, sign-out (18) at the end. */
export function standardPhotos(
  startAt: Date,
  minutes: number,
  every: number,
  studentId: number | null,
  firstId = 9001,
): PhotoFact[] {
  const photos: PhotoFact[] = []
  let id = firstId
  photos.push(photo(id++, new Date(startAt.getTime() + 5_000), 17, studentId))
  for (let m = every; m < minutes; m += every)
    photos.push(photo(id++, new Date(startAt.getTime() + m * MINUTE_MS), 19, studentId))
  photos.push(photo(id++, new Date(startAt.getTime() + minutes * MINUTE_MS - 5_000), 18, studentId))
  return photos
}

function baseSession(
  options: SessionOptions,
  mode: TrainingMode,
  part: SyllabusPart,
  courseCode: string,
  minutes: number,
  startAt: Date,
): SessionFact {
  return {
    id: 1001,
    source: 'gateway',
    sourcePlatformId: null,
    terminalId: 101,
    studentId: STUDENT.id,
    coachId: COACH.id,
    vehicleId: mode === 1 ? VEHICLE.id : null,
    institutionId: 501,
    cityCode: HANGZHOU_CITY,
    countyCode: HANGZHOU_COUNTY,
    courseCode,
    mode,
    part,
    licenseType: 'C1',
    startedAt: startAt,
    endedAt: new Date(startAt.getTime() + minutes * MINUTE_MS),
    reportedMinutes: minutes,
    reportedMileageM: mode === 1 ? Math.round(minutes * TRACK_METRES_PER_MINUTE) : 0,
    ...(options.session ?? {}),
  }
}

/**
 * A clean 科目二 C1 practical session of `minutes` minutes (default 60) inside FIELD, starting at
 * 10:00 Beijing time on 2026-03-10. Every rule with default parameters finds nothing.
 */
export function practicalSession(options: SessionOptions = {}): SessionFacts {
  const minutes = options.minutes ?? 60
  const startAt = options.startAt ?? DEFAULT_START
  const session = baseSession(options, 1, 2, '1212110000', minutes, startAt)
  const start = session.startedAt.getTime()
  const perMinute = TRACK_METRES_PER_MINUTE
  const minuteFacts: MinuteFact[] = []
  for (let i = 0; i < minutes; i++) {
    const minuteAt = new Date(start + i * MINUTE_MS)
    const [lng, lat] = trackPoint(i * 60 + 30)
    minuteFacts.push({
      recordNo: recordNoOf(DEVICE_NO, minuteAt),
      minuteAt,
      sessionId: session.id,
      maxSpeedKmh: TRACK_SPEED_KMH + 6,
      recordSpeedKmh: TRACK_SPEED_KMH,
      mileageM: Math.round(perMinute),
      engineRpm: 1_560,
      lng,
      lat,
      backfill: false,
      arrivedAt: new Date(minuteAt.getTime() + 65_000),
    })
  }
  const every = options.positionEverySeconds ?? 15
  const positions: PositionFact[] = []
  for (let s = 0; s <= minutes * 60; s += every) {
    const [lng, lat] = trackPoint(s)
    const fixedAt = new Date(start + s * 1000)
    positions.push({
      fixedAt,
      lng,
      lat,
      speedKmh: TRACK_SPEED_KMH,
      located: true,
      backfill: false,
      arrivedAt: new Date(fixedAt.getTime() + 2_000),
    })
  }
  const end = session.endedAt ?? new Date(start + minutes * MINUTE_MS)
  return {
    session,
    minutes: minuteFacts,
    positions,
    photos: standardPhotos(session.startedAt, minutes, options.photoEveryMinutes ?? 15, session.studentId),
    student: merged(STUDENT, options.student),
    coach: merged(COACH, options.coach),
    vehicle: merged(VEHICLE, options.vehicle),
    fields: options.fields ?? [FIELD],
    windows: DETECTION_DEFAULT.windows,
    syllabus: SYLLABUS_2016,
    now: options.now ?? new Date(end.getTime() + 3_600_000),
  }
}

/**
 * A clean classroom session (课程方式 2, 第一部分 法规 `2211010000`) of `minutes` minutes
 * (default 60): a classroom terminal, photos, no vehicle, no positions, minute records with zero
 * speed and mileage and no fix.
 */
export function classroomSession(options: SessionOptions = {}): SessionFacts {
  const minutes = options.minutes ?? 60
  const startAt = options.startAt ?? DEFAULT_START
  const session = baseSession(options, 2, 1, '2211010000', minutes, startAt)
  const start = session.startedAt.getTime()
  const minuteFacts: MinuteFact[] = []
  for (let i = 0; i < minutes; i++) {
    const minuteAt = new Date(start + i * MINUTE_MS)
    minuteFacts.push({
      recordNo: recordNoOf(DEVICE_NO, minuteAt),
      minuteAt,
      sessionId: session.id,
      maxSpeedKmh: 0,
      recordSpeedKmh: 0,
      mileageM: 0,
      engineRpm: null,
      lng: null,
      lat: null,
      backfill: false,
      arrivedAt: new Date(minuteAt.getTime() + 65_000),
    })
  }
  const end = session.endedAt ?? new Date(start + minutes * MINUTE_MS)
  return {
    session,
    minutes: minuteFacts,
    positions: [],
    photos: standardPhotos(session.startedAt, minutes, options.photoEveryMinutes ?? 15, session.studentId),
    student: merged(STUDENT, options.student),
    coach: merged(COACH, options.coach),
    vehicle: options.vehicle ? { ...VEHICLE, ...options.vehicle } : null,
    fields: options.fields ?? [FIELD],
    windows: DETECTION_DEFAULT.windows,
    syllabus: SYLLABUS_2016,
    now: options.now ?? new Date(end.getTime() + 3_600_000),
  }
}

/** A copy of the facts with the minutes at the given indexes patched. */
export function patchMinutes(facts: SessionFacts, indexes: Iterable<number>, patch: Partial<MinuteFact>): SessionFacts {
  const set = new Set(indexes)
  return { ...facts, minutes: facts.minutes.map((m, i) => (set.has(i) ? { ...m, ...patch } : m)) }
}

/** A copy of the facts with the photos at the given indexes patched (`null` removes the photo). */
export function patchPhotos(
  facts: SessionFacts,
  indexes: Iterable<number>,
  patch: Partial<PhotoFact> | null,
): SessionFacts {
  const set = new Set(indexes)
  const photos = facts.photos.flatMap((p, i) => (set.has(i) ? (patch === null ? [] : [{ ...p, ...patch }]) : [p]))
  return { ...facts, photos }
}

/** A copy of the facts with the positions at the given indexes patched (`null` removes the position). */
export function patchPositions(
  facts: SessionFacts,
  indexes: Iterable<number>,
  patch: Partial<PositionFact> | null,
): SessionFacts {
  const set = new Set(indexes)
  const positions = facts.positions.flatMap((p, i) => (set.has(i) ? (patch === null ? [] : [{ ...p, ...patch }]) : [p]))
  return { ...facts, positions }
}

/** Indexes from `from` (inclusive) to `to` (exclusive). */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i)
}
