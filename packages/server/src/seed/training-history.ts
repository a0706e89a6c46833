/**
 * Training history: simulated 实操 lessons (planned by the simulator's `planLesson`: track, minute
 * records, positions, photos) and 课堂 records, written as the ingestion and the exchange interface
 * would write them, photos as the photo analysis would leave them, with labelled frauds injected
 * at a known rate. Used by the detection benchmark (one day, many cars, a high fraud rate) and by
 * the demo seed (the last days before "today", a few cars, a low rate), which then runs the
 * detection batch over the window so minute validity, credits and findings exist.
 *
 * Each fraud kind names the rules that must fire on the lesson it changes (e.g. a covered camera is
 * also a bad photo for photo-cadence; a fraud that invalidates the whole lesson also brings its
 * valid share under the minimum, so low-valid-share must fire), so the benchmark can score
 * precision and recall.
 * Deterministic: the same registry, seed and options give the same rows (hashes included).
 */

import { formatCourseCode } from '@jiapei/jt808-training'
import {
  type Lesson,
  loadFleetProfiles,
  planLesson,
  Rng,
  type StudentProfile,
  type TerminalProfile,
} from '@jiapei/simulator'
import { ensurePartitions, insertBatch } from '../db/batch.ts'
import type { Database, Sql } from '../db/client.ts'
import { runDetectionBatch } from '../detection/engine/batch.ts'
import { photoCadence } from '../detection/rules/photo-cadence.ts'
import { localDay, localMidnight } from '../detection/time.ts'
import { minuteRecordNo as exchangeRecordNo } from '../exchange/services/training.ts'
import { minuteOfRecord } from '../ingestion/normalize/time.ts'
import { ensureDefaultPolicy } from '../policy/store.ts'
import { SYLLABUS_2016 } from '../policy/syllabus.ts'
import { DEMO_INSTITUTION_COUNTY } from './accounts.ts'

const MINUTE = 60_000
const DAY_MS = 86_400_000
/** The first 培训项目 of each part (课程编码 digits 5–6). */
const FIRST_PROJECT = { 1: '01', 2: '11', 3: '21', 4: '41' } as const

// ── Registry lookups ─────────────────────────────────────────────────────

export interface TerminalInfo {
  id: number
  vehicleId: number
  vehicleType: string
  institutionId: number
  cityCode: string
  countyCode: string
  timingPlatformId: number | null
}

export interface RegistryIndex {
  /** Car terminals by 计时终端编号. */
  terminals: Map<string, TerminalInfo>
  coachIds: Map<string, number>
  studentIds: Map<string, number>
  /** The registered 所在地 of each student (id → city and county code). */
  studentPlaces: Map<number, { cityCode: string; countyCode: string }>
  /** County codes of each city of the province (region table), sorted. */
  countiesOfCity: Map<string, string[]>
  /** 计时平台编号 by timing platform id (exchange records carry the platform's number). */
  platformNos: Map<number, string>
}

export async function loadRegistryIndex(q: Sql): Promise<RegistryIndex> {
  const terminals = new Map<string, TerminalInfo>()
  for (const r of await q.query<Record<string, unknown>>(
    `SELECT t.device_no, t.id, t.vehicle_id, v.vehicle_type, t.institution_id, t.city_code, t.county_code,
            t.timing_platform_id
       FROM terminal t JOIN vehicle v ON v.id = t.vehicle_id WHERE t.terminal_type = 1`,
  )) {
    terminals.set(String(r.device_no), {
      id: Number(r.id),
      vehicleId: Number(r.vehicle_id),
      vehicleType: String(r.vehicle_type),
      institutionId: Number(r.institution_id),
      cityCode: String(r.city_code),
      countyCode: String(r.county_code),
      timingPlatformId: r.timing_platform_id === null ? null : Number(r.timing_platform_id),
    })
  }
  const coachIds = new Map<string, number>()
  for (const r of await q.query<{ id: number; coach_no: string }>('SELECT id, coach_no FROM coach'))
    coachIds.set(r.coach_no, Number(r.id))
  const studentIds = new Map<string, number>()
  const studentPlaces = new Map<number, { cityCode: string; countyCode: string }>()
  for (const r of await q.query<{ id: number; stu_no: string; city_code: string; county_code: string }>(
    'SELECT id, stu_no, city_code, county_code FROM student',
  )) {
    studentIds.set(r.stu_no, Number(r.id))
    studentPlaces.set(Number(r.id), { cityCode: r.city_code, countyCode: r.county_code })
  }
  const countiesOfCity = new Map<string, string[]>()
  for (const r of await q.query<{ code: string; parent_code: string }>(
    `SELECT code, parent_code FROM region WHERE level = 'county' ORDER BY code`,
  ))
    countiesOfCity.set(r.parent_code, [...(countiesOfCity.get(r.parent_code) ?? []), r.code])
  const platformNos = new Map<number, string>()
  for (const r of await q.query<{ id: number; platform_no: string }>('SELECT id, platform_no FROM timing_platform'))
    platformNos.set(Number(r.id), r.platform_no)
  return { terminals, coachIds, studentIds, studentPlaces, countiesOfCity, platformNos }
}

// ── Generator state ──────────────────────────────────────────────────────

export interface Rows {
  session: Record<string, unknown>
  minutes: Record<string, unknown>[]
  positions: Record<string, unknown>[]
  photos: Record<string, unknown>[]
  /** 考试记录 (exam bookings) of the session's student, written with it. */
  exams?: Record<string, unknown>[]
}

export interface Planned {
  id: number
  /**
   * 课程方式: 1 实操 (a car lesson from the simulator, through the gateway), or a record a timing
   * platform reported through the exchange interface: 2 课堂教学, 3 模拟器, 4 远程教学.
   */
  mode: 1 | 2 | 3 | 4
  part: 1 | 2 | 3 | 4
  profile: TerminalProfile
  terminal: TerminalInfo
  /** The simulated lesson of a practical session. */
  lesson: Lesson | null
  student: StudentProfile
  rows: Rows
  fraud: string | null
  /** Rules that must fire on this session. */
  expected: Set<string>
  /** A cross-scope fraud to apply once every lesson is planned (it needs a partner lesson). */
  pendingCross?: CrossFraud
}

/** Each fraud kind: which lessons it applies to, how it changes the rows, and which rules must fire. */
export interface FraudKind {
  kind: string
  expects: string[]
  applies?: (p: Planned, g: HistoryGenerator) => boolean
  apply: (p: Planned, g: HistoryGenerator) => void
}

/**
 * A fraud between two lessons: `partner` is a clean practical lesson on another car, overlapping
 * `p` in time, apart from it, or either (`timing`).
 */
export interface CrossFraud {
  kind: string
  /** Rules that must fire on `p`. */
  expects: string[]
  /** Rules that must fire on the partner (default `expects`: both sessions are the evidence). */
  partnerExpects?: string[]
  timing: 'overlapping' | 'apart' | 'any'
  applies?: (p: Planned) => boolean
  /** Whether `partner` can take part (e.g. its institution has a timing platform). */
  fits?: (partner: Planned, g: HistoryGenerator, planned: readonly Planned[]) => boolean
  /**
   * Changes the rows (of `p`, which may become another session altogether, e.g. a record a timing
   * platform reported); returns extra rules expected on `p` (e.g. a coach of another institution).
   * `planned` is everything planned, for frauds that depend on the partner's whole day.
   */
  apply: (p: Planned, partner: Planned, g: HistoryGenerator, planned: readonly Planned[]) => string[]
}

const trainingPhotos = (p: Planned) => p.rows.photos.filter((ph) => ph.event_type === 19)
const inSession = (p: Planned, at: unknown) => {
  const t = (at as Date).getTime()
  return t >= (p.rows.session.started_at as Date).getTime() && t <= (p.rows.session.ended_at as Date).getTime()
}

/** Ids, random numbers and spare registry entries shared by everything planned in one run. */
export class HistoryGenerator {
  readonly rng: Rng
  readonly registry: RegistryIndex
  nextSessionId: number
  nextPhotoId: number
  nextRecnum = 1
  /** Spare registry entries per institution for the registry frauds. */
  readonly spareCoaches = new Map<number, number[]>()
  /** Employed coaches allowed to teach small cars who teach no planned lesson, per institution. */
  readonly spareTeachers = new Map<number, { id: number; types: string[] }[]>()
  readonly spareVehicles = new Map<number, number[]>()
  /** 计时平台编号 by id (exchange records carry the platform's number). */
  readonly platformNos: Map<number, string>

