/**
 * coach-two-vehicles — 浙江省道路运输条例 art. 53(5): a coach may not use two or more 教练车 at
 * the same time. Sessions of one coach on different vehicles (or, without a vehicle, different
 * terminals) whose spans overlap by at least `minOverlapMinutes` give one finding per pair, on the
 * coach, anchored on the later-starting session. Classroom and remote sessions are not vehicles:
 * only sessions whose 课程方式 counts against the practical daily cap are compared.
 */
import type { CrossFacts, CrossRule, FindingDraft, SessionFacts } from '../rule.ts'
import { capCategory, clockRange, groupBy, overlappingPairs, pairKey } from './cross-support.ts'
import { num } from './support.ts'

const vehicleOf = (s: SessionFacts) =>
  s.session.vehicleId !== null
    ? `v${s.session.vehicleId}`
    : s.session.terminalId !== null
      ? `t${s.session.terminalId}`
      : null

const plateOf = (s: SessionFacts) =>
  s.vehicle?.plate ?? (s.session.vehicleId !== null ? `车辆 ${s.session.vehicleId}` : `终端 ${s.session.terminalId}`)

export const coachTwoVehicles: CrossRule = {
  id: 'coach-two-vehicles',
  version: 1,
  title: { zh: '教练员同时使用两辆以上教练车', en: 'Coach on two vehicles at once' },
  severity: 'high',
  requirements: ['M2', 'M3'],
  basis: 'LAW《浙江省道路运输条例》第 53 条第（五）项；STANDARDS §7.3',
  scope: 'cross',
  reach: 'sessions',
  params: {
    minOverlapMinutes: {
      default: 1,
      unit: '分钟',
      description: '两段培训时间重叠不少于此分钟数才认定（容忍终端时钟误差）',
      uncertain: true,
    },
  },
  evaluate(facts: CrossFacts, params): FindingDraft[] {
    const minOverlap = num(params, 'minOverlapMinutes')
    const practical = facts.sessions.filter(
      (s) => capCategory(s.session, facts.syllabus) === 'practical' && vehicleOf(s) !== null,
    )
    const out: FindingDraft[] = []
    for (const [coachId, group] of groupBy(practical, (s) => s.session.coachId)) {
      for (const pair of overlappingPairs(group, minOverlap)) {
        if (vehicleOf(pair.a) === vehicleOf(pair.b)) continue
        const coachNo = pair.b.coach?.coachNo ?? pair.a.coach?.coachNo ?? String(coachId)
        out.push({
          subjectKind: 'coach',
          subjectId: String(coachId),
          sessionId: pair.b.session.id,
          coachId,
          vehicleId: pair.b.session.vehicleId,
          studentId: pair.b.session.studentId,
          occurredAt: new Date(pair.from),
          summary: `教练员 ${coachNo} 在 ${clockRange(pair.from, pair.to)} 同时在 ${plateOf(pair.a)} 与 ${plateOf(pair.b)} 上带教，重叠 ${Math.round(pair.minutes)} 分钟（阈值 ${minOverlap} 分钟）`,
          evidence: {
            sessions: [pair.a.session.id, pair.b.session.id],
            details: {
              overlapMinutes: Math.round(pair.minutes),
              overlapFrom: new Date(pair.from).toISOString(),
              overlapTo: new Date(pair.to).toISOString(),
              vehicles: [plateOf(pair.a), plateOf(pair.b)],
            },
          },
          key: pairKey(pair.a.session, pair.b.session),
        })
      }
    }
    return out
  },
}
