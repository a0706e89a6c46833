/**
 * Shared pieces of the session rules: typed parameter reads, runs of consecutive minutes, evidence
 * links and the one-finding-per-session summary of the minutes a rule invalidated. Pure.
 */
import type {
  Evidence,
  FindingDraft,
  MinuteFact,
  MinuteVerdict,
  ParamSpec,
  ParamValues,
  PhotoFact,
  RuleResult,
  SessionFacts,
} from '../rule.ts'

const MINUTE_MS = 60_000
const OFFSET_MS = 8 * 3_600_000

/** A numeric parameter (a string or boolean override is converted; a malformed one gives NaN, which fails every comparison). */
export function num(params: ParamValues, name: string): number {
  const v = params[name]
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(String(v).trim())
}

export function bool(params: ParamValues, name: string): boolean {
  const v = params[name]
  return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : String(v).trim().toLowerCase() === 'true'
}

/** A comma-separated list of integers, e.g. '2' or '1,3'. */
export function intList(params: ParamValues, name: string): Set<number> {
  return new Set(
    String(params[name] ?? '')
      .split(/[,，\s]+/)
      .filter((s) => s !== '')
      .map(Number)
      .filter((n) => Number.isInteger(n)),
  )
}

/** True for 实操 (课程方式 1) sessions: the rules about the car, its track and its engine only judge these. */
export function isPractical(facts: SessionFacts): boolean {
  return facts.session.mode === 1
}

/** Local (Beijing) clock 'HH:MM' of an instant. */
export function clock(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(11, 16)
}

/** Local (Beijing) 'YYYY-MM-DD HH:MM:SS'. */
export function localStamp(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')
}

/** Splits minutes (sorted) into runs of consecutive minutes (60 s apart) that satisfy `pred`. */
export function runsOf(minutes: readonly MinuteFact[], pred: (m: MinuteFact) => boolean): MinuteFact[][] {
  const runs: MinuteFact[][] = []
  let current: MinuteFact[] = []
  for (const m of minutes) {
    const prev = current[current.length - 1]
    if (!pred(m)) {
      if (current.length) runs.push(current)
      current = []
      continue
    }
    if (prev && m.minuteAt.getTime() - prev.minuteAt.getTime() !== MINUTE_MS) {
      runs.push(current)
      current = []
    }
    current.push(m)
  }
  if (current.length) runs.push(current)
  return runs
}

/** Readable local clock ranges of minutes, e.g. '10:00–10:04、10:20'; at most `max` ranges, then '等'. */
export function minuteRanges(minutes: readonly MinuteFact[], max = 4): string {
  const runs = runsOf(minutes, () => true)
  const parts = runs.slice(0, max).map((r) => {
    const first = r[0]!
    const last = r[r.length - 1]!
    return r.length === 1 ? clock(first.minuteAt) : `${clock(first.minuteAt)}–${clock(last.minuteAt)}`
  })
  return parts.join('、') + (runs.length > max ? ' 等' : '')
}

export function minuteLinks(minutes: readonly MinuteFact[]): NonNullable<Evidence['minutes']> {
  return minutes.map((m) => ({ recordNo: m.recordNo, minuteAt: m.minuteAt.toISOString() }))
}

export function verdicts(minutes: readonly MinuteFact[], reason: string): MinuteVerdict[] {
  return minutes.map((m) => ({ recordNo: m.recordNo, minuteAt: m.minuteAt, reason }))
}

/** Unique minutes by record number and minute, in time order. */
export function uniqueMinutes(minutes: readonly MinuteFact[]): MinuteFact[] {
  const seen = new Map<string, MinuteFact>()
  for (const m of minutes) seen.set(`${m.recordNo}|${m.minuteAt.getTime()}`, m)
  return [...seen.values()].sort((a, b) => a.minuteAt.getTime() - b.minuteAt.getTime())
}

