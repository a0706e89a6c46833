/**
 * Writes a generated demo province into the database: regions, timing platforms, institutions,
 * fields, coaches, vehicles, terminals, students, contracts and the demo accounts.
 *
 * Everything goes through the batch writer, parents before children, inside one transaction
 * (a failed run leaves nothing behind). Rows below the institutions are generated and written
 * in chunks so memory stays flat at province scale. Ids are assigned by the generator; the id
 * sequences are moved past them at the end.
 */
import { hashPassword } from '../auth/passwords.ts'
import { insertBatch } from '../db/batch.ts'
import type { Database, Sql } from '../db/client.ts'
import { appError } from '../errors/catalogue.ts'
import { DEMO_ACCOUNTS, DEMO_INSTITUTION_COUNTY, DEMO_PASSWORD } from './accounts.ts'
import { createContext, institutionRows, type MemberRows, memberRows, platformRows, regionRows } from './generate.ts'
import { planProvince, type ScaleName } from './plan.ts'
import { type StageReviewSummary, seedStageReviews } from './stage-reviews.ts'
import { GENERATED_ID_TABLES, type Row, type SeedTable, TABLE_COLUMNS, TABLE_LABELS } from './tables.ts'
import { HISTORY_CARS, type HistoryProgress, type HistorySummary, seedTrainingHistory } from './training-history.ts'

export interface SeedOptions {
  scale: ScaleName
  seed: number
  /** Empty the registry and the accounts first; without it a non-empty database is refused. */
  reset?: boolean
  /** Date the data is generated as of (YYYY-MM-DD); default today in China Standard Time. */
  today?: string
  /** Rows per batch statement. */
  chunkSize?: number
  onProgress?: (event: SeedProgress) => void
  /**
   * Local days of training history before `today` (lessons, classroom records, labelled frauds,
   * then a detection batch over them); default 0 = registry only.
   */
  historyDays?: number
  /** Cars with history (default per scale, HISTORY_CARS). */
  historyCars?: number
  /** Share of the history's practical lessons with an injected fraud (default 0.05). */
  historyFraudRate?: number
}

export type SeedProgress =
  | { kind: 'plan'; totals: Record<SeedTable, number> }
  | { kind: 'rows'; table: SeedTable; done: number; total: number }
  | { kind: 'phase'; phase: 'reset' | 'hash' | 'sequences' | 'accounts' | 'commit' }
  | HistoryProgress

export interface SeedSummary {
  scale: ScaleName
  seed: number
  today: string
  counts: Record<SeedTable, number>
  /** The training history step, when `historyDays` > 0. */
  history?: HistorySummary
  /** 阶段报审 of the complete parts after the history's detection (when there is a history). */
  stageReviews?: StageReviewSummary
  elapsedMs: number
}

/** Tables emptied by `reset`, children first (CASCADE also empties training data that points at them). */
const RESET_TABLES = [
  'contract',
  'student_transfer',
  'student',
  'terminal',
  'vehicle',
  'coach',
  'training_field',
  'api_token',
  'user_session',
  'app_user',
  'institution',
  'timing_platform',
]

/**
 * Training data emptied by `reset` as well: CASCADE empties the sessions, these hold no foreign key
 * to the registry but describe its people and cars.
 */
const RESET_TRAINING_TABLES = [
  'minute_record',
  'position',
  'photo',
  'finding',
  'session_credit',
  'stage_review',
  'completion_certificate',
  'detection_run',
]

/** Tables that make a database "not empty" for seeding. */
const OCCUPIED_CHECK: readonly [string, string][] = [
  ['institution', '驾培机构'],
  ['timing_platform', '计时平台'],
  ['student', '学员'],
  ['app_user', '账号'],
]

export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

