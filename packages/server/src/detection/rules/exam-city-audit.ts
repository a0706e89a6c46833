/**
 * exam-city-audit — 异地考试学时审核 (MISSION M6): a student who trained in the window and whose
 * exam (exam_result) is in another city than the one they trained in. The training city is the
 * student's registered city (else the session's); cities are compared on the first
 * `cityCodeDigits` digits of the codes (4 = 地市). One finding per student, exam subject and exam
 * city, anchored on the student's latest session in the window, listing the hours credited so far
 * per part and mode so the auditor sees what the exam eligibility rests on.
 */
import type { SyllabusPart, TrainingMode } from '../../policy/syllabus.ts'
import type { CrossFacts, CrossRule, FindingDraft, SessionFacts } from '../rule.ts'
import { localMidnight } from '../time.ts'
import { MODE_ZH, num } from './support.ts'

const PART_ZH: Record<SyllabusPart, string> = { 1: '第一部分', 2: '第二部分', 3: '第三部分', 4: '第四部分' }

export const examCityAudit: CrossRule = {
  id: 'exam-city-audit',
  version: 1,
  title: { zh: '异地考试学时审核', en: 'Exam in another city: hours audit' },
  severity: 'low',
  requirements: ['M6', 'M17'],
  basis: 'MISSION M6（异地考试学时审核）',
  scope: 'cross',
  reach: 'student',
  params: {
    cityCodeDigits: {
      default: 4,
      unit: '位',
      description: '比较考试地与培训地行政区划代码的前几位（4 = 地市，6 = 区县）',
    },
  },
  // Exams and credits, no minute records.
  minutes: () => 'none',
  evaluate(facts: CrossFacts, params): FindingDraft[] {
    const digits = num(params, 'cityCodeDigits')
    if (!(digits >= 2 && digits <= 6)) return []
    const latest = new Map<number, SessionFacts>()
    for (const s of facts.sessions) {
      const id = s.session.studentId
      if (id === null) continue
      const prev = latest.get(id)
      if (!prev || prev.session.startedAt <= s.session.startedAt) latest.set(id, s)
    }
    const out: FindingDraft[] = []
    const reported = new Set<string>()
    for (const exam of facts.exams) {
      const anchor = latest.get(exam.studentId)
      if (!anchor) continue
      const trainingCity = anchor.student?.cityCode ?? anchor.session.cityCode
      if (exam.examCityCode.slice(0, digits) === trainingCity.slice(0, digits)) continue
      const key = `${exam.subject}:${exam.examCityCode}`
      if (reported.has(`${exam.studentId}|${key}`)) continue
      reported.add(`${exam.studentId}|${key}`)
      const credits = (facts.credits ?? []).filter((c) => c.studentId === exam.studentId)
      const perPart: Record<string, Record<string, number>> = {}
      for (const c of credits) {
        perPart[c.part] ??= {}
        ;(perPart[c.part] as Record<string, number>)[c.mode] = c.creditedMinutes
      }
      const hours = (minutes: number) => Math.round((minutes / facts.syllabus.hourMinutes) * 10) / 10
      const listed =
        Object.entries(perPart)
          .map(
            ([part, modes]) =>
              `${PART_ZH[Number(part) as SyllabusPart]} ${Object.entries(modes)
                .map(([mode, m]) => `${MODE_ZH[Number(mode) as TrainingMode]} ${hours(m)}`)
                .join('、')} 学时`,
          )
          .join('；') || '暂无已认定学时'
      const stuNo = anchor.student?.stuNo ?? String(exam.studentId)
      out.push({
        subjectKind: 'student',
        subjectId: String(exam.studentId),
        sessionId: anchor.session.id,
        studentId: exam.studentId,
        occurredAt: localMidnight(exam.examOn),
        summary: `学员 ${stuNo} 在培训地 ${trainingCity} 以外的 ${exam.examCityCode} 参加科目${exam.subject}考试（${exam.examOn}），需审核学时：${listed}`,
        evidence: {
          sessions: [anchor.session.id],
          details: {
            examCityCode: exam.examCityCode,
            trainingCityCode: trainingCity,
            subject: exam.subject,
            examOn: exam.examOn,
            result: exam.result,
            creditedMinutes: perPart,
          },
        },
        key,
      })
    }
    return out
  },
}
