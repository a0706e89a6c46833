/**
 * engine-off — STANDARDS §7.1 rule 4: a practical minute whose 发动机转速 is 0 (at most
 * `maxOffRpm`) is invalid. A minute without rpm (null, e.g. an exchange record) is not judged.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { isPractical, minuteRuleResult, num } from './support.ts'

export const engineOff: SessionRule = {
  id: 'engine-off',
  version: 1,
  title: { zh: '发动机转速为 0', en: 'Engine off' },
  severity: 'medium',
  requirements: ['M2'],
  basis: 'STANDARDS §7.1 第 4 条',
  scope: 'session',
  invalidates: true,
  params: {
    maxOffRpm: {
      default: 0,
      unit: 'r/min',
      description: '分钟学时发动机转速不高于此值视为熄火',
    },
  },
  evaluate(facts: SessionFacts, params) {
    if (!isPractical(facts)) return { invalidMinutes: [], findings: [] }
    const limit = num(params, 'maxOffRpm')
    const off = facts.minutes.filter((m) => m.engineRpm !== null && m.engineRpm <= limit)
    return minuteRuleResult(
      facts,
      'engine-off',
      off,
      (ranges, n) => `${n} 分钟发动机转速 ≤ ${limit} r/min（熄火）：${ranges}`,
      { maxOffRpm: limit },
    )
  },
}
