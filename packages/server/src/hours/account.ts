/**
 * 学时认定 (hour accounting), the pure core: minutes in, credits and ledgers out. No I/O.
 *
 * Per (session, local day) of one student:
 *   session minutes  = distinct minutes of the session on that Beijing day
 *   valid minutes    = those whose validity was decided true (null = not yet evaluated, not valid)
 *   credited         = min(session minutes, floor(valid × hourMinutes / effectiveMinutesPerHour))
 *                      — a log with ≥ 45/60 valid minutes is credited in full, below that valid × 4/3
 *                      (STANDARDS §7.2 R3)
 *   daily cap        = dailyCapHours[cap category] × hourMinutes, applied to the student's
 *                      sessions of that day in chronological order across all sources: the session
 *                      that reaches the cap keeps what fits, later ones get 0 (DAILY_CAP)
 *   final            = credited − capped
 * Each session is decided under its own syllabus version (the one in force at its start); the cap
 * of a session comes from its own version.
 *
 * The ledger sums the final minutes per part and mode against the requirements of one syllabus
 * version for the student's licence type.
 */
import { localDay } from '../detection/time.ts'
import type { CapCategory, SyllabusPart, SyllabusPolicy, TrainingMode } from '../policy/syllabus.ts'

/** Reason: the valid share is under the effective minimum, so fewer minutes are credited. */
export const LOW_VALID_SHARE = 'LOW_VALID_SHARE'
/** Reason: the student's daily cap of the category was reached during or before this session. */
export const DAILY_CAP = 'DAILY_CAP'
/** Reason prefix: minutes whose validity has not been decided yet (counted, not credited). */
export const UNEVALUATED = 'UNEVALUATED'
/** Reason prefix: minutes marked invalid without a rule id. */
export const INVALID = 'INVALID'

export const MODES: readonly TrainingMode[] = [1, 2, 3, 4]
export const PARTS: readonly SyllabusPart[] = [1, 2, 3, 4]

export interface MinuteInput {
  /** Start of the minute (UTC). */
  minuteAt: Date
  /** null: not evaluated yet. */
  valid: boolean | null
  /** Rule ids that invalidated the minute. */
  reasons: readonly string[] | null
  /** Mileage driven within the minute, metres. */
  mileageM: number | null
}

export interface SessionInput {
  id: number
  startedAt: Date
  part: SyllabusPart
  mode: TrainingMode
  /** The syllabus version in force at the session start, and its body. */
  policyVersion: number
  policy: SyllabusPolicy
  minutes: readonly MinuteInput[]
}

export interface DayCredit {
  sessionId: number
  localDay: string
  part: SyllabusPart
  mode: TrainingMode
  capCategory: CapCategory
  policyVersion: number
  sessionMinutes: number
  validMinutes: number
  creditedMinutes: number
  cappedMinutes: number
  finalMinutes: number
  /** Mileage of the valid minutes, metres. */
  mileageM: number
  /** Sorted: `<rule id>:<minutes>` for invalid minutes, then LOW_VALID_SHARE and DAILY_CAP. */
  reasons: string[]
}

/** credited = min(session, floor(valid × hourMinutes / effectiveMinutesPerHour)). */
export function creditedMinutes(sessionMinutes: number, validMinutes: number, policy: SyllabusPolicy): number {
  if (sessionMinutes <= 0 || validMinutes <= 0) return 0
  const scaled = Math.floor((validMinutes * policy.hourMinutes) / policy.effectiveMinutesPerHour)
  return Math.min(sessionMinutes, scaled)
}

/** Minutes of one cap category a student may be credited in one local day. */
export function dailyCapMinutes(policy: SyllabusPolicy, category: CapCategory): number {
  return policy.dailyCapHours[category] * policy.hourMinutes
}

interface DayPart {
  session: SessionInput
  day: string
  /** First minute of the session on that day: the chronological key for the caps. */
  first: number
  credit: Omit<DayCredit, 'cappedMinutes' | 'finalMinutes'>
}

