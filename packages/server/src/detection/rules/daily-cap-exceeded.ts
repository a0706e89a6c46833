/**
 * daily-cap-exceeded — 2016 大纲: at most 4 学时 of classroom and 4 of practical training per
 * student per day (STANDARDS §4, LAW §1). Counts a student's minute records of one cap category on
 * one local (Beijing) day across every session and source; the same minute recorded twice (two
 * overlapping sessions) counts once. Above the cap (SyllabusPolicy.dailyCapHours × hourMinutes)
 * plus `toleranceMinutes` → one finding per student, day and category, anchored on the session
 * holding the first minute over the cap. The hour accounting already credits at most the cap;
 * this finding shows who trained (or reported) beyond it. Minutes are counted whatever their
 * validity: the cap is about time spent, the accounting about time credited. Only a student with
 * more minute records on a day than the lower cap allows can exceed one, so the batch loads the
 * minutes of those students only (`minutes`).
 */
import type { CapCategory } from '../../policy/syllabus.ts'
import type { CrossFacts, CrossRule, FindingDraft, MinuteFact, SessionFacts } from '../rule.ts'
import { LOCAL_OFFSET_MS, localDay } from '../time.ts'
import { CAP_CATEGORY_ZH, capCategory } from './cross-support.ts'
import { minuteLinks, minuteRanges, num } from './support.ts'

const DAY_MS = 86_400_000

interface DayBucket {
  studentId: number
  day: string
  category: CapCategory
  /** Minute instant (ms) → the first minute record seen at it and its session. */
  minutes: Map<number, { minute: MinuteFact; facts: SessionFacts }>
}

export const dailyCapExceeded: CrossRule = {
  id: 'daily-cap-exceeded',
  version: 1,
  title: { zh: '单日培训超过学时上限', en: 'Daily training cap exceeded' },
  severity: 'medium',
  requirements: ['M2', 'M17'],
  basis: 'STANDARDS §4 / LAW §1（2016 年大纲：每日课堂与实操各不超过 4 学时）',
  scope: 'cross',
  reach: 'student',
  params: {
    toleranceMinutes: {
      default: 0,
      unit: '分钟',
      description: '超过每日上限不多于此分钟数时不报告（上限本身取自大纲政策）',
      uncertain: true,
    },
  },
  // A day's bucket of one category never holds more minutes than the student's records that day.
  minutes: (params, syllabus) => ({
    studentDayOver:
      Math.min(...Object.values(syllabus.dailyCapHours)) * syllabus.hourMinutes + num(params, 'toleranceMinutes'),
  }),
  evaluate(facts: CrossFacts, params): FindingDraft[] {
    const tolerance = num(params, 'toleranceMinutes')
    const buckets = new Map<string, DayBucket>()
    for (const s of facts.sessions) {
      const studentId = s.session.studentId
      const category = capCategory(s.session, facts.syllabus)
      if (studentId === null || !category) continue
      let bucket: DayBucket | undefined
      let bucketDay = Number.NaN
      for (const minute of s.minutes) {
        const t = minute.minuteAt.getTime()
        // Local day number (Beijing, UTC+8); the day string is made once per bucket.
        const dayNo = Math.floor((t + LOCAL_OFFSET_MS) / DAY_MS)
        if (dayNo !== bucketDay) {
          const day = localDay(minute.minuteAt)
          const key = `${studentId}|${day}|${category}`
          bucket = buckets.get(key)
          if (!bucket) {
            bucket = { studentId, day, category, minutes: new Map() }
            buckets.set(key, bucket)
          }
          bucketDay = dayNo
        }
        if (bucket && !bucket.minutes.has(t)) bucket.minutes.set(t, { minute, facts: s })
      }
    }
    const out: FindingDraft[] = []
    for (const bucket of buckets.values()) {
      const cap = facts.syllabus.dailyCapHours[bucket.category] * facts.syllabus.hourMinutes
      const count = bucket.minutes.size
      if (count <= cap + tolerance) continue
      const ordered = [...bucket.minutes.entries()].sort((x, y) => x[0] - y[0]).map(([, v]) => v)
      const over = ordered.slice(cap)
      const first = over[0]!
      const sessions = [...new Set(ordered.map((o) => o.facts.session.id))]
      const stuNo = first.facts.student?.stuNo ?? String(bucket.studentId)
      const overMinutes = over.map((o) => o.minute)
      out.push({
        subjectKind: 'student',
        subjectId: String(bucket.studentId),
        sessionId: first.facts.session.id,
        studentId: bucket.studentId,
        coachId: first.facts.session.coachId,
        vehicleId: first.facts.session.vehicleId,
        occurredAt: first.minute.minuteAt,
        summary: `学员 ${stuNo} 在 ${bucket.day} ${CAP_CATEGORY_ZH[bucket.category]}培训 ${count} 分钟，超过每日上限 ${cap} 分钟（${facts.syllabus.dailyCapHours[bucket.category]} 学时）${count - cap} 分钟：${minuteRanges(overMinutes)}`,
        evidence: {
          sessions,
          minutes: minuteLinks(overMinutes),
          details: {
            day: bucket.day,
            category: bucket.category,
            minutes: count,
            capMinutes: cap,
            overMinutes: count - cap,
            toleranceMinutes: tolerance,
          },
        },
        key: `${bucket.day}:${bucket.category}`,
      })
    }
    return out
  },
}
