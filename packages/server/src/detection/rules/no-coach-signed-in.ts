/**
 * no-coach-signed-in — M3: a practical session with no coach signed in (coachId null) → every
 * minute invalid and a finding. The terminal should refuse a student login before the coach's;
 * a session without a coach means the terminal was bypassed or the record was fabricated.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { intList, MODE_ZH, minuteRuleResult } from './support.ts'

export const noCoachSignedIn: SessionRule = {
  id: 'no-coach-signed-in',
  version: 1,
  title: { zh: '无教练员登录培训', en: 'Training with no coach signed in' },
  severity: 'high',
  requirements: ['M3'],
  basis: 'MISSION M3；STANDARDS §7.3（教练须先于学员登录）',
  scope: 'session',
  invalidates: true,
  params: {
    modes: {
      default: '1',
      unit: '课程方式列表',
      description: '要求教练员登录的课程方式（逗号分隔；默认仅 1 实操）',
    },
  },
  evaluate(facts: SessionFacts, params) {
    const mode = facts.session.mode
    if (facts.session.coachId !== null || mode === null || !intList(params, 'modes').has(mode))
      return { invalidMinutes: [], findings: [] }
    return minuteRuleResult(
      facts,
      'no-coach-signed-in',
      facts.minutes,
      (_r, n) => `${MODE_ZH[mode]}学时无教练员登录，${n} 分钟无效`,
      { mode, terminalId: facts.session.terminalId, vehicleId: facts.session.vehicleId },
    )
  },
}