  constructor(registry: RegistryIndex, seed: number, firstSessionId = 1, firstPhotoId = 1) {
    this.registry = registry
    this.platformNos = registry.platformNos
    this.rng = new Rng(seed)
    this.nextSessionId = firstSessionId
    this.nextPhotoId = firstPhotoId
  }

  hex(bytes: number): string {
    let out = ''
    for (let i = 0; i < bytes; i++) out += this.rng.int(0, 255).toString(16).padStart(2, '0')
    return out
  }

  takeSpare(pool: Map<number, number[]>, p: Planned): number | undefined {
    return pool.get(p.terminal.institutionId)?.shift()
  }

  /**
   * Spare entries for the registry frauds: employed coaches who may not teach small cars, and
   * small cars outside the fleet; and employed coaches who may teach small cars but have no car
   * in the fleet (another coach taking over a lesson). With `lapseVehicles` up to 3 spare cars per institution get an
   * inspection that lapsed 40 days before `day` (the benchmark); otherwise only cars the registry
   * already disqualifies (not active, inspection lapsed) are used.
   */
  async prepareSpares(q: Sql, profiles: readonly TerminalProfile[], day: string, lapseVehicles: boolean) {
    const fleetCoaches = new Set(profiles.map((p) => p.coach.coachNo))
    const fleetVehicles = new Set(profiles.map((p) => this.registry.terminals.get(p.deviceNo)?.vehicleId))
    for (const c of await q.query<{ id: number; coach_no: string; institution_id: number }>(
      `SELECT id, coach_no, institution_id FROM coach
        WHERE employment_status = 'employed' AND teach_permitted NOT LIKE '%C%' ORDER BY id`,
    )) {
      if (fleetCoaches.has(c.coach_no)) continue
      const list = this.spareCoaches.get(Number(c.institution_id)) ?? []
      list.push(Number(c.id))
      this.spareCoaches.set(Number(c.institution_id), list)
    }
    for (const c of await q.query<{ id: number; coach_no: string; institution_id: number; teach_permitted: string }>(
      `SELECT id, coach_no, institution_id, teach_permitted FROM coach
        WHERE employment_status = 'employed' AND teach_permitted LIKE '%C%' ORDER BY id`,
    )) {
      if (fleetCoaches.has(c.coach_no)) continue
      const list = this.spareTeachers.get(Number(c.institution_id)) ?? []
      list.push({ id: Number(c.id), types: c.teach_permitted.split(/[\s,，、;；/]+/).filter(Boolean) })
      this.spareTeachers.set(Number(c.institution_id), list)
    }
    const lapsed: number[] = []
    for (const v of await q.query<{ id: number; institution_id: number }>(
      lapseVehicles
        ? `SELECT id, institution_id FROM vehicle WHERE vehicle_type IN ('C1', 'C2') AND status = 'active' ORDER BY id`
        : `SELECT id, institution_id FROM vehicle
            WHERE vehicle_type IN ('C1', 'C2') AND (status <> 'active' OR inspection_valid_until < $1::date) ORDER BY id`,
      lapseVehicles ? [] : [day],
    )) {
      if (fleetVehicles.has(Number(v.id))) continue
      const list = this.spareVehicles.get(Number(v.institution_id)) ?? []
      if (list.length >= 3) continue
      list.push(Number(v.id))
      lapsed.push(Number(v.id))
      this.spareVehicles.set(Number(v.institution_id), list)
    }
    if (lapseVehicles) {
      // The spare vehicles' inspection lapsed 40 days before the day.
      await q.query('UPDATE vehicle SET inspection_valid_until = ($2::date - 40) WHERE id = ANY($1::int[])', [
        lapsed,
        day,
      ])
    }
  }

  /** A practical lesson on the car of `profile`, as rows; `fraud` applied when it fits the lesson. */
  practical(
    profile: TerminalProfile,
    options: { part: 2 | 3; minutes: number; startTime: number; seed: number; studentIndex: number },
    fraud: FraudKind | null,
    cross?: CrossFraud,
  ): Planned {
    const terminal = this.registry.terminals.get(profile.deviceNo) as TerminalInfo
    const lesson = planLesson(profile, options)
    const id = this.nextSessionId++
    const p: Planned = {
      id,
      mode: 1,
      part: options.part,
      profile,
      terminal,
      lesson,
      student: lesson.student,
      rows: this.rowsOf(lesson, profile, terminal, id),
      fraud: null,
      expected: new Set(),
    }
    if (cross) p.pendingCross = cross
    if (fraud?.applies && !fraud.applies(p, this)) fraud = null
    if (fraud) {
      fraud.apply(p, this)
      p.fraud = fraud.kind
      for (const r of fraud.expects) p.expected.add(r)
    }
    return p
  }

  /** A 课堂教学 record (课程方式 2) of part 1 or 4 from the institution's timing platform (see `exchangeRecord`). */
  classroom(
    profile: TerminalProfile,
    student: StudentProfile,
    part: 1 | 4,
    startTime: number,
    minutes: number,
  ): Planned | null {
    return this.exchangeRecord(profile, student, { mode: 2, part, startTime, minutes })
  }

  /**
   * A record the institution's timing platform reports through the exchange interface (课堂教学 2,
   * 模拟器 3 or 远程教学 4): no terminal, no vehicle, no coach, no GNSS; one minute record a minute
   * with the exchange interface's 学时记录编号, arriving a few minutes after the record closes.
   * Null when the institution of `profile`'s car has no timing platform. `id` reuses a session id.
   */
  exchangeRecord(
    profile: TerminalProfile,
    student: StudentProfile,
    o: { mode: 2 | 3 | 4; part: 1 | 2 | 3 | 4; startTime: number; minutes: number; id?: number },
  ): Planned | null {
    const { mode, part, startTime, minutes } = o
    const terminal = this.registry.terminals.get(profile.deviceNo) as TerminalInfo
    const platformNo = terminal.timingPlatformId === null ? undefined : this.platformNos.get(terminal.timingPlatformId)
    if (!platformNo) return null
    const id = o.id ?? this.nextSessionId++
    const recnum = `H${String(this.nextRecnum++).padStart(9, '0')}`
    const courseCode = formatCourseCode({
      mode,
      licenseType: student.licenseType as Parameters<typeof formatCourseCode>[0]['licenseType'],
      part,
      project: FIRST_PROJECT[part],
    })
    const started = new Date(startTime)
    const ended = new Date(startTime + minutes * MINUTE)
    const arrived = new Date(ended.getTime() + 5 * MINUTE)
    const studentId = this.registry.studentIds.get(student.stuNo) ?? null
    const recordNo = exchangeRecordNo(platformNo, recnum)
    const session: Record<string, unknown> = {
      id,
      terminal_id: null,
      class_id: id,
      institution_id: terminal.institutionId,
      city_code: terminal.cityCode,
      county_code: terminal.countyCode,
      student_id: studentId,
      coach_id: null,
      vehicle_id: null,
      course_code: courseCode,
      source_platform_id: terminal.timingPlatformId,
      source_record_no: recnum,
      part,
      mode,
      license_type: student.licenseType,
      started_at: started,
      ended_at: ended,
      reported_minutes: minutes,
      reported_mileage_m: null,
    }
    const rows: Rows = { session, minutes: [], positions: [], photos: [] }
    for (let i = 0; i < minutes; i++) {
      rows.minutes.push({
        minute_at: new Date(startTime + i * MINUTE),
        record_no: recordNo,
        session_id: id,
        terminal_id: null,
        student_id: studentId,
        coach_id: null,
        institution_id: terminal.institutionId,
        county_code: terminal.countyCode,
        course_code: courseCode,
        status: null,
        max_speed_kmh: null,
        mileage_m: null,
        lng: null,
        lat: null,
        is_backfill: false,
        arrived_at: arrived,
        record_speed_kmh: null,
        engine_rpm: null,
        vehicle_id: null,
      })
    }
    return { id, mode, part, profile, terminal, lesson: null, student, rows, fraud: null, expected: new Set() }
  }

