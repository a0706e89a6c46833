import assert from 'node:assert/strict'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { examCityAudit } from './exam-city-audit.ts'

const s1 = crossSession('practical', 1, { local: '2026-03-10T10:00:00' })
const s2 = crossSession('practical', 2, { local: '2026-03-12T10:00:00' })
const exam = (examCityCode: string, subject = 2) => ({
  studentId: 201,
  subject,
  examCityCode,
  examOn: '2026-03-20',
  result: 'booked',
})
const credits = [
  { studentId: 201, part: 1 as const, mode: 2 as const, creditedMinutes: 720 },
  { studentId: 201, part: 2 as const, mode: 1 as const, creditedMinutes: 630 },
]

crossTableTest(examCityAudit, [
  {
    name: 'exam in the training city (杭州 330100) is not audited',
    facts: crossFacts([s1], { exams: [exam('330100')] }),
    findings: 0,
  },
  {
    name: 'a county of the same city is the same city',
    facts: crossFacts([s1], { exams: [exam('330106')] }),
    findings: 0,
  },
  {
    name: 'exam in 宁波 after training in 杭州 → finding listing the credited hours',
    facts: crossFacts([s1, s2], { exams: [exam('330200')], credits }),
    findings: 1,
    summary:
      /在培训地 330100 以外的 330200 参加科目2考试（2026-03-20），需审核学时：第一部分 课堂教学 12 学时；第二部分 实操 10.5 学时/,
    check: ([f]) => {
      assert.equal(f?.sessionId, 2, 'anchored on the latest session')
      assert.equal(f?.subjectKind, 'student')
      assert.equal(f?.occurredAt.toISOString(), '2026-03-19T16:00:00.000Z')
    },
  },
  {
    name: 'comparing counties (6 digits) audits another county too',
    facts: crossFacts([s1], { exams: [exam('330110')] }),
    params: { cityCodeDigits: 6 },
    findings: 1,
  },
  {
    name: 'two subjects in another city → one finding each; no credits yet is said',
    facts: crossFacts([s1], { exams: [exam('330200', 2), exam('330200', 3)] }),
    findings: 2,
    summary: /暂无已认定学时/,
  },
  {
    name: 'an exam of a student who did not train in the window is not judged',
    facts: crossFacts([s1], { exams: [{ ...exam('330200'), studentId: 999 }] }),
    findings: 0,
  },
])
