/**
 * coach-consistency — the coaches actually teaching against the coaches reported (MISSION M1):
 *  1. a session whose minute records name another coach than the one signed in for the session
 *     (at least `minMismatchedMinutes` such minutes) — the session's coach is not the one teaching;
 *  2. a coach teaching for an institution that does not employ them (跨校带教): one finding per
 *     coach, institution and local day, listing the sessions.
 * Minute records that name no coach are not judged.
 */
import type { CrossFacts, CrossRule, FindingDraft, SessionFacts } from '../rule.ts'
import { localDay } from '../time.ts'
import { minuteLinks, minuteRanges, num } from './support.ts'

export const coachConsistency: CrossRule = {
  id: 'coach-consistency',
  version: 1,
  title: { zh: '实际带教教练员与备案不一致', en: 'Teaching coach differs from the reported coach' },
  severity: 'medium',
  requirements: ['M1', 'M3'],
  basis: 'MISSION M1（实际带教教练员与上报教练员核对）；STANDARDS §7.3（跨校带教为终端参数）',
  scope: 'cross',
  reach: 'student',
  params: {
    minMismatchedMinutes: {
      default: 1,
      unit: '分钟',
      description: '分钟学时中记录的教练员与课堂登录教练员不同的分钟数不少于此值才报告',
      uncertain: true,
    },
  },
  // Part 1 reads the minutes of sessions with another coach in them; part 2 reads none.
  minutes: () => ({ coachMismatch: true }),
  evaluate(facts: CrossFacts, params): FindingDraft[] {
    const minMismatched = num(params, 'minMismatchedMinutes')
    const out: FindingDraft[] = []
    const crossSchool = new Map<string, SessionFacts[]>()
    for (const s of facts.sessions) {
      const coachId = s.session.coachId
      if (coachId === null) continue
      const mismatched = s.minutes.filter((m) => m.coachId !== undefined && m.coachId !== null && m.coachId !== coachId)
      if (mismatched.length > 0 && mismatched.length >= minMismatched) {
        const others = [...new Set(mismatched.map((m) => m.coachId as number))]
        out.push({
          subjectKind: 'session',
          subjectId: String(s.session.id),
          sessionId: s.session.id,
          studentId: s.session.studentId,
          coachId,
          vehicleId: s.session.vehicleId,
          occurredAt: mismatched[0]!.minuteAt,
          summary: `课堂 ${s.session.id} 登录教练员为 ${s.coach?.coachNo ?? coachId}，但 ${mismatched.length} 分钟学时记录的是其他教练员（${others.join('、')}）：${minuteRanges(mismatched)}`,
          evidence: {
            sessions: [s.session.id],
            minutes: minuteLinks(mismatched),
            details: { signedInCoachId: coachId, recordedCoachIds: others, mismatchedMinutes: mismatched.length },
          },
          key: 'minute-coach',
        })
      }
      if (s.coach && s.coach.institutionId !== s.session.institutionId) {
        const key = `${coachId}|${s.session.institutionId}|${localDay(s.session.startedAt)}`
        const list = crossSchool.get(key)
        if (list) list.push(s)
        else crossSchool.set(key, [s])
      }
    }
    for (const [key, sessions] of crossSchool) {
      const [coachId, institutionId, day] = key.split('|') as [string, string, string]
      const first = sessions[0]!
      const last = sessions[sessions.length - 1]!
      out.push({
        subjectKind: 'coach',
        subjectId: coachId,
        sessionId: last.session.id,
        coachId: Number(coachId),
        studentId: last.session.studentId,
        vehicleId: last.session.vehicleId,
        occurredAt: first.session.startedAt,
        summary: `教练员 ${first.coach?.coachNo ?? coachId}（供职机构 ${first.coach?.institutionId}）在 ${day} 为机构 ${institutionId} 带教 ${sessions.length} 节课（跨校带教）`,
        evidence: {
          sessions: sessions.map((s) => s.session.id),
          details: {
            employerInstitutionId: first.coach?.institutionId,
            teachingInstitutionId: Number(institutionId),
            day,
            sessions: sessions.length,
          },
        },
        key: `cross-school:${institutionId}:${day}`,
      })
    }
    return out
  },
}
