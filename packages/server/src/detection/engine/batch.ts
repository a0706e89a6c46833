/**
 * Batch detection over a window: every session overlapping [from, to) (optionally of one city) is
 * evaluated again with the session rules in batches (detect.ts, credits re-decided), then the
 * cross rules run over the whole window and their findings are upserted. A detection_run row
 * (kind 'batch', or 'cross' when only the cross rules ran) records the window, the detection
 * policy version in force at its start, the timings and counts (or the error). Re-running a
 * window is idempotent: findings are keyed by dedupe_key. Windows longer than a week run the cross
 * rules week by week (one shared day between weeks), so a year's run does not load a year of
 * minutes at once; reused photos are then compared within each week. Within a chunk the cross
 * rules run in passes by what they must see at once (`crossPasses`): the per-student rules slice
 * by slice of the students, so a province-day is never held in memory whole.
 */
import type { Database } from '../../db/client.ts'
import type { DetectionPolicy } from '../../policy/detection.ts'
import type { SyllabusPolicy } from '../../policy/syllabus.ts'
import type { CrossRule, Rule } from '../rule.ts'
import { RULES } from '../rules/index.ts'
import { type DetectSummary, detectSessions } from './detect.ts'
import { activeRules, evaluateCross, type RuleError } from './evaluate.ts'
import { loadPolicies, loadWindowFacts, type MinuteSelection, sessionIdsInWindow, type WindowOptions } from './facts.ts'
import { persistFindings } from './persist.ts'

export interface BatchProgress {
  phase: 'sessions' | 'cross'
  done: number
  total: number
}

export interface BatchOptions {
  from: Date
  to: Date
  /** 6-digit city code. */
  cityCode?: string
  batchSize?: number
  /** Re-evaluate the window's sessions before the cross rules (default true); false = cross rules only. */
  sessions?: boolean
  rules?: readonly Rule[]
  now?: Date
  /** Cross rules run over chunks of at most this many days (default 7), so a long window stays within memory. */
  crossChunkDays?: number
  /** Sessions per slice of students in the cross pass (default 20,000), so a province-day stays within memory. */
  crossSliceSessions?: number
  onProgress?: (progress: BatchProgress) => void
}

const CROSS_CHUNK_DAYS = 7
const DAY_MS = 86_400_000
/**
 * Sessions per slice of students in the cross pass: about a million minute records in memory at
 * a time (a province-day, ~180k sessions, is read in about ten slices).
 */
const CROSS_SLICE_SESSIONS = 20_000

/** One load-and-evaluate step of the cross rules: which rules, and what to load for them. */
interface CrossPass {
  rules: CrossRule[]
  load: WindowOptions
}

/**
 * The passes over one window, by what each rule must see at once (CrossRule.reach): the
 * student rules slice by slice of the students (minutes, exams and credits, no photos), then the
 * rules over all sessions without minutes, then the photo rules over all photos without minutes.
 * Passes whose rules are all absent are left out.
 */
export function crossPasses(rules: readonly Rule[], slices: number): CrossPass[] {
  const cross = rules.filter((r): r is CrossRule => r.scope === 'cross')
  const of = (reach: CrossRule['reach']) => cross.filter((r) => r.reach === reach)
  const count = Math.max(1, Math.floor(slices))
  const passes: CrossPass[] = []
  if (of('student').length > 0) {
    for (let index = 0; index < count; index++) {
      passes.push({
        rules: of('student'),
        load: { photos: false, ...(count > 1 ? { studentSlice: { count, index } } : {}) },
      })
    }
  }
  if (of('sessions').length > 0) {
    passes.push({ rules: of('sessions'), load: { minutes: 'open-last', photos: false, studentFacts: false } })
  }
  if (of('photos').length > 0) {
    passes.push({ rules: of('photos'), load: { minutes: 'none', photos: true, studentFacts: false } })
  }
  return passes
}

/**
 * The minute records a student pass loads: what its enabled rules declare they read (rule.ts
 * `MinuteNeed`) put together — every minute when one of them declares nothing or 'all'.
 */
export function minuteSelection(
  rules: readonly CrossRule[],
  policy: DetectionPolicy,
  syllabus: SyllabusPolicy,
): 'all' | MinuteSelection {
  const selection: MinuteSelection = { coachMismatch: false, studentDayOver: null }
  for (const { rule, params } of activeRules(rules, policy, 'cross')) {
    const need = rule.minutes ? rule.minutes(params, syllabus) : 'all'
    if (need === 'all') return 'all'
    if (need === 'none') continue
    if (need.coachMismatch) selection.coachMismatch = true
    if (need.studentDayOver !== undefined) {
      if (!Number.isFinite(need.studentDayOver)) return 'all'
      selection.studentDayOver = Math.min(selection.studentDayOver ?? need.studentDayOver, need.studentDayOver)
    }
  }
  return selection
}

/**
 * [from, to) cut into chunks of at most `days` days; consecutive chunks share one day, so an
 * overlap or a daily cap around a chunk boundary is seen whole in one of them (findings are keyed,
 * a pair seen in both is stored once).
 */
export function crossChunks(from: Date, to: Date, days: number): [Date, Date][] {
  const span = Math.max(1, Math.floor(days)) * DAY_MS
  if (to.getTime() - from.getTime() <= span) return [[from, to]]
  const chunks: [Date, Date][] = []
  const step = span > DAY_MS ? span - DAY_MS : span
  for (let start = from.getTime(); ; start += step) {
    const end = Math.min(to.getTime(), start + span)
    chunks.push([new Date(start), new Date(end)])
    if (end >= to.getTime()) break
  }
  return chunks
}

