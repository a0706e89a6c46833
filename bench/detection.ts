/**
 * Detection benchmark: one simulated day of clean 实操 lessons with labelled frauds injected at a
 * known rate, evaluated by the detection engine's batch run (session rules, hour credits, cross
 * rules); prints precision and recall per rule and overall, and the batch time for the day.
 *
 *   npm run bench:detection [-- --scale small|city|province --cars 200 --lessons 4
 *                               --fraud-rate 0.25 --seed 7 --day 2026-03-10 --engine pglite|pg
 *                               --explain <rule id, or 'all'> --json]
 *
 * Steps:
 * 1. a fresh database (PGlite in a temporary directory; with `--engine pg` or DATABASE_URL a new
 *    database on that PostgreSQL server, dropped afterwards) and the demo province at `--scale`;
 * 2. `--cars` car terminals from the registry (simulator `loadFleetProfiles`, one coach per car,
 *    no student on two cars at once), each with up to `--lessons` lessons of 45–60 minutes between
 *    08:00 and 18:00 planned by the simulator (`planLesson`: track, minute records, positions
 *    every 10–30 s, photos at sign-in, every 15 minutes and sign-out), written as the ingestion
 *    would write them, photos as the photo analysis would leave them (luma, face distance);
 * 3. a share `--fraud-rate` of the lessons gets one fraud, kinds in turn; each kind names the rules
 *    that must fire (e.g. a covered camera is also a bad photo for photo-cadence); lessons that the
 *    registry itself disqualifies (expired inspection, coach not employed …) are labelled too;
 * 4. `runDetectionBatch` over the local day; a rule "flags" a lesson when it wrote a finding
 *    anchored on that lesson or linking it as evidence. Precision and recall per rule and overall
 *    (micro-averaged over lesson × rule pairs).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { loadConfig } from '../packages/server/src/config/load.ts'
import { ensurePartitions, insertBatch } from '../packages/server/src/db/batch.ts'
import { type Database, openPglite, openPostgres, redact } from '../packages/server/src/db/client.ts'
import { runDetectionBatch } from '../packages/server/src/detection/engine/batch.ts'
import { RULES } from '../packages/server/src/detection/rules/index.ts'
import { localMidnight } from '../packages/server/src/detection/time.ts'
import { minuteOfRecord } from '../packages/server/src/ingestion/normalize/time.ts'
import { ensureDefaultPolicy } from '../packages/server/src/policy/store.ts'
import { seedDemo } from '../packages/server/src/seed/seed.ts'
import {
  type Lesson,
  loadFleetProfiles,
  planLesson,
  Rng,
  type TerminalProfile,
} from '../packages/simulator/src/index.ts'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    cars: { type: 'string', default: '200' },
    lessons: { type: 'string', default: '4' },
    'fraud-rate': { type: 'string', default: '0.25' },
    seed: { type: 'string', default: '7' },
    day: { type: 'string', default: '2026-03-10' },
    engine: { type: 'string' },
    explain: { type: 'string', default: '' },
    json: { type: 'boolean', default: false },
  },
})
const SCALE = values.scale as 'tiny' | 'small' | 'city' | 'province'
const CARS = Number(values.cars)
const LESSONS = Number(values.lessons)
const FRAUD_RATE = Number(values['fraud-rate'])
const SEED = Number(values.seed)
const DAY = String(values.day)
if (!['tiny', 'small', 'city', 'province'].includes(SCALE)) throw new Error('--scale tiny|small|city|province')
if (!(CARS > 0) || !(LESSONS > 0 && LESSONS <= 6)) throw new Error('--cars > 0, --lessons 1–6')
if (!(FRAUD_RATE >= 0 && FRAUD_RATE <= 1)) throw new Error('--fraud-rate 0–1')
if (!/^\d{4}-\d{2}-\d{2}$/.test(DAY)) throw new Error('--day YYYY-MM-DD')

const baseConfig = loadConfig(process.env)
const ENGINE: 'pglite' | 'pg' =
  (values.engine as 'pglite' | 'pg' | undefined) ?? (baseConfig.database.kind === 'postgres' ? 'pg' : 'pglite')

const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`)
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—'
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : '—')

// ── Machine ──────────────────────────────────────────────────────────────

const cpus = os.cpus()
const machine = {
  cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
  cores: cpus.length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
}
log('Detection benchmark')
log(`  machine  : ${machine.cpu} × ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`)
log(`  load avg : ${machine.loadAverage.join(' ')} (1/5/15 min, at start)`)

// ── Database ─────────────────────────────────────────────────────────────

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-bench-det-'))
let dropDatabase: (() => Promise<void>) | undefined
async function openBenchDatabase(): Promise<{ database: Database; label: string }> {
  if (ENGINE === 'pglite') {
    const database = await openPglite(path.join(tmp, 'pglite'))
    await database.migrate()
    return { database, label: 'PGlite (on disk, same thread)' }
  }
  const serverUrl =
    baseConfig.database.kind === 'postgres' ? baseConfig.database.url : 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `jiapei_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  dropDatabase = async () => {
    const dropper = new pg.Client({ connectionString: serverUrl })
    await dropper.connect()
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await dropper.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openPostgres(url.toString())
  await database.migrate()
  const version = (await database.query<{ v: string }>("select current_setting('server_version') as v"))[0]?.v
  return { database, label: `PostgreSQL ${version} at ${redact(serverUrl)} (new database ${name})` }
}

const { database, label } = await openBenchDatabase()
log(`  database : ${label}`)
log(
  `  workload : scale ${SCALE}, ${CARS} cars × ${LESSONS} lessons on ${DAY}, fraud rate ${pct(FRAUD_RATE)}, seed ${SEED}`,
)

log('\n[1/4] seeding the registry …')
let t0 = performance.now()
await seedDemo(database, { scale: SCALE, seed: SEED, today: DAY })
await ensureDefaultPolicy(database, 'detection')
await ensureDefaultPolicy(database, 'syllabus')
log(`      ${fmt((performance.now() - t0) / 1000, 1)} s`)

// ── Registry lookups ─────────────────────────────────────────────────────

interface TerminalInfo {
  id: number
  vehicleId: number
  vehicleType: string
  institutionId: number
  cityCode: string
  countyCode: string
}
const terminals = new Map<string, TerminalInfo>()
for (const r of await database.query<Record<string, unknown>>(
  `SELECT t.device_no, t.id, t.vehicle_id, v.vehicle_type, t.institution_id, t.city_code, t.county_code
     FROM terminal t JOIN vehicle v ON v.id = t.vehicle_id WHERE t.terminal_type = 1`,
)) {
  terminals.set(String(r.device_no), {
    id: Number(r.id),
    vehicleId: Number(r.vehicle_id),
    vehicleType: String(r.vehicle_type),
    institutionId: Number(r.institution_id),
    cityCode: String(r.city_code),
    countyCode: String(r.county_code),
  })
}
const coachIds = new Map<string, number>()
for (const r of await database.query<{ id: number; coach_no: string }>('SELECT id, coach_no FROM coach'))
  coachIds.set(r.coach_no, Number(r.id))
const studentIds = new Map<string, number>()
for (const r of await database.query<{ id: number; stu_no: string }>('SELECT id, stu_no FROM student'))
  studentIds.set(r.stu_no, Number(r.id))

// ── Lessons ──────────────────────────────────────────────────────────────

log('[2/4] planning lessons and injecting frauds …')
t0 = performance.now()
const MINUTE = 60_000
const dayStart = localMidnight(DAY)
const dayEnd = new Date(dayStart.getTime() + 86_400_000)
const rng = new Rng(SEED)

const profiles: TerminalProfile[] = []
const usedCoaches = new Set<string>()
for (const p of await loadFleetProfiles(database, CARS * 3, SEED)) {
  if (profiles.length >= CARS) break
  if (usedCoaches.has(p.coach.coachNo) || !terminals.has(p.deviceNo) || !coachIds.has(p.coach.coachNo)) continue
  usedCoaches.add(p.coach.coachNo)
  profiles.push(p)
}

interface Row {
  session: Record<string, unknown>
  minutes: Record<string, unknown>[]
  positions: Record<string, unknown>[]
  photos: Record<string, unknown>[]
}
interface Planned {
  id: number
  profile: TerminalProfile
  terminal: TerminalInfo
  lesson: Lesson
  rows: Row
  fraud: string | null
  expected: Set<string>
  /** A cross-scope fraud to apply once every lesson is planned (it needs a partner lesson). */
  pendingCross?: CrossFraud
}

