/**
 * Streaming detection: every `intervalMs` the loop picks the sessions that are due — a minute
 * record arrived after the session was last evaluated, or the session ended and was never
 * evaluated — and evaluates them in batches of `batchSize` (detect.ts: one transaction per batch,
 * credits re-decided at once). Open sessions are evaluated as their minutes arrive; the rules see
 * `now` and do not judge what has not arrived yet. Every `crossIntervalMs` the cross rules run over
 * yesterday and today (local days), so cross-session findings appear without a manual batch run.
 *
 * Only sessions started within `lookbackHours` are considered (an index range on
 * training_session.started_at, then one index probe of minute_record per session); a 补传 for an
 * older session, or an older session never evaluated, is picked up by the batch run
 * (`jiapei detect`). A batch that fails is retried session by session; a session that still fails
 * is reported through `onError` and left out until the process restarts, so one bad session
 * cannot stall the loop. Runs in the `ingest` role; `stop()` waits for the running tick.
 */
import type { Database, Sql } from '../../db/client.ts'
import type { Rule } from '../rule.ts'
import { localDay, localMidnight } from '../time.ts'
import { type BatchSummary, runDetectionBatch } from './batch.ts'
import { type DetectSummary, detectSessions } from './detect.ts'

export interface DueOptions {
  limit: number
  now: Date
  lookbackHours: number
  /** Sessions to leave out (they failed before). */
  exclude?: readonly number[]
}

/** Ids of the sessions due for evaluation, oldest first. */
export async function dueSessionIds(q: Sql, options: DueOptions): Promise<number[]> {
  const since = new Date(options.now.getTime() - options.lookbackHours * 3_600_000)
  const rows = await q.query<{ id: number }>(
    `SELECT ts.id FROM training_session ts
      WHERE ts.started_at >= $1 AND NOT (ts.id = ANY($3::bigint[]))
        AND ((ts.evaluated_at IS NULL AND ts.ended_at IS NOT NULL)
          OR EXISTS (
                SELECT 1 FROM minute_record m
                 WHERE m.session_id = ts.id AND m.arrived_at > COALESCE(ts.evaluated_at, '-infinity'::timestamptz)))
      ORDER BY ts.started_at, ts.id
      LIMIT $2`,
    [since, options.limit, [...(options.exclude ?? [])]],
  )
  return rows.map((r) => Number(r.id))
}

export interface StreamOptions {
  database: Database
  intervalMs: number
  batchSize: number
  lookbackHours: number
  /** Batches evaluated per tick at most, so a backlog does not starve the process. */
  maxBatchesPerTick?: number
  /**
   * Every this many ms, the cross rules run over yesterday and today (local days) so overlaps,
   * cross-training and reused photos surface without a manual batch run; 0 = never.
   */
  crossIntervalMs?: number
  rules?: readonly Rule[]
  onBatch?: (summary: DetectSummary) => void
  onCross?: (summary: BatchSummary) => void
  onError?: (error: unknown, sessionId?: number) => void
  /** Clock (tests). */
  now?: () => Date
}

export interface DetectionStream {
  /** Runs one tick now (waits for a running one first); resolves to the sessions evaluated. */
  tick(): Promise<number>
  /** Runs the cross rules over yesterday and today now. */
  cross(): Promise<BatchSummary>
  stop(): Promise<void>
}

export function startDetectionStream(options: StreamOptions): DetectionStream {
  const failed = new Set<number>()
  const clock = options.now ?? (() => new Date())
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let stopped = false

  const evaluate = async (ids: number[], now: Date): Promise<number> => {
    const detect = (batch: number[]) =>
      detectSessions(options.database, batch, {
        now,
        detectedBy: 'stream',
        ...(options.rules ? { rules: options.rules } : {}),
      })
    try {
      options.onBatch?.(await detect(ids))
      return ids.length
    } catch (error) {
      if (ids.length === 1) {
        failed.add(ids[0] as number)
        options.onError?.(error, ids[0])
        return 0
      }
      let done = 0
      for (const id of ids) done += await evaluate([id], now)
      return done
    }
  }

  const run = async (): Promise<number> => {
    let total = 0
    const maxBatches = options.maxBatchesPerTick ?? 10
    for (let i = 0; i < maxBatches && !stopped; i++) {
      const now = clock()
      const ids = await dueSessionIds(options.database, {
        limit: options.batchSize,
        now,
        lookbackHours: options.lookbackHours,
        exclude: [...failed],
      })
      if (ids.length === 0) break
      total += await evaluate(ids, now)
      if (ids.length < options.batchSize) break
    }
    return total
  }

  const tick = async (): Promise<number> => {
    while (running) await running.catch(() => 0)
    running = run()
    try {
      return await running
    } finally {
      running = undefined
    }
  }

  const cross = async (): Promise<BatchSummary> => {
    while (running) await running.catch(() => 0)
    const now = clock()
    const from = new Date(localMidnight(localDay(now)).getTime() - 86_400_000)
    const job = runDetectionBatch(options.database, {
      from,
      to: now,
      now,
      sessions: false,
      ...(options.rules ? { rules: options.rules } : {}),
    })
    running = job.then(() => 0)
    try {
      const summary = await job
      options.onCross?.(summary)
      return summary
    } finally {
      running = undefined
    }
  }

  let crossTimer: NodeJS.Timeout | undefined
  const scheduleCross = () => {
    if (stopped || !options.crossIntervalMs) return
    crossTimer = setTimeout(() => {
      cross()
        .catch((error) => options.onError?.(error))
        .finally(scheduleCross)
    }, options.crossIntervalMs)
    crossTimer.unref?.()
  }
  scheduleCross()

  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      tick()
        .catch((error) => options.onError?.(error))
        .finally(schedule)
    }, options.intervalMs)
    timer.unref?.()
  }
  schedule()

  return {
    tick,
    cross,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      if (crossTimer) clearTimeout(crossTimer)
      await running?.catch(() => 0)
    },
  }
}
