/** Training sessions as `/api/training/sessions` answers them. */
export interface SessionSummary {
  id: number
  terminalId: number | null
  deviceNo: string | null
  classId: number
  institutionId: number
  institutionName: string | null
  studentId: number | null
  studentName: string | null
  studentNo: string | null
  coachId: number | null
  coachName: string | null
  coachNo: string | null
  vehicleId: number | null
  plate: string | null
  courseCode: string | null
  startedAt: string
  endedAt: string | null
  minuteCount: number
  /** Of those, minute records that came as 补传. */
  backfillMinuteCount: number
}

/** 培训部分 by the fourth digit of the course code. */
export const COURSE_PARTS: Record<string, string> = { 1: '第一部分', 2: '第二部分', 3: '第三部分', 4: '第四部分' }

/** The 培训部分 (1–4) of a course code, or null. */
export function partOf(courseCode: string | null | undefined): number | null {
  const digit = Number(courseCode?.charAt(3))
  return digit >= 1 && digit <= 4 ? digit : null
}

export const formatTime = (v: string | null | undefined): string =>
  v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '—'