/** Each fraud kind: which lessons it applies to, how it changes the rows, and which rules must fire. */
interface FraudKind {
  kind: string
  expects: string[]
  applies?: (p: Planned) => boolean
  apply: (p: Planned) => void
}

/** A fraud between two lessons: `partner` is a clean lesson (overlapping in time when `overlapping`). */
interface CrossFraud {
  kind: string
  expects: string[]
  overlapping: boolean
  applies?: (p: Planned) => boolean
  /** Changes the rows; returns extra rules expected on `p` (e.g. a coach of another institution). */
  apply: (p: Planned, partner: Planned) => string[]
}

const randomHex = (bytes: number) => crypto.randomBytes(bytes).toString('hex')
const trainingPhotos = (p: Planned) => p.rows.photos.filter((ph) => ph.event_type === 19)
const inSession = (p: Planned, at: unknown) => {
  const t = (at as Date).getTime()
  return t >= (p.rows.session.started_at as Date).getTime() && t <= (p.rows.session.ended_at as Date).getTime()
}
/** Spare registry entries per institution for the registry frauds. */
const spareCoaches = new Map<number, number[]>()
const spareVehicles = new Map<number, number[]>()
const takeSpare = (pool: Map<number, number[]>, p: Planned) => pool.get(p.terminal.institutionId)?.shift()

