/**
 * Runs the rules over loaded facts. Pure: facts and rules in, minute verdicts and findings out.
 *
 * A rule runs when its policy entry does not disable it (`DetectionPolicy.rules[id].enabled`),
 * with its declared defaults overlaid by the policy's parameters (`resolveParams`). A minute is
 * invalid when any enabled rule that `invalidates` judged it so; its reasons are those rules' ids,
 * sorted and unique. Every finding carries the rule id and version, the parameters it was
 * decided with, the detection policy version, the jurisdiction of its session and a dedupe key
 * `${ruleId}:${subjectKind}:${subjectId}:${key}`. Rules named in RUN_AFTER_OTHER_RULES
 * (low-valid-share) run after all others and receive the union of their invalid minutes. A rule that throws does not stop the others: its
 * error is returned beside the results.
 */
import type { DetectionPolicy } from '../../policy/detection.ts'
import type { PolicyVersion } from '../../policy/store.ts'
import {
  type CrossFacts,
  type CrossRule,
  type FindingDraft,
  type MinuteVerdict,
  type ParamValues,
  type Rule,
  resolveParams,
  type SessionFact,
  type SessionRule,
  type Severity,
} from '../rule.ts'
import { RUN_AFTER_OTHER_RULES, withPriorVerdicts } from '../rules/low-valid-share.ts'
import type { LoadedSession } from './facts.ts'

export type DetectedBy = 'stream' | 'batch'

export interface EngineFinding extends FindingDraft {
  ruleId: string
  ruleVersion: number
  severity: Severity
  params: ParamValues
  policyVersion: number
  dedupeKey: string
  institutionId: number | null
  cityCode: string
  countyCode: string
  detectedBy: DetectedBy
}

export interface MinuteVerdictRow {
  recordNo: string
  minuteAt: Date
  valid: boolean
  reasons: string[]
}

export interface RuleError {
  ruleId: string
  sessionId: number | null
  message: string
}

export interface SessionVerdict {
  sessionId: number
  /** Syllabus version the minutes' validity is recorded under (in force at the session start). */
  syllabusVersion: number
  detectionVersion: number
  minutes: MinuteVerdictRow[]
  findings: EngineFinding[]
  errors: RuleError[]
}

export interface ActiveRule<R extends Rule = Rule> {
  rule: R
  params: ParamValues
}

/** The enabled rules of a scope with their parameters under a detection policy. */
export function activeRules<S extends Rule['scope']>(
  rules: readonly Rule[],
  policy: DetectionPolicy,
  scope: S,
): ActiveRule<Extract<Rule, { scope: S }>>[] {
  return rules
    .filter((r): r is Extract<Rule, { scope: S }> => r.scope === scope)
    .filter((r) => policy.rules?.[r.id]?.enabled !== false)
    .map((rule) => ({ rule, params: resolveParams(rule, policy.rules?.[rule.id]?.params) }))
}

export function dedupeKey(ruleId: string, draft: Pick<FindingDraft, 'subjectKind' | 'subjectId' | 'key'>): string {
  return `${ruleId}:${draft.subjectKind}:${draft.subjectId}:${draft.key}`
}

function finding(
  active: ActiveRule,
  draft: FindingDraft,
  policyVersion: number,
  anchor: SessionFact | undefined,
  detectedBy: DetectedBy,
): EngineFinding {
  return {
    ...draft,
    studentId: draft.studentId ?? anchor?.studentId ?? null,
    coachId: draft.coachId ?? anchor?.coachId ?? null,
    vehicleId: draft.vehicleId ?? anchor?.vehicleId ?? null,
    ruleId: active.rule.id,
    ruleVersion: active.rule.version,
    severity: active.rule.severity,
    params: active.params,
    policyVersion,
    dedupeKey: dedupeKey(active.rule.id, draft),
    institutionId: anchor?.institutionId ?? null,
    cityCode: anchor?.cityCode ?? '',
    countyCode: anchor?.countyCode ?? '',
    detectedBy,
  }
}

const minuteKey = (recordNo: string, minuteAt: Date) => `${recordNo}@${minuteAt.getTime()}`

