/**
 * The ingest writer: an {@link IngestSink} with group commit. Envelopes accepted within `windowMs`
 * (or until `maxBatch` are waiting) are written together in ONE transaction by the pipeline; every
 * caller's promise resolves only after that COMMIT. If the transaction fails nothing of the batch
 * is stored; a deadlock or serialization failure is retried whole, any other failure caller by
 * caller, so that the frames one caller cannot write do not refuse everybody else's, and the
 * callers that still fail are rejected (their terminals resend).
 *
 * Up to `concurrency` groups commit at once, each on its own connection: while one transaction
 * commits, the next group gathers and may start. A group never takes a caller whose terminal has
 * frames in a transaction still running (nor anything queued behind such a caller), so each
 * terminal's frames still commit in the order they arrived — a position finds the session its
 * terminal opened in an earlier frame, exactly as with one transaction at a time.
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
  /**
   * Group commits that may run at once, each on its own pooled connection (PostgreSQL). Default 1;
   * always 1 on PGlite.
   */
  concurrency?: number
  /** Called after every committed batch (RecordIngested). */
  onIngested?: (event: RecordIngested) => void
  /** Replaces the pipeline steps (tests). */
  steps?: readonly PipelineStep[]
}

export interface IngestWriterStats {
  batches: number
  envelopes: number
  failedBatches: number
  /** Transactions tried again after a deadlock or serialization failure. */
  retriedBatches: number
  photos: number
}

export interface IngestWriter extends IngestSink {
  /** Commits whatever is waiting now, without waiting for the window. */
  flush(): Promise<void>
  readonly stats: Readonly<IngestWriterStats>
}

interface Waiting {
  envelopes: readonly FrameEnvelope[]
  /** The terminals of the envelopes (their order of commits is kept). */
  phones: string[]
  resolve: () => void
  reject: (error: unknown) => void
}

/** Whole-group retries after a deadlock or serialization failure, before the caller-by-caller retry. */
const CONFLICT_RETRIES = 3

/** PostgreSQL gave the transaction up to let a concurrent one proceed: trying again is expected to work. */
function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '40P01' || code === '40001'
}

export function createIngestWriter(options: IngestWriterOptions): IngestWriter {
  const { database, photoStore } = options
  const windowMs = options.windowMs ?? 5
  const maxBatch = Math.max(1, options.maxBatch ?? 2000)
  // PGlite has one connection: a second transaction would only wait for the first.
  const concurrency = database.kind === 'pglite' ? 1 : Math.max(1, options.concurrency ?? 1)
  const registry = new RegistryCache()
  const context = { registry, onIngested: options.onIngested }
  const stats: IngestWriterStats = { batches: 0, envelopes: 0, failedBatches: 0, retriedBatches: 0, photos: 0 }

  let queue: Waiting[] = []
  let queued = 0
  let timer: NodeJS.Timeout | null = null
  const running = new Set<Promise<void>>()
  /** Terminal phones with frames in a running transaction, and how many running groups hold each. */
  const busy = new Map<string, number>()
  let closed = false

  const schedule = () => {
    if (running.size >= concurrency) return // a finishing commit picks the queue up
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
    while (running.size < concurrency && queue.length > 0) {
      const group = take()
      if (group.length === 0) return // everything waiting is behind a running transaction
      const phones = group.flatMap((w) => w.phones)
      for (const phone of phones) busy.set(phone, (busy.get(phone) ?? 0) + 1)
      const run: Promise<void> = write(group).finally(() => {
        for (const phone of phones) {
          const n = (busy.get(phone) ?? 1) - 1
          if (n === 0) busy.delete(phone)
          else busy.set(phone, n)
        }
        running.delete(run)
        if (queue.length > 0) schedule()
      })
      running.add(run)
    }
  }

  /**
   * The next group: waiting callers in arrival order, whole, up to maxBatch envelopes, skipping a
   * caller whose terminal is in a running transaction or behind a skipped caller.
   */
  function take(): Waiting[] {
    const group: Waiting[] = []
    const rest: Waiting[] = []
    const blocked = new Set<string>()
    let size = 0
    let full = false
    for (const w of queue) {
      if (full || w.phones.some((p) => busy.has(p) || blocked.has(p))) {
        rest.push(w)
        for (const p of w.phones) blocked.add(p)
        continue
      }
      if (group.length > 0 && size + w.envelopes.length > maxBatch) {
        full = true
        rest.push(w)
        continue
      }
      group.push(w)
      size += w.envelopes.length
    }
    queue = rest
    queued -= size
    return group
  }

  /** Commits one group; if it fails, each caller on its own, so only the callers whose frames cannot be written are refused. */
  async function write(group: Waiting[]): Promise<void> {
    const error = await commit(group)
    if (error === null) return
    if (group.length === 1) {
      reject(group[0] as Waiting, error)
      return
    }
    for (const w of group) {
      const own = await commit([w])
      if (own !== null) reject(w, own)
    }
  }

  /**
   * One transaction for the group, tried again (up to {@link CONFLICT_RETRIES} times) when
   * PostgreSQL gives it up for a deadlock or a serialization failure. Resolves every caller after
   * COMMIT and returns null, or returns the error with the callers still waiting.
   */
  async function commit(group: Waiting[]): Promise<unknown> {
    const envelopes = group.length === 1 ? (group[0] as Waiting).envelopes : group.flatMap((w) => w.envelopes)
    for (let attempt = 0; ; attempt++) {
      try {
        await runPipeline(database, envelopes, context, options.steps)
        stats.batches++
        stats.envelopes += envelopes.length
        for (const w of group) w.resolve()
        return null
      } catch (error) {
        stats.failedBatches++
        registry.clear()
        if (attempt >= CONFLICT_RETRIES || !isConflict(error)) return error
        stats.retriedBatches++
      }
    }
  }

  function reject(w: Waiting, error: unknown) {
    w.reject(
      new AppError(
        'ERR_INGEST_COMMIT_FAILED',
        { count: w.envelopes.length, reason: (error as Error).message },
        undefined,
        { cause: error },
      ),
    )
  }

  /** Until nothing waits and nothing commits. */
  async function drain() {
    while (queue.length > 0 || running.size > 0) {
      start()
      if (running.size > 0) await Promise.race(running)
    }
  }

  return {
    stats,
    accept(envelopes) {
      if (closed) return Promise.reject(appError('ERR_INGEST_CLOSED'))
      if (envelopes.length === 0) return Promise.resolve()
      const phones = [...new Set(envelopes.map((e) => e.terminalPhone))]
      return new Promise<void>((resolve, reject) => {
        queue.push({ envelopes, phones, resolve, reject })
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
    flush: drain,
    async close() {
      closed = true
      await drain()
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
