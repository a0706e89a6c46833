/**
 * The ingestion pipeline (STYLE §G): normalize → dedupe → persist (raw plus derived rows, one
 * transaction) → publish `RecordIngested`. Each step is a named function over the batch, so each
 * can be tested by itself; `runPipeline` runs them in order around the transaction.
 */
import type { Database, Sql } from '../db/client.ts'
import { type BatchPlan, dedupe } from './dedupe.ts'
import type { FrameEnvelope } from './envelope.ts'
import { type NormalizedEnvelope, normalizeEnvelope } from './normalize/events.ts'
import { type PersistResult, persist } from './persist.ts'
import type { RegistryCache } from './registry-cache.ts'

/** Published after COMMIT for every batch that reached the database. */
export interface RecordIngested {
  frames: number
  written: PersistResult
  committedAt: Date
}

export interface BatchState {
  envelopes: readonly FrameEnvelope[]
  normalized: NormalizedEnvelope[]
  plan: BatchPlan
  written: PersistResult
  /** The open transaction while `transactional` steps run. */
  tx: Sql | null
}

export interface PipelineContext {
  registry: RegistryCache
  onIngested?: ((event: RecordIngested) => void) | undefined
}

export interface PipelineStep {
  name: string
  /** 'prepare' steps run before BEGIN, 'transaction' steps inside it, 'committed' after COMMIT. */
  phase: 'prepare' | 'transaction' | 'committed'
  run(state: BatchState, context: PipelineContext): void | Promise<void>
}

export const normalizeStep: PipelineStep = {
  name: 'normalize',
  phase: 'prepare',
  run(state) {
    state.normalized = state.envelopes.map(normalizeEnvelope)
  },
}

export const dedupeStep: PipelineStep = {
  name: 'dedupe',
  phase: 'prepare',
  run(state) {
    state.plan = dedupe(state.normalized)
  },
}

export const persistStep: PipelineStep = {
  name: 'persist',
  phase: 'transaction',
  async run(state, context) {
    if (!state.tx) throw new Error('persist runs inside a transaction')
    state.written = await persist(state.tx, state.plan, context.registry)
  },
}

export const publishStep: PipelineStep = {
  name: 'publish',
  phase: 'committed',
  run(state, context) {
    context.onIngested?.({ frames: state.envelopes.length, written: state.written, committedAt: new Date() })
  },
}

export const INGEST_PIPELINE: readonly PipelineStep[] = [normalizeStep, dedupeStep, persistStep, publishStep]

const EMPTY_RESULT: PersistResult = { rawFrames: 0, sessions: 0, minutes: 0, positions: 0, unresolved: 0 }

/** Runs the pipeline for one batch; resolves after COMMIT (and after the committed steps). */
export async function runPipeline(
  database: Database,
  envelopes: readonly FrameEnvelope[],
  context: PipelineContext,
  steps: readonly PipelineStep[] = INGEST_PIPELINE,
): Promise<BatchState> {
  const state: BatchState = {
    envelopes,
    normalized: [],
    plan: { raw: [], positions: [], minutes: [], sessions: [] },
    written: { ...EMPTY_RESULT },
    tx: null,
  }
  for (const step of steps) if (step.phase === 'prepare') await step.run(state, context)
  await database.transaction(async (tx) => {
    state.tx = tx
    try {
      for (const step of steps) if (step.phase === 'transaction') await step.run(state, context)
    } finally {
      state.tx = null
    }
  })
  for (const step of steps) {
    if (step.phase !== 'committed') continue
    try {
      await step.run(state, context)
    } catch {
      // The batch is durable; a failing listener must not turn it into a failure for the callers.
    }
  }
  return state
}
