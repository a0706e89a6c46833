/**
 * coach-not-qualified — STANDARDS §7.1 rule 2: the session's coach is not in the registry, not
 * filed, on the blacklist, or (for the 课程方式 in `teachPermittedModes`) the student's 培训车型 is
 * outside the coach's 准教车型 → every minute invalid. A session without a coach is left to
 * no-coach-signed-in.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { intList, minuteRuleResult } from './support.ts'

export const coachNotQualified: SessionRule = {
  id: 'coach-not-qualified',
  version: 1,
  title: { zh: '教练员不符合要求', en: 'Coach not qualified' },
  severity: 'high',
  requirements: ['M2', 'M3'],
  basis: 'STANDARDS §7.1 第 2 条',
  scope: 'session',
  invalidates: true,
  params: {
    teachPermittedModes: {
      default: '1,3',
      unit: '课程方式列表',
      description: '核对准教车型的课程方式（逗号分隔；1 实操、2 课堂教学、3 模拟器教学、4 远程教学）',
    },
  },
  evaluate(facts: SessionFacts, params) {
    const s = facts.session
    if (s.coachId === null) return { invalidMinutes: [], findings: [] }
    const coach = facts.coach
    const licenseType = s.licenseType ?? facts.student?.licenseType ?? null
    let problem: string | null = null
    let code = ''
    if (!coach) {
      problem = '教练员不在备案库中'
      code = 'missing'
    } else if (!coach.filed) {
      problem = `教练员 ${coach.coachNo} 未备案`
      code = 'notFiled'
    } else if (coach.blacklisted) {
      problem = `教练员 ${coach.coachNo} 在黑名单中`
      code = 'blacklisted'
    } else if (
      s.mode !== null &&
      intList(params, 'teachPermittedModes').has(s.mode) &&
      licenseType !== null &&
      !coach.teachPermitted.includes(licenseType)
    ) {
      problem = `培训车型 ${licenseType} 不在教练员 ${coach.coachNo} 的准教车型（${coach.teachPermitted.join('、') || '无'}）内`
      code = 'teachPermitted'
    }
    if (!problem) return { invalidMinutes: [], findings: [] }
    return minuteRuleResult(facts, 'coach-not-qualified', facts.minutes, (_r, n) => `${problem}，${n} 分钟无效`, {
      problem: code,
      coachId: s.coachId,
      licenseType,
      teachPermitted: coach?.teachPermitted ?? null,
    })
  },
}