const FRAUDS: FraudKind[] = [
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
    expects: ['outside-teaching-area'],
    applies: (p) => p.lesson.part === 2,
    apply: (p) => {
      // The whole lesson 3.3 km north of the field: every fix moves, so no jump.
      for (const m of p.rows.minutes) m.lat = (m.lat as number) + 0.03
      for (const x of p.rows.positions) x.lat = (x.lat as number) + 0.03
    },
  },
  {
    kind: 'log-low-mileage',
    // A log under 100 m has every minute at 0 m (mileage comes in 100 m steps): zero-mileage fires too.
    expects: ['log-low-mileage', 'zero-mileage'],
    apply: (p) => {
      for (const m of p.rows.minutes) m.mileage_m = 0
    },
  },
  {
    kind: 'photo-cadence',
    expects: ['photo-cadence'],
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p) => {
      const gone = trainingPhotos(p)[0]
      p.rows.photos = p.rows.photos.filter((ph) => ph !== gone)
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
      const ph = trainingPhotos(p)[0]!
      ph.mean_luma = 9
      ph.luma_stddev = 3
    },
  },
  {
    kind: 'photo-low-confidence',
    expects: ['photo-low-confidence', 'photo-cadence'],
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p) => {
      trainingPhotos(p)[0]!.face_confidence = 35
    },
  },
  {
    kind: 'photo-face-mismatch',
    expects: ['photo-face-mismatch', 'photo-cadence'],
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p) => {
      trainingPhotos(p)[0]!.face_distance = 0.78
    },
  },
  {
    kind: 'no-coach-signed-in',
    expects: ['no-coach-signed-in'],
    apply: (p) => {
      p.rows.session.coach_id = null
      for (const m of p.rows.minutes) m.coach_id = null
      p.rows.photos = p.rows.photos.filter((ph) => ph.event_type !== 20 && ph.event_type !== 21)
    },
  },
  {
    kind: 'coach-not-qualified',
    expects: ['coach-not-qualified'],
    applies: (p) => (spareCoaches.get(p.terminal.institutionId)?.length ?? 0) > 0,
    apply: (p) => {
      const coach = takeSpare(spareCoaches, p)!
      p.rows.session.coach_id = coach
      for (const m of p.rows.minutes) m.coach_id = coach
      for (const ph of p.rows.photos) if (ph.coach_id !== null) ph.coach_id = coach
    },
  },
  {
    kind: 'vehicle-not-qualified',
    expects: ['vehicle-not-qualified'],
    applies: (p) => (spareVehicles.get(p.terminal.institutionId)?.length ?? 0) > 0,
    apply: (p) => {
      const vehicle = takeSpare(spareVehicles, p)!
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
    expects: ['training-window'],
    apply: () => undefined, // planned at 22:10 instead of in the day slots
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
const flipBits = (hex: string, bits: number) => {
  let v = BigInt(`0x${hex}`)
  for (let b = 0; b < bits; b++) v ^= 1n << BigInt(b * 7)
  return v.toString(16).padStart(16, '0')
}

const CROSS_FRAUDS: CrossFraud[] = [
  {
    kind: 'coach-two-vehicles',
    expects: ['coach-two-vehicles'],
    overlapping: true,
    apply: (p, q) => {
      setCoach(p, q.rows.session.coach_id)
      // A coach of another institution teaching here is also 跨校带教.
      return p.terminal.institutionId === q.terminal.institutionId ? [] : ['coach-consistency']
    },
  },
  {
    kind: 'student-overlap',
    expects: ['student-overlap'],
    overlapping: true,
    apply: (p, q) => {
      setStudent(p, q.rows.session.student_id)
      return []
    },
  },
  {
    kind: 'photo-duplicate',
    expects: ['photo-duplicate'],
    overlapping: false,
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p, q) => {
      const from = trainingPhotos(q)[0]!
      const to = trainingPhotos(p)[0]!
      to.sha256 = from.sha256
      to.phash = from.phash
      return []
    },
  },
  {
    kind: 'photo-near-duplicate',
    expects: ['photo-near-duplicate'],
    overlapping: false,
    applies: (p) => trainingPhotos(p).length >= 1,
    apply: (p, q) => {
      trainingPhotos(p)[0]!.phash = flipBits(String(trainingPhotos(q)[0]!.phash), 3)
      return []
    },
  },
]

/** 里程 (附加信息 0x01, 1/10 km) of a position in metres, or null. */
function odometerOf(items: readonly unknown[] | undefined): number | null {
  const item = items?.find((i) => (i as { id: number }).id === 0x01) as { value?: unknown } | undefined
  return typeof item?.value === 'number' ? item.value * 100 : null
}

function rowsOf(lesson: Lesson, profile: TerminalProfile, t: TerminalInfo, id: number, photoId: () => number): Row {
  const studentId = studentIds.get(lesson.student.stuNo) ?? null
  const coachId = coachIds.get(profile.coach.coachNo) ?? null
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
        id: photoId(),
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
        sha256: randomHex(32),
        phash: randomHex(8),
        mean_luma: 90 + rng.int(0, 70),
        luma_stddev: 30 + rng.int(0, 30),
        face_count: 1,
        face_distance: Number((0.22 + rng.float(0, 0.25)).toFixed(3)),
        analyzed_at: at(e.at + 60_000),
      })
    }
  }
  return { session, minutes, positions, photos }
}

