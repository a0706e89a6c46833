/**
 * Streaming detection: every `intervalMs` the loop claims the sessions that are due — ingestion or
 * the exchange interface wrote one of their minute records, their start or their end (the queue in
 * due.ts) — and evaluates them in batches of `batchSize` (detect.ts: one transaction per batch,
 * credits re-decided at once). Open sessions are evaluated as their minutes arrive; the rules see
 * `now` and do not judge what has not arrived yet. A 补传 for a session of last week makes it due
 * like any other. Every `crossIntervalMs` the cross rules run over yesterday and today (local
 * days), so cross-session findings appear without a manual batch run.
 *
 * The work follows what arrived: a tick reads the queue, never scans recent sessions. A claim is a
 * lease: the rows leave the queue only once the evaluation has committed and nothing arrived
 * meanwhile (due.ts). A batch that fails is retried session by session; a session that still fails
 * is reported through `onError`, released to the queue and left out by this process until it
 * restarts, so one bad session cannot stall the loop. Runs in the `ingest` role (several ingest processes share the queue);
 * `stop()` waits for the running tick.
 */
import type { Database } from '../../db/client.ts'
import type { Rule } from '../rule.ts'
import { localDay, localMidnight } from '../time.ts'
import { type BatchSummary, runDetectionBatch } from './batch.ts'
import { type DetectSummary, detectSessions } from './detect.ts'
import { type Claim, claimDue, releaseDue, settleDue } from './due.ts'

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

  const evaluate = async (claims: Claim[], now: Date): Promise<number> => {
    const ids = claims.map((c) => c.sessionId)
    let summary: DetectSummary
    try {
      summary = await detectSessions(options.database, ids, {
        now,
        detectedBy: 'stream',
        ...(options.rules ? { rules: options.rules } : {}),
      })
    } catch (error) {
      if (claims.length === 1) {
        failed.add(ids[0] as number)
        await releaseDue(options.database, ids).catch((releaseError) => options.onError?.(releaseError, ids[0]))
        options.onError?.(error, ids[0])
        return 0
      }
      let done = 0
      for (const claim of claims) done += await evaluate([claim], now)
      return done
    }
    // Committed: drop the claims nothing arrived on meanwhile (if this fails, their lease runs out
    // and they are judged once more).
    await settleDue(options.database, claims).catch((error) => options.onError?.(error))
    options.onBatch?.(summary)
    return claims.length
  }

  const run = async (): Promise<number> => {
    let total = 0
    const maxBatches = options.maxBatchesPerTick ?? 10
    for (let i = 0; i < maxBatches && !stopped; i++) {
      const now = clock()
      const claims = await claimDue(options.database, {
        limit: options.batchSize,
        exclude: [...failed],
        settleMs: options.settleMs ?? 0,
      })
      if (claims.length === 0) break
      total += await evaluate(claims, now)
      if (claims.length < options.batchSize) break
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
