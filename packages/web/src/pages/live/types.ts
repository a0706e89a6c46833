/** The answer of `/api/training/live`. */
export type LiveState = 'training' | 'idle'

export interface LiveSession {
  id: number
  studentName: string | null
  studentNo: string | null
  coachName: string | null
  coachNo: string | null
  courseCode: string | null
  part: number | null
  startedAt: string
  minuteCount: number
  elapsedMinutes: number
}

export interface LiveTerminal {
  terminalId: number
  deviceNo: string
  phone: string
  institutionId: number
  institutionName: string | null
  cityCode: string
  countyCode: string
  vehicleId: number | null
  plate: string | null
  connectedAt: string
  lastSeenAt: string
  state: LiveState
  position: { lng: number; lat: number; speedKmh: number | null; fixedAt: string } | null
  session: LiveSession | null
}

export interface LivePoint {
  terminalId: number
  plate: string | null
  state: LiveState
  lng: number
  lat: number
}

export interface LiveAnswer {
  counts: { online: number; training: number; sessionsToday: number; minutesToday: number }
  points: LivePoint[]
  items: LiveTerminal[]
  total: number
  page: number
  pageSize: number
  updatedAt: string
}

export const STATE_LABEL: Record<LiveState, string> = { training: '培训中', idle: '在线空闲' }
export const STATE_COLOR: Record<LiveState, string> = { training: '#52c41a', idle: '#8c8c8c' }

/** 培训部分 by the fourth digit of the course code. */
export const COURSE_PARTS: Record<number, string> = { 1: '第一部分', 2: '第二部分', 3: '第三部分', 4: '第四部分' }