/** Splits a session's minutes by local day and applies the 45-of-60 rule to each part. */
function splitByDay(session: SessionInput): DayPart[] {
  const byDay = new Map<string, Map<number, MinuteInput>>()
  for (const m of session.minutes) {
    const day = localDay(m.minuteAt)
    let minutes = byDay.get(day)
    if (!minutes) {
      minutes = new Map()
      byDay.set(day, minutes)
    }
    const key = Math.floor(m.minuteAt.getTime() / 60_000)
    const seen = minutes.get(key)
    // Two records of one minute (a re-sent record under another number) count once; a valid one wins.
    if (!seen || (m.valid === true && seen.valid !== true)) minutes.set(key, m)
  }
  const out: DayPart[] = []
  for (const [day, minutes] of byDay) {
    let valid = 0
    let mileage = 0
    const counts = new Map<string, number>()
    const bump = (code: string) => counts.set(code, (counts.get(code) ?? 0) + 1)
    for (const m of minutes.values()) {
      if (m.valid === true) {
        valid++
        mileage += Math.max(0, m.mileageM ?? 0)
      } else if (m.valid === null) bump(UNEVALUATED)
      else if (m.reasons && m.reasons.length > 0) for (const r of new Set(m.reasons)) bump(r)
      else bump(INVALID)
    }
    const sessionMinutes = minutes.size
    const credited = creditedMinutes(sessionMinutes, valid, session.policy)
    const reasons = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code}:${n}`)
    if (credited < sessionMinutes) reasons.push(LOW_VALID_SHARE)
    out.push({
      session,
      day,
      first: Math.min(...[...minutes.keys()]),
      credit: {
        sessionId: session.id,
        localDay: day,
        part: session.part,
        mode: session.mode,
        capCategory: session.policy.capCategoryOfMode[session.mode],
        policyVersion: session.policyVersion,
        sessionMinutes,
        validMinutes: valid,
        creditedMinutes: credited,
        mileageM: mileage,
        reasons,
      },
    })
  }
  return out
}

/**
 * Decides the credits of one student's sessions. Pass every session of the student that has
 * minutes on the days being decided (all sources): the daily caps need them all. Rows come back
 * ordered by day, then chronologically.
 */
export function decideCredits(sessions: readonly SessionInput[]): DayCredit[] {
  const parts = sessions.flatMap(splitByDay)
  parts.sort((a, b) => a.day.localeCompare(b.day) || a.first - b.first || a.session.id - b.session.id)
  const used = new Map<string, number>()
  return parts.map(({ session, day, credit }) => {
    const key = `${day}:${credit.capCategory}`
    const already = used.get(key) ?? 0
    const room = Math.max(0, dailyCapMinutes(session.policy, credit.capCategory) - already)
    const finalMinutes = Math.min(credit.creditedMinutes, room)
    const cappedMinutes = credit.creditedMinutes - finalMinutes
    used.set(key, already + finalMinutes)
    const reasons = cappedMinutes > 0 ? [...credit.reasons, DAILY_CAP] : credit.reasons
    return { ...credit, cappedMinutes, finalMinutes, reasons }
  })
}

// ── Ledger ────────────────────────────────────────────────────────────────

/** What the ledger needs of a current credit row. */
export interface LedgerCredit {
  sessionId: number
  part: number
  mode: number
  finalMinutes: number
  mileageM: number
}

export type ShortfallKind = 'part_total' | 'mode_minimum' | 'classroom_total' | 'mileage'

export interface Shortfall {
  kind: ShortfallKind
  part?: SyllabusPart
  mode?: TrainingMode
  /** What the student has and what is needed: minutes (km for mileage). */
  have: number
  need: number
  /** One line in Chinese, e.g. 第二部分 差 120 分钟（已认定 840 / 应达 960）. */
  message: string
}

export interface ModeLedger {
  mode: TrainingMode
  finalMinutes: number
  /** Minutes of this mode that count towards the part (capped by maxByMode). */
  countedMinutes: number
  minMinutes: number | null
  maxMinutes: number | null
}

export interface PartLedger {
  part: SyllabusPart
  requiredMinutes: number
  finalMinutes: number
  countedMinutes: number
  byMode: ModeLedger[]
  sessionIds: number[]
  shortfalls: Shortfall[]
  complete: boolean
}

export interface Ledger {
  licenseType: string
  policyVersion: number
  /** True when the licence type's figures are not confirmed (待确认). */
  uncertain: boolean
  parts: PartLedger[]
  classroom: { finalMinutes: number; requiredMinutes: number }
  mileage: { km: number; requiredKm: number }
  totalMinutes: { counted: number; required: number }
  shortfalls: Shortfall[]
  complete: boolean
}

export const PART_LABELS: Record<SyllabusPart, string> = {
  1: '第一部分',
  2: '第二部分',
  3: '第三部分',
  4: '第四部分',
}
export const MODE_LABELS: Record<TrainingMode, string> = { 1: '实操', 2: '课堂', 3: '模拟', 4: '远程' }

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * The student's ledger against one syllabus version. Returns undefined when the version has no
 * figures for the licence type (the caller raises a coded error).
 */
export function buildLedger(
  credits: readonly LedgerCredit[],
  licenseType: string,
  policy: SyllabusPolicy,
  policyVersion: number,
): Ledger | undefined {
  const type = policy.vehicleTypes[licenseType]
  if (!type) return undefined
  const h = policy.hourMinutes
  const parts: PartLedger[] = PARTS.map((part) => {
    const spec = type.parts[part]
    const mine = credits.filter((c) => c.part === part)
    const byMode: ModeLedger[] = MODES.map((mode) => {
      const finalMinutes = mine.filter((c) => c.mode === mode).reduce((s, c) => s + c.finalMinutes, 0)
      const max = spec.maxByMode?.[mode]
      const min = spec.minByMode?.[mode]
      const maxMinutes = max === undefined ? null : max * h
      return {
        mode,
        finalMinutes,
        countedMinutes: maxMinutes === null ? finalMinutes : Math.min(finalMinutes, maxMinutes),
        minMinutes: min === undefined ? null : min * h,
        maxMinutes,
      }
    })
    const requiredMinutes = spec.total * h
    const countedMinutes = byMode.reduce((s, m) => s + m.countedMinutes, 0)
    const shortfalls: Shortfall[] = []
    if (countedMinutes < requiredMinutes) {
      shortfalls.push({
        kind: 'part_total',
        part,
        have: countedMinutes,
        need: requiredMinutes,
        message: `${PART_LABELS[part]}差 ${requiredMinutes - countedMinutes} 分钟（已认定 ${countedMinutes} / 应达 ${requiredMinutes}）`,
      })
    }
    for (const m of byMode) {
      if (m.minMinutes !== null && m.finalMinutes < m.minMinutes) {
        shortfalls.push({
          kind: 'mode_minimum',
          part,
          mode: m.mode,
          have: m.finalMinutes,
          need: m.minMinutes,
          message: `${PART_LABELS[part]}${MODE_LABELS[m.mode]}学时差 ${m.minMinutes - m.finalMinutes} 分钟（已认定 ${m.finalMinutes} / 应达 ${m.minMinutes}）`,
        })
      }
    }
    return {
      part,
      requiredMinutes,
      finalMinutes: mine.reduce((s, c) => s + c.finalMinutes, 0),
      countedMinutes,
      byMode,
      sessionIds: [...new Set(mine.filter((c) => c.finalMinutes > 0).map((c) => c.sessionId))].sort((a, b) => a - b),
      shortfalls,
      complete: shortfalls.length === 0,
    }
  })
  const classroomFinal = credits.filter((c) => c.mode === 2).reduce((s, c) => s + c.finalMinutes, 0)
  const classroomRequired = policy.classroomMinHours * h
  const km = round1(credits.filter((c) => c.mode === 1).reduce((s, c) => s + c.mileageM, 0) / 1000)
  const shortfalls = parts.flatMap((p) => p.shortfalls)
  if (classroomFinal < classroomRequired) {
    shortfalls.push({
      kind: 'classroom_total',
      have: classroomFinal,
      need: classroomRequired,
      message: `课堂教学合计差 ${classroomRequired - classroomFinal} 分钟（已认定 ${classroomFinal} / 应达 ${classroomRequired}）`,
    })
  }
  if (km < type.minMileageKm) {
    shortfalls.push({
      kind: 'mileage',
      have: km,
      need: type.minMileageKm,
      message: `实操里程差 ${round1(type.minMileageKm - km)} 公里（已认定 ${km} / 应达 ${type.minMileageKm}）`,
    })
  }
  return {
    licenseType,
    policyVersion,
    uncertain: type.uncertain,
    parts,
    classroom: { finalMinutes: classroomFinal, requiredMinutes: classroomRequired },
    mileage: { km, requiredKm: type.minMileageKm },
    totalMinutes: {
      counted: parts.reduce((s, p) => s + p.countedMinutes, 0),
      required: Math.max(
        type.total * h,
        parts.reduce((s, p) => s + p.requiredMinutes, 0),
      ),
    },
    shortfalls,
    complete: shortfalls.length === 0,
  }
}