  rowsOf(lesson: Lesson, profile: TerminalProfile, t: TerminalInfo, id: number): Rows {
    const studentId = this.registry.studentIds.get(lesson.student.stuNo) ?? null
    const coachId = this.registry.coachIds.get(profile.coach.coachNo) ?? null
    const at = (ms: number) => new Date(lesson.startTime + ms)
    const session: Record<string, unknown> = {
      id,
      terminal_id: t.id,
      class_id: lesson.classId,
      institution_id: t.institutionId,
      city_code: t.cityCode,
      county_code: t.countyCode,
      student_id: studentId,
      coach_id: coachId,
      vehicle_id: t.vehicleId,
      course_code: lesson.courseCode,
      part: lesson.part,
      mode: 1,
      license_type: lesson.student.licenseType,
    }
    const minutes: Record<string, unknown>[] = []
    const positions: Record<string, unknown>[] = []
    const photos: Record<string, unknown>[] = []
    for (const e of lesson.events) {
      if (e.kind === 'studentLogin') session.started_at = at(e.at)
      else if (e.kind === 'studentLogout') {
        session.ended_at = at(e.at)
        session.reported_minutes = e.body.loginMinutes
        session.reported_mileage_m = e.body.loginMileage * 100
      } else if (e.kind === 'minuteRecord') {
        const b = e.body
        minutes.push({
          minute_at: minuteOfRecord(b.recordNo, b.recordTimeLocal),
          record_no: b.recordNo,
          session_id: id,
          terminal_id: t.id,
          student_id: studentId,
          coach_id: coachId,
          institution_id: t.institutionId,
          county_code: t.countyCode,
          course_code: b.courseCode,
          status: b.status,
          max_speed_kmh: b.maxSpeed / 10,
          mileage_m: b.mileage * 100,
          lng: b.gnss.lng / 1e6,
          lat: b.gnss.lat / 1e6,
          is_backfill: false,
          arrived_at: at(e.at + 1_000),
          record_speed_kmh: b.gnss.recorderSpeed / 10,
          engine_rpm: b.gnss.rpm,
          vehicle_id: t.vehicleId,
        })
      } else if (e.kind === 'position') {
        const b = e.body
        positions.push({
          fixed_at: at(e.at),
          terminal_id: t.id,
          session_id: null,
          lng: b.lng / 1e6,
          lat: b.lat / 1e6,
          speed_kmh: b.gnssSpeed / 10,
          heading: b.heading,
          status_flags: b.status,
          mileage_m: odometerOf(b.items),
          is_backfill: false,
          arrived_at: at(e.at + 500),
        })
      } else if (e.kind === 'photo') {
        const ph = e.photo
        const coachPhoto = ph.event === 20 || ph.event === 21
        photos.push({
          id: this.nextPhotoId++,
          terminal_id: t.id,
          photo_no: ph.photoNo,
          institution_id: t.institutionId,
          county_code: t.countyCode,
          session_id: id,
          student_id: coachPhoto ? null : studentId,
          coach_id: coachPhoto ? coachId : null,
          event_type: ph.event,
          taken_at: at(e.at),
          face_confidence: ph.faceConfidence,
          size_bytes: 24_000,
          sha256: this.hex(32),
          phash: this.hex(8),
          mean_luma: 90 + this.rng.int(0, 70),
          luma_stddev: 30 + this.rng.int(0, 30),
          face_count: 1,
          face_distance: Number((0.22 + this.rng.float(0, 0.25)).toFixed(3)),
          analyzed_at: at(e.at + 60_000),
        })
      }
    }
    return { session, minutes, positions, photos }
  }

  /**
   * Once everything is planned: the cross frauds get their partner (`pairCrossFrauds`), some clean
   * students an exam booking in their own city, and the labels that depend on a student's whole
   * plan are set (`settleLabels`).
   */
  settle(planned: readonly Planned[]) {
    this.pairCrossFrauds(planned)
    this.bookCleanExams(planned)
    settleLabels(planned)
  }

  /**
   * Cross frauds: each with a clean partner practical lesson on another car (overlapping in time
   * when the fraud is about being in two places at once, apart when it must not be), used once.
   */
  pairCrossFrauds(planned: readonly Planned[]) {
    const partnered = new Set<number>()
    for (const p of planned) {
      const cross = p.pendingCross
      if (!cross || p.fraud !== null || partnered.has(p.id) || (cross.applies && !cross.applies(p))) continue
      const candidates = planned.filter(
        (q) =>
          q !== p &&
          q.mode === 1 &&
          q.fraud === null &&
          !q.pendingCross &&
          !partnered.has(q.id) &&
          q.terminal.id !== p.terminal.id &&
          q.student.licenseType === p.student.licenseType &&
          trainingPhotos(q).length >= 1 &&
          (cross.timing === 'any' || overlaps(p, q) === (cross.timing === 'overlapping')) &&
          (!cross.fits || cross.fits(q, this, planned)),
      )
      // Same day first (cross rules look at a window of days), then the same institution.
      const day = localDay(p.rows.session.started_at as Date)
      const sameDay = candidates.filter((c) => localDay(c.rows.session.started_at as Date) === day)
      const pool = sameDay.length > 0 ? sameDay : candidates
      const q = pool.find((c) => c.terminal.institutionId === p.terminal.institutionId) ?? pool[0]
      if (!q) continue
      const extra = cross.apply(p, q, this, planned)
      partnered.add(p.id)
      partnered.add(q.id)
      p.fraud = cross.kind
      for (const r of [...cross.expects, ...extra]) p.expected.add(r)
      for (const r of cross.partnerExpects ?? cross.expects) q.expected.add(r)
    }
  }

  /**
   * Exam bookings are part of clean traffic too: every fourth student of the plan (by id) without
   * an injected exam-city case books the exam of their current part in their own city, in another
   * county of it when there is one (an exam elsewhere in the same 地市 is not 异地).
   */
  bookCleanExams(planned: readonly Planned[]) {
    const booked = new Set(planned.flatMap((p) => (p.rows.exams ?? []).map((e) => Number(e.student_id))))
    const latest = latestSessionOfStudent(planned)
    const students = [...latest.keys()].sort((a, b) => a - b)
    students.forEach((studentId, i) => {
      const p = latest.get(studentId) as Planned
      const place = this.registry.studentPlaces.get(studentId)
      if (i % 4 !== 3 || booked.has(studentId) || !place) return
      const counties = this.registry.countiesOfCity.get(place.cityCode) ?? []
      const county = counties.find((c) => c !== place.countyCode) ?? place.countyCode
      p.rows.exams = [...(p.rows.exams ?? []), examBooking(p, studentId, county)]
    })
  }
}

const overlaps = (a: Planned, b: Planned) =>
  (a.rows.session.started_at as Date) < (b.rows.session.ended_at as Date) &&
  (b.rows.session.started_at as Date) < (a.rows.session.ended_at as Date)

/** Each student's session that starts last (ties: the higher id), by student id. */
function latestSessionOfStudent(planned: readonly Planned[]): Map<number, Planned> {
  const latest = new Map<number, Planned>()
  for (const p of planned) {
    const id = p.rows.session.student_id as number | null
    if (id === null) continue
    const prev = latest.get(id)
    const t = (p.rows.session.started_at as Date).getTime()
    const u = prev ? (prev.rows.session.started_at as Date).getTime() : Number.NEGATIVE_INFINITY
    if (!prev || t > u || (t === u && p.id > prev.id)) latest.set(id, p)
  }
  return latest
}

/** A 考试预约 of the subject of `p`'s part, three weeks after `p`, in `cityOrCounty` (as the police report it). */
function examBooking(p: Planned, studentId: number, examCityCode: string): Record<string, unknown> {
  const day = localMidnight(localDay(p.rows.session.started_at as Date)).getTime() + 21 * DAY_MS + 8 * 3_600_000
  return {
    student_id: studentId,
    subject: p.part,
    exam_city_code: examCityCode,
    exam_on: new Date(day).toISOString().slice(0, 10),
    result: 'booked',
    source: 'police',
  }
}

