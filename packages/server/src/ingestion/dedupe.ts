/**
 * Dedupe: folds a batch of normalised envelopes into at most one row per natural key (DESIGN §3),
 * so one multi-row statement per table can be written with ON CONFLICT and never touches the same
 * key twice. Keys: raw frame (phone, received at, message ID, serial); position (terminal, fix
 * time); session (terminal, 课堂ID); minute record (学时记录编号, minute). First occurrence wins,
 * exactly as the database keeps the first stored row on a replay.
 */
import type { FrameEnvelope } from './envelope.ts'
import type { LoginEvent, LogoutEvent, MinuteEvent, NormalizedEnvelope, PositionEvent } from './normalize/events.ts'

export interface RawRow {
  envelope: FrameEnvelope
  decodeError: string | null
}

/** A derived row and where it came from (the terminal and arrival time of its frame). */
export interface Sourced<E> {
  terminalPhone: string
  terminalId: number | undefined
  arrivedAt: Date
  event: E
}

/** What a batch knows about one 课堂: merged from its login, logout and minute records. */
export interface SessionDraft {
  terminalPhone: string
  terminalId: number | undefined
  classId: number
  studentNo: string | null
  coachNo: string | null
  courseCode: string | null
  startedAt: Date
  endedAt: Date | null
  /** 该次登录总时间 (min) and 总里程 (m) from the logout, when seen. */
  reportedMinutes: number | null
  reportedMileageM: number | null
  /** True when the start is only inferred (no login seen in this batch). */
  startInferred: boolean
}

export interface BatchPlan {
  raw: RawRow[]
  positions: Sourced<PositionEvent>[]
  minutes: Sourced<MinuteEvent>[]
  sessions: SessionDraft[]
}

export function dedupe(batch: readonly NormalizedEnvelope[]): BatchPlan {
  const raw = new Map<string, RawRow>()
  const positions = new Map<string, Sourced<PositionEvent>>()
  const minutes = new Map<string, Sourced<MinuteEvent>>()
  const sessions = new Map<string, SessionDraft>()

  const session = (e: FrameEnvelope, classId: number, at: Date): SessionDraft => {
    const key = `${e.terminalPhone}|${classId}`
    let draft = sessions.get(key)
    if (!draft) {
      draft = {
        terminalPhone: e.terminalPhone,
        terminalId: e.terminalId,
        classId,
        studentNo: null,
        coachNo: null,
        courseCode: null,
        startedAt: at,
        endedAt: null,
        reportedMinutes: null,
        reportedMileageM: null,
        startInferred: true,
      }
      sessions.set(key, draft)
    }
    draft.terminalId ??= e.terminalId
    return draft
  }

  for (const item of batch) {
    const e = item.envelope
    const rawKey = `${e.terminalPhone}|${e.receivedAt.getTime()}|${e.msgId}|${e.serialNo}`
    if (!raw.has(rawKey)) raw.set(rawKey, { envelope: e, decodeError: item.decodeError })
    const source = { terminalPhone: e.terminalPhone, terminalId: e.terminalId, arrivedAt: e.receivedAt }
    for (const event of item.events) {
      switch (event.kind) {
        case 'position': {
          const key = `${e.terminalPhone}|${event.fixedAt.getTime()}`
          if (!positions.has(key)) positions.set(key, { ...source, event })
          break
        }
        case 'minute': {
          const key = `${event.recordNo}|${event.minuteAt.getTime()}`
          if (!minutes.has(key)) minutes.set(key, { ...source, event })
          const draft = session(e, event.classId, event.minuteAt)
          mergeMinute(draft, event)
          break
        }
        case 'login':
          mergeLogin(session(e, event.classId, event.at), event)
          break
        case 'logout':
          mergeLogout(session(e, event.classId, event.at), event)
          break
      }
    }
  }
  return {
    raw: [...raw.values()],
    positions: [...positions.values()],
    minutes: [...minutes.values()],
    sessions: [...sessions.values()],
  }
}

function mergeLogin(draft: SessionDraft, event: LoginEvent): void {
  if (draft.startInferred || event.at < draft.startedAt) draft.startedAt = event.at
  draft.startInferred = false
  draft.studentNo = event.studentNo
  draft.coachNo = event.coachNo
  draft.courseCode = event.courseCode
}

function mergeLogout(draft: SessionDraft, event: LogoutEvent): void {
  draft.endedAt ??= event.at
  draft.studentNo ??= event.studentNo
  draft.reportedMinutes ??= event.loginMinutes
  draft.reportedMileageM ??= event.loginMileageM
  if (draft.startInferred) {
    const start = new Date(event.at.getTime() - event.loginMinutes * 60_000)
    if (start < draft.startedAt) draft.startedAt = start
  }
}

function mergeMinute(draft: SessionDraft, event: MinuteEvent): void {
  draft.studentNo ??= event.studentNo
  draft.coachNo ??= event.coachNo
  draft.courseCode ??= event.courseCode
  if (draft.startInferred && event.minuteAt < draft.startedAt) draft.startedAt = event.minuteAt
}
