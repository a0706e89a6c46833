/**
 * Normalisation: one gateway envelope → the domain events it carries, in platform units (degrees,
 * km/h, metres) and UTC. Pure; no database. Frames that decode to nothing of interest (heartbeats,
 * replies, unknown IDs, undecodable frames) yield no events but are still archived.
 */
import type { GnssBasic, GnssBasic808, LocationItem } from '@jiapei/jt808'
import { decodeFrameContent } from '@jiapei/jt808'
import type { MinuteRecord, StudentLogin, StudentLogout, TrainingEnvelope } from '@jiapei/jt808-training'
import '@jiapei/jt808-training'
import type { FrameEnvelope } from '../envelope.ts'
import { beijingToUtc, minuteOfRecord } from './time.ts'

export interface PositionEvent {
  kind: 'position'
  fixedAt: Date
  lng: number
  lat: number
  speedKmh: number
  heading: number
  altitudeM: number | null
  alarmFlags: number
  statusFlags: number
  mileageM: number | null
  backfill: boolean
}

export interface LoginEvent {
  kind: 'login'
  classId: number
  studentNo: string
  coachNo: string
  courseCode: string
  at: Date
  backfill: boolean
}

export interface LogoutEvent {
  kind: 'logout'
  classId: number
  studentNo: string
  at: Date
  /** 该次登录总时间 (min) and 总里程 (m) as the terminal counted them. */
  loginMinutes: number
  loginMileageM: number
  backfill: boolean
}

export interface MinuteEvent {
  kind: 'minute'
  recordNo: string
  minuteAt: Date
  classId: number
  studentNo: string
  coachNo: string
  courseCode: string
  status: number
  maxSpeedKmh: number
  mileageM: number
  /** 行驶记录速度 and 发动机转速 of the fix at second 30 (附加GNSS数据包). */
  recordSpeedKmh: number
  engineRpm: number
  lng: number
  lat: number
  backfill: boolean
}

export type IngestEvent = PositionEvent | LoginEvent | LogoutEvent | MinuteEvent

/** An envelope after normalisation: what it is archived as, and what it means. */
export interface NormalizedEnvelope {
  envelope: FrameEnvelope
  /** Codec error when the frame could not be decoded (archived with the frame). */
  decodeError: string | null
  events: IngestEvent[]
}

/** The decoded body of an envelope: the gateway's, or decoded here from the frame bytes. */
export function messageOf(envelope: FrameEnvelope): { message: unknown; error: string | null } {
  if (envelope.decodeError) return { message: undefined, error: envelope.decodeError }
  if (envelope.message !== undefined) return { message: envelope.message, error: null }
  const result = decodeFrameContent(envelope.frame)
  if (!result.ok) return { message: undefined, error: result.code }
  return { message: result.frame.decoded ? result.frame.body : undefined, error: null }
}

export function normalizeEnvelope(envelope: FrameEnvelope): NormalizedEnvelope {
  const { message, error } = messageOf(envelope)
  const out: NormalizedEnvelope = { envelope, decodeError: error, events: [] }
  if (message === undefined || envelope.direction !== 'up') return out
  switch (envelope.msgId) {
    case 0x0200: {
      const position = positionOf(message as LocationLike, false)
      if (position) out.events.push(position)
      break
    }
    case 0x0704: {
      const batch = message as { type?: number; locations?: LocationLike[] }
      for (const location of batch.locations ?? []) {
        const position = positionOf(location, batch.type === 1)
        if (position) out.events.push(position)
      }
      break
    }
    case 0x0900: {
      const event = trainingEventOf((message as { content?: unknown }).content)
      if (event) out.events.push(event)
      break
    }
  }
  return out
}

type LocationLike = (GnssBasic | GnssBasic808) & { items?: LocationItem[] }

function itemValue(items: LocationItem[] | undefined, id: number): number | null {
  const item = items?.find((i) => i.id === id)
  return item && 'value' in item ? item.value : null
}

/** Degrees from the raw ×10^6 integers, signed by status bits 2 (南纬) and 3 (西经). */
function coordinates(g: { lat: number; lng: number; status: number }): { lat: number; lng: number } {
  return {
    lat: ((g.status & 4) !== 0 ? -1 : 1) * (g.lat / 1e6),
    lng: ((g.status & 8) !== 0 ? -1 : 1) * (g.lng / 1e6),
  }
}

function positionOf(location: LocationLike, backfill: boolean): PositionEvent | null {
  const fixedAt = beijingToUtc(location.timeLocal)
  if (!fixedAt) return null
  const jiapei = 'gnssSpeed' in location
  const mileage = itemValue(location.items, 0x01)
  return {
    kind: 'position',
    fixedAt,
    ...coordinates(location),
    speedKmh: (jiapei ? location.gnssSpeed : (location as GnssBasic808).speed) / 10,
    heading: location.heading,
    altitudeM: jiapei ? itemValue(location.items, 0x03) : (location as GnssBasic808).altitude,
    alarmFlags: location.alarm,
    statusFlags: location.status,
    mileageM: mileage === null ? null : mileage * 100,
    backfill,
  }
}

function trainingEventOf(content: unknown): IngestEvent | null {
  const envelope = content as TrainingEnvelope | undefined
  if (!envelope || envelope.body === undefined || typeof envelope.messageId !== 'number') return null
  const backfill = envelope.attributes?.backfill === true
  switch (envelope.messageId) {
    case 0x0201: {
      const b = envelope.body as StudentLogin
      const at = beijingToUtc(b.gnss.timeLocal)
      if (!at) return null
      return {
        kind: 'login',
        classId: b.classId,
        studentNo: b.studentNo,
        coachNo: b.coachNo,
        courseCode: b.courseCode,
        at,
        backfill,
      }
    }
    case 0x0202: {
      const b = envelope.body as StudentLogout
      const at = beijingToUtc(b.logoutTimeLocal) ?? beijingToUtc(b.gnss.timeLocal)
      if (!at) return null
      return {
        kind: 'logout',
        classId: b.classId,
        studentNo: b.studentNo,
        at,
        loginMinutes: b.loginMinutes,
        loginMileageM: b.loginMileage * 100,
        backfill,
      }
    }
    case 0x0203: {
      const b = envelope.body as MinuteRecord
      const minuteAt = minuteOfRecord(b.recordNo, b.recordTimeLocal)
      if (!minuteAt) return null
      return {
        kind: 'minute',
        recordNo: b.recordNo,
        minuteAt,
        classId: b.classId,
        studentNo: b.studentNo,
        coachNo: b.coachNo,
        courseCode: b.courseCode,
        status: b.status,
        maxSpeedKmh: b.maxSpeed / 10,
        mileageM: b.mileage * 100,
        recordSpeedKmh: b.gnss.recorderSpeed / 10,
        engineRpm: b.gnss.rpm,
        ...coordinates(b.gnss),
        backfill,
      }
    }
  }
  return null
}