/**
 * Labels that follow from a case once the whole plan is known (from how the case was built, per
 * the rule's documented evidence):
 *  - exam-city-audit: the student's latest session (the finding is anchored there);
 *  - daily-cap-exceeded: every practical session (实车, 模拟器) of the student on that local day
 *    (the finding lists them all).
 */
export function settleLabels(planned: readonly Planned[]) {
  const latest = latestSessionOfStudent(planned)
  for (const p of planned) {
    const studentId = p.rows.session.student_id as number | null
    if (studentId === null) continue
    if (p.fraud === 'exam-city-audit') latest.get(studentId)?.expected.add('exam-city-audit')
    if (p.fraud === 'daily-cap-exceeded') {
      const day = localDay(p.rows.session.started_at as Date)
      for (const o of planned)
        if (
          o.rows.session.student_id === studentId &&
          (o.mode === 1 || o.mode === 3) &&
          localDay(o.rows.session.started_at as Date) === day
        )
          o.expected.add('daily-cap-exceeded')
    }
  }
}

/** 里程 (附加信息 0x01, 1/10 km) of a position in metres, or null. */
function odometerOf(items: readonly unknown[] | undefined): number | null {
  const item = items?.find((i) => (i as { id: number }).id === 0x01) as { value?: unknown } | undefined
  return typeof item?.value === 'number' ? item.value * 100 : null
}

// ── Fraud kinds ──────────────────────────────────────────────────────────

/**
 * A missing or bad photo invalidates the minutes within photo-cadence's window around its slot
 * (STANDARDS §7.2 R2, at the rule's default interval and window): about 15 minutes, so in a lesson
 * of under an hour the valid share falls under the syllabus minimum and low-valid-share must fire.
 */
function labelPhotoSlot(p: Planned, photo: Record<string, unknown>) {
  const interval = Number(photoCadence.params.intervalMinutes?.default) * MINUTE
  const window = Number(photoCadence.params.invalidateWindowMinutes?.default) * MINUTE
  const start = (p.rows.session.started_at as Date).getTime()
  const slot = start + Math.round(((photo.taken_at as Date).getTime() - start) / interval) * interval
  const total = p.rows.minutes.length
  const invalid = p.rows.minutes.filter((m) => Math.abs((m.minute_at as Date).getTime() - slot) <= window).length
  if (total > 0 && (total - invalid) / total < SYLLABUS_2016.minValidShare) p.expected.add('low-valid-share')
}

export const FRAUDS: FraudKind[] = [
  {
    kind: 'engine-off',
    expects: ['engine-off'],
    apply: (p) => {
      for (const m of p.rows.minutes.slice(5, 8)) m.engine_rpm = 0
    },
  },
  {
    kind: 'stationary',
    expects: ['stationary'],
    apply: (p) => {
      for (const m of p.rows.minutes.slice(10, 13)) {
        m.max_speed_kmh = 0
        m.record_speed_kmh = 0
      }
    },
  },
  {
    kind: 'zero-mileage',
    expects: ['zero-mileage'],
    apply: (p) => {
      for (const m of p.rows.minutes.slice(15, 18)) m.mileage_m = 0
    },
  },
  {
    kind: 'outside-teaching-area',
    expects: ['outside-teaching-area', 'low-valid-share'],
    applies: (p) => p.part === 2,
    apply: (p) => {
      // The whole lesson 3.3 km north of the field: every fix moves, so no jump.
      for (const m of p.rows.minutes) m.lat = (m.lat as number) + 0.03
      for (const x of p.rows.positions) x.lat = (x.lat as number) + 0.03
    },
  },
  {
    kind: 'log-low-mileage',
    // A log under 100 m has every minute at 0 m (mileage comes in 100 m steps): zero-mileage fires too.
    expects: ['log-low-mileage', 'zero-mileage', 'low-valid-share'],
    apply: (p) => {
      for (const m of p.rows.minutes) m.mileage_m = 0
    },
  },
  {
    kind: 'photo-cadence',
    expects: ['photo-cadence'],
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p) => {
      const gone = trainingPhotos(p)[0] as Record<string, unknown>
      p.rows.photos = p.rows.photos.filter((ph) => ph !== gone)
      labelPhotoSlot(p, gone)
    },
  },
  {
    kind: 'gnss-jump',
    expects: ['gnss-jump'],
    apply: (p) => {
      const inside = p.rows.positions.filter((x) => inSession(p, x.fixed_at))
      const x = inside[Math.floor(inside.length / 2)]
      if (x) x.lat = (x.lat as number) + 0.05
    },
  },
  {
    kind: 'gnss-missing',
    expects: ['gnss-missing'],
    apply: (p) => {
      const from = (p.rows.session.started_at as Date).getTime() + 10 * MINUTE
      const to = from + 5 * MINUTE
      p.rows.positions = p.rows.positions.filter((x) => {
        const t = (x.fixed_at as Date).getTime()
        return t < from || t > to
      })
    },
  },
  {
    kind: 'late-backfill',
    expects: ['late-backfill'],
    apply: (p) => {
      for (const m of p.rows.minutes.slice(20, 23)) {
        m.is_backfill = true
        m.arrived_at = new Date((m.minute_at as Date).getTime() + 30 * 3_600_000)
      }
    },
  },
  {
    kind: 'photo-covered-camera',
    expects: ['photo-covered-camera', 'photo-cadence'],
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p) => {
      const ph = trainingPhotos(p)[0] as Record<string, unknown>
      ph.mean_luma = 9
      ph.luma_stddev = 3
      labelPhotoSlot(p, ph)
    },
  },
  {
    kind: 'photo-low-confidence',
    expects: ['photo-low-confidence', 'photo-cadence'],
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p) => {
      const ph = trainingPhotos(p)[0] as Record<string, unknown>
      ph.face_confidence = 35
      labelPhotoSlot(p, ph)
    },
  },
  {
    kind: 'photo-face-mismatch',
    expects: ['photo-face-mismatch', 'photo-cadence'],
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p) => {
      const ph = trainingPhotos(p)[0] as Record<string, unknown>
      ph.face_distance = 0.78
      labelPhotoSlot(p, ph)
    },
  },
  {
    kind: 'no-coach-signed-in',
    expects: ['no-coach-signed-in', 'low-valid-share'],
    apply: (p) => {
      p.rows.session.coach_id = null
      for (const m of p.rows.minutes) m.coach_id = null
      p.rows.photos = p.rows.photos.filter((ph) => ph.event_type !== 20 && ph.event_type !== 21)
    },
  },
  {
    kind: 'coach-not-qualified',
    expects: ['coach-not-qualified', 'low-valid-share'],
    applies: (p, g) => (g.spareCoaches.get(p.terminal.institutionId)?.length ?? 0) > 0,
    apply: (p, g) => {
      const coach = g.takeSpare(g.spareCoaches, p)
      p.rows.session.coach_id = coach
      for (const m of p.rows.minutes) m.coach_id = coach
      for (const ph of p.rows.photos) if (ph.coach_id !== null) ph.coach_id = coach
    },
  },
  {
    kind: 'vehicle-not-qualified',
    expects: ['vehicle-not-qualified', 'low-valid-share'],
    applies: (p, g) => (g.spareVehicles.get(p.terminal.institutionId)?.length ?? 0) > 0,
    apply: (p, g) => {
      const vehicle = g.takeSpare(g.spareVehicles, p)
      p.rows.session.vehicle_id = vehicle
      for (const m of p.rows.minutes) m.vehicle_id = vehicle
    },
  },
  {
    kind: 'low-valid-share',
    // 20 of 45–60 minutes with the engine off: engine-off invalidates them, the share drops below 75 %.
    expects: ['engine-off', 'low-valid-share'],
    apply: (p) => {
      for (const m of p.rows.minutes.slice(2, 22)) m.engine_rpm = 0
    },
  },
  {
    kind: 'training-window',
    expects: ['training-window', 'low-valid-share'],
    apply: () => undefined, // planned at 22:10 instead of in the day slots
  },
  {
    // 实际带教教练员与上报不一致: halfway through the lesson another coach of the school, allowed
    // to teach the type and teaching no other lesson, signs in on the terminal and takes over
    // without a new student sign-in: the minute records from then on carry that coach's number,
    // and so do the coach photos taken after the handover. The session's signed-in coach stays.
    kind: 'coach-consistency',
    expects: ['coach-consistency'],
    applies: (p, g) =>
      p.rows.session.coach_id !== null &&
      p.rows.minutes.length >= 2 &&
      (g.spareTeachers.get(p.terminal.institutionId) ?? []).some((c) => c.types.includes(p.student.licenseType)),
    apply: (p, g) => {
      const pool = g.spareTeachers.get(p.terminal.institutionId) as { id: number; types: string[] }[]
      const coach = pool.splice(
        pool.findIndex((c) => c.types.includes(p.student.licenseType)),
        1,
      )[0] as { id: number }
      const half = p.rows.minutes[Math.floor(p.rows.minutes.length / 2)] as Record<string, unknown>
      const handover = (half.minute_at as Date).getTime()
      for (const m of p.rows.minutes) if ((m.minute_at as Date).getTime() >= handover) m.coach_id = coach.id
      for (const ph of p.rows.photos)
        if (ph.coach_id !== null && (ph.taken_at as Date).getTime() >= handover) ph.coach_id = coach.id
    },
  },
  {
    // 异地考试: the police report the student's exam of this part booked in another city of the
    // province than the one the student is registered (and trains) in. Not a fault of the lesson:
    // the audit finding sits on the student's latest session, labelled once the plan is complete.
    kind: 'exam-city-audit',
    expects: [],
    applies: (p, g) => {
      const id = p.rows.session.student_id as number | null
      const place = id === null ? undefined : g.registry.studentPlaces.get(id)
      return !!place && [...g.registry.countiesOfCity.keys()].some((c) => c !== place.cityCode)
    },
    apply: (p, g) => {
      const studentId = p.rows.session.student_id as number
      const home = (g.registry.studentPlaces.get(studentId) as { cityCode: string }).cityCode
      const cities = [...g.registry.countiesOfCity.keys()].filter((c) => c !== home).sort()
      const city = cities[g.rng.int(0, cities.length - 1)] as string
      const county = (g.registry.countiesOfCity.get(city) as string[])[0] as string
      p.rows.exams = [...(p.rows.exams ?? []), examBooking(p, studentId, county)]
    },
  },
]