// Spare registry entries for the registry frauds: coaches of other types (not in the fleet) and
// vehicles not in the fleet, whose inspection is made to lapse.
const fleetVehicles = new Set(profiles.map((p) => terminals.get(p.deviceNo)!.vehicleId))
for (const c of await database.query<{ id: number; coach_no: string; institution_id: number }>(
  `SELECT id, coach_no, institution_id FROM coach
    WHERE employment_status = 'employed' AND teach_permitted NOT LIKE '%C%' ORDER BY id`,
)) {
  if (usedCoaches.has(c.coach_no)) continue
  const list = spareCoaches.get(Number(c.institution_id)) ?? []
  list.push(Number(c.id))
  spareCoaches.set(Number(c.institution_id), list)
}
const lapsed: number[] = []
for (const v of await database.query<{ id: number; institution_id: number }>(
  `SELECT id, institution_id FROM vehicle WHERE vehicle_type IN ('C1', 'C2') AND status = 'active' ORDER BY id`,
)) {
  if (fleetVehicles.has(Number(v.id))) continue
  const list = spareVehicles.get(Number(v.institution_id)) ?? []
  if (list.length >= 3) continue
  list.push(Number(v.id))
  lapsed.push(Number(v.id))
  spareVehicles.set(Number(v.institution_id), list)
}
// The spare vehicles' inspection lapsed 40 days before the day.
await database.query('UPDATE vehicle SET inspection_valid_until = ($2::date - 40) WHERE id = ANY($1::int[])', [
  lapsed,
  DAY,
])

const planned: Planned[] = []
const busy = new Map<string, [number, number][]>()
const free = (stuNo: string, from: number, to: number) =>
  (busy.get(stuNo) ?? []).every(([a, b]) => to <= a || from >= b) && (busy.get(stuNo)?.length ?? 0) < 2
