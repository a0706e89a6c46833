/**
 * One detection step over a set of sessions, in one transaction: load their facts, evaluate every
 * enabled session rule, write minute validity and findings, mark the sessions evaluated, then let
 * the hour accounting re-decide their credits (hours/service.ts `creditSessions`) from the
 * validity just written (handing it the judged minutes, so it reads only the other sessions of
 * those student-days). Minutes whose verdict is unchanged are not rewritten, nor even sent.
 * Streaming and batch evaluation both go through here.
 */
import type { Database, Sql } from '../../db/client.ts'
import type { MinuteInput } from '../../hours/account.ts'
import { type CreditSummary, creditSessions } from '../../hours/service.ts'
import type { Rule } from '../rule.ts'
import { RULES } from '../rules/index.ts'
import { type DetectedBy, evaluateSession, type RuleError, type SessionVerdict } from './evaluate.ts'
import { type LoadedSession, loadPolicies, loadSessionFacts, type Policies } from './facts.ts'
import { persistSessionVerdicts, type SessionWrite } from './persist.ts'

export interface DetectOptions {
  rules?: readonly Rule[]
  now?: Date
  detectedBy?: DetectedBy
  policies?: Policies
}

export interface DetectSummary extends SessionWrite {
  /** Findings produced per rule id (before dedupe against stored findings). */
  byRule: Record<string, number>
  credits: CreditSummary
  errors: RuleError[]
}

/** Evaluates and persists the given sessions with `q` (call inside a transaction). */
export async function detectSessionsWith(
  q: Sql,
  sessionIds: readonly number[],
  options: DetectOptions = {},
): Promise<DetectSummary> {
  const now = options.now ?? new Date()
  const rules = options.rules ?? RULES
  const policies = options.policies ?? (await loadPolicies(q))
  const loaded = await loadSessionFacts(q, sessionIds, { now, policies, verdicts: true })
  const verdicts = loaded.map((l) => evaluateSession(l, rules, options.detectedBy ?? 'stream'))
  const written = await persistSessionVerdicts(q, verdicts, now, loaded[0]?.stored)
  const ids = verdicts.map((v) => v.sessionId)
  const credits = await creditSessions(q, ids, { now, known: judgedMinutes(loaded, verdicts) })
  const byRule: Record<string, number> = {}
  for (const v of verdicts) for (const f of v.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1
  return { ...written, byRule, credits, errors: verdicts.flatMap((v) => v.errors) }
}

/**
 * Each session's minutes as minute_record holds them once the verdicts are written (validity and
 * reasons as stored, mileage as loaded), for the hour accounting not to read them again. A session
 * whose verdict rows do not line up with its loaded minutes is left out (its minutes are read).
 */
export function judgedMinutes(
  loaded: readonly LoadedSession[],
  verdicts: readonly SessionVerdict[],
): Map<number, MinuteInput[]> {
  const out = new Map<number, MinuteInput[]>()
  loaded.forEach((l, i) => {
    const verdict = verdicts[i]
    const facts = l.facts.minutes
    if (!verdict || verdict.sessionId !== l.facts.session.id || verdict.minutes.length !== facts.length) return
    const list: MinuteInput[] = []
    for (let k = 0; k < facts.length; k++) {
      const fact = facts[k] as (typeof facts)[number]
      const m = verdict.minutes[k] as SessionVerdict['minutes'][number]
      if (m.recordNo !== fact.recordNo || m.minuteAt.getTime() !== fact.minuteAt.getTime()) return
      // Stored as string_to_array(reasons joined by ',', ','): no reasons is an empty array.
      const joined = m.reasons.join(',')
      list.push({
        minuteAt: m.minuteAt,
        valid: m.valid,
        reasons: joined === '' ? [] : joined.split(','),
        mileageM: fact.mileageM,
      })
    }
    out.set(l.facts.session.id, list)
  })
  return out
}

/** Evaluates and persists the given sessions in one transaction. */
export async function detectSessions(
  database: Database,
  sessionIds: readonly number[],
  options: DetectOptions = {},
): Promise<DetectSummary> {
  return database.transaction((tx) => detectSessionsWith(tx, sessionIds, options))
}