const setCoach = (p: Planned, coach: unknown) => {
  p.rows.session.coach_id = coach
  for (const m of p.rows.minutes) m.coach_id = coach
  for (const ph of p.rows.photos) if (ph.coach_id !== null) ph.coach_id = coach
}
const setStudent = (p: Planned, student: unknown) => {
  p.rows.session.student_id = student
  for (const m of p.rows.minutes) m.student_id = student
  for (const ph of p.rows.photos) if (ph.student_id !== null) ph.student_id = student
}
/** The sessions of `q`'s student on `q`'s local day (`q` included). */
const sameDayOfStudent = (q: Planned, planned: readonly Planned[]) => {
  const day = localDay(q.rows.session.started_at as Date)
  return planned.filter(
    (o) =>
      o.rows.session.student_id === q.rows.session.student_id && localDay(o.rows.session.started_at as Date) === day,
  )
}
/** 15:00 (Beijing) of `q`'s day. */
const at1500 = (q: Planned) => localMidnight(localDay(q.rows.session.started_at as Date)).getTime() + 15 * 3_600_000
/** `p` (a planned car lesson) becomes `record` (an exchange record keeping `p`'s id); its car lesson is dropped. */
const becomeExchangeRecord = (p: Planned, record: Planned | null) => {
  if (!record) throw new Error(`no timing platform for the exchange record of session ${p.id}`)
  p.mode = record.mode
  p.part = record.part
  p.profile = record.profile
  p.terminal = record.terminal
  p.lesson = null
  p.student = record.student
  p.rows = record.rows
}
const flipBits = (hex: string, bits: number) => {
  let v = BigInt(`0x${hex}`)
  for (let b = 0; b < bits; b++) v ^= 1n << BigInt(b * 7)
  return v.toString(16).padStart(16, '0')
}

export const CROSS_FRAUDS: CrossFraud[] = [
  {
    kind: 'coach-two-vehicles',
    expects: ['coach-two-vehicles'],
    timing: 'overlapping',
    apply: (p, q) => {
      setCoach(p, q.rows.session.coach_id)
      // A coach of another institution teaching here is also 跨校带教.
      return p.terminal.institutionId === q.terminal.institutionId ? [] : ['coach-consistency']
    },
  },
  {
    kind: 'student-overlap',
    expects: ['student-overlap'],
    timing: 'overlapping',
    apply: (p, q) => {
      setStudent(p, q.rows.session.student_id)
      return []
    },
  },
  {
    kind: 'photo-duplicate',
    expects: ['photo-duplicate'],
    timing: 'any',
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p, q) => {
      const from = trainingPhotos(q)[0] as Record<string, unknown>
      const to = trainingPhotos(p)[0] as Record<string, unknown>
      to.sha256 = from.sha256
      to.phash = from.phash
      return []
    },
  },
  {
    kind: 'photo-near-duplicate',
    expects: ['photo-near-duplicate'],
    timing: 'any',
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p, q) => {
      ;(trainingPhotos(p)[0] as Record<string, unknown>).phash = flipBits(
        String((trainingPhotos(q)[0] as Record<string, unknown>).phash),
        3,
      )
      return []
    },
  },
  {
    // 理论与实操交叉培训: the institution's timing platform reports a theory record (课堂教学 or
    // 远程教学, part 1 or 4) of the partner's student for 30 minutes from 10 minutes into their
    // car lesson. `p` becomes that exchange record; the car lesson it was is not written.
    kind: 'cross-training',
    expects: ['cross-training'],
    timing: 'any',
    fits: (q, g) => q.terminal.timingPlatformId !== null && g.platformNos.has(q.terminal.timingPlatformId),
    apply: (p, q, g) => {
      const mode = g.rng.chance(0.5) ? 2 : 4
      const part = g.rng.chance(0.5) ? 1 : 4
      const start = (q.rows.session.started_at as Date).getTime() + 10 * MINUTE
      becomeExchangeRecord(
        p,
        g.exchangeRecord(q.profile, q.student, { mode, part, startTime: start, minutes: 30, id: p.id }),
      )
      return []
    },
  },
  {
    // 单日超学时: after the partner's student is done driving for the day, the timing platform
    // reports a 模拟器 record of the same part from 15:00 long enough that the student's practical
    // minutes that day (car and simulator) exceed the syllabus's daily cap by 30. `p` becomes that
    // record; every practical session of the student that day is labelled once the plan is complete.
    kind: 'daily-cap-exceeded',
    expects: [],
    partnerExpects: [],
    timing: 'any',
    fits: (q, g, planned) =>
      q.terminal.timingPlatformId !== null &&
      g.platformNos.has(q.terminal.timingPlatformId) &&
      // Every session of the student that day is over by 14:30 (a lesson at 22:10 is not).
      sameDayOfStudent(q, planned).every((o) => (o.rows.session.ended_at as Date).getTime() <= at1500(q) - 30 * MINUTE),
    apply: (p, q, g, planned) => {
      const start = at1500(q)
      // Lessons still waiting for their own cross fraud are left out: they may become another
      // student's (student-overlap, an exchange record); left as they are they only add minutes.
      const practicalMinutes = new Set(
        sameDayOfStudent(q, planned)
          .filter((o) => (o.mode === 1 || o.mode === 3) && !(o.pendingCross && o.fraud === null))
          .flatMap((o) => o.rows.minutes.map((m) => (m.minute_at as Date).getTime())),
      ).size
      const cap = SYLLABUS_2016.dailyCapHours.practical * SYLLABUS_2016.hourMinutes
      const minutes = Math.max(30, cap - practicalMinutes + 30)
      const part = q.part === 3 ? 3 : 2
      becomeExchangeRecord(
        p,
        g.exchangeRecord(q.profile, q.student, { mode: 3, part, startTime: start, minutes, id: p.id }),
      )
      return []
    },
  },
]

// ── Planning one day of practical lessons ───────────────────────────────

export interface DayPlanOptions {
  /** Local day YYYY-MM-DD. */
  day: string
  profiles: readonly TerminalProfile[]
  /** Lessons per car (day slots from 08:00 every 110 minutes). */
  lessons: number
  fraudRate: number
  seed: number
  /** Which part a lesson of this student is (default: 2 or 3 at random). */
  partOf?: (student: StudentProfile) => 2 | 3 | null
  /** Students already busy that day: [from, to] epoch ms. */
  busy?: Map<string, [number, number][]>
  /** At most this many lessons per student and day (default 2). */
  perStudent?: number
}

