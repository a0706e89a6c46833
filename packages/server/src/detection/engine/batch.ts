/**
 * Batch detection over a window: every session overlapping [from, to) (optionally of one city) is
 * evaluated again with the session rules in batches (detect.ts, credits re-decided), then the
 * cross rules run over the whole window and their findings are upserted. A detection_run row
 * (kind 'batch', or 'cross' when only the cross rules ran) records the window, the detection
 * policy version in force at its start, the timings and counts (or the error). Re-running a
 * window is idempotent: findings are keyed by dedupe_key. Windows longer than a week run the cross
 * rules week by week (one shared day between weeks), so a year's run does not load a year of
 * minutes at once; reused photos are then compared within each week.
 */
import type { Database } from '../../db/client.ts'
import type { Rule } from '../rule.ts'
import { RULES } from '../rules/index.ts'
import { type DetectSummary, detectSessions } from './detect.ts'
import { evaluateCross, type RuleError } from './evaluate.ts'
import { loadPolicies, loadWindowFacts, sessionIdsInWindow } from './facts.ts'
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
  onProgress?: (progress: BatchProgress) => void
}

const CROSS_CHUNK_DAYS = 7
const DAY_MS = 86_400_000

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
    options.onProgress?.({ phase: 'cross', done: 0, total: chunks.length })
    for (const [i, [from, to]] of chunks.entries()) {
      const window = await loadWindowFacts(database, from, to, {
        now,
        policies,
        ...(options.cityCode ? { cityCode: options.cityCode } : {}),
      })
      const cross = evaluateCross(window.cross, rules, policies.detection.at(from), 'batch')
      const written = await persistFindings(database, cross.findings)
      summary.findingsInserted += written.inserted
      summary.findingsUpdated += written.updated
      summary.unplaced += cross.unplaced
      summary.errors.push(...cross.errors)
      for (const f of cross.findings) summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1
      options.onProgress?.({ phase: 'cross', done: i + 1, total: chunks.length })
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
