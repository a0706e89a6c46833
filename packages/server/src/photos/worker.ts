/**
 * The photo analysis loop (role `ingest`): photos not analysed yet (analyzed_at null, index
 * photo_unanalyzed_idx) are claimed in id order, a batch at a time. For each, the bytes are read
 * from the photo store and measured (pHash, luma), the faces are counted and the largest face's
 * descriptor is compared with the registered photo (person_photo) of the person the photo should
 * show: the student for student events, the coach for coach events. A photo that cannot be read or
 * decoded gets analysis_error and analyzed_at all the same, so it is recorded and skipped, never
 * retried for ever and never fatal.
 *
 * Several loops (ingest processes) share the work: a batch is claimed in one statement that sets a
 * lease (analysis_claimed_until) on rows nobody holds, skipping rows another claim is writing
 * (FOR UPDATE SKIP LOCKED), so two loops never take the same photo. A loop that dies leaves its
 * lease to run out, and the photos are taken again after it. No transaction stays open while
 * photos are analysed, which matters on PGlite's single connection. Within a batch, as many photos
 * are analysed at once as the face engine has model threads.
 */
import type { Sql } from '../db/client.ts'
import { markDue } from '../detection/engine/due.ts'
import type { PhotoStore } from '../ingestion/photo-store.ts'
import { measurePhoto } from './analysis.ts'
import { type FaceDetector, type FaceEngine, type FaceEngineOptions, faceDistance } from './faces.ts'

/** 拍照事件 codes whose photo shows the coach (PHOTO_EVENT coachLogin, coachLogout). */
export const COACH_PHOTO_EVENTS: readonly number[] = [20, 21]

/** Whose face a photo should show: the coach for coach events, otherwise the student when known. */
export function photoSubject(row: {
  event_type: number | null
  student_id: number | null
  coach_id: number | null
}): { kind: 'student' | 'coach'; id: number } | null {
  if (row.event_type !== null && COACH_PHOTO_EVENTS.includes(row.event_type)) {
    return row.coach_id === null ? null : { kind: 'coach', id: row.coach_id }
  }
  if (row.student_id !== null) return { kind: 'student', id: row.student_id }
  return null
}

export interface AnalysisCounts {
  analyzed: number
  failed: number
}

export interface PendingPhoto {
  id: number
  sha256: string
  event_type: number | null
  student_id: number | null
  coach_id: number | null
  /** The claim's lease end as the database wrote it (text, exact): later writes are tied to it. */
  lease: string
}

/** How long a claimed batch is reserved for the loop that took it (default 10 min). */
export const PHOTO_CLAIM_LEASE_MS = 10 * 60 * 1000

export interface AnalyzeOptions {
  limit?: number
  now?: () => Date
  detector?: FaceDetector
  /** Tiny detector input side (multiple of 32); default the engine's. */
  tinyInputSize?: number
  /** Lease of a claimed batch (ms); must exceed the time a batch takes. */
  leaseMs?: number
}

/**
 * Claims up to `limit` pending photos for this caller: unanalysed, not under another caller's
 * lease, skipping rows another claim has locked. Returns them in id order, each with its lease: the
 * result is written, and an unfinished photo given back, only while that lease is still the one on
 * the row, so a loop whose lease ran out and was taken over by another never undoes the other's.
 */
export async function claimPendingPhotos(q: Sql, limit: number, leaseMs: number): Promise<PendingPhoto[]> {
  const rows = await q.query<PendingPhoto>(
    `UPDATE photo SET analysis_claimed_until = now() + $2::double precision * interval '1 millisecond'
      WHERE id IN (
        SELECT id FROM photo
         WHERE analyzed_at IS NULL
           AND (analysis_claimed_until IS NULL OR analysis_claimed_until < now())
         ORDER BY id LIMIT $1
           FOR UPDATE SKIP LOCKED)
      RETURNING id, sha256, event_type, student_id, coach_id, analysis_claimed_until::text AS lease`,
    [limit, leaseMs],
  )
  return rows.sort((a, b) => a.id - b.id)
}