/**
 * Rotates through the fraud kinds (session kinds, then cross kinds), so a run covers every kind
 * before repeating one. With `shuffle` the order is a permutation drawn from it (a run with few
 * frauds then covers kinds from both lists).
 */
export class FraudRotation {
  private turn = 0
  private readonly order: number[]
  /** `only`: just these kinds (e.g. to look at a few kinds closely). */
  constructor(shuffle?: Rng, only?: readonly string[]) {
    const kinds = [...FRAUDS, ...CROSS_FRAUDS].map((k) => k.kind)
    this.order = kinds.flatMap((kind, i) => (only === undefined || only.includes(kind) ? [i] : []))
    if (shuffle) {
      for (let i = this.order.length - 1; i > 0; i--) {
        const j = shuffle.int(0, i)
        ;[this.order[i], this.order[j]] = [this.order[j] as number, this.order[i] as number]
      }
    }
  }
  next(rng: Rng, rate: number): { fraud: FraudKind | null; cross: CrossFraud | undefined } {
    if (!rng.chance(rate)) return { fraud: null, cross: undefined }
    const index = this.order[this.turn++ % this.order.length] as number
    return {
      fraud: FRAUDS[index] ?? null,
      cross: index >= FRAUDS.length ? CROSS_FRAUDS[index - FRAUDS.length] : undefined,
    }
  }
}

/**
 * Up to `lessons` lessons of 45–60 minutes per car on `day`; a share `fraudRate` gets one fraud,
 * kinds in turn (the training-window fraud at 22:10 instead of a day slot). A student never trains
 * on two cars at once, and at most `perStudent` times a day.
 */
export function planPracticalDay(g: HistoryGenerator, rotation: FraudRotation, o: DayPlanOptions): Planned[] {
  const dayStart = localMidnight(o.day).getTime()
  const busy = o.busy ?? new Map<string, [number, number][]>()
  const perStudent = o.perStudent ?? 2
  const free = (stuNo: string, from: number, to: number) =>
    (busy.get(stuNo) ?? []).every(([a, b]) => to <= a || from >= b) && (busy.get(stuNo)?.length ?? 0) < perStudent
  const slotMs = 110 * MINUTE
  const planned: Planned[] = []
  for (const profile of o.profiles) {
    for (let k = 0; k < o.lessons; k++) {
      const minutes = 45 + g.rng.int(0, 15)
      const { fraud, cross } = rotation.next(g.rng, o.fraudRate)
      const night = fraud?.kind === 'training-window'
      const start = night ? dayStart + (22 * 60 + 10) * MINUTE : dayStart + 8 * 3_600_000 + k * slotMs
      const end = start + (minutes + 3) * MINUTE
      const studentIndex = profile.students.findIndex(
        (s) => free(s.stuNo, start, end) && (o.partOf === undefined || o.partOf(s) !== null),
      )
      if (studentIndex < 0) continue
      const student = profile.students[studentIndex] as StudentProfile
      const part = o.partOf?.(student) ?? ((g.rng.chance(0.5) ? 2 : 3) as 2 | 3)
      busy.set(student.stuNo, [...(busy.get(student.stuNo) ?? []), [start, end]])
      planned.push(
        g.practical(profile, { part, minutes, startTime: start, seed: o.seed * 1000 + k, studentIndex }, fraud, cross),
      )
    }
  }
  return planned
}

/** Lessons the registry itself disqualifies are labelled as such (independent of the rules' code). */
export async function labelRegistryDisqualified(q: Sql, planned: readonly Planned[], day: string): Promise<number> {
  const practical = planned.filter((p) => p.mode === 1)
  const byId = new Map(practical.map((p) => [p.id, p]))
  const bad = await q.query<{ id: number; kind: string }>(
    `SELECT s.id, 'vehicle-not-qualified' AS kind
       FROM unnest($1::int8[], $2::int[]) AS s(id, vehicle_id)
       JOIN vehicle v ON v.id = s.vehicle_id JOIN institution i ON i.id = v.institution_id
      WHERE v.status <> 'active' OR i.filing_status <> 'filed' OR v.inspection_valid_until < $4::date
     UNION ALL
     SELECT s.id, 'coach-not-qualified'
       FROM unnest($1::int8[], $3::int[]) AS s(id, coach_id)
       JOIN coach c ON c.id = s.coach_id JOIN institution i ON i.id = c.institution_id
      WHERE c.employment_status <> 'employed' OR i.filing_status <> 'filed'`,
    [
      practical.map((p) => p.id),
      practical.map((p) => p.rows.session.vehicle_id as number),
      practical.map((p) => (p.rows.session.coach_id as number | null) ?? null),
      day,
    ],
  )
  // Every minute of such a lesson is invalid, so its valid share is under the minimum too.
  for (const r of bad) {
    byId.get(Number(r.id))?.expected.add(r.kind)
    byId.get(Number(r.id))?.expected.add('low-valid-share')
  }
  return bad.length
}

// ── Writing as the ingestion would ───────────────────────────────────────

