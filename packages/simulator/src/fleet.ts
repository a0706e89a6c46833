/**
 * A fleet of virtual terminals drawn from the registry, each running lessons back to back against
 * a platform over TCP, with progress and a summary.
 */
import net from 'node:net'
import type { PolygonGeometry } from './geo.ts'
import { planLesson, type TrainingPart } from './lesson.ts'
import type { PhotoSource } from './photo.ts'
import type { StudentProfile, TerminalProfile } from './profile.ts'
import { hashSeed, Rng } from './random.ts'
import { emptyStats, type TerminalStats, VirtualTerminal } from './terminal.ts'

/** Raw parameterised SQL (the server's `Sql`: PGlite or PostgreSQL). */
export interface RegistryQuery {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
}

export interface FleetOptions {
  host: string
  port: number
  /** Number of terminals. */
  terminals: number
  /** Simulated seconds per real second. */
  speedup: number
  seed: number
  /** Where the terminals, coaches, students and fields come from (unless `profiles` is given). */
  database?: RegistryQuery
  /** Profiles to use instead of the registry. */
  profiles?: TerminalProfile[]
  /** Stop after this many real seconds (default: when every terminal has run `lessons`). */
  durationSeconds?: number
  /** Lessons per terminal (default 1 without a duration, unlimited with one). */
  lessons?: number
  /** Training minutes per lesson (default 45). */
  lessonMinutes?: number
  /** Called about once a second, and at the end. */
  onProgress?: (progress: FleetProgress) => void
  /** Stops the fleet early. */
  signal?: AbortSignal
  replyTimeoutMs?: number
  /** Where photo bytes come from (default: generated pictures). */
  photoSource?: PhotoSource
}

export interface FleetProgress {
  elapsedMs: number
  online: number
  terminals: number
  stats: TerminalStats
}

export interface FleetSummary extends FleetProgress {
  /** Lessons that could not be completed, with their reasons (first 20). */
  failures: { deviceNo: string; reason: string }[]
}

/** Runs the fleet until the lessons are done, the duration has passed, or the signal aborts. */
export async function runFleet(options: FleetOptions): Promise<FleetSummary> {
  const profiles =
    options.profiles?.slice(0, options.terminals) ??
    (options.database ? await loadFleetProfiles(options.database, options.terminals, options.seed) : [])
  if (profiles.length === 0) {
    throw new Error(
      'ERR_SIM_NO_TERMINALS 登记库中没有可用的终端（需有教练车、教练员、学员与训练场）/ no usable terminal in the registry',
    )
  }
  const started = performance.now()
  const lessonsEach = options.lessons ?? (options.durationSeconds === undefined ? 1 : Number.POSITIVE_INFINITY)
  const terminals = profiles.map(
    (profile) =>
      new VirtualTerminal({
        profile,
        connect: () => net.connect({ host: options.host, port: options.port }),
        speedup: options.speedup,
        seed: options.seed,
        ...(options.replyTimeoutMs !== undefined ? { replyTimeoutMs: options.replyTimeoutMs } : {}),
        ...(options.photoSource ? { photoSource: options.photoSource } : {}),
      }),
  )
  const failures: FleetSummary['failures'] = []
  for (const t of terminals) {
    t.on('lesson-failed', ({ reason }: { reason: string }) => {
      if (failures.length < 20) failures.push({ deviceNo: t.profile.deviceNo, reason })
    })
    // Socket errors are counted in the stats and retried; keep them from becoming unhandled.
    t.on('socket-error', () => {})
  }
  const progress = (): FleetProgress => ({
    elapsedMs: performance.now() - started,
    online: terminals.filter((t) => t.online).length,
    terminals: terminals.length,
    stats: sumStats(terminals.map((t) => t.stats)),
  })
  const ticker = options.onProgress ? setInterval(() => options.onProgress?.(progress()), 1000) : undefined
  let stopped = false
  const stopAll = () => {
    stopped = true
  }
  const deadline =
    options.durationSeconds !== undefined ? setTimeout(stopAll, options.durationSeconds * 1000) : undefined
  options.signal?.addEventListener('abort', stopAll, { once: true })
  const stopWatch = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (stopped) {
        clearInterval(check)
        resolve()
      }
    }, 100)
    check.unref()
  })

  const simOrigin = Date.now()
  const simNow = () => simOrigin + (performance.now() - started) * options.speedup
  const runOne = async (terminal: VirtualTerminal, index: number) => {
    const rng = new Rng(hashSeed(terminal.profile.deviceNo, options.seed))
    // Spread connections over the first seconds so a large fleet does not arrive at once.
    await sleep(Math.min(5000, terminals.length * 2) * rng.next())
    if (stopped || !(await Promise.race([terminal.startWithRetry(), stopWatch.then(() => false)]))) return
    for (let n = 0; n < lessonsEach && !stopped; n++) {
      const part: TrainingPart = rng.chance(0.5) ? 2 : 3
      const lesson = planLesson(terminal.profile, {
        part,
        startTime: Math.floor(simNow()),
        seed: hashSeed(`${index}:${n}`, options.seed),
        // 0x8501 may have changed the 定时拍照时间间隔.
        photoIntervalMinutes: terminal.appParams.photoIntervalMin || 15,
        ...(options.lessonMinutes !== undefined ? { minutes: options.lessonMinutes } : {}),
      })
      await Promise.race([terminal.runLesson(lesson), stopWatch])
      if (stopped) break
      // A few simulated minutes between lessons.
      if (n + 1 < lessonsEach) await Promise.race([sleep((rng.int(2, 10) * 60_000) / options.speedup), stopWatch])
    }
  }
  await Promise.all(terminals.map((t, i) => runOne(t, i)))
  clearTimeout(deadline)
  stopped = true
  await Promise.all(terminals.map((t) => t.stop()))
  clearInterval(ticker)
  const summary: FleetSummary = { ...progress(), failures }
  options.onProgress?.(summary)
  return summary
}

