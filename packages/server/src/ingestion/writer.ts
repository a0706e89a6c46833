/**
 * The ingest writer: an {@link IngestSink} with group commit. Envelopes accepted within `windowMs`
 * (or until `maxBatch` are waiting) are written together in ONE transaction by the pipeline; every
 * caller's promise resolves only after that COMMIT. If the transaction fails nothing of the batch
 * is stored; the batch is then retried caller by caller, so that the frames one caller cannot write
 * do not refuse everybody else's, and the callers that still fail are rejected (their terminals
 * resend). While one batch commits, the next one gathers, so throughput grows with load instead of
 * latency.
 */
import { insertBatch } from '../db/batch.ts'
import type { Database, Sql } from '../db/client.ts'
import { AppError, appError } from '../errors/catalogue.ts'
import type { AssembledPhoto, FrameEnvelope, IngestSink } from './envelope.ts'
import { beijingToUtc } from './normalize/time.ts'
import type { PhotoStore, StoredPhoto } from './photo-store.ts'
import { type PipelineStep, type RecordIngested, runPipeline } from './pipeline.ts'
import { RegistryCache } from './registry-cache.ts'

export interface IngestWriterOptions {
  database: Database
  photoStore: PhotoStore
  /** Group-commit window: how long the first waiting envelope may wait for company. Default 5 ms. */
  windowMs?: number
  /** Envelopes that trigger a commit at once. Default 2000. */
  maxBatch?: number
  /** Called after every committed batch (RecordIngested). */
  onIngested?: (event: RecordIngested) => void
  /** Replaces the pipeline steps (tests). */
  steps?: readonly PipelineStep[]
}

export interface IngestWriterStats {
  batches: number
  envelopes: number
  failedBatches: number
  photos: number
}

export interface IngestWriter extends IngestSink {
  /** Commits whatever is waiting now, without waiting for the window. */
  flush(): Promise<void>
  readonly stats: Readonly<IngestWriterStats>
}

interface Waiting {
  envelopes: readonly FrameEnvelope[]
  resolve: () => void
  reject: (error: unknown) => void
}

export function createIngestWriter(options: IngestWriterOptions): IngestWriter {
  const { database, photoStore } = options
  const windowMs = options.windowMs ?? 5
  const maxBatch = Math.max(1, options.maxBatch ?? 2000)
  const registry = new RegistryCache()
  const context = { registry, onIngested: options.onIngested }
  const stats: IngestWriterStats = { batches: 0, envelopes: 0, failedBatches: 0, photos: 0 }

  let queue: Waiting[] = []
  let queued = 0
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null
  let closed = false

  const schedule = () => {
    if (running) return // the running loop picks the queue up when its commit is done
    if (queued >= maxBatch) {
      start()
      return
    }
    timer ??= setTimeout(start, windowMs)
  }

  const start = () => {
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    if (running || queue.length === 0) return
    running = drain().finally(() => {
      running = null
      if (queue.length > 0) schedule()
    })
  }

  /** Commits batches until the queue is empty; callers are grouped whole, up to maxBatch envelopes. */
  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const group: Waiting[] = []
      let size = 0
      while (queue.length > 0 && (group.length === 0 || size + (queue[0] as Waiting).envelopes.length <= maxBatch)) {
        const next = queue.shift() as Waiting
        group.push(next)
        size += next.envelopes.length
      }
      queued -= size
      if (await commit(group)) continue
      // One caller's frames must not hold back everybody else's: retry each caller on its own, so
      // only the callers whose frames cannot be written are refused.
      if (group.length > 1) for (const w of group) await commit([w])
    }
  }

  /**
   * One transaction for the group. On success every caller resolves; a failed single caller is
   * rejected; a failed group is left unsettled (false) for the caller-by-caller retry.
   */
  async function commit(group: Waiting[]): Promise<boolean> {
    const envelopes = group.length === 1 ? (group[0] as Waiting).envelopes : group.flatMap((w) => w.envelopes)
    try {
      await runPipeline(database, envelopes, context, options.steps)
      stats.batches++
      stats.envelopes += envelopes.length
      for (const w of group) w.resolve()
      return true
    } catch (error) {
      stats.failedBatches++
      registry.clear()
      if (group.length > 1) return false
      ;(group[0] as Waiting).reject(
        new AppError(
          'ERR_INGEST_COMMIT_FAILED',
          { count: envelopes.length, reason: (error as Error).message },
          undefined,
          {
            cause: error,
          },
        ),
      )
      return true
    }
  }

  return {
    stats,
    accept(envelopes) {
      if (closed) return Promise.reject(appError('ERR_INGEST_CLOSED'))
      if (envelopes.length === 0) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        queue.push({ envelopes, resolve, reject })
        queued += envelopes.length
        schedule()
      })
    },
    async acceptPhoto(photo) {
      if (closed) throw appError('ERR_INGEST_CLOSED')
      const stored = await photoStore.put(photo.bytes)
      try {
        await database.transaction((tx) => persistPhoto(tx, photo, stored, registry))
      } catch (error) {
        throw new AppError('ERR_INGEST_COMMIT_FAILED', { count: 1, reason: (error as Error).message }, undefined, {
          cause: error,
        })
      }
      stats.photos++
    },
    async flush() {
      start()
      while (running) await running
    },
    async close() {
      closed = true
      start()
      while (running) await running
      const rest = queue
      queue = []
      queued = 0
      for (const w of rest) w.reject(appError('ERR_INGEST_CLOSED'))
    },
  }
}