/** Analyses up to `limit` pending photos; returns how many were analysed and how many failed. */
export async function analyzePendingPhotos(
  q: Sql,
  store: PhotoStore,
  faces: FaceEngine | null,
  options: AnalyzeOptions = {},
): Promise<AnalysisCounts> {
  const now = options.now ?? (() => new Date())
  const rows = await claimPendingPhotos(q, options.limit ?? 20, options.leaseMs ?? PHOTO_CLAIM_LEASE_MS)
  const counts: AnalysisCounts = { analyzed: 0, failed: 0 }
  const references = new Map<string, Promise<number[] | null>>()
  const referenceOf = (kind: string, id: number): Promise<number[] | null> => {
    const key = `${kind}:${id}`
    let ref = references.get(key)
    if (!ref) {
      ref = q
        .query<{ descriptor: number[] | null }>(
          'SELECT descriptor FROM person_photo WHERE person_kind = $1 AND person_id = $2',
          [kind, id],
        )
        .then(([row]) => row?.descriptor ?? null)
      // A failed lookup is not kept: the next photo of that person asks again.
      ref.catch(() => references.delete(key))
      references.set(key, ref)
    }
    return ref
  }
  const faceOptions = {
    ...(options.detector ? { detector: options.detector } : {}),
    ...(options.tinyInputSize ? { tinyInputSize: options.tinyInputSize } : {}),
  }

  const done = new Set<number>()
  const analyzeRow = async (row: PendingPhoto) => {
    const result = await analyzeOne(row, store, faces, referenceOf, faceOptions)
    const [updated] = await q.query<{ session_id: number | null }>(
      `UPDATE photo SET phash = $2, mean_luma = $3, luma_stddev = $4, face_count = $5, face_descriptor = $6,
              face_distance = $7, analysis_error = $8, analyzed_at = $9, analysis_claimed_until = NULL
        WHERE id = $1 AND analysis_claimed_until = $10::timestamptz RETURNING session_id`,
      [
        row.id,
        result.phash,
        result.meanLuma,
        result.lumaStddev,
        result.faceCount,
        result.faceDescriptor,
        result.faceDistance,
        result.error,
        now(),
        row.lease,
      ],
    )
    done.add(row.id)
    // The lease ran out and another loop took the photo over: its result stands, not this one.
    if (!updated) return
    // The photo rules of its session can now judge it: the session is due for detection again.
    if (updated.session_id) await markDue(q, [Number(updated.session_id)])
    counts.analyzed++
    if (result.error) counts.failed++
  }
  // As many photos at once as the face engine has threads; the measures alone need no more. After a
  // failure (the database) the lanes take no further photo, and what the batch did not finish is
  // given back instead of being left to the lease, once no lane is still writing.
  let next = 0
  let failed = false
  const lane = async () => {
    while (!failed && next < rows.length) {
      try {
        await analyzeRow(rows[next++] as PendingPhoto)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(faces?.threads ?? 1, rows.length) }, lane))
  const unfinished = rows.filter((r) => !done.has(r.id))
  if (unfinished.length > 0) {
    await q
      .query(
        `UPDATE photo SET analysis_claimed_until = NULL
          FROM unnest($1::bigint[], $2::timestamptz[]) AS mine(id, lease)
         WHERE photo.id = mine.id AND photo.analysis_claimed_until = mine.lease AND photo.analyzed_at IS NULL`,
        [unfinished.map((r) => r.id), unfinished.map((r) => r.lease)],
      )
      .catch(() => {})
  }
  const rejected = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected')
  if (rejected) throw rejected.reason
  return counts
}

interface PhotoResult {
  phash: string | null
  meanLuma: number | null
  lumaStddev: number | null
  faceCount: number | null
  faceDescriptor: number[] | null
  faceDistance: number | null
  error: string | null
}

