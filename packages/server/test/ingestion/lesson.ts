/**
 * Envelopes of one realistic lesson as the gateway hands them over: student login, 0x0200
 * positions every 20 s, one 0x0203 minute record per minute, student logout — all encoded with the
 * codec, so ingestion sees exactly what a terminal sends.
 */

import assert from 'node:assert/strict'
import { decodeFrame, encodeFrame, type GnssBasic, type HeaderInit } from '@jiapei/jt808'
import {
  minuteRecord,
  studentLogin,
  studentLogout,
  type TrainingMessageDefinition,
  trainingEnvelope,
} from '@jiapei/jt808-training'
import type { Database } from '../../src/db/client.ts'
import type { FrameEnvelope } from '../../src/ingestion/envelope.ts'
import { utcToBeijing } from '../../src/ingestion/normalize/time.ts'

export interface LessonPeople {
  terminalId: number
  phone: string
  deviceNo: string
  studentNo: string
  coachNo: string
}

export interface LessonOptions {
  /** Lesson start (UTC). */
  start: Date
  minutes: number
  classId: number
  /** 补传: every 驾培 message flagged as backfill. */
  backfill?: boolean
  /** Arrival time of every frame (defaults to the event time plus one second). */
  receivedAt?: Date
}

export const COURSE_CODE = '1212110000'
const LNG = 120.123456
const LAT = 30.234567

/** Wraps a frame the way the gateway does: unescaped bytes, decoded body, header facts. */
export function envelopeOf(
  header: HeaderInit,
  body: unknown,
  receivedAt: Date,
  terminalId: number | undefined,
): FrameEnvelope {
  const escaped = encodeFrame(header, body)
  const decoded = decodeFrame(escaped)
  if (!decoded.ok) throw new Error(decoded.message)
  return {
    receivedAt,
    terminalPhone: header.phone.replace(/^0+/, ''),
    ...(terminalId === undefined ? {} : { terminalId }),
    msgId: header.msgId,
    serialNo: header.serial,
    layout: 'jiapei',
    direction: 'up',
    frame: decoded.frame.raw,
    message: decoded.frame.body,
    gatewayNode: 'gw-test',
  }
}

function gnss(at: Date, step: number): GnssBasic {
  return {
    alarm: 0,
    status: 0x3,
    lat: Math.round((LAT + step * 0.0001) * 1e6),
    lng: Math.round((LNG + step * 0.0001) * 1e6),
    recorderSpeed: 250,
    gnssSpeed: 248,
    heading: 90,
    timeLocal: utcToBeijing(at),
  }
}

export function lessonEnvelopes(p: LessonPeople, o: LessonOptions): FrameEnvelope[] {
  let serial = 1
  let packetSeq = 1
  const out: FrameEnvelope[] = []
  const arrival = (at: Date) => o.receivedAt ?? new Date(at.getTime() + 1000)
  const training = <B>(def: TrainingMessageDefinition<B>, body: B, at: Date) => {
    const content = trainingEnvelope(def, body, {
      terminalNo: p.deviceNo,
      packetSeq: packetSeq++,
      ...(o.backfill ? { backfill: true } : {}),
    })
    out.push(
      envelopeOf(
        { msgId: 0x0900, version: 'jiapei', phone: p.phone, serial: serial++ },
        { type: 0x13, data: new Uint8Array(0), content },
        arrival(at),
        p.terminalId,
      ),
    )
  }
  const t0 = o.start.getTime()
  training(
    studentLogin,
    { studentNo: p.studentNo, coachNo: p.coachNo, courseCode: COURSE_CODE, classId: o.classId, gnss: gnss(o.start, 0) },
    o.start,
  )
  for (let m = 0; m < o.minutes; m++) {
    for (let s = 0; s < 60; s += 20) {
      const at = new Date(t0 + m * 60_000 + s * 1000)
      out.push(
        envelopeOf(
          { msgId: 0x0200, version: 'jiapei', phone: p.phone, serial: serial++ },
          { ...gnss(at, m * 3 + s / 20), items: [{ id: 1, value: 1000 + m }] },
          arrival(at),
          p.terminalId,
        ),
      )
    }
    const minuteStart = new Date(t0 + m * 60_000)
    const local = utcToBeijing(minuteStart)
    const sequence = String(Number(local.slice(6, 8)) * 60 + Number(local.slice(8, 10))).padStart(4, '0')
    const endOfMinute = new Date(minuteStart.getTime() + 59_000)
    training(
      minuteRecord,
      {
        recordNo: `${p.deviceNo}${local.slice(0, 6)}${sequence}`,
        reportType: 1,
        studentNo: p.studentNo,
        coachNo: p.coachNo,
        classId: o.classId,
        recordTimeLocal: utcToBeijing(endOfMinute).slice(6),
        courseCode: COURSE_CODE,
        status: 0,
        maxSpeed: 300 + m,
        mileage: 4,
        gnss: { ...gnss(new Date(minuteStart.getTime() + 30_000), m * 3), mileage: 1000 + m, rpm: 1800 },
      },
      endOfMinute,
    )
  }
  const end = new Date(t0 + o.minutes * 60_000 + 10_000)
  training(
    studentLogout,
    {
      studentNo: p.studentNo,
      logoutTimeLocal: utcToBeijing(end),
      loginMinutes: o.minutes,
      loginMileage: o.minutes * 4,
      classId: o.classId,
      gnss: gnss(end, o.minutes * 3),
    },
    end,
  )
  return out
}

/** The first terminal of the fixture with a student and a coach of its institution. */
export async function lessonPeople(db: Database): Promise<LessonPeople> {
  const [t] = await db.query<{ id: number; phone: string; deviceNo: string; institutionId: number }>(
    `SELECT id, phone, device_no AS "deviceNo", institution_id AS "institutionId" FROM terminal ORDER BY id LIMIT 1`,
  )
  assert.ok(t)
  const [s] = await db.query<{ no: string }>('SELECT stu_no AS no FROM student WHERE institution_id = $1 ORDER BY id', [
    t.institutionId,
  ])
  const [c] = await db.query<{ no: string }>('SELECT coach_no AS no FROM coach WHERE institution_id = $1 ORDER BY id', [
    t.institutionId,
  ])
  assert.ok(s && c)
  return { terminalId: t.id, phone: t.phone, deviceNo: t.deviceNo, studentNo: s.no, coachNo: c.no }
}

export async function counts(db: Database) {
  const [row] = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM raw_frame) AS raw, (SELECT count(*)::int FROM training_session) AS sessions,
            (SELECT count(*)::int FROM minute_record) AS minutes, (SELECT count(*)::int FROM position) AS positions,
            (SELECT count(*)::int FROM photo) AS photos`,
  )
  return row as { raw: number; sessions: number; minutes: number; positions: number; photos: number }
}
