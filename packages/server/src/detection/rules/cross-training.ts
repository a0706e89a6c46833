/**
 * cross-training — 理论与实操交叉培训 (MISSION M6): a student recorded in theory training
 * (课堂教学 or 远程教学) through one source while in practical training (实车 or 模拟器) through
 * another at overlapping times — typically theory hours uploaded by one timing platform while the
 * student drives a car of another. Theory and practical are the syllabus's daily-cap categories
 * (SyllabusPolicy.capCategoryOfMode); the source is the gateway or the exchange interface and the
 * timing platform. One finding per pair overlapping by at least `minOverlapMinutes`, on the
 * student, anchored on the theory session (it is the one that cannot have happened).
 */
import type { CrossFacts, CrossRule, FindingDraft } from '../rule.ts'
import {
  capCategory,
  clockRange,
  groupBy,
  isCrossTrainingPair,
  overlappingPairs,
  pairKey,
  sourceKey,
  sourceLabel,
} from './cross-support.ts'
import { MODE_ZH, num } from './support.ts'

export const crossTraining: CrossRule = {
  id: 'cross-training',
  version: 1,
  title: { zh: '理论与实操交叉培训', en: 'Theory and practical training at once (cross-training)' },
  severity: 'high',
  requirements: ['M6', 'M5', 'M2'],
  basis: 'MISSION M6（理论与实操交叉培训）；STANDARDS §3（对接接口的教学日志）',
  scope: 'cross',
  reach: 'student',
  params: {
    minOverlapMinutes: {
      default: 1,
      unit: '分钟',
      description: '理论与实操两段培训时间重叠不少于此分钟数才认定',
      uncertain: true,
    },
  },
  // Spans only: an open session's last minute is loaded for it anyway.
  minutes: () => 'none',
  evaluate(facts: CrossFacts, params): FindingDraft[] {
    const minOverlap = num(params, 'minOverlapMinutes')
    const out: FindingDraft[] = []
    for (const [studentId, group] of groupBy(facts.sessions, (s) => s.session.studentId)) {
      for (const { a, b, from, to, minutes } of overlappingPairs(group, minOverlap)) {
        if (!isCrossTrainingPair(a.session, b.session, facts.syllabus)) continue
        const [theory, practical] = capCategory(a.session, facts.syllabus) === 'classroom' ? [a, b] : [b, a]
        const stuNo = theory.student?.stuNo ?? practical.student?.stuNo ?? String(studentId)
        const what = (s: typeof a) => `${MODE_ZH[s.session.mode ?? 0]}（${sourceLabel(s.session)}）`
        out.push({
          subjectKind: 'student',
          subjectId: String(studentId),
          sessionId: theory.session.id,
          studentId,
          coachId: practical.session.coachId,
          vehicleId: practical.session.vehicleId,
          occurredAt: new Date(from),
          summary: `学员 ${stuNo} 在 ${clockRange(from, to)} 理论与实操交叉培训：${what(theory)} 与 ${what(practical)} 重叠 ${Math.round(minutes)} 分钟（阈值 ${minOverlap} 分钟）`,
          evidence: {
            sessions: [theory.session.id, practical.session.id],
            details: {
              overlapMinutes: Math.round(minutes),
              overlapFrom: new Date(from).toISOString(),
              overlapTo: new Date(to).toISOString(),
              theory: { sessionId: theory.session.id, mode: theory.session.mode, source: sourceKey(theory.session) },
              practical: {
                sessionId: practical.session.id,
                mode: practical.session.mode,
                source: sourceKey(practical.session),
              },
            },
          },
          key: pairKey(a.session, b.session),
        })
      }
    }
    return out
  },
}