/** Row counts of the tables that make a database non-empty; all zero for a fresh one. */
export async function occupiedTables(q: Sql): Promise<{ table: string; label: string; count: number }[]> {
  const rows = await q.query<Record<string, number>>(
    `SELECT ${OCCUPIED_CHECK.map(([t]) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
  )
  const counts = rows[0] ?? {}
  return OCCUPIED_CHECK.map(([table, label]) => ({ table, label, count: Number(counts[table] ?? 0) })).filter(
    (t) => t.count > 0,
  )
}

async function refuseIfOccupied(q: Sql) {
  const occupied = await occupiedTables(q)
  if (occupied.length > 0) {
    throw appError('ERR_SEED_NOT_EMPTY', { detail: occupied.map((t) => `${t.label} ${t.count} 条`).join('、') })
  }
}

export async function seedDemo(database: Database, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now()
  const today = options.today ?? todayInChina()
  const chunkSize = options.chunkSize ?? 5000
  const progress = options.onProgress ?? (() => {})
  const plan = planProvince(options.scale, options.seed)
  const ctx = createContext(plan, today)
  const totals: Record<SeedTable, number> = {
    region: plan.regions.length,
    timing_platform: plan.timingPlatforms,
    institution: plan.totals.institutions,
    training_field: plan.totals.fields,
    coach: plan.totals.coaches,
    vehicle: plan.totals.vehicles,
    terminal: plan.totals.terminals,
    student: plan.totals.students,
    contract: plan.totals.students,
    app_user: DEMO_ACCOUNTS.length,
  }
  progress({ kind: 'plan', totals })
  const counts = Object.fromEntries(Object.keys(totals).map((k) => [k, 0])) as Record<SeedTable, number>

  // Refuse early (and again inside the transaction, which is what counts).
  if (!options.reset) await refuseIfOccupied(database)

  // One hash for every demo account: argon2 is slow on purpose.
  progress({ kind: 'phase', phase: 'hash' })
  const passwordHash = await hashPassword(DEMO_PASSWORD)

  await database.transaction(async (tx) => {
    if (options.reset) {
      progress({ kind: 'phase', phase: 'reset' })
      await tx.query(`TRUNCATE ${RESET_TABLES.join(', ')} RESTART IDENTITY CASCADE`)
      await tx.query(`TRUNCATE ${RESET_TRAINING_TABLES.join(', ')} RESTART IDENTITY CASCADE`)
    } else {
      await refuseIfOccupied(tx)
    }

    const write = async (table: SeedTable, rows: Row[], onConflict?: string) => {
      const columns = TABLE_COLUMNS[table]
      const base = counts[table]
      await insertBatch(
        tx,
        table,
        columns,
        rows.map((r) => columns.map((c) => r[c.name])),
        {
          chunkSize,
          onConflict,
          onProgress: (done) => progress({ kind: 'rows', table, done: base + done, total: totals[table] }),
        },
      )
      counts[table] += rows.length
    }

    await write('region', regionRows(plan), '(code) DO NOTHING')
    await write('timing_platform', platformRows(ctx))
    const { institutions, fields } = institutionRows(ctx)
    await write('institution', institutions)
    await write('training_field', fields)

    const order = ['coach', 'vehicle', 'terminal', 'student', 'contract'] as const
    let buffer: MemberRows = { coach: [], vehicle: [], terminal: [], student: [], contract: [] }
    let buffered = 0
    const flush = async () => {
      for (const table of order) if (buffer[table].length) await write(table, buffer[table])
      buffer = { coach: [], vehicle: [], terminal: [], student: [], contract: [] }
      buffered = 0
    }
    for (const info of ctx.institutions) {
      const rows = memberRows(ctx, info)
      for (const table of order) {
        for (const r of rows[table]) buffer[table].push(r)
        buffered += rows[table].length
      }
      if (buffered >= chunkSize * 4) await flush()
    }
    await flush()

    progress({ kind: 'phase', phase: 'sequences' })
    for (const table of GENERATED_ID_TABLES) {
      await tx.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
      )
    }

    progress({ kind: 'phase', phase: 'accounts' })
    await write('app_user', await demoAccountRows(tx, passwordHash))
    progress({ kind: 'phase', phase: 'commit' })
  })

  const history =
    (options.historyDays ?? 0) > 0
      ? await seedTrainingHistory(database, {
          days: options.historyDays ?? 0,
          today,
          seed: options.seed,
          cars: options.historyCars ?? HISTORY_CARS[options.scale],
          ...(options.historyFraudRate === undefined ? {} : { fraudRate: options.historyFraudRate }),
          onProgress: progress,
        })
      : undefined
  // Once detection has credited the history: 阶段报审 of complete parts, some decided, some pending.
  const stageReviews = history ? await seedStageReviews(database) : undefined
  return {
    scale: options.scale,
    seed: options.seed,
    today,
    counts,
    ...(history ? { history } : {}),
    ...(stageReviews ? { stageReviews } : {}),
    elapsedMs: Math.round(performance.now() - started),
  }
}

/** The demo accounts, bound to the first institution of 西湖区, its first coach and student, the first platform. */
async function demoAccountRows(q: Sql, passwordHash: string): Promise<Row[]> {
  const [ins] = await q.query<{ id: number; name: string; county_code: string }>(
    'SELECT id, name, county_code FROM institution WHERE county_code = $1 ORDER BY id LIMIT 1',
    [DEMO_INSTITUTION_COUNTY],
  )
  if (!ins) throw new Error(`demo institution missing in ${DEMO_INSTITUTION_COUNTY}`)
  const [coach] = await q.query<{ id: number; name: string }>(
    `SELECT id, name FROM coach WHERE institution_id = $1 AND employment_status = 'employed' ORDER BY id LIMIT 1`,
    [ins.id],
  )
  const [student] = await q.query<{ id: number; name: string }>(
    `SELECT id, name FROM student WHERE institution_id = $1 AND status = 'training' ORDER BY id LIMIT 1`,
    [ins.id],
  )
  const [platform] = await q.query<{ id: number; operator_name: string }>(
    'SELECT id, operator_name FROM timing_platform ORDER BY id LIMIT 1',
  )
  if (!coach || !student || !platform) throw new Error('demo coach, student or platform missing')
  return DEMO_ACCOUNTS.map((a) => {
    const row: Row = {
      username: a.username,
      display_name: a.displayName,
      password_hash: passwordHash,
      role: a.role,
      region_code: a.regionCode,
      institution_id: null,
      timing_platform_id: null,
      subject_id: null,
    }
    if (a.role === 'institution' || a.role === 'coach' || a.role === 'student') {
      row.institution_id = ins.id
      row.region_code = ins.county_code
      row.display_name = a.role === 'institution' ? ins.name : a.role === 'coach' ? coach.name : student.name
      if (a.role === 'coach') row.subject_id = coach.id
      if (a.role === 'student') row.subject_id = student.id
    }
    if (a.role === 'operator') {
      row.timing_platform_id = platform.id
      row.display_name = platform.operator_name
    }
    return row
  })
}

export { TABLE_LABELS }
