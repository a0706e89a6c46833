/**
 * vehicle-not-qualified — STANDARDS §7.1 rule 3: on a practical session, the training car is
 * missing, not in the registry, not filed, past its inspection date at the minute (plus a grace
 * period), or its type differs from the session's 培训车型 → those minutes invalid.
 */
import type { MinuteFact, SessionFacts, SessionRule } from '../rule.ts'
import { localDay, localMidnight } from '../time.ts'
import { bool, isPractical, minuteRuleResult, num } from './support.ts'

const DAY_MS = 86_400_000

export const vehicleNotQualified: SessionRule = {
  id: 'vehicle-not-qualified',
  version: 1,
  title: { zh: '教练车不符合要求', en: 'Vehicle not qualified' },
  severity: 'high',
  requirements: ['M2'],
  basis: 'STANDARDS §7.1 第 3 条',
  scope: 'session',
  invalidates: true,
  params: {
    inspectionGraceDays: {
      default: 0,
      unit: '天',
      description: '检验有效期届满后仍视为有效的宽限天数',
    },
    typeMustMatch: {
      default: true,
      description: '教练车车型须与培训车型一致',
    },
  },
  evaluate(facts: SessionFacts, params) {
    if (!isPractical(facts)) return { invalidMinutes: [], findings: [] }
    const s = facts.session
    const v = facts.vehicle
    const licenseType = s.licenseType ?? facts.student?.licenseType ?? null
    let problem: string | null = null
    let code = ''
    let affected: MinuteFact[] = facts.minutes
    if (s.vehicleId === null) {
      problem = '实操学时未关联教练车'
      code = 'noVehicle'
    } else if (!v) {
      problem = '教练车不在备案库中'
      code = 'missing'
    } else if (!v.filed) {
      problem = `教练车 ${v.plate} 未备案`
      code = 'notFiled'
    } else if (bool(params, 'typeMustMatch') && licenseType !== null && v.vehicleType !== licenseType) {
      problem = `教练车 ${v.plate} 车型 ${v.vehicleType} 与培训车型 ${licenseType} 不符`
      code = 'typeMismatch'
    } else if (v.inspectionValidUntil !== null) {
      // Valid through the whole local day of inspectionValidUntil, plus the grace days.
      const until = localMidnight(v.inspectionValidUntil).getTime() + (1 + num(params, 'inspectionGraceDays')) * DAY_MS
      affected = facts.minutes.filter((m) => !(m.minuteAt.getTime() < until))
      if (affected.length) {
        problem = `教练车 ${v.plate} 检验有效期至 ${v.inspectionValidUntil}（宽限 ${num(params, 'inspectionGraceDays')} 天），培训日 ${localDay(affected[0]!.minuteAt)} 已过期`
        code = 'inspectionExpired'
      }
    }
    if (!problem) return { invalidMinutes: [], findings: [] }
    return minuteRuleResult(facts, 'vehicle-not-qualified', affected, (_r, n) => `${problem}，${n} 分钟无效`, {
      problem: code,
      vehicleId: s.vehicleId,
      vehicleType: v?.vehicleType ?? null,
      licenseType,
      inspectionValidUntil: v?.inspectionValidUntil ?? null,
      inspectionGraceDays: num(params, 'inspectionGraceDays'),
    })
  },
}
