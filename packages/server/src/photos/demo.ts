/**
 * Real faces for the demo fleet: the people the live fleet trains with get a registered photo from
 * the face library (the same face the simulator shows for their person number), so the photo
 * analysis has something to match against. Registration reuses the library's cached descriptors;
 * it never replaces a photo registered by other means.
 */
import { createFacePhotoSource, faceIndexFor, loadFleetProfiles, type PhotoSource } from '@jiapei/simulator'
import type { Sql } from '../db/client.ts'
import type { PhotoStore } from '../ingestion/photo-store.ts'
import type { FaceEngine } from './faces.ts'
import { type FaceLibrary, loadFaceLibrary } from './library.ts'
import { rescorePhotos } from './registration.ts'

export interface DemoPerson {
  kind: 'student' | 'coach'
  /** 学员编号 / 教练员编号 as the terminal reports it. */
  personNo: string
}

/** Registers the library face of each person that has no registered photo yet; returns how many were added. */
export async function registerDemoPhotos(
  q: Sql,
  store: PhotoStore,
  library: FaceLibrary,
  people: readonly DemoPerson[],
): Promise<number> {
  if (library.faces.length === 0) return 0
  let added = 0
  for (const person of people) {
    const [row] =
      person.kind === 'student'
        ? await q.query<{ id: number }>('SELECT id FROM student WHERE stu_no = $1', [person.personNo])
        : await q.query<{ id: number }>('SELECT id FROM coach WHERE coach_no = $1', [person.personNo])
    if (!row) continue
    const index = faceIndexFor(person.personNo, library.faces.length)
    const entry = library.entries[index]!
    const stored = await store.put(library.faces[index]!)
    const inserted = await q.query<{ id: number }>(
      `INSERT INTO person_photo (person_kind, person_id, sha256, descriptor)
       VALUES ($1, $2, $3, $4::real[]) ON CONFLICT (person_kind, person_id) DO NOTHING RETURNING id`,
      [person.kind, row.id, stored.sha256, entry.descriptor],
    )
    if (inserted.length > 0) {
      added++
      await rescorePhotos(q, { kind: person.kind, id: row.id }, entry.descriptor)
    }
  }
  return added
}

/** The coaches and students of the fleet that `runFleet` would start with these settings. */
export async function fleetPeople(q: Sql, terminals: number, seed: number): Promise<DemoPerson[]> {
  const profiles = await loadFleetProfiles(q, terminals, seed)
  const people = new Map<string, DemoPerson>()
  for (const p of profiles) {
    people.set(`c:${p.coach.coachNo}`, { kind: 'coach', personNo: p.coach.coachNo })
    for (const s of p.students) people.set(`s:${s.stuNo}`, { kind: 'student', personNo: s.stuNo })
  }
  return [...people.values()]
}

/**
 * Prepares real faces for the demo fleet: loads (or builds) the face library under `dataDir`,
 * registers the fleet's people, and returns the photo source the fleet should use.
 */
export async function prepareDemoFaces(options: {
  database: Sql
  dataDir: string
  photoStore: PhotoStore
  faces: FaceEngine
  terminals: number
  seed: number
}): Promise<{ photoSource: PhotoSource; library: FaceLibrary; registered: number }> {
  const library = await loadFaceLibrary(options.dataDir, options.faces)
  if (library.faces.length === 0) throw new Error('no face found in the sample photos')
  const people = await fleetPeople(options.database, options.terminals, options.seed)
  const registered = await registerDemoPhotos(options.database, options.photoStore, library, people)
  return { photoSource: createFacePhotoSource({ faces: library.faces }), library, registered }
}