let nextPhotoId = 1
const photoId = () => nextPhotoId++
let fraudTurn = 0
const SLOT_MS = 110 * MINUTE
for (const profile of profiles) {
  const terminal = terminals.get(profile.deviceNo)!
  for (let k = 0; k < LESSONS; k++) {
    const minutes = 45 + rng.int(0, 15)
    const fraudIndex = rng.chance(FRAUD_RATE) ? fraudTurn++ % (FRAUDS.length + CROSS_FRAUDS.length) : -1
    let fraud = fraudIndex >= 0 ? (FRAUDS[fraudIndex] ?? null) : null
    const cross = fraudIndex >= FRAUDS.length ? CROSS_FRAUDS[fraudIndex - FRAUDS.length] : undefined
    const night = fraud?.kind === 'training-window'
    // Day slots from 08:00 every 110 min; the training-window fraud at 22:10 (one per car at most).
    const start = night
      ? dayStart.getTime() + (22 * 60 + 10) * MINUTE
      : dayStart.getTime() + 8 * 3_600_000 + k * SLOT_MS
    const end = start + (minutes + 3) * MINUTE
    const studentIndex = profile.students.findIndex((s) => free(s.stuNo, start, end))
    if (studentIndex < 0) continue
    const part = (rng.chance(0.5) ? 2 : 3) as 2 | 3
    const lesson = planLesson(profile, { part, minutes, startTime: start, seed: SEED * 1000 + k, studentIndex })
    const stuNo = lesson.student.stuNo
    busy.set(stuNo, [...(busy.get(stuNo) ?? []), [start, end]])
    const id = planned.length + 1
    const p: Planned = {
      id,
      profile,
      terminal,
      lesson,
      rows: rowsOf(lesson, profile, terminal, id, photoId),
      fraud: null,
      expected: new Set(),
    }
    if (cross) p.pendingCross = cross
    if (fraud?.applies && !fraud.applies(p)) fraud = null
    if (fraud) {
      fraud.apply(p)
      p.fraud = fraud.kind
      for (const r of fraud.expects) p.expected.add(r)
    }
    planned.push(p)
  }
}

// Cross frauds: each with a clean partner lesson on another car (overlapping in time when the
// fraud is about being in two places at once), used once.
const partnered = new Set<number>()
const overlaps = (a: Planned, b: Planned) =>
  (a.rows.session.started_at as Date) < (b.rows.session.ended_at as Date) &&
  (b.rows.session.started_at as Date) < (a.rows.session.ended_at as Date)
for (const p of planned) {
  const cross = p.pendingCross
  if (!cross || p.fraud !== null || partnered.has(p.id) || (cross.applies && !cross.applies(p))) continue
  const candidates = planned.filter(
    (q) =>
      q !== p &&
      q.fraud === null &&
      !q.pendingCross &&
      !partnered.has(q.id) &&
      q.terminal.id !== p.terminal.id &&
      q.lesson.student.licenseType === p.lesson.student.licenseType &&
      trainingPhotos(q).length >= 1 &&
      (!cross.overlapping || overlaps(p, q)),
  )
  const q = candidates.find((c) => c.terminal.institutionId === p.terminal.institutionId) ?? candidates[0]
  if (!q) continue
  const extra = cross.apply(p, q)
  partnered.add(p.id)
  partnered.add(q.id)
  p.fraud = cross.kind
  for (const r of [...cross.expects, ...extra]) p.expected.add(r)
  for (const r of cross.expects) q.expected.add(r)
}

// Lessons the registry itself disqualifies are labelled as such (independent of the rules' code).
const registryBad = await database.query<{ id: number; kind: string }>(
  `SELECT s.id, 'vehicle-not-qualified' AS kind
     FROM unnest($1::int[], $2::int[]) AS s(id, vehicle_id)
     JOIN vehicle v ON v.id = s.vehicle_id JOIN institution i ON i.id = v.institution_id
    WHERE v.status <> 'active' OR i.filing_status <> 'filed' OR v.inspection_valid_until < $4::date
   UNION ALL
   SELECT s.id, 'coach-not-qualified'
     FROM unnest($1::int[], $3::int[]) AS s(id, coach_id)
     JOIN coach c ON c.id = s.coach_id JOIN institution i ON i.id = c.institution_id
    WHERE c.employment_status <> 'employed' OR i.filing_status <> 'filed'`,
  [
    planned.map((p) => p.id),
    planned.map((p) => p.rows.session.vehicle_id as number),
    planned.map((p) => (p.rows.session.coach_id as number | null) ?? null),
    DAY,
  ],
)
for (const r of registryBad) planned[Number(r.id) - 1]?.expected.add(r.kind)

