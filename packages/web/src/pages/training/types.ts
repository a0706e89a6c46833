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
}

export const formatTime = (v: string | null | undefined): string =>
  v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '—'