const PHOTO_COLUMNS = [
  { name: 'terminal_id', type: 'int4' },
  { name: 'photo_no', type: 'text' },
  { name: 'institution_id', type: 'int4' },
  { name: 'county_code', type: 'text' },
  { name: 'session_id', type: 'int8' },
  { name: 'student_id', type: 'int8' },
  { name: 'coach_id', type: 'int4' },
  { name: 'event_type', type: 'int4' },
  { name: 'channel', type: 'int4' },
  { name: 'taken_at', type: 'timestamptz' },
  { name: 'lng', type: 'float8' },
  { name: 'lat', type: 'float8' },
  { name: 'face_confidence', type: 'float4' },
  { name: 'size_bytes', type: 'int4' },
  { name: 'sha256', type: 'text' },
  { name: 'detail', type: 'jsonb' },
  { name: 'received_at', type: 'timestamptz' },
]

interface PhotoInit {
  personNo?: string
  uploadMode?: number
  channel?: number
  size?: number
  event?: number
  packetCount?: number
  classId?: number
  faceConfidence?: number
  gnss?: { lat: number; lng: number; status: number; timeLocal: string }
}

/** The photo row; (terminal, 照片编号) is the key, so a second upload of the same photo writes nothing. */
async function persistPhoto(tx: Sql, photo: AssembledPhoto, stored: StoredPhoto, registry: RegistryCache) {
  const init = photo.init as PhotoInit
  const { byId } = await registry.terminals(tx, [], [photo.terminalId])
  const terminal = byId.get(photo.terminalId)
  const person = init.personNo && /[1-9A-Za-z]/.test(init.personNo) ? init.personNo : null
  const students = person ? await registry.studentIds(tx, [person]) : new Map<string, number>()
  const coaches = person && !students.has(person) ? await registry.coachIds(tx, [person]) : new Map<string, number>()
  let session: { id: number; studentId: number | null; coachId: number | null } | undefined
  if (typeof init.classId === 'number') {
    ;[session] = await tx.query<{ id: number; studentId: number | null; coachId: number | null }>(
      `SELECT id, student_id AS "studentId", coach_id AS "coachId" FROM training_session
        WHERE terminal_id = $1 AND class_id = $2`,
      [photo.terminalId, init.classId],
    )
  }
  const g = init.gnss
  const { gnss: _gnss, faceConfidence: _face, ...detail } = init
  await insertBatch(
    tx,
    'photo',
    PHOTO_COLUMNS,
    [
      [
        photo.terminalId,
        photo.photoNo,
        terminal?.institutionId ?? null,
        terminal?.countyCode ?? null,
        session?.id ?? null,
        (person && students.get(person)) ?? session?.studentId ?? null,
        (person && coaches.get(person)) ?? session?.coachId ?? null,
        init.event ?? null,
        init.channel ?? null,
        g ? beijingToUtc(g.timeLocal) : null,
        g ? ((g.status & 8) !== 0 ? -1 : 1) * (g.lng / 1e6) : null,
        g ? ((g.status & 4) !== 0 ? -1 : 1) * (g.lat / 1e6) : null,
        init.faceConfidence ?? null,
        stored.sizeBytes,
        stored.sha256,
        { ...detail, terminalPhone: photo.terminalPhone },
        photo.receivedAt,
      ],
    ],
    { onConflict: '(terminal_id, photo_no) DO NOTHING' },
  )
}
