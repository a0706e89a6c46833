/**
 * A lesson as a timeline: every frame a terminal sends during one lesson, with its simulated time,
 * computed up front from the profile and a seed (so a lesson is reproducible and testable without
 * a socket). The track is simulated second by second: 科目二 drives between points inside the
 * training field polygon and stops for the exercises; 科目三 drives a grid of roads within a few
 * kilometres of the field, stopping at junctions. Minute records, positions and photos are read
 * from the same track, so mileage and speeds agree.
 */
import type { GnssBasic, GnssExtended, LocationReportJiapei } from '@jiapei/jt808'
import {
  type CoachLogin,
  type CoachLogout,
  formatCourseCode,
  type MinuteRecord,
  type StudentLogin,
  type StudentLogout,
} from '@jiapei/jt808-training'
import {
  bearing,
  centroid,
  distance,
  type LngLat,
  offset,
  type PolygonGeometry,
  pointInPolygon,
  randomPointInside,
  segmentInside,
} from './geo.ts'
import type { StudentProfile, TerminalProfile } from './profile.ts'
import { hashSeed, Rng } from './random.ts'
import { bcdClock, bcdDate, bcdDateTime, minuteOfDay } from './time.ts'

/** 培训部分 of a lesson on the car: 2 科目二 (field), 3 科目三 (road). */
export type TrainingPart = 2 | 3

export interface LessonOptions {
  part: TrainingPart
  /** Minutes the student trains (one 0x0203 each). Default 45. */
  minutes?: number
  /** Which of the profile's students (default: chosen by the seed). */
  studentIndex?: number
  /** 培训项目, two digits (default: 11/12/13 for part 2, 21–36 for part 3, by the seed). */
  project?: string
  /** 课堂ID (default from the seed). */
  classId?: number
  /** Simulated wall-clock time of the lesson start, epoch ms. */
  startTime: number
  seed: number
  /** 定时拍照时间间隔, minutes (default 15). */
  photoIntervalMinutes?: number
  /** Bounds of the 0x0200 interval, seconds (default 10–30). */
  positionIntervalSeconds?: readonly [number, number]
  /** Odometer at the start, metres. */
  odometerMetres?: number
}

/** One sample of the track, at one simulated second. */
export interface TrackPoint {
  /** ms since the lesson start */
  at: number
  lng: number
  lat: number
  /** km/h */
  speed: number
  heading: number
  /** metres, cumulative */
  odometer: number
}

/** 发起图片的事件类型 used in a lesson. */
export const PHOTO_EVENTS = {
  platformRequest: 0,
  studentLogin: 17,
  studentLogout: 18,
  training: 19,
  coachLogin: 20,
  coachLogout: 21,
} as const

export interface PhotoPlan {
  photoNo: string
  personNo: string
  event: number
  classId: number
  gnss: GnssExtended
  faceConfidence: number
  /** Seed of the generated JPEG */
  imageSeed: number
  /** 图片尺寸 code */
  size: number
}

export type LessonEvent =
  | { at: number; kind: 'position'; body: LocationReportJiapei }
  | { at: number; kind: 'coachLogin'; body: CoachLogin }
  | { at: number; kind: 'studentLogin'; body: StudentLogin }
  | { at: number; kind: 'minuteRecord'; body: MinuteRecord }
  | { at: number; kind: 'photo'; photo: PhotoPlan }
  | { at: number; kind: 'studentLogout'; body: StudentLogout }
  | { at: number; kind: 'coachLogout'; body: CoachLogout }

export interface Lesson {
  part: TrainingPart
  student: StudentProfile
  courseCode: string
  classId: number
  startTime: number
  /** ms from start to the last event */
  duration: number
  events: LessonEvent[]
  track: TrackPoint[]
}

