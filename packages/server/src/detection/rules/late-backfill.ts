/**
 * late-backfill — STANDARDS §7.3: a 补传 minute record that reached the platform more than
 * `maxDelayHours` (default 24, UNCERTAIN) after its minute. A terminal out of coverage uploads on
 * reconnection; records arriving days later are a sign of fabrication. Raises one finding per
 * session; invalidates those minutes only when `invalidateMinutes` is set.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { bool, minuteRuleResult, num } from './support.ts'

const HOUR_MS = 3_600_000

export const lateBackfill: SessionRule = {
  id: 'late-backfill',
  version: 1,
  title: { zh: '补传过迟', en: 'Late backfill' },
  severity: 'medium',
  requirements: ['M2', 'M6'],
  basis: 'STANDARDS §7.3（补传迟到，无公开阈值）',
  scope: 'session',
  invalidates: true,
  params: {
    maxDelayHours: {
      default: 24,
      unit: '小时',
      description: '补传分钟学时到达平台距该分钟超过此时长视为补传过迟',
      uncertain: true,
    },
    invalidateMinutes: {
      default: false,
      description: '补传过迟的分钟是否判为无效（默认只报告）',
    },
  },
  evaluate(facts: SessionFacts, params) {
    const limit = num(params, 'maxDelayHours')
    const late = facts.minutes.filter(
      (m) => m.backfill && (m.arrivedAt.getTime() - m.minuteAt.getTime()) / HOUR_MS > limit,
    )
    const worst = Math.max(0, ...late.map((m) => (m.arrivedAt.getTime() - m.minuteAt.getTime()) / HOUR_MS))
    return minuteRuleResult(
      facts,
      'late-backfill',
      late,
      (ranges, n) => `${n} 分钟补传学时迟到，最长 ${worst.toFixed(1)} 小时（阈值 ${limit} 小时）：${ranges}`,
      { maxDelayHours: limit, worstDelayHours: Number(worst.toFixed(2)) },
      bool(params, 'invalidateMinutes'),
    )
  },
}
