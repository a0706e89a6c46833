/**
 * One detection step over a set of sessions, in one transaction: load their facts, evaluate every
 * enabled session rule, write minute validity and findings, mark the sessions evaluated, then let
 * the hour accounting re-decide their credits (hours/service.ts `creditSessions`) from the
 * validity just written. Streaming and batch evaluation both go through here.
 */
import type { Database, Sql } from '../../db/client.ts'
import { type CreditSummary, creditSessions } from '../../hours/service.ts'
import type { Rule } from '../rule.ts'
import { RULES } from '../rules/index.ts'
import { type DetectedBy, evaluateSession, type RuleError } from './evaluate.ts'
import { loadPolicies, loadSessionFacts, type Policies } from './facts.ts'
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
  const loaded = await loadSessionFacts(q, sessionIds, { now, policies })
  const verdicts = loaded.map((l) => evaluateSession(l, rules, options.detectedBy ?? 'stream'))
  const written = await persistSessionVerdicts(q, verdicts, now)
  const ids = verdicts.map((v) => v.sessionId)
  const credits = await creditSessions(q, ids, { now })
  const byRule: Record<string, number> = {}
  for (const v of verdicts) for (const f of v.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1
  return { ...written, byRule, credits, errors: verdicts.flatMap((v) => v.errors) }
}

/** Evaluates and persists the given sessions in one transaction. */
export async function detectSessions(
  database: Database,
  sessionIds: readonly number[],
  options: DetectOptions = {},
): Promise<DetectSummary> {
  return database.transaction((tx) => detectSessionsWith(tx, sessionIds, options))
}
