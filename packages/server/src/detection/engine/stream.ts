/**
 * Streaming detection: every `intervalMs` the loop claims the sessions that are due — ingestion or
 * the exchange interface wrote one of their minute records, their start or their end (the queue in
 * due.ts) — and evaluates them in batches of `batchSize` (detect.ts: one transaction per batch,
 * credits re-decided at once). Open sessions are evaluated as their minutes arrive; the rules see
 * `now` and do not judge what has not arrived yet. A 补传 for a session of last week makes it due
 * like any other. Every `crossIntervalMs` the cross rules run over yesterday and today (local
 * days), so cross-session findings appear without a manual batch run.
 *
 * The work follows what arrived: a tick reads the queue, never scans recent sessions. A batch that
 * fails is retried session by session; a session that still fails is reported through `onError`,
 * put back in the queue and left out by this process until it restarts, so one bad session
 * cannot stall the loop. Runs in the `ingest` role (several ingest processes share the queue);
 * `stop()` waits for the running tick.
 */
import type { Database } from '../../db/client.ts'
import type { Rule } from '../rule.ts'
import { localDay, localMidnight } from '../time.ts'
import { type BatchSummary, runDetectionBatch } from './batch.ts'
import { type DetectSummary, detectSessions } from './detect.ts'
import { claimDue, markDue } from './due.ts'

export interface StreamOptions {
  database: Database
  intervalMs: number
  batchSize: number
  /** A due session waits this long (ms) before it is claimed: open sessions are judged at most this often (default 0). */
  settleMs?: number
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
        await markDue(options.database, ids).catch(() => {})
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
      const ids = await claimDue(options.database, {
        limit: options.batchSize,
        exclude: [...failed],
        settleMs: options.settleMs ?? 0,
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
