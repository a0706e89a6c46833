/**
 * student-overlap — one student in two trainings at overlapping times, whatever the sources (two
 * terminals, a terminal and a third-party platform, two platforms). One finding per pair of
 * sessions overlapping by at least `minOverlapMinutes`, on the student, anchored on the later one.
 * A pair of theory and practical training reported through different sources is the case of
 * cross-training (理论与实操交叉培训) and is reported by that rule instead, so a pair is never
 * reported twice.
 */
import type { CrossFacts, CrossRule, FindingDraft } from '../rule.ts'
import {
  clockRange,
  groupBy,
  isCrossTrainingPair,
  overlappingPairs,
  pairKey,
  sourceKey,
  sourceLabel,
} from './cross-support.ts'
import { MODE_ZH, num } from './support.ts'

export const studentOverlap: CrossRule = {
  id: 'student-overlap',
  version: 1,
  title: { zh: '学员同一时间参加两段培训', en: 'Student in two trainings at once' },
  severity: 'high',
  requirements: ['M2', 'M6'],
  basis: 'MISSION M6（一人同时两段培训）；STANDARDS §7.3',
  scope: 'cross',
  reach: 'student',
  params: {
    minOverlapMinutes: {
      default: 1,
      unit: '分钟',
      description: '两段培训时间重叠不少于此分钟数才认定（容忍终端时钟误差）',
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
        if (isCrossTrainingPair(a.session, b.session, facts.syllabus)) continue
        const stuNo = b.student?.stuNo ?? a.student?.stuNo ?? String(studentId)
        const what = (s: typeof a) => `${MODE_ZH[s.session.mode ?? 0] ?? '培训'}（${sourceLabel(s.session)}）`
        out.push({
          subjectKind: 'student',
          subjectId: String(studentId),
          sessionId: b.session.id,
          studentId,
          coachId: b.session.coachId,
          vehicleId: b.session.vehicleId,
          occurredAt: new Date(from),
          summary: `学员 ${stuNo} 在 ${clockRange(from, to)} 同时有两段培训：${what(a)} 与 ${what(b)}，重叠 ${Math.round(minutes)} 分钟（阈值 ${minOverlap} 分钟）`,
          evidence: {
            sessions: [a.session.id, b.session.id],
            details: {
              overlapMinutes: Math.round(minutes),
              overlapFrom: new Date(from).toISOString(),
              overlapTo: new Date(to).toISOString(),
              sources: [sourceKey(a.session), sourceKey(b.session)],
              modes: [a.session.mode, b.session.mode],
            },
          },
          key: pairKey(a.session, b.session),
        })
      }
    }
    return out
  },
}