/** A finding about the session, with its people and vehicle. */
export function sessionFinding(
  facts: SessionFacts,
  fields: { occurredAt: Date; summary: string; evidence: Evidence; key?: string },
): FindingDraft {
  const s = facts.session
  return {
    subjectKind: 'session',
    subjectId: String(s.id),
    sessionId: s.id,
    studentId: s.studentId,
    coachId: s.coachId,
    vehicleId: s.vehicleId,
    occurredAt: fields.occurredAt,
    summary: fields.summary,
    evidence: { sessions: [s.id], ...fields.evidence },
    key: fields.key ?? 'session',
  }
}

/**
 * The result of a minute rule: the given minutes invalid with the rule id as reason, and ONE
 * finding per session that summarises them (none when no minute is affected).
 */
export function minuteRuleResult(
  facts: SessionFacts,
  ruleId: string,
  affected: readonly MinuteFact[],
  summary: (ranges: string, count: number) => string,
  details: Record<string, unknown>,
  invalidate = true,
): RuleResult {
  const minutes = uniqueMinutes(affected)
  if (minutes.length === 0) return { invalidMinutes: [], findings: [] }
  const finding = sessionFinding(facts, {
    occurredAt: minutes[0]!.minuteAt,
    summary: summary(minuteRanges(minutes), minutes.length),
    evidence: { minutes: minuteLinks(minutes), details: { affectedMinutes: minutes.length, ...details } },
  })
  return { invalidMinutes: invalidate ? verdicts(minutes, ruleId) : [], findings: [finding] }
}

/** Photo quality parameters shared by photo-cadence and the photo rules (same names, same defaults). */
export const PHOTO_QUALITY_PARAMS = {
  minMeanLuma: {
    default: 30,
    unit: '灰度（0–255）',
    description: '照片平均亮度低于此值视为遮挡或过暗',
    uncertain: true,
  },
  minLumaStddev: {
    default: 8,
    unit: '灰度（0–255）',
    description: '照片亮度标准差低于此值视为纯色画面（遮挡镜头）',
    uncertain: true,
  },
  minFaceConfidence: {
    default: 60,
    unit: '分（0–100）',
    description: '终端上报的人脸置信度低于此值视为不合格',
    uncertain: true,
  },
  maxFaceDistance: {
    default: 0.6,
    unit: '欧氏距离',
    description: '照片人脸与备案照片的特征距离高于此值视为非本人（face-api 默认阈值 0.6）',
  },
} satisfies Record<string, ParamSpec>

export type PhotoDefect = 'dark' | 'uniform' | 'lowConfidence' | 'faceMismatch' | 'noFace'

export const PHOTO_DEFECT_ZH: Record<PhotoDefect, string> = {
  dark: '过暗',
  uniform: '纯色',
  lowConfidence: '人脸置信度低',
  faceMismatch: '人脸与备案照片不符',
  noFace: '未检出人脸',
}

/** What is wrong with a photo under the quality parameters; unknown figures (null) are not judged. */
export function photoDefects(p: PhotoFact, params: ParamValues): PhotoDefect[] {
  const out: PhotoDefect[] = []
  if (p.meanLuma !== null && p.meanLuma < num(params, 'minMeanLuma')) out.push('dark')
  if (p.lumaStddev !== null && p.lumaStddev < num(params, 'minLumaStddev')) out.push('uniform')
  if (p.faceConfidence !== null && p.faceConfidence < num(params, 'minFaceConfidence')) out.push('lowConfidence')
  if (p.faceDistance !== null && p.faceDistance > num(params, 'maxFaceDistance')) out.push('faceMismatch')
  return out
}

/** Sign-in photos (学员登录 17, 教练员登录 20). */
export const SIGN_IN_EVENTS: ReadonlySet<number> = new Set([17, 20])

export const MODE_ZH: Record<number, string> = { 1: '实操', 2: '课堂教学', 3: '模拟器教学', 4: '远程教学' }
