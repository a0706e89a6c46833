/**
 * log-low-mileage — STANDARDS §7.2 R1: a practical teaching log whose whole mileage is below
 * `minMileageM` (default 100 m) → every minute invalid. Mileage is the sum of the minutes' 里程;
 * when no minute reports mileage (e.g. an exchange record) the session's reported mileage is used;
 * with neither the log is not judged. Only closed sessions are judged (an open log is still growing).
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { isPractical, minuteRuleResult, num } from './support.ts'

export const logLowMileage: SessionRule = {
  id: 'log-low-mileage',
  version: 1,
  title: { zh: '教学日志里程过低', en: 'Teaching log mileage too low' },
  severity: 'high',
  requirements: ['M2'],
  basis: 'STANDARDS §7.2 R1',
  scope: 'session',
  invalidates: true,
  params: {
    minMileageM: {
      default: 100,
      unit: '米',
      description: '实操教学日志总里程低于此值则整条日志无效',
    },
  },
  evaluate(facts: SessionFacts, params) {
    if (!isPractical(facts) || facts.session.endedAt === null || facts.minutes.length === 0)
      return { invalidMinutes: [], findings: [] }
    const known = facts.minutes.filter((m) => m.mileageM !== null)
    const mileage =
      known.length > 0 ? known.reduce((sum, m) => sum + (m.mileageM ?? 0), 0) : facts.session.reportedMileageM
    if (mileage === null) return { invalidMinutes: [], findings: [] }
    const limit = num(params, 'minMileageM')
    if (!(mileage < limit)) return { invalidMinutes: [], findings: [] }
    return minuteRuleResult(
      facts,
      'log-low-mileage',
      facts.minutes,
      (_r, n) => `教学日志总里程 ${mileage} 米，低于 ${limit} 米，整条日志 ${n} 分钟无效`,
      { mileageM: mileage, minMileageM: limit, source: known.length > 0 ? 'minutes' : 'reported' },
    )
  },
}
