/**
 * The detection rule contract (DESIGN §5). A rule is a unit: a stable kebab-case id, a version,
 * Chinese and English titles, a severity, the requirements it serves, parameters with defaults,
 * a pure evaluation function, a doc page (docs/rules/<id>.md) and a table-driven test
 * (src/detection/rules/<id>.test.ts). The integrity test checks that every registered rule has
 * both.
 *
 * Two scopes:
 *  - 'session' rules see one session with its minutes, positions, photos and the registry facts
 *    about its people, vehicle and training fields. They run streaming (as minutes arrive) and in
 *    batch, and may invalidate minutes (the hour accounting only credits valid minutes).
 *  - 'cross' rules see many sessions at once (a window of a day or more, all sources): overlaps,
 *    daily caps, duplicate photos across sessions, exam city. They run in batch and only raise
 *    findings.
 *
 * Rules are pure: facts in, verdicts out. Thresholds come from `params` (policy data), never
 * literals in the rule body. Times are UTC Date objects; a rule that needs the local day or clock
 * uses the helpers in detection/time.ts (Asia/Shanghai).
 */
import type { TrainingWindows } from '../policy/detection.ts'
import type { SyllabusPart, SyllabusPolicy, TrainingMode } from '../policy/syllabus.ts'

export type Severity = 'low' | 'medium' | 'high' | 'critical'
/** Requirements of MISSION.md a rule serves. */
export type Requirement = 'M1' | 'M2' | 'M3' | 'M5' | 'M6' | 'M16' | 'M17'

export interface ParamSpec {
  /** Default value; the detection policy may override it. */
  default: number | string | boolean
  /** Unit for display, e.g. 分钟, 米, km/h, %. */
  unit?: string
  /** What the parameter means, in Chinese. */
  description: string
  /** True when no public source gives this threshold (STANDARDS §7.3): the province should set it. */
  uncertain?: boolean
}

export type ParamValues = Record<string, number | string | boolean>

/** One minute record as the rules see it (minute_record + the session's course facts). */
export interface MinuteFact {
  recordNo: string
  /** Start of the minute (UTC). */
  minuteAt: Date
  sessionId: number
  /** 最大速度 and 行驶记录速度 (km/h), 里程 within the minute (m), 发动机转速 (rpm); null when unknown (e.g. exchange records). */
  maxSpeedKmh: number | null
  recordSpeedKmh: number | null
  mileageM: number | null
  engineRpm: number | null
  /** GNSS fix of the minute (second 30), degrees; null when none. */
  lng: number | null
  lat: number | null
  backfill: boolean
  /** When the platform received it. */
  arrivedAt: Date
  /** The coach the minute record names (教练员编号 of the record), when the loader knows it. */
  coachId?: number | null
}

export interface PositionFact {
  fixedAt: Date
  lng: number
  lat: number
  speedKmh: number | null
  /** 状态 bit 1 (定位): false when the terminal reports no fix. */
  located: boolean
  backfill: boolean
  arrivedAt: Date
}

export interface PhotoFact {
  id: number
  takenAt: Date | null
  /** 拍照事件 / 上传模式 (17 学员登录, 18 学员登出, 19/5 培训中, 20 教练登录 …), as stored. */
  eventType: number | null
  faceConfidence: number | null
  sha256: string
  /** 64-bit perceptual hash, hex; null until analysed. */
  phash: string | null
  meanLuma: number | null
  lumaStddev: number | null
  faceCount: number | null
  /** Distance of the face to the registered photo of the person it should show (face-api euclidean); null when not computed. */
  faceDistance: number | null
  /** Whose face the photo should show. */
  personKind: 'student' | 'coach' | null
  personId: number | null
}

/** A polygon as [lng, lat] rings (GeoJSON Polygon coordinates). */
export type Ring = [number, number][]
export interface FieldFact {
  id: number
  name: string
  polygon: Ring[] | null
  vehicleTypes: string[]
}

export interface CoachFact {
  id: number
  coachNo: string
  institutionId: number
  /** Filed (备案) and employed. */
  filed: boolean
  /** On a watch/black list (监管黑名单). */
  blacklisted: boolean
  /** 准教车型, e.g. ['C1', 'C2']. */
  teachPermitted: string[]
}

export interface VehicleFact {
  id: number
  plate: string
  institutionId: number
  filed: boolean
  vehicleType: string
  inspectionValidUntil: string | null
}

export interface StudentFact {
  id: number
  stuNo: string
  institutionId: number
  licenseType: string
  cityCode: string
}

export interface SessionFact {
  id: number
  /** 'gateway' = our terminals; 'exchange' = a third-party 计时平台 through the exchange API. */
  source: 'gateway' | 'exchange'
  sourcePlatformId: number | null
  terminalId: number | null
  studentId: number | null
  coachId: number | null
  vehicleId: number | null
  institutionId: number
  cityCode: string
  countyCode: string
  courseCode: string | null
  mode: TrainingMode | null
  part: SyllabusPart | null
  licenseType: string | null
  startedAt: Date
  /** null while the session is still open. */
  endedAt: Date | null
  reportedMinutes: number | null
  reportedMileageM: number | null
}