const injected = planned.filter((p) => p.fraud !== null).length
log(
  `      ${fmt(planned.length)} lessons on ${fmt(profiles.length)} cars, ${fmt(injected)} with an injected fraud ` +
    `(${FRAUDS.length + CROSS_FRAUDS.length} kinds), ${fmt(registryBad.length)} disqualified by the registry; ${fmt((performance.now() - t0) / 1000, 1)} s`,
)

// ── Write as the ingestion would ─────────────────────────────────────────

log('[3/4] writing sessions, minute records, positions and photos …')
t0 = performance.now()
const SESSION_COLUMNS = [
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
  ['part', 'int2'],
  ['mode', 'int2'],
  ['license_type', 'text'],
  ['started_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
  ['reported_minutes', 'int4'],
  ['reported_mileage_m', 'int4'],
] as const
const MINUTE_COLUMNS = [
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
] as const
const POSITION_COLUMNS = [
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
] as const
const PHOTO_COLUMNS = [
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
] as const
type Columns = readonly (readonly [string, string])[]
const write = (table: string, columns: Columns, rows: Record<string, unknown>[], onConflict?: string) =>
  insertBatch(
    database,
    table,
    columns.map(([name, type]) => ({ name, type })),
    rows.map((r) => columns.map(([name]) => r[name] ?? null)),
    { chunkSize: 4000, ...(onConflict ? { onConflict } : {}) },
  )
const allMinutes = planned.flatMap((p) => p.rows.minutes)
const allPositions = planned.flatMap((p) => p.rows.positions)
await ensurePartitions(database, 'minute_record', [dayStart, dayEnd])
await ensurePartitions(database, 'position', [dayStart, dayEnd])
await write(
  'training_session',
  SESSION_COLUMNS,
  planned.map((p) => p.rows.session),
)
await database.query(`SELECT setval('training_session_id_seq', $1::bigint)`, [planned.length + 1])
const minuteCount = await write('minute_record', MINUTE_COLUMNS, allMinutes, 'DO NOTHING')
const positionCount = await write('position', POSITION_COLUMNS, allPositions, 'DO NOTHING')
const photoCount = await write(
  'photo',
  PHOTO_COLUMNS,
  planned.flatMap((p) => p.rows.photos),
  'DO NOTHING',
)
await database.query(`SELECT setval('photo_id_seq', $1::bigint)`, [nextPhotoId + 1])
log(
  `      ${fmt(planned.length)} sessions, ${fmt(minuteCount)} minute records, ${fmt(positionCount)} positions, ` +
    `${fmt(photoCount)} photos; ${fmt((performance.now() - t0) / 1000, 1)} s`,
)

// ── Batch detection ──────────────────────────────────────────────────────

log('[4/4] batch detection over the day …')
const now = new Date(dayEnd.getTime() + 3 * 86_400_000)
t0 = performance.now()
const summary = await runDetectionBatch(database, { from: dayStart, to: dayEnd, now })
const batchSeconds = (performance.now() - t0) / 1000
log(
  `      ${fmt(summary.sessions)} sessions, ${fmt(summary.minutes)} minutes (${fmt(summary.invalidMinutes)} invalid), ` +
    `${fmt(summary.findingsInserted)} findings; session rules ${fmt(summary.sessionMs / 1000, 2)} s, ` +
    `cross rules ${fmt(summary.crossMs / 1000, 2)} s, total ${fmt(batchSeconds, 2)} s` +
    (summary.errors.length
      ? `; ${summary.errors.length} rule errors (first: ${summary.errors[0]?.ruleId}: ${summary.errors[0]?.message})`
      : ''),
)

// ── Precision and recall ─────────────────────────────────────────────────

const flagged = new Map<number, Set<string>>()
const flag = (sessionId: number, rule: string) => {
  const set = flagged.get(sessionId) ?? new Set<string>()
  set.add(rule)
  flagged.set(sessionId, set)
}
const summaries = new Map<string, string>()
for (const f of await database.query<{
  rule_id: string
  session_id: number | null
  sessions: unknown
  summary: string
}>(`SELECT rule_id, session_id, evidence->'sessions' AS sessions, summary FROM finding`)) {
  if (f.session_id !== null) summaries.set(`${f.rule_id}:${f.session_id}`, f.summary)
  if (f.session_id !== null) flag(Number(f.session_id), f.rule_id)
  const linked = typeof f.sessions === 'string' ? JSON.parse(f.sessions) : f.sessions
  if (Array.isArray(linked)) for (const s of linked) flag(Number(s), f.rule_id)
}

interface Score {
  rule: string
  scope: string
  truth: number
  flagged: number
  tp: number
  fp: number
  fn: number
  precision: number
  recall: number
}
const scores: Score[] = RULES.map((rule) => {
  let tp = 0
  let fp = 0
  let fn = 0
  for (const p of planned) {
    const expected = p.expected.has(rule.id)
    const got = flagged.get(p.id)?.has(rule.id) ?? false
    if (expected && got) tp++
    else if (got) fp++
    else if (expected) fn++
  }
  return {
    rule: rule.id,
    scope: rule.scope,
    truth: tp + fn,
    flagged: tp + fp,
    tp,
    fp,
    fn,
    precision: tp + fp ? tp / (tp + fp) : Number.NaN,
    recall: tp + fn ? tp / (tp + fn) : Number.NaN,
  }
})
const total = scores.reduce((a, s) => ({ tp: a.tp + s.tp, fp: a.fp + s.fp, fn: a.fn + s.fn }), { tp: 0, fp: 0, fn: 0 })
const overall = { ...total, precision: total.tp / (total.tp + total.fp), recall: total.tp / (total.tp + total.fn) }
const cleanFlagged = planned.filter((p) => p.expected.size === 0 && (flagged.get(p.id)?.size ?? 0) > 0).length
const clean = planned.filter((p) => p.expected.size === 0).length

log('\nPer rule (lessons; truth = labelled, flagged = with a finding of the rule)')
log('  rule                     scope    truth  flagged     TP     FP     FN  precision  recall')
for (const s of scores)
  log(
    `  ${s.rule.padEnd(24)} ${s.scope.padEnd(7)} ${fmt(s.truth).padStart(6)} ${fmt(s.flagged).padStart(8)} ` +
      `${fmt(s.tp).padStart(6)} ${fmt(s.fp).padStart(6)} ${fmt(s.fn).padStart(6)} ${pct(s.precision).padStart(10)} ${pct(s.recall).padStart(7)}`,
  )
log(
  `  ${'overall (micro)'.padEnd(32)} ${fmt(total.tp + total.fn).padStart(6)} ${fmt(total.tp + total.fp).padStart(8)} ` +
    `${fmt(total.tp).padStart(6)} ${fmt(total.fp).padStart(6)} ${fmt(total.fn).padStart(6)} ${pct(overall.precision).padStart(10)} ${pct(overall.recall).padStart(7)}`,
)
if (values.explain) {
  log(
    `\nMisses and false alarms${values.explain === 'all' ? '' : ` of ${values.explain}`} (lesson, injected fraud, labels → finding)`,
  )
  for (const p of planned) {
    for (const rule of RULES) {
      if (values.explain !== 'all' && values.explain !== rule.id) continue
      const expected = p.expected.has(rule.id)
      const got = flagged.get(p.id)?.has(rule.id) ?? false
      if (expected === got) continue
      log(
        `  ${expected ? 'FN' : 'FP'} ${rule.id} lesson ${p.id} (part ${p.lesson.part}, fraud ${p.fraud ?? '—'}, labels ${[...p.expected].join(',') || '—'})` +
          (got ? `: ${summaries.get(`${rule.id}:${p.id}`) ?? '(linked as evidence)'}` : ''),
      )
    }
  }
}
log(
  `  clean lessons with any finding: ${fmt(cleanFlagged)} of ${fmt(clean)} (${pct(cleanFlagged / Math.max(1, clean))})`,
)
log(
  `\nBatch time for the day: ${fmt(batchSeconds, 2)} s for ${fmt(summary.sessions)} sessions / ${fmt(summary.minutes)} minute records ` +
    `(${fmt(summary.minutes / Math.max(batchSeconds, 1e-9))} minutes/s) on ${label.split(' (')[0]}`,
)

await database.close()
await dropDatabase?.()
fs.rmSync(tmp, { recursive: true, force: true })

if (values.json) {
  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
        database: label,
        workload: {
          scale: SCALE,
          cars: profiles.length,
          lessons: planned.length,
          injected,
          fraudRate: FRAUD_RATE,
          day: DAY,
          seed: SEED,
        },
        rows: { sessions: planned.length, minutes: minuteCount, positions: positionCount, photos: photoCount },
        batch: { ...summary, seconds: batchSeconds },
        scores,
        overall,
        clean: { lessons: clean, flagged: cleanFlagged },
      },
      null,
      2,
    )}\n`,
  )
}
