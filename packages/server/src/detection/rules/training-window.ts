/**
 * training-window — STANDARDS §7.1 rule 1: a minute outside the valid training windows of the
 * session's city and 课程方式 is invalid. Windows are policy data (DetectionPolicy.windows):
 * byCity[cityCode][mode] when the city set its own, else default[mode].
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { inWindows } from '../time.ts'
import { MODE_ZH, minuteRuleResult } from './support.ts'

export const trainingWindow: SessionRule = {
  id: 'training-window',
  version: 1,
  title: { zh: '不在有效培训时段', en: 'Outside the valid training window' },
  severity: 'medium',
  requirements: ['M2', 'M17'],
  basis: 'STANDARDS §7.1 第 1 条；LAW §1（有效培训时段由地市配置）',
  scope: 'session',
  invalidates: true,
  params: {},
  evaluate(facts: SessionFacts) {
    const mode = facts.session.mode
    if (mode === null) return { invalidMinutes: [], findings: [] }
    const windows = facts.windows.byCity[facts.session.cityCode]?.[mode] ?? facts.windows.default[mode]
    const shown = windows.map((w) => `${w.from}–${w.to}`).join('、') || '无'
    const outside = facts.minutes.filter((m) => !inWindows(m.minuteAt, windows))
    return minuteRuleResult(
      facts,
      'training-window',
      outside,
      (ranges, n) => `${n} 分钟不在${MODE_ZH[mode]}有效培训时段（${shown}）：${ranges}`,
      { cityCode: facts.session.cityCode, mode, windows },
    )
  },
}