const PART_PROJECTS: Record<TrainingPart, readonly string[]> = {
  2: ['11', '12', '13'],
  3: ['21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '35', '36'],
}

const MINUTE = 60_000

/** Builds the whole lesson timeline. Pure: the same profile and options give the same lesson. */
export function planLesson(profile: TerminalProfile, options: LessonOptions): Lesson {
  const rng = new Rng(hashSeed(profile.deviceNo, options.seed))
  const minutes = options.minutes ?? 45
  const student =
    profile.students[options.studentIndex ?? rng.int(0, Math.max(0, profile.students.length - 1))] ??
    profile.students[0]
  if (!student) throw new RangeError(`终端 ${profile.deviceNo} 没有学员 / profile has no student`)
  const part = options.part
  const project = options.project ?? rng.pick(PART_PROJECTS[part])
  const courseCode = formatCourseCode({
    mode: 1,
    licenseType: student.licenseType as Parameters<typeof formatCourseCode>[0]['licenseType'],
    part,
    project,
  })
  const classId = options.classId ?? rng.int(1, 0x7fffffff)
  const photoEvery = (options.photoIntervalMinutes ?? 15) * MINUTE
  const [minGap, maxGap] = options.positionIntervalSeconds ?? [10, 30]
  const { startTime } = options

  // Timeline (ms from start): coach login at 5 s, student login at the first whole minute after
  // 60 s, `minutes` clock minutes of training, then the logouts.
  const coachLoginAt = 5_000
  const loginAt = Math.ceil((startTime + 60_000) / MINUTE) * MINUTE - startTime
  const trainingEnd = loginAt + minutes * MINUTE
  const studentLogoutAt = trainingEnd + 8_000
  const coachLogoutAt = studentLogoutAt + 30_000
  const duration = coachLogoutAt + 5_000

  const track = simulateTrack(profile.field, part, rng.fork(1), {
    seconds: Math.ceil(duration / 1000) + 1,
    moveFrom: loginAt / 1000 + 20,
    moveUntil: trainingEnd / 1000 - 10,
    odometer: options.odometerMetres ?? profile.odometerMetres ?? rng.int(8_000, 150_000) * 1000,
  })
  const at = (ms: number): TrackPoint =>
    track[Math.min(track.length - 1, Math.max(0, Math.floor(ms / 1000)))] as TrackPoint
  const gnss = (ms: number): GnssBasic => gnssOf(at(ms), startTime)
  const gnssX = (ms: number): GnssExtended => extended(at(ms), startTime)

  const events: LessonEvent[] = []
  const photoRng = rng.fork(2)
  let photoSeq = rng.int(0, 9_000_000)
  const photo = (ms: number, personNo: string, event: number) => {
    photoSeq = (photoSeq + 1) % 10_000_000
    events.push({
      at: ms,
      kind: 'photo',
      photo: {
        photoNo: `${String(minuteOfDay(startTime + ms) % 1000).padStart(3, '0')}${String(photoSeq).padStart(7, '0')}`,
        personNo,
        event,
        classId: event === PHOTO_EVENTS.coachLogin || event === PHOTO_EVENTS.coachLogout ? 0 : classId,
        gnss: gnssX(ms),
        faceConfidence: photoRng.int(72, 99),
        imageSeed: photoRng.int(1, 0x7fffffff),
        size: 1,
      },
    })
  }
  const { coach } = profile
  events.push({
    at: coachLoginAt,
    kind: 'coachLogin',
    body: {
      coachNo: coach.coachNo,
      coachIdCard: coach.idCard,
      teachPermitted: coach.teachPermitted,
      gnss: gnss(coachLoginAt),
    },
  })
  photo(coachLoginAt + 2_000, coach.coachNo, PHOTO_EVENTS.coachLogin)
  events.push({
    at: loginAt,
    kind: 'studentLogin',
    body: { studentNo: student.stuNo, coachNo: coach.coachNo, courseCode, classId, gnss: gnss(loginAt) },
  })
  photo(loginAt + 3_000, student.stuNo, PHOTO_EVENTS.studentLogin)

  for (let m = 1; m <= minutes; m++) {
    const from = loginAt + (m - 1) * MINUTE
    const to = from + MINUTE
    let maxSpeed = 0
    for (let s = from; s < to; s += 1000) maxSpeed = Math.max(maxSpeed, Math.round(at(s).speed * 10))
    // Read at the next minute's start so consecutive minutes tile the odometer (a 100 m step in the
    // last second of a minute is counted once, not lost between two minutes).
    const mileage = Math.floor(at(to).odometer / 100) - Math.floor(at(from).odometer / 100)
    const recordAt = to - 1000
    events.push({
      at: to + 1_000,
      kind: 'minuteRecord',
      body: {
        recordNo: minuteRecordNo(profile.deviceNo, startTime + from),
        reportType: 1,
        studentNo: student.stuNo,
        coachNo: coach.coachNo,
        classId,
        recordTimeLocal: bcdClock(startTime + recordAt),
        courseCode,
        status: 0,
        maxSpeed,
        mileage,
        gnss: gnssX(from + 30_000),
      },
    })
  }
  for (let t = loginAt + photoEvery; t < trainingEnd; t += photoEvery) {
    photo(t + photoRng.int(5, 40) * 1000, student.stuNo, PHOTO_EVENTS.training)
  }
  photo(trainingEnd + 3_000, student.stuNo, PHOTO_EVENTS.studentLogout)
  const loginMileage = Math.floor(at(trainingEnd).odometer / 100) - Math.floor(at(loginAt).odometer / 100)
  events.push({
    at: studentLogoutAt,
    kind: 'studentLogout',
    body: {
      studentNo: student.stuNo,
      logoutTimeLocal: bcdDateTime(startTime + studentLogoutAt),
      loginMinutes: minutes,
      loginMileage,
      classId,
      gnss: gnss(studentLogoutAt),
    },
  })
  photo(coachLogoutAt - 3_000, coach.coachNo, PHOTO_EVENTS.coachLogout)
  events.push({ at: coachLogoutAt, kind: 'coachLogout', body: { coachNo: coach.coachNo, gnss: gnss(coachLogoutAt) } })

  const positionRng = rng.fork(3)
  for (let t = 0; t <= duration; t += positionRng.int(minGap, maxGap) * 1000) {
    const p = at(t)
    events.push({
      at: t,
      kind: 'position',
      body: {
        ...gnssOf(p, startTime),
        items: [
          { id: 0x01, value: Math.floor(p.odometer / 100) },
          { id: 0x03, value: 12 },
          { id: 0x05, value: rpm(p.speed) },
        ],
      },
    })
  }
  // Stable order: by time, then by kind order as pushed.
  const order = new Map(events.map((e, i) => [e, i]))
  events.sort((a, b) => a.at - b.at || (order.get(a) as number) - (order.get(b) as number))
  return { part, student, courseCode, classId, startTime, duration, events, track }
}

/** 学时记录编号: 计时终端编号 + YYMMDD + minute of the day (4 digits) of the record's minute. */
export function minuteRecordNo(deviceNo: string, minuteStart: number): string {
  return `${deviceNo}${bcdDate(minuteStart)}${String(minuteOfDay(minuteStart)).padStart(4, '0')}`
}

const rpm = (speed: number) => (speed > 0 ? Math.round(900 + speed * 55) : 750)

function gnssOf(p: TrackPoint, startTime: number): GnssBasic {
  const tenths = Math.round(p.speed * 10)
  return {
    alarm: 0,
    // bit 0 ACC on, bit 1 positioned (808-2013 meanings, STANDARDS §2.4)
    status: 0b11,
    lat: Math.round(p.lat * 1e6),
    lng: Math.round(p.lng * 1e6),
    recorderSpeed: tenths === 0 ? 0 : tenths + ((Math.round(p.odometer) % 5) - 2),
    gnssSpeed: tenths,
    heading: Math.round(p.heading) % 360,
    timeLocal: bcdDateTime(startTime + p.at),
  }
}

function extended(p: TrackPoint, startTime: number): GnssExtended {
  return { ...gnssOf(p, startTime), mileage: Math.floor(p.odometer / 100), rpm: rpm(p.speed) }
}

interface TrackOptions {
  seconds: number
  /** seconds from start when the car starts moving / stops for good */
  moveFrom: number
  moveUntil: number
  odometer: number
}

/** Braking deceleration, m/s². */
const BRAKING = 0.8
/** Distance to a waypoint at which the car has arrived, metres. */
const ARRIVAL_METRES = 1
/** 科目二: speed through a waypoint that is only a turn of the course, m/s (5 km/h). */
const FIELD_TURN_SPEED = 5 / 3.6
/** 科目二: metres driven between two exercise stops (drawn in this range after each stop). */
const FIELD_EXERCISE_SPACING: readonly [number, number] = [150, 300]
/** 科目二: seconds the car stands at an exercise stop (定点停车, 起步, the coach's remarks). */
const FIELD_EXERCISE_DWELL: readonly [number, number] = [5, 30]

/**
 * Second-by-second motion: accelerate (≤ 1 m/s²) towards a cruising speed, brake in time for the
 * next waypoint, pick the next one. Part 2 waypoints are inside the field (the straight leg to
 * them too). The car drives the course through them at 8–18 km/h, slowing to 5 km/h for the turn
 * at each, and stops for an exercise (5–30 s) once it has driven 150–300 m since the last one, so a
 * small field means more turns, not more standing. Part 3 waypoints follow a north/east grid of
 * roads within 3 km; the car stops at each junction, half of the time for up to 25 s.
 */
export function simulateTrack(field: PolygonGeometry, part: TrainingPart, rng: Rng, o: TrackOptions): TrackPoint[] {
  const centre = centroid(field)
  let pos: [number, number] = part === 2 ? randomPointInside(field, rng, 0.3) : [centre[0], centre[1]]
  let heading = rng.int(0, 359)
  let speed = 0
  let odometer = o.odometer
  let dwell = 0
  let cruise = 0
  let target: [number, number] | null = null
  // Whether the car stops at `target` (part 3 junctions, part 2 exercise stops) or turns through it.
  let stopAtTarget = true
  const spacing = () => rng.float(FIELD_EXERCISE_SPACING[0], FIELD_EXERCISE_SPACING[1])
  let untilExercise = part === 2 ? spacing() : 0
  const roadHeading = rng.pick([0, 90, 180, 270])
  let gridHeading = roadHeading
  const next = (): [number, number] => {
    if (part === 2) {
      cruise = rng.float(8, 18) / 3.6
      for (let i = 0; i < 50; i++) {
        const p = randomPointInside(field, rng, 0.2)
        if (distance(pos, p) > 25 && segmentInside(pos, p, field)) return p
      }
      return randomPointInside(field, rng, 0.5)
    }
    cruise = rng.float(25, 50) / 3.6
    const turns = [0, 0, 90, -90]
    for (let i = 0; i < 8; i++) {
      const h = (gridHeading + rng.pick(turns) + 360) % 360
      const candidate = offset(pos, h, rng.float(250, 1200))
      if (distance(candidate, centre) < 3000 || distance(candidate, centre) < distance(pos, centre)) {
        gridHeading = h
        return candidate
      }
    }
    gridHeading = (gridHeading + 180) % 360
    return offset(pos, gridHeading, 400)
  }
  const points: TrackPoint[] = []
  for (let s = 0; s < o.seconds; s++) {
    const moving = s >= o.moveFrom && s < o.moveUntil
    if (!moving) {
      // Training is over (or not begun): brake, never past the waypoint nor out of a field.
      speed = Math.max(0, speed - 1.5)
      if (speed > 0 && target && distance(pos, target) <= speed) {
        odometer += distance(pos, target)
        pos = target
        target = null
        speed = 0
      } else if (speed > 0) {
        const step = offset(pos, heading, speed)
        if (part !== 2 || pointInPolygon(step, field)) {
          pos = step
          odometer += speed
        } else speed = 0
      }
    } else if (dwell > 0) {
      dwell--
      speed = 0
    } else {
      if (!target) {
        target = next()
        stopAtTarget = part === 3 || distance(pos, target) >= untilExercise
      }
      const d = distance(pos, target)
      // Braking aims to reach the waypoint's speed (0 for a stop, the turn speed otherwise)
      // ARRIVAL_METRES short of it; within that distance the car has arrived (the same bound, so a
      // car braked to 0 always counts as arrived, never parks for good).
      const endSpeed = stopAtTarget ? 0 : FIELD_TURN_SPEED
      const brake = Math.sqrt(endSpeed ** 2 + 2 * BRAKING * Math.max(0, d - ARRIVAL_METRES))
      const desired = Math.min(cruise, brake)
      speed = desired > speed ? Math.min(desired, speed + 1) : desired
      if (d <= Math.max(speed, ARRIVAL_METRES)) {
        odometer += d
        if (d > 0.01) heading = bearing(pos, target)
        pos = target
        target = null
        if (part === 3) {
          speed = 0
          dwell = rng.chance(0.5) ? rng.int(0, 25) : 0
        } else if (stopAtTarget) {
          speed = 0
          dwell = rng.int(FIELD_EXERCISE_DWELL[0], FIELD_EXERCISE_DWELL[1])
          untilExercise = spacing()
        } else {
          speed = Math.min(speed, FIELD_TURN_SPEED)
          untilExercise -= d
        }
      } else if (speed > 0) {
        heading = bearing(pos, target)
        const step: [number, number] = offset(pos, heading, speed)
        // Never leave the field in part 2 (the fence is convex in the seed data, but be safe).
        if (part === 2 && !pointInPolygon(step, field)) {
          target = null
          speed = 0
        } else {
          pos = step
          odometer += speed
          if (part === 2) untilExercise -= speed
        }
      }
    }
    points.push({ at: s * 1000, lng: pos[0], lat: pos[1], speed: speed * 3.6, heading, odometer })
  }
  return points
}

export type { LngLat }