/** Everything a session-scope rule sees. Lists are sorted by time. */
export interface SessionFacts {
  session: SessionFact
  minutes: MinuteFact[]
  positions: PositionFact[]
  photos: PhotoFact[]
  student: StudentFact | null
  coach: CoachFact | null
  vehicle: VehicleFact | null
  /** The institution's training fields (教学区域) valid for the session's licence type. */
  fields: FieldFact[]
  windows: TrainingWindows
  syllabus: SyllabusPolicy
  /** Evaluation time: streaming rules must not judge what has not arrived yet (e.g. open sessions). */
  now: Date
}

/** Everything a cross-scope rule sees: all sessions overlapping [from, to) in the rule's reach, with their facts. */
export interface CrossFacts {
  from: Date
  to: Date
  sessions: SessionFacts[]
  /** Exam bookings/results of the students in `sessions` (exam_result). */
  exams: { studentId: number; subject: number; examCityCode: string; examOn: string; result: string }[]
  /** Current credited minutes (session_credit, not superseded) of the students in `sessions`, per part and mode. */
  credits?: CreditFact[]
  syllabus: SyllabusPolicy
  now: Date
}

/** A student's credited minutes of one part and mode, all days together. */
export interface CreditFact {
  studentId: number
  part: SyllabusPart
  mode: TrainingMode
  creditedMinutes: number
}

/** Evidence links; the finding page renders each kind. */
export interface Evidence {
  sessions?: number[]
  minutes?: { recordNo: string; minuteAt: string }[]
  positions?: { terminalId: number; fixedAt: string }[]
  photos?: number[]
  /** Raw frames by their archive key. */
  frames?: { terminalPhone: string; receivedAt: string; msgId: number; serialNo: number }[]
  /** Rule-specific figures (measured values next to thresholds), shown as a table. */
  details?: Record<string, unknown>
}

export type SubjectKind = 'session' | 'student' | 'coach' | 'vehicle' | 'photo' | 'institution'

/** What a rule reports; the engine adds rule id/version, policy version, params and jurisdiction. */
export interface FindingDraft {
  subjectKind: SubjectKind
  subjectId: string
  /** The session the finding is about or anchored on (for jurisdiction and replay), if any. */
  sessionId: number | null
  studentId?: number | null
  coachId?: number | null
  vehicleId?: number | null
  occurredAt: Date
  /** One line in Chinese with the measured figures, e.g. 连续 3 分钟速度为 0（阈值 2 分钟）. */
  summary: string
  evidence: Evidence
  /** Distinguishes several findings of one rule on one subject (e.g. the first minute of a run). */
  key: string
}

/** A minute the rule judged invalid, with the reason code (the rule id unless stated). */
export interface MinuteVerdict {
  recordNo: string
  minuteAt: Date
  reason: string
}

export interface RuleResult {
  invalidMinutes: MinuteVerdict[]
  findings: FindingDraft[]
}

interface RuleBase {
  id: string
  /** Bump when the rule's logic changes; findings record it. */
  version: number
  title: { zh: string; en: string }
  severity: Severity
  requirements: Requirement[]
  /** Source of the rule: STANDARDS/LAW section. */
  basis: string
  params: Record<string, ParamSpec>
}

export interface SessionRule extends RuleBase {
  scope: 'session'
  /** True when the rule may invalidate minutes (otherwise it only raises findings). */
  invalidates: boolean
  evaluate(facts: SessionFacts, params: ParamValues): RuleResult
}

/**
 * What a cross rule must see at once, so the batch can evaluate a province-day in slices that fit
 * in memory (engine/batch.ts):
 *  - 'student': every session of each student it is given, with minutes, and the students' exams
 *    and credits; no photos. Evaluated per slice of students (a session without a student falls
 *    in the first slice), so it must only relate sessions of one student, or look at one session.
 *  - 'sessions': every session of the window, without minute records (an open session's last
 *    minute is kept, for its span) and without photos.
 *  - 'photos': every session of the window with its photos, without minute records.
 */
export type CrossReach = 'student' | 'sessions' | 'photos'

/**
 * The minute records a cross rule of reach 'student' reads, so the batch loads only those
 * (engine/facts.ts `MinuteSelection`) instead of every minute of a province-day:
 *  - 'all': every minute of its sessions (what a rule that declares nothing gets);
 *  - 'none': none — an open session's last minute is always loaded, for its span;
 *  - `coachMismatch`: every minute of the sessions where some minute names a coach other than the
 *    session's;
 *  - `studentDayOver`: every minute of the students who have more than this many minute records
 *    on some local day (all their sessions counted).
 * Sessions are never cut short of their own minutes otherwise; a rule must find the same on any
 * superset of what it declares (other rules of the pass may ask for more).
 */
export type MinuteNeed = 'all' | 'none' | { coachMismatch?: boolean; studentDayOver?: number }

export interface CrossRule extends RuleBase {
  scope: 'cross'
  reach: CrossReach
  /** Minute records the rule reads (default 'all'); given the same parameters and syllabus as evaluate. */
  minutes?(params: ParamValues, syllabus: SyllabusPolicy): MinuteNeed
  evaluate(facts: CrossFacts, params: ParamValues): FindingDraft[]
}

export type Rule = SessionRule | CrossRule

export const NO_RESULT: RuleResult = Object.freeze({ invalidMinutes: [], findings: [] }) as RuleResult

/** The rule's declared defaults overlaid with the policy's overrides. */
export function resolveParams(rule: Rule, overrides: ParamValues | undefined): ParamValues {
  const values: ParamValues = {}
  for (const [name, spec] of Object.entries(rule.params)) values[name] = overrides?.[name] ?? spec.default
  return values
}