function sumStats(all: TerminalStats[]): TerminalStats {
  const sum = emptyStats()
  for (const s of all) for (const k of Object.keys(sum) as (keyof TerminalStats)[]) sum[k] += s[k]
  return sum
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

interface TerminalRow {
  device_no: string
  phone: string
  imei: string
  serial_no: string | null
  county_code: string
  institution_id: number
  ins_code: string
  plate: string
  plate_color: number
  vehicle_type: string
  polygon: PolygonGeometry | string
}

interface CoachRow {
  coach_no: string
  id_card: string
  teach_permitted: string
  institution_id: number
}

interface StudentRow {
  stu_no: string
  license_type: string
  institution_id: number
}

/** Items by key, each list in input order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list) list.push(item)
    else out.set(k, [item])
  }
  return out
}

/** Students given to each car (its own when the institution has enough for the type). */
const STUDENTS_PER_CAR = 4
/** Students drawn per institution and vehicle type at least, however few of its cars are picked. */
const MIN_STUDENT_POOL = 24

/**
 * Picks `count` active car terminals (with a vehicle and an institution that has a site polygon)
 * in an order fixed by the seed, and gives each a coach allowed to teach its vehicle type and a
 * few students training for that type: four of its own where the institution has students enough
 * for its picked cars of that type, otherwise shared in turn with its other cars.
 */
export async function loadFleetProfiles(db: RegistryQuery, count: number, seed: number): Promise<TerminalProfile[]> {
  const salt = String(seed)
  const rows = await db.query<TerminalRow>(
    `SELECT t.device_no, t.phone, t.imei, t.serial_no, t.county_code, t.institution_id, i.ins_code,
            v.plate, v.plate_color, v.vehicle_type, f.polygon
       FROM terminal t
       JOIN vehicle v ON v.id = t.vehicle_id
       JOIN institution i ON i.id = t.institution_id
       JOIN LATERAL (
         SELECT polygon FROM training_field tf
          WHERE tf.institution_id = t.institution_id AND tf.kind = 'site' AND tf.polygon IS NOT NULL
            AND tf.status = 'active'
          ORDER BY tf.id LIMIT 1
       ) f ON true
      WHERE t.status = 'active' AND t.terminal_type = 1
        AND EXISTS (SELECT 1 FROM coach c WHERE c.institution_id = t.institution_id
                      AND c.teach_permitted = v.vehicle_type AND c.employment_status = 'employed')
        AND EXISTS (SELECT 1 FROM student s WHERE s.institution_id = t.institution_id
                      AND s.license_type = v.vehicle_type AND s.status IN ('enrolled', 'training'))
      ORDER BY md5(t.device_no || $1)
      LIMIT $2`,
    [salt, count],
  )
  if (rows.length === 0) return []
  const institutions = [...new Set(rows.map((r) => r.institution_id))]
  const groupKey = (institutionId: number, type: string) => `${institutionId}:${type}`
  const carsOf = new Map<string, { institutionId: number; type: string; cars: number }>()
  for (const r of rows) {
    const key = groupKey(r.institution_id, r.vehicle_type)
    const group = carsOf.get(key)
    if (group) group.cars++
    else carsOf.set(key, { institutionId: r.institution_id, type: r.vehicle_type, cars: 1 })
  }
  const groups = [...carsOf.values()]
  const coaches = await db.query<CoachRow>(
    `SELECT coach_no, id_card, teach_permitted, institution_id FROM coach
      WHERE institution_id = ANY($1::int[]) AND employment_status = 'employed'
      ORDER BY md5(coach_no || $2)`,
    [institutions, salt],
  )
  const students = await db.query<StudentRow>(
    `SELECT stu_no, license_type, institution_id FROM (
       SELECT s.stu_no, s.license_type, s.institution_id, g.cap,
              row_number() OVER (PARTITION BY s.institution_id, s.license_type ORDER BY md5(s.stu_no || $1)) AS n
         FROM student s
         JOIN unnest($2::int[], $3::text[], $4::int[]) AS g(institution_id, license_type, cap)
           ON g.institution_id = s.institution_id AND g.license_type = s.license_type
        WHERE s.status IN ('enrolled', 'training')
     ) s WHERE n <= cap
      ORDER BY institution_id, license_type, n`,
    [
      salt,
      groups.map((g) => g.institutionId),
      groups.map((g) => g.type),
      groups.map((g) => Math.max(MIN_STUDENT_POOL, STUDENTS_PER_CAR * g.cars)),
    ],
  )
  const coachesOf = groupBy(coaches, (c) => groupKey(c.institution_id, c.teach_permitted))
  const studentsOf = groupBy(students, (s) => groupKey(s.institution_id, s.license_type))
  const used = new Map<string, number>()
  return rows.map((r) => {
    const key = groupKey(r.institution_id, r.vehicle_type)
    const turn = used.get(key) ?? 0
    used.set(key, turn + 1)
    const eligible = coachesOf.get(key) ?? []
    const coach = eligible[turn % eligible.length] as CoachRow
    const pool = studentsOf.get(key) ?? []
    const mine: StudentProfile[] = []
    for (let i = 0; i < Math.min(STUDENTS_PER_CAR, pool.length); i++) {
      const s = pool[(turn * STUDENTS_PER_CAR + i) % pool.length] as StudentRow
      mine.push({ stuNo: s.stu_no, licenseType: s.license_type })
    }
    const polygon = typeof r.polygon === 'string' ? (JSON.parse(r.polygon) as PolygonGeometry) : r.polygon
    return {
      phone: r.phone,
      deviceNo: r.device_no,
      imei: r.imei,
      ...(r.serial_no ? { serialNo: r.serial_no.slice(-7) } : {}),
      provinceId: Number(r.county_code.slice(0, 2)),
      cityId: Number(r.county_code.slice(2, 6)),
      plate: r.plate,
      plateColor: r.plate_color,
      institutionNo: r.ins_code,
      coach: { coachNo: coach.coach_no, idCard: coach.id_card, teachPermitted: coach.teach_permitted },
      students: mine,
      field: polygon,
    }
  })
}
