/**
 * 备案照片: registering the face photo of a student or coach. The photo must decode and show
 * exactly one face; its bytes go to the photo store and its 128-d descriptor to person_photo
 * (one row per person, replaced on re-registration). Photos of that person already analysed get
 * their face_distance recomputed against the new descriptor, so a registration that arrives after
 * the training photos still takes part in matching.
 */
import type { Sql } from '../db/client.ts'
import { appError, isAppError } from '../errors/catalogue.ts'
import type { PhotoStore } from '../ingestion/photo-store.ts'
import { measurePhoto } from './analysis.ts'
import type { FaceEngine } from './faces.ts'
import { COACH_PHOTO_EVENTS } from './worker.ts'

export type PersonKind = 'student' | 'coach'

export interface RegisteredPhoto {
  personKind: PersonKind
  personId: number
  sha256: string
  sizeBytes: number
  width: number
  height: number
  /** Detector confidence of the face (0–1). */
  faceScore: number
  registeredAt: Date
  /** Analysed photos of this person whose face_distance was recomputed. */
  photosRescored: number
}

/** Largest accepted registration photo. */
export const PERSON_PHOTO_MAX_MB = 5

/** The descriptor of the one face in `bytes`, or a coded refusal. */
export async function describeRegistrationPhoto(faces: FaceEngine, bytes: Uint8Array) {
  let measures: Awaited<ReturnType<typeof measurePhoto>>
  try {
    measures = await measurePhoto(bytes)
  } catch (error) {
    throw appError('ERR_PHOTO_NOT_IMAGE', { reason: (error as Error).message.slice(0, 120) })
  }
  let face: Awaited<ReturnType<FaceEngine['descriptor']>>
  try {
    face = await faces.descriptor(bytes)
  } catch (error) {
    if (isAppError(error)) throw error
    throw appError('ERR_PHOTO_FACE_UNAVAILABLE', { reason: (error as Error).message.slice(0, 120) })
  }
  if (face.faceCount === 0 || !face.descriptor) throw appError('ERR_PHOTO_NO_FACE')
  if (face.faceCount > 1) throw appError('ERR_PHOTO_MANY_FACES', { count: face.faceCount })
  return { measures, descriptor: face.descriptor, score: face.score ?? 0 }
}

/** Registers (or replaces) the photo of a person; the caller has checked the person exists and is in scope. */
export async function registerPersonPhoto(
  q: Sql,
  store: PhotoStore,
  faces: FaceEngine,
  person: { kind: PersonKind; id: number },
  bytes: Uint8Array,
  options: { now?: Date } = {},
): Promise<RegisteredPhoto> {
  const { measures, descriptor, score } = await describeRegistrationPhoto(faces, bytes)
  const stored = await store.put(bytes)
  const registeredAt = options.now ?? new Date()
  await q.query(
    `INSERT INTO person_photo (person_kind, person_id, sha256, descriptor, analysis_error, registered_at)
     VALUES ($1, $2, $3, $4::real[], NULL, $5)
     ON CONFLICT (person_kind, person_id) DO UPDATE
       SET sha256 = excluded.sha256, descriptor = excluded.descriptor, analysis_error = NULL,
           registered_at = excluded.registered_at`,
    [person.kind, person.id, stored.sha256, descriptor, registeredAt],
  )
  const photosRescored = await rescorePhotos(q, person, descriptor)
  return {
    personKind: person.kind,
    personId: person.id,
    sha256: stored.sha256,
    sizeBytes: stored.sizeBytes,
    width: measures.width,
    height: measures.height,
    faceScore: Math.round(score * 1000) / 1000,
    registeredAt,
    photosRescored,
  }
}

/** Recomputes face_distance of the person's analysed photos against `descriptor`; returns the count. */
export async function rescorePhotos(
  q: Sql,
  person: { kind: PersonKind; id: number },
  descriptor: number[],
): Promise<number> {
  const events = `ARRAY[${COACH_PHOTO_EVENTS.join(',')}]::int[]`
  const whose =
    person.kind === 'coach'
      ? `coach_id = $2 AND event_type = ANY(${events})`
      : `student_id = $2 AND (event_type IS NULL OR NOT (event_type = ANY(${events})))`
  const rows = await q.query<{ id: number }>(
    `UPDATE photo SET face_distance = (
        SELECT round(sqrt(sum((u.a - u.b) * (u.a - u.b)))::numeric, 4)::real
          FROM unnest(face_descriptor, $1::real[]) AS u(a, b))
      WHERE ${whose} AND face_descriptor IS NOT NULL AND cardinality(face_descriptor) = cardinality($1::real[])
      RETURNING id`,
    [descriptor, person.id],
  )
  return rows.length
}

/** The stored registration photo of a person: its bytes' key and when it was registered. */
export async function personPhotoOf(
  q: Sql,
  person: { kind: PersonKind; id: number },
): Promise<{ sha256: string; registeredAt: Date; hasDescriptor: boolean } | null> {
  const [row] = await q.query<{ sha256: string; registered_at: Date; has_descriptor: boolean }>(
    `SELECT sha256, registered_at, descriptor IS NOT NULL AS has_descriptor
       FROM person_photo WHERE person_kind = $1 AND person_id = $2`,
    [person.kind, person.id],
  )
  return row ? { sha256: row.sha256, registeredAt: row.registered_at, hasDescriptor: row.has_descriptor } : null
}
