/**
 * low-valid-share — STANDARDS §7.2 R3: after the other rules, the log's valid minutes are below
 * the syllabus's minValidShare (75 %, 大纲 policy data shared with the hour accounting). Raises a
 * finding; invalidates nothing (the hour accounting credits valid% × 4/3, capped at 100 %).
 *
 * The share needs the other rules' verdicts, which a pure rule cannot compute without re-running
 * them. The engine therefore evaluates this rule after every other session rule and hands it their
 * union with `withPriorVerdicts`; without that union (`priorInvalid` absent) the rule judges nothing.
 * The threshold is the syllabus policy version's `minValidShare` (one figure for detection and
 * accounting), so the rule declares no parameter of its own. Closed sessions only.
 */
import type { MinuteVerdict, SessionFacts, SessionRule } from '../rule.ts'
import { sessionFinding } from './support.ts'

/** SessionFacts with the minutes the earlier rules judged invalid (set by the engine). */
export type SessionFactsWithVerdicts = SessionFacts & { priorInvalid?: readonly MinuteVerdict[] }

/** Ids of the session rules the engine must run last, passing the earlier verdicts. */
export const RUN_AFTER_OTHER_RULES: ReadonlySet<string> = new Set(['low-valid-share'])

export function withPriorVerdicts(facts: SessionFacts, invalid: readonly MinuteVerdict[]): SessionFactsWithVerdicts {
  return { ...facts, priorInvalid: invalid }
}

export const lowValidShare: SessionRule = {
  id: 'low-valid-share',
  version: 1,
  title: { zh: '有效学时比例不足', en: 'Valid share below the minimum' },
  severity: 'low',
  requirements: ['M2', 'M17'],
  basis: 'STANDARDS §7.2 R3；LAW §1（1 学时 60 分钟，有效不少于 45 分钟）',
  scope: 'session',
  invalidates: false,
  params: {},
  evaluate(facts: SessionFactsWithVerdicts) {
    const prior = facts.priorInvalid
    if (!prior || facts.session.endedAt === null || facts.minutes.length === 0)
      return { invalidMinutes: [], findings: [] }
    const invalid = new Set(prior.map((v) => `${v.recordNo}|${v.minuteAt.getTime()}`))
    const total = facts.minutes.length
    const invalidCount = facts.minutes.filter((m) => invalid.has(`${m.recordNo}|${m.minuteAt.getTime()}`)).length
    const share = (total - invalidCount) / total
    const min = facts.syllabus.minValidShare
    if (!(share < min)) return { invalidMinutes: [], findings: [] }
    const credit = Math.min(1, share / min)
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`
    const reasons: Record<string, number> = {}
    for (const v of prior) reasons[v.reason] = (reasons[v.reason] ?? 0) + 1
    return {
      invalidMinutes: [],
      findings: [
        sessionFinding(facts, {
          occurredAt: facts.session.startedAt,
          summary: `有效分钟 ${total - invalidCount}/${total}（${pct(share)}），低于 ${pct(min)}；按 ${pct(credit)} 折算学时`,
          evidence: {
            details: {
              totalMinutes: total,
              validMinutes: total - invalidCount,
              validShare: Number(share.toFixed(4)),
              minValidShare: min,
              creditShare: Number(credit.toFixed(4)),
              invalidByReason: reasons,
            },
          },
        }),
      ],
    }
  },
}
