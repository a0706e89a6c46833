/**
 * Table-driven tests of session rules: each case gives facts (from fixtures.ts), parameter
 * overrides and the expected verdict — which minutes (by index) are invalid, how many findings,
 * what the summary says.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ParamValues, type RuleResult, resolveParams, type SessionFacts, type SessionRule } from '../rule.ts'

export interface RuleCase {
  name: string
  facts: SessionFacts
  params?: ParamValues
  /** Indexes of the minutes expected invalid ('all' = every minute). Default: none. */
  invalid?: number[] | 'all'
  /** Expected number of findings. Default: 1 when any minute is invalid, else 0. */
  findings?: number
  /** Each finding's summary must match. */
  summary?: RegExp
  /** Extra checks on the result. */
  check?: (result: RuleResult, facts: SessionFacts) => void
}

export function evaluate(rule: SessionRule, facts: SessionFacts, params?: ParamValues): RuleResult {
  return rule.evaluate(facts, resolveParams(rule, params))
}

export function tableTest(rule: SessionRule, cases: RuleCase[]): void {
  describe(`rule ${rule.id}`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const result = evaluate(rule, c.facts, c.params)
        const index = new Map(c.facts.minutes.map((m, i) => [`${m.recordNo}|${m.minuteAt.getTime()}`, i]))
        const got = result.invalidMinutes.map((v) => index.get(`${v.recordNo}|${v.minuteAt.getTime()}`) ?? -1)
        const want = c.invalid === 'all' ? c.facts.minutes.map((_, i) => i) : (c.invalid ?? [])
        assert.deepEqual(
          [...got].sort((a, b) => a - b),
          want,
          'invalid minutes',
        )
        for (const v of result.invalidMinutes) assert.equal(v.reason, rule.id)
        if (!rule.invalidates) assert.equal(result.invalidMinutes.length, 0, 'a finding-only rule invalidates nothing')
        assert.equal(result.findings.length, c.findings ?? (want.length > 0 ? 1 : 0), 'findings')
        for (const f of result.findings) {
          if (c.summary) assert.match(f.summary, c.summary)
          assert.ok(f.key.length > 0)
          assert.ok(f.evidence.sessions?.includes(c.facts.session.id) ?? f.sessionId === null)
        }
        c.check?.(result, c.facts)
      })
    }
  })
}