async function analyzeOne(
  row: PendingPhoto,
  store: PhotoStore,
  faces: FaceEngine | null,
  referenceOf: (kind: string, id: number) => Promise<number[] | null>,
  faceOptions: FaceEngineOptions,
): Promise<PhotoResult> {
  const result: PhotoResult = {
    phash: null,
    meanLuma: null,
    lumaStddev: null,
    faceCount: null,
    faceDescriptor: null,
    faceDistance: null,
    error: null,
  }
  let bytes: Uint8Array | null
  try {
    bytes = await store.get(row.sha256)
  } catch (error) {
    result.error = `照片文件读取失败 / cannot read the stored photo: ${(error as Error).message}`
    return result
  }
  if (!bytes) {
    result.error = '照片文件缺失 / photo bytes missing from the store'
    return result
  }
  try {
    const measures = await measurePhoto(bytes)
    result.phash = measures.phash
    result.meanLuma = measures.meanLuma
    result.lumaStddev = measures.lumaStddev
  } catch (error) {
    result.error = `照片无法解码 / not a decodable image: ${(error as Error).message}`
    return result
  }
  if (!faces) return result
  let face: Awaited<ReturnType<FaceEngine['descriptor']>>
  try {
    face = await faces.descriptor(bytes, faceOptions)
  } catch (error) {
    result.error = `人脸分析失败 / face analysis failed: ${(error as Error).message}`
    return result
  }
  result.faceCount = face.faceCount
  result.faceDescriptor = face.descriptor
  const subject = photoSubject(row)
  if (face.descriptor && subject) {
    // A database error here is not the photo's fault: it propagates, and the batch gives its
    // unfinished photos back to be analysed again.
    const reference = await referenceOf(subject.kind, subject.id)
    if (reference && reference.length === face.descriptor.length) {
      result.faceDistance = round4(faceDistance(face.descriptor, reference))
    }
  }
  return result
}

function round4(v: number): number {
  return Math.round(v * 10000) / 10000
}

export interface PhotoAnalyzerOptions {
  database: Sql
  photoStore: PhotoStore
  /** null: measures only (no face count, descriptor or distance). */
  faces: FaceEngine | null
  batchSize: number
  /** Face detector of the analysis (default: the engine's, SSD). */
  detector?: FaceDetector
  /** Tiny detector input side (default: the engine's). */
  tinyInputSize?: number
  /** Lease of a claimed batch (ms, default PHOTO_CLAIM_LEASE_MS). */
  leaseMs?: number
  /** Pause between polls when nothing was pending (ms). */
  intervalMs: number
  /** Called with each error of a batch as a whole (a database failure); the loop carries on. */
  onError?: (error: unknown) => void
  onBatch?: (counts: AnalysisCounts) => void
}

export interface PhotoAnalyzer {
  /** Stops polling and waits for the batch in progress. */
  stop(): Promise<void>
}

/** Polls for pending photos until stopped; a full batch is followed at once by the next. */
export function startPhotoAnalyzer(options: PhotoAnalyzerOptions): PhotoAnalyzer {
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let wake: (() => void) | null = null
  const loop = (async () => {
    while (!stopped) {
      let full = false
      try {
        const counts = await analyzePendingPhotos(options.database, options.photoStore, options.faces, {
          limit: options.batchSize,
          ...(options.detector ? { detector: options.detector } : {}),
          ...(options.tinyInputSize ? { tinyInputSize: options.tinyInputSize } : {}),
          ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
        })
        if (counts.analyzed > 0) options.onBatch?.(counts)
        full = counts.analyzed >= options.batchSize
      } catch (error) {
        options.onError?.(error)
      }
      if (stopped || full) continue
      await new Promise<void>((resolve) => {
        wake = resolve
        timer = setTimeout(resolve, options.intervalMs)
      })
      wake = null
    }
  })()
  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      ;(wake as (() => void) | null)?.()
      await loop
    },
  }
}