type Columns = readonly (readonly [string, string])[]
const SESSION_COLUMNS: Columns = [
  ['id', 'int8'],
  ['terminal_id', 'int4'],
  ['class_id', 'int8'],
  ['institution_id', 'int4'],
  ['city_code', 'text'],
  ['county_code', 'text'],
  ['student_id', 'int8'],
  ['coach_id', 'int4'],
  ['vehicle_id', 'int4'],
  ['course_code', 'text'],
  ['source_platform_id', 'int4'],
  ['source_record_no', 'text'],
  ['part', 'int2'],
  ['mode', 'int2'],
  ['license_type', 'text'],
  ['started_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
  ['reported_minutes', 'int4'],
  ['reported_mileage_m', 'int4'],
]
const MINUTE_COLUMNS: Columns = [
  ['minute_at', 'timestamptz'],
  ['record_no', 'text'],
  ['session_id', 'int8'],
  ['terminal_id', 'int4'],
  ['student_id', 'int8'],
  ['coach_id', 'int4'],
  ['institution_id', 'int4'],
  ['county_code', 'text'],
  ['course_code', 'text'],
  ['status', 'int4'],
  ['max_speed_kmh', 'float4'],
  ['mileage_m', 'int4'],
  ['lng', 'float8'],
  ['lat', 'float8'],
  ['is_backfill', 'bool'],
  ['arrived_at', 'timestamptz'],
  ['record_speed_kmh', 'float4'],
  ['engine_rpm', 'int4'],
  ['vehicle_id', 'int4'],
]
const POSITION_COLUMNS: Columns = [
  ['fixed_at', 'timestamptz'],
  ['terminal_id', 'int4'],
  ['session_id', 'int8'],
  ['lng', 'float8'],
  ['lat', 'float8'],
  ['speed_kmh', 'float4'],
  ['heading', 'int2'],
  ['status_flags', 'int8'],
  ['mileage_m', 'int4'],
  ['is_backfill', 'bool'],
  ['arrived_at', 'timestamptz'],
]
const PHOTO_COLUMNS: Columns = [
  ['id', 'int8'],
  ['terminal_id', 'int4'],
  ['photo_no', 'text'],
  ['institution_id', 'int4'],
  ['county_code', 'text'],
  ['session_id', 'int8'],
  ['student_id', 'int8'],
  ['coach_id', 'int4'],
  ['event_type', 'int4'],
  ['taken_at', 'timestamptz'],
  ['face_confidence', 'float4'],
  ['size_bytes', 'int4'],
  ['sha256', 'text'],
  ['phash', 'text'],
  ['mean_luma', 'float4'],
  ['luma_stddev', 'float4'],
  ['face_count', 'int2'],
  ['face_distance', 'float4'],
  ['analyzed_at', 'timestamptz'],
]

const EXAM_COLUMNS: Columns = [
  ['student_id', 'int8'],
  ['subject', 'int2'],
  ['exam_city_code', 'text'],
  ['exam_on', 'date'],
  ['result', 'text'],
  ['source', 'text'],
]

export interface WriteCounts {
  sessions: number
  minutes: number
  positions: number
  photos: number
  exams: number
}

/** Writes the planned sessions with their minutes, positions, photos and exam bookings; moves the id sequences past them. */
export async function writePlanned(q: Sql, planned: readonly Planned[], g: HistoryGenerator): Promise<WriteCounts> {
  const write = (table: string, columns: Columns, rows: Record<string, unknown>[], onConflict?: string) =>
    insertBatch(
      q,
      table,
      columns.map(([name, type]) => ({ name, type })),
      rows.map((r) => columns.map(([name]) => r[name] ?? null)),
      { chunkSize: 4000, ...(onConflict ? { onConflict } : {}) },
    )
  const allMinutes = planned.flatMap((p) => p.rows.minutes)
  const allPositions = planned.flatMap((p) => p.rows.positions)
  const times = planned.flatMap((p) => [p.rows.session.started_at as Date, p.rows.session.ended_at as Date])
  await ensurePartitions(q, 'minute_record', times)
  await ensurePartitions(q, 'position', times)
  const sessions = await write(
    'training_session',
    SESSION_COLUMNS,
    planned.map((p) => p.rows.session),
  )
  await q.query(`SELECT setval('training_session_id_seq', $1::bigint)`, [g.nextSessionId])
  const minutes = await write('minute_record', MINUTE_COLUMNS, allMinutes, 'DO NOTHING')
  const positions = await write('position', POSITION_COLUMNS, allPositions, 'DO NOTHING')
  const photos = await write(
    'photo',
    PHOTO_COLUMNS,
    planned.flatMap((p) => p.rows.photos),
    'DO NOTHING',
  )
  await q.query(`SELECT setval('photo_id_seq', $1::bigint)`, [g.nextPhotoId])
  const exams = await write(
    'exam_result',
    EXAM_COLUMNS,
    planned.flatMap((p) => p.rows.exams ?? []),
  )
  return { sessions, minutes, positions, photos, exams }
}

// ── The demo province's training history ─────────────────────────────────

export interface HistoryOptions {
  /** Local days of history before `today` (today itself is left to the live fleet). */
  days: number
  /** The seed's "today", YYYY-MM-DD. */
  today: string
  seed: number
  /** Training cars with history (the demo institution's cars first). */
  cars: number
  /** Share of practical lessons with an injected fraud (default 0.05). */
  fraudRate?: number
  /** When detection runs and credits are decided (default: the start of `today`). */
  now?: Date
  onProgress?: (event: HistoryProgress) => void
}

export type HistoryProgress =
  | { kind: 'history'; phase: 'plan'; cars: number; days: number }
  | { kind: 'history'; phase: 'write'; sessions: number }
  | { kind: 'history'; phase: 'detect'; done: number; total: number; step: 'sessions' | 'cross' }

export interface HistorySummary {
  days: number
  cars: number
  students: number
  /** By daily-cap category: practical = 实车 and 模拟器, classroom = 课堂教学 and 远程教学. */
  sessions: { practical: number; classroom: number }
  rows: WriteCounts
  /** Injected frauds per kind. */
  frauds: Record<string, number>
  /** Students whose part 1 is planned complete (eligible for a stage review). */
  part1Complete: number
  detection: {
    minutes: number
    invalidMinutes: number
    findings: number
    credits: number
    byRule: Record<string, number>
  }
  elapsedMs: number
}

/** Training cars with history per demo scale. */
export const HISTORY_CARS = { tiny: 4, small: 10, city: 16, province: 24 } as const

/** Classroom sessions: two of 120 minutes a day (the daily classroom cap is 4 学时). */
const CLASSROOM_SLOTS = [
  [8 * 60 + 30, 120],
  [14 * 60, 120],
] as const

interface StudentState {
  student: StudentProfile
  part: 1 | 2 | 3 | 4
  /** Minutes planned in the current part. */
  minutes: number
  part1Done: boolean
}

/**
 * The demo's training history: `cars` cars (the demo institution's first, so its accounts see
 * something), each with one coach and up to four students of its own, over the `days` local days
 * before `today`. Students progress through the parts: part 1 in the classroom (two 2-hour classroom
 * records a day from the institution's timing platform) until its hours are reached, then 科目二
 * and 科目三 on the car (up to 2 lessons a car and day), part 4 in the classroom again. Some start
 * at part 1, so a few have part 1 complete within the window (a stage review may be requested).
 * About `fraudRate` of the practical lessons carry one labelled fraud, kinds in turn, and one
 * classroom record of a practical student overlapping their lesson (理论与实操交叉培训) is added.
 * Then the detection batch runs over the window: minute validity, credits and findings.
 */
export async function seedTrainingHistory(database: Database, o: HistoryOptions): Promise<HistorySummary> {
  const started = performance.now()
  const progress = o.onProgress ?? (() => {})
  const fraudRate = o.fraudRate ?? 0.05
  const first = localMidnight(o.today).getTime() - o.days * DAY_MS
  const days = Array.from({ length: o.days }, (_, i) => new Date(first + i * DAY_MS + 8 * 3_600_000)).map((d) =>
    d.toISOString().slice(0, 10),
  )
  await ensureDefaultPolicy(database, 'detection')
  await ensureDefaultPolicy(database, 'syllabus')

  const registry = await loadRegistryIndex(database)
  const [ids] = await database.query<{ session: number; photo: number }>(
    `SELECT coalesce((SELECT max(id) FROM training_session), 0) + 1 AS session,
            coalesce((SELECT max(id) FROM photo), 0) + 1 AS photo`,
  )
  const g = new HistoryGenerator(registry, o.seed, Number(ids?.session ?? 1), Number(ids?.photo ?? 1))

  const profiles = await historyProfiles(database, o.cars, o.seed, o.today)
  progress({ kind: 'history', phase: 'plan', cars: profiles.length, days: o.days })
  await g.prepareSpares(database, profiles, days[0] ?? o.today, false)

  // Progress of each student: who starts where.
  const states = new Map<string, StudentState>()
  const rng = new Rng(o.seed ^ 0x5eed)
  for (const p of profiles) {
    p.students.forEach((s, i) => {
      if (states.has(s.stuNo)) return
      // The first student of a car starts at part 1 (classroom), the others in 科目二 or 科目三.
      const part = i === 0 ? 1 : rng.chance(0.6) ? 2 : 3
      states.set(s.stuNo, { student: s, part, minutes: 0, part1Done: false })
    })
  }
  const required = (s: StudentState) =>
    (SYLLABUS_2016.vehicleTypes[s.student.licenseType] ?? SYLLABUS_2016.vehicleTypes.C1)!.parts[s.part].total * 60
  const advance = (s: StudentState, minutes: number) => {
    s.minutes += minutes
    if (s.minutes >= required(s) && s.part < 4) {
      if (s.part === 1) s.part1Done = true
      s.part = (s.part + 1) as 2 | 3 | 4
      s.minutes = 0
    }
  }

  const rotation = new FraudRotation(new Rng(o.seed ^ 0xf4a0d))
  const planned: Planned[] = []
  const frauds: Record<string, number> = {}
  let crossTrainingDone = false
  days.forEach((day, dayIndex) => {
    const dayStart = localMidnight(day).getTime()
    const busy = new Map<string, [number, number][]>()
    // Classroom first: students in part 1 or 4, two records a day, each counted when planned.
    for (const p of profiles) {
      for (const s of p.students) {
        const state = states.get(s.stuNo)!
        if (state.part !== 1 && state.part !== 4) continue
        if (busy.has(s.stuNo)) continue
        for (const [at, minutes] of CLASSROOM_SLOTS) {
          if (state.part !== 1 && state.part !== 4) break
          const start = dayStart + at * MINUTE
          const record = g.classroom(p, s, state.part, start, minutes)
          if (!record) break
          planned.push(record)
          busy.set(s.stuNo, [...(busy.get(s.stuNo) ?? []), [start, start + minutes * MINUTE]])
          advance(state, minutes)
        }
      }
    }
    // Practical lessons: up to 2 a car and day, students of 科目二/科目三 not in class that day.
    const lessons = planPracticalDay(g, rotation, {
      day,
      profiles,
      lessons: 2,
      fraudRate,
      seed: o.seed + dayIndex * 7919,
      busy,
      perStudent: 1,
      partOf: (s) => {
        const state = states.get(s.stuNo)
        return state && (state.part === 2 || state.part === 3) && !busy.has(s.stuNo) ? state.part : null
      },
    })
    for (const l of lessons) {
      advance(states.get(l.student.stuNo)!, l.rows.minutes.length)
      planned.push(l)
    }
    // Once: a classroom record of a practical student reported while they drive (cross-training).
    const driving = lessons.find((l) => l.fraud === null && !l.pendingCross && l.terminal.timingPlatformId !== null)
    if (!crossTrainingDone && dayIndex >= Math.floor(days.length / 2) && driving) {
      const start = (driving.rows.session.started_at as Date).getTime() + 10 * MINUTE
      const record = g.classroom(driving.profile, driving.student, 1, start, 30)
      if (record) {
        record.fraud = 'cross-training'
        record.expected.add('cross-training')
        driving.expected.add('cross-training')
        planned.push(record)
        crossTrainingDone = true
      }
    }
  })
  g.settle(planned)
  for (const p of planned) if (p.fraud) frauds[p.fraud] = (frauds[p.fraud] ?? 0) + 1

  const totalSessions = planned.length
  progress({ kind: 'history', phase: 'write', sessions: totalSessions })
  const rows = await writePlanned(database, planned, g)

  const from = new Date(first)
  const to = localMidnight(o.today)
  const batch = await runDetectionBatch(database, {
    from,
    to,
    now: o.now ?? to,
    onProgress: (p) => progress({ kind: 'history', phase: 'detect', done: p.done, total: p.total, step: p.phase }),
  })
  const students = new Set(planned.map((p) => p.student.stuNo)).size
  return {
    days: o.days,
    cars: profiles.length,
    students,
    sessions: {
      practical: planned.filter((p) => p.mode === 1 || p.mode === 3).length,
      classroom: planned.filter((p) => p.mode === 2 || p.mode === 4).length,
    },
    rows,
    frauds,
    part1Complete: [...states.values()].filter((s) => s.part1Done).length,
    detection: {
      minutes: batch.minutes,
      invalidMinutes: batch.invalidMinutes,
      findings: batch.findingsInserted,
      credits: batch.creditRowsWritten,
      byRule: batch.byRule,
    },
    elapsedMs: Math.round(performance.now() - started),
  }
}

/**
 * `count` qualified small training cars (active, inspection valid, filed institution with a site
 * polygon, an employed coach allowed to teach the type), the demo institution's first; each with
 * its own coach and up to four students of its type in training, the demo student account's
 * student on the first car. Ordered by the seed.
 */
async function historyProfiles(q: Sql, count: number, seed: number, today: string): Promise<TerminalProfile[]> {
  const all = await loadFleetProfiles(q, Math.max(count * 6, 60), seed)
  const [demo] = await q.query<{ id: number; student_no: string | null; license_type: string | null }>(
    `SELECT i.id, s.stu_no AS student_no, s.license_type
       FROM institution i
       LEFT JOIN LATERAL (SELECT stu_no, license_type FROM student
                           WHERE institution_id = i.id AND status = 'training' ORDER BY id LIMIT 1) s ON true
      WHERE i.county_code = $1 ORDER BY i.id LIMIT 1`,
    [DEMO_INSTITUTION_COUNTY],
  )
  const demoCars = demo ? await loadInstitutionProfiles(q, demo.id, seed) : []
  const qualified = new Set(
    (
      await q.query<{ device_no: string }>(
        `SELECT t.device_no FROM terminal t
           JOIN vehicle v ON v.id = t.vehicle_id JOIN institution i ON i.id = t.institution_id
          WHERE v.status = 'active' AND v.inspection_valid_until >= $1::date AND i.filing_status = 'filed'
            AND v.vehicle_type IN ('C1', 'C2') AND t.device_no = ANY($2::text[])`,
        [today, [...demoCars, ...all].map((p) => p.deviceNo)],
      )
    ).map((r) => r.device_no),
  )
  const coachesUsed = new Set<string>()
  const studentsUsed = new Set<string>()
  const out: TerminalProfile[] = []
  const take = (p: TerminalProfile, extra: StudentProfile[] = []) => {
    if (out.length >= count || !qualified.has(p.deviceNo) || coachesUsed.has(p.coach.coachNo)) return
    const students = [...extra, ...p.students].filter((s, i, list) => {
      return !studentsUsed.has(s.stuNo) && list.findIndex((x) => x.stuNo === s.stuNo) === i
    })
    if (students.length === 0) return
    coachesUsed.add(p.coach.coachNo)
    for (const s of students.slice(0, 4)) studentsUsed.add(s.stuNo)
    out.push({ ...p, students: students.slice(0, 4) })
  }
  const demoStudent =
    demo?.student_no && demo.license_type ? [{ stuNo: demo.student_no, licenseType: demo.license_type }] : []
  for (const p of demoCars.slice(0, Math.max(1, Math.floor(count / 4)))) {
    const matches = demoStudent.filter((s) => s.licenseType === p.students[0]?.licenseType)
    take(p, studentsUsed.size === 0 ? matches : [])
  }
  for (const p of all) take(p)
  return out
}

/**
 * Profiles of one institution's active small cars (C1/C2), the same shape the fleet loader gives:
 * a coach allowed to teach the type per car (in turn) and up to four of its students each, so that
 * cars do not share students.
 */
async function loadInstitutionProfiles(q: Sql, institutionId: number, seed: number): Promise<TerminalProfile[]> {
  const cars = await q.query<Record<string, unknown>>(
    `SELECT t.device_no, t.phone, t.imei, t.serial_no, t.county_code, i.ins_code, v.plate, v.plate_color,
            v.vehicle_type, f.polygon
       FROM terminal t
       JOIN vehicle v ON v.id = t.vehicle_id
       JOIN institution i ON i.id = t.institution_id
       JOIN LATERAL (SELECT polygon FROM training_field tf
                      WHERE tf.institution_id = t.institution_id AND tf.kind = 'site' AND tf.polygon IS NOT NULL
                        AND tf.status = 'active' ORDER BY tf.id LIMIT 1) f ON true
      WHERE t.institution_id = $1 AND t.status = 'active' AND t.terminal_type = 1 AND v.vehicle_type IN ('C1', 'C2')
      ORDER BY md5(t.device_no || $2)`,
    [institutionId, String(seed)],
  )
  const coaches = await q.query<{ coach_no: string; id_card: string; teach_permitted: string }>(
    `SELECT coach_no, id_card, teach_permitted FROM coach
      WHERE institution_id = $1 AND employment_status = 'employed' ORDER BY id`,
    [institutionId],
  )
  const students = await q.query<{ stu_no: string; license_type: string }>(
    `SELECT stu_no, license_type FROM student
      WHERE institution_id = $1 AND status IN ('enrolled', 'training') ORDER BY (status = 'training') DESC, id`,
    [institutionId],
  )
  const turns = new Map<string, number>()
  const out: TerminalProfile[] = []
  for (const r of cars) {
    const type = String(r.vehicle_type)
    const turn = turns.get(type) ?? 0
    const eligible = coaches.filter((c) => c.teach_permitted === type)
    const pool = students.filter((s) => s.license_type === type).slice(turn * 4, turn * 4 + 4)
    const coach = eligible[turn % Math.max(1, eligible.length)]
    if (!coach || pool.length === 0) continue
    turns.set(type, turn + 1)
    const county = String(r.county_code)
    const polygon = typeof r.polygon === 'string' ? JSON.parse(r.polygon) : r.polygon
    out.push({
      phone: String(r.phone),
      deviceNo: String(r.device_no),
      imei: String(r.imei),
      ...(r.serial_no ? { serialNo: String(r.serial_no).slice(-7) } : {}),
      provinceId: Number(county.slice(0, 2)),
      cityId: Number(county.slice(2, 6)),
      plate: String(r.plate),
      plateColor: Number(r.plate_color),
      institutionNo: String(r.ins_code),
      coach: { coachNo: coach.coach_no, idCard: coach.id_card, teachPermitted: coach.teach_permitted },
      students: pool.map((s) => ({ stuNo: s.stu_no, licenseType: s.license_type })),
      field: polygon,
    })
  }
  return out
}