/** Evaluates one session with every enabled session rule of its detection policy version. */
export function evaluateSession(
  loaded: LoadedSession,
  rules: readonly Rule[],
  detectedBy: DetectedBy = 'stream',
): SessionVerdict {
  const { facts } = loaded
  const session = facts.session
  const reasons = new Map<string, Set<string>>()
  const findings: EngineFinding[] = []
  const errors: RuleError[] = []
  // Rules that judge the outcome of the others (low-valid-share) run last and see their verdicts.
  const active = activeRules(rules, loaded.detection.body, 'session')
  const ordered = [
    ...active.filter((a) => !RUN_AFTER_OTHER_RULES.has(a.rule.id)),
    ...active.filter((a) => RUN_AFTER_OTHER_RULES.has(a.rule.id)),
  ]
  const prior: MinuteVerdict[] = []
  for (const active of ordered) {
    let result: ReturnType<SessionRule['evaluate']>
    try {
      const input = RUN_AFTER_OTHER_RULES.has(active.rule.id) ? withPriorVerdicts(facts, prior) : facts
      result = active.rule.evaluate(input, active.params)
    } catch (error) {
      errors.push({ ruleId: active.rule.id, sessionId: session.id, message: (error as Error).message })
      continue
    }
    if (active.rule.invalidates) {
      prior.push(...result.invalidMinutes)
      for (const v of result.invalidMinutes) {
        const key = minuteKey(v.recordNo, v.minuteAt)
        const set = reasons.get(key) ?? new Set<string>()
        set.add(v.reason || active.rule.id)
        reasons.set(key, set)
      }
    }
    for (const draft of result.findings) {
      findings.push(
        finding(
          active,
          { ...draft, sessionId: draft.sessionId ?? session.id },
          loaded.detection.version,
          session,
          detectedBy,
        ),
      )
    }
  }
  const minutes = facts.minutes.map((m): MinuteVerdictRow => {
    const set = reasons.get(minuteKey(m.recordNo, m.minuteAt))
    return { recordNo: m.recordNo, minuteAt: m.minuteAt, valid: !set, reasons: set ? [...set].sort() : [] }
  })
  return {
    sessionId: session.id,
    syllabusVersion: loaded.syllabus.version,
    detectionVersion: loaded.detection.version,
    minutes,
    findings: uniqueFindings(findings),
    errors,
  }
}

/** One finding per dedupe key (the last one wins: it saw the most). */
function uniqueFindings(findings: EngineFinding[]): EngineFinding[] {
  return [...new Map(findings.map((f) => [f.dedupeKey, f])).values()]
}

export interface CrossVerdict {
  findings: EngineFinding[]
  errors: RuleError[]
  /** Findings a rule returned without a session or student the engine could place in a jurisdiction. */
  unplaced: number
}

/**
 * Evaluates the enabled cross rules over a window under one detection policy version (the one in
 * force at the window's start). A finding's jurisdiction is its anchor session's; without one,
 * that of the latest session of its student in the window.
 */
export function evaluateCross(
  facts: CrossFacts,
  rules: readonly Rule[],
  detection: PolicyVersion<'detection'>,
  detectedBy: DetectedBy = 'batch',
): CrossVerdict {
  const byId = new Map(facts.sessions.map((s) => [s.session.id, s.session]))
  const byStudent = new Map<number, SessionFact>()
  for (const s of facts.sessions) if (s.session.studentId !== null) byStudent.set(s.session.studentId, s.session)
  const findings: EngineFinding[] = []
  const errors: RuleError[] = []
  let unplaced = 0
  for (const active of activeRules(rules, detection.body, 'cross') as ActiveRule<CrossRule>[]) {
    let drafts: FindingDraft[]
    try {
      drafts = active.rule.evaluate(facts, active.params)
    } catch (error) {
      errors.push({ ruleId: active.rule.id, sessionId: null, message: (error as Error).message })
      continue
    }
    for (const draft of drafts) {
      const anchor =
        (draft.sessionId !== null ? byId.get(draft.sessionId) : undefined) ??
        (draft.studentId ? byStudent.get(draft.studentId) : undefined)
      if (!anchor) {
        unplaced++
        continue
      }
      findings.push(
        finding(active, { ...draft, sessionId: draft.sessionId ?? anchor.id }, detection.version, anchor, detectedBy),
      )
    }
  }
  return { findings: uniqueFindings(findings), errors, unplaced }
}