export interface BatchSummary {
  runId: number
  policyVersion: number
  sessions: number
  minutes: number
  invalidMinutes: number
  /** Findings produced per rule id, session and cross rules together. */
  byRule: Record<string, number>
  findingsInserted: number
  findingsUpdated: number
  /** Cross findings that could not be placed in a jurisdiction (no anchor session). */
  unplaced: number
  creditRowsWritten: number
  /** Load-and-evaluate passes of the cross rules (see `crossPasses`). */
  crossPasses: number
  errors: RuleError[]
  sessionMs: number
  crossMs: number
  totalMs: number
}

export async function runDetectionBatch(database: Database, options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now()
  const now = options.now ?? new Date()
  const rules = options.rules ?? RULES
  const batchSize = options.batchSize ?? 200
  const policies = await loadPolicies(database)
  const detection = policies.detection.at(options.from)
  const [run] = await database.query<{ id: number }>(
    `INSERT INTO detection_run (kind, window_from, window_to, policy_version, started_at, stats)
     VALUES ($6, $1, $2, $3, $4, $5::jsonb) RETURNING id`,
    [
      options.from,
      options.to,
      detection.version,
      now,
      JSON.stringify({ cityCode: options.cityCode ?? null }),
      options.sessions === false ? 'cross' : 'batch',
    ],
  )
  const runId = Number(run?.id)
  try {
    const ids =
      options.sessions === false ? [] : await sessionIdsInWindow(database, options.from, options.to, options.cityCode)
    const summary: BatchSummary = {
      runId,
      policyVersion: detection.version,
      sessions: 0,
      minutes: 0,
      invalidMinutes: 0,
      byRule: {},
      findingsInserted: 0,
      findingsUpdated: 0,
      unplaced: 0,
      creditRowsWritten: 0,
      crossPasses: 0,
      errors: [],
      sessionMs: 0,
      crossMs: 0,
      totalMs: 0,
    }
    const add = (s: DetectSummary) => {
      summary.sessions += s.sessions
      summary.minutes += s.minutes
      summary.invalidMinutes += s.invalidMinutes
      summary.findingsInserted += s.findings.inserted
      summary.findingsUpdated += s.findings.updated
      summary.creditRowsWritten += s.credits.written
      summary.errors.push(...s.errors)
      for (const [rule, n] of Object.entries(s.byRule)) summary.byRule[rule] = (summary.byRule[rule] ?? 0) + n
    }
    options.onProgress?.({ phase: 'sessions', done: 0, total: ids.length })
    for (let i = 0; i < ids.length; i += batchSize) {
      add(await detectSessions(database, ids.slice(i, i + batchSize), { rules, now, detectedBy: 'batch', policies }))
      options.onProgress?.({ phase: 'sessions', done: Math.min(ids.length, i + batchSize), total: ids.length })
    }
    summary.sessionMs = Math.round(performance.now() - started)

    const crossStarted = performance.now()
    const chunks = crossChunks(options.from, options.to, options.crossChunkDays ?? CROSS_CHUNK_DAYS)
    const sliceSessions = Math.max(1, options.crossSliceSessions ?? CROSS_SLICE_SESSIONS)
    const planned: { from: Date; to: Date; passes: CrossPass[] }[] = []
    for (const [from, to] of chunks) {
      const count = (await sessionIdsInWindow(database, from, to, options.cityCode)).length
      planned.push({ from, to, passes: crossPasses(rules, Math.ceil(count / sliceSessions)) })
    }
    const totalPasses = planned.reduce((n, c) => n + c.passes.length, 0)
    let passesDone = 0
    options.onProgress?.({ phase: 'cross', done: 0, total: totalPasses })
    for (const { from, to, passes } of planned) {
      const policy = policies.detection.at(from)
      const syllabus = policies.syllabus.at(from).body
      for (const pass of passes) {
        // A student pass reads only the minute records its rules need.
        const minutes = pass.load.minutes ?? minuteSelection(pass.rules, policy.body as DetectionPolicy, syllabus)
        const window = await loadWindowFacts(database, from, to, {
          now,
          policies,
          ...(options.cityCode ? { cityCode: options.cityCode } : {}),
          ...pass.load,
          minutes,
        })
        const cross = evaluateCross(window.cross, pass.rules, policy, 'batch')
        const written = await persistFindings(database, cross.findings)
        summary.findingsInserted += written.inserted
        summary.findingsUpdated += written.updated
        summary.unplaced += cross.unplaced
        summary.errors.push(...cross.errors)
        for (const f of cross.findings) summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1
        summary.crossPasses++
        options.onProgress?.({ phase: 'cross', done: ++passesDone, total: totalPasses })
      }
    }
    summary.crossMs = Math.round(performance.now() - crossStarted)
    summary.totalMs = Math.round(performance.now() - started)

    const { runId: _, errors, ...stats } = summary
    await database.query(`UPDATE detection_run SET finished_at = $2, stats = $3::jsonb WHERE id = $1`, [
      runId,
      new Date(),
      JSON.stringify({ ...stats, cityCode: options.cityCode ?? null, ruleErrors: errors.slice(0, 50) }),
    ])
    return summary
  } catch (error) {
    await database
      .query('UPDATE detection_run SET finished_at = $2, error = $3 WHERE id = $1', [
        runId,
        new Date(),
        (error as Error).message,
      ])
      .catch(() => {})
    throw error
  }
}
