/**
 * zero-mileage — STANDARDS §7.1 rule 6: on a practical session, a run of at least
 * `maxZeroMileageMinutes` (default 2) consecutive minutes with 里程 0 → all those minutes invalid.
 * A minute with unknown mileage breaks a run and is not judged.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { isPractical, minuteRuleResult, num, runsOf } from './support.ts'

export const zeroMileage: SessionRule = {
  id: 'zero-mileage',
  version: 1,
  title: { zh: '连续里程为 0', en: 'Zero mileage for consecutive minutes' },
  severity: 'medium',
  requirements: ['M2'],
  basis: 'STANDARDS §7.1 第 6 条',
  scope: 'session',
  invalidates: true,
  params: {
    maxZeroMileageMinutes: {
      default: 2,
      unit: '分钟',
      description: '连续达到此分钟数里程为 0 的分钟全部无效',
    },
  },
  evaluate(facts: SessionFacts, params) {
    if (!isPractical(facts)) return { invalidMinutes: [], findings: [] }
    const limit = num(params, 'maxZeroMileageMinutes')
    const runs = runsOf(facts.minutes, (m) => m.mileageM === 0).filter((r) => r.length >= limit)
    const longest = Math.max(0, ...runs.map((r) => r.length))
    return minuteRuleResult(
      facts,
      'zero-mileage',
      runs.flat(),
      (ranges, n) =>
        `${runs.length} 段连续里程为 0 共 ${n} 分钟，最长 ${longest} 分钟（阈值 ${limit} 分钟）：${ranges}`,
      { maxZeroMileageMinutes: limit, runs: runs.length, longestRunMinutes: longest },
    )
  },
}
