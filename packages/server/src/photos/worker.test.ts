import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import sharp from 'sharp'
import { testEngines } from '../../test/support/engines.ts'
import type { Database } from '../db/client.ts'
import { dueSessionIds } from '../detection/engine/due.ts'
import { createPhotoStore, type PhotoStore } from '../ingestion/photo-store.ts'
import type { FaceDescriptor, FaceEngine } from './faces.ts'
import { analyzePendingPhotos, claimPendingPhotos, photoSubject, startPhotoAnalyzer } from './worker.ts'

/**
 * A stand-in face model: the "face" of a photo is its mean red value, so tests can say which
 * person a photo shows without running the real network (covered by faces.test.ts).
 */
function fakeFaces(threads = 1, delayMs = 0): FaceEngine & { calls: number } {
  const engine = {
    calls: 0,
    threads,
    async detect() {
      throw new Error('not used')
    },
    async descriptor(bytes: Uint8Array): Promise<FaceDescriptor> {
      engine.calls++
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      const { channels } = await sharp(bytes).stats()
      const red = channels[0]!.mean
      if (red < 30) return { faceCount: 0, descriptor: null, score: null, box: null }
      return { faceCount: 1, descriptor: [red / 255, 0, 0], score: 0.9, box: [0, 0, 10, 10] }
    },
    async warm() {},
    async memory() {
      return { numTensors: 0, numBytes: 0 }
    },
    async close() {},
  }
  return engine
}

const solid = async (hex: string) =>
  new Uint8Array(
    await sharp({ create: { width: 64, height: 48, channels: 3, background: hex } })
      .jpeg()
      .toBuffer(),
  )

for (const engine of await testEngines()) {
  describe(`photo analysis loop [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let dir: string
    let store: PhotoStore
    let photoNo = 0

    const addPhoto = async (bytes: Uint8Array, event: number, studentId: number | null, coachId: number | null) => {
      const { sha256 } = await store.put(bytes)
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO photo (photo_no, event_type, student_id, coach_id, size_bytes, sha256)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [String(++photoNo), event, studentId, coachId, bytes.byteLength, sha256],
      )
      return row!.id
    }
    const photo = async (id: number) =>
      (
        await db.query<Record<string, unknown>>(
          `SELECT phash, mean_luma, luma_stddev, face_count, face_descriptor, face_distance, analysis_error, analyzed_at
             FROM photo WHERE id = $1`,
          [id],
        )
      )[0]!

    before(async () => {
      db = await engine.open()
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-photos-'))
      store = createPhotoStore(dir)
      // Registered photos: student 501 looks "red 200", coach 77 looks "red 100".
      await db.query(
        `INSERT INTO person_photo (person_kind, person_id, sha256, descriptor) VALUES
           ('student', 501, 'a', ARRAY[${200 / 255}, 0, 0]::real[]), ('coach', 77, 'b', ARRAY[${100 / 255}, 0, 0]::real[])`,
      )
    })
    after(async () => {
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('measures, face count, descriptor and distance to the right registered person', async () => {
      const studentOk = await addPhoto(await solid('#c80000'), 17, 501, 77)
      const studentWrong = await addPhoto(await solid('#640000'), 19, 501, 77)
      const coach = await addPhoto(await solid('#640000'), 20, 501, 77)
      const dark = await addPhoto(await solid('#000000'), 18, 501, 77)
      const unregistered = await addPhoto(await solid('#c80000'), 17, 999, 77)
      const faces = fakeFaces()
      const counts = await analyzePendingPhotos(db, store, faces, { limit: 10 })
      assert.deepEqual(counts, { analyzed: 5, failed: 0 })

      const ok = await photo(studentOk)
      assert.match(String(ok.phash), /^[0-9a-f]{16}$/)
      assert.equal(ok.face_count, 1)
      assert.equal((ok.face_descriptor as number[]).length, 3)
      assert.ok((ok.face_distance as number) < 0.02)
      assert.ok(ok.analyzed_at instanceof Date)
      assert.equal(ok.analysis_error, null)
      // The student's in-training photo shows the coach's "face": far from the student's photo.
      assert.ok(Math.abs((await photo(studentWrong)).face_distance as number) > 0.3)
      // A coach event is compared with the coach's registered photo.
      assert.ok(((await photo(coach)).face_distance as number) < 0.02)
      const covered = await photo(dark)
      assert.equal(covered.face_count, 0)
      assert.equal(covered.face_distance, null)
      assert.ok((covered.mean_luma as number) < 5 && (covered.luma_stddev as number) < 2)
      // Nobody registered: counted and described, no distance.
      const unknown = await photo(unregistered)
      assert.equal(unknown.face_count, 1)
      assert.equal(unknown.face_distance, null)
      // Nothing is analysed twice.
      assert.deepEqual(await analyzePendingPhotos(db, store, faces, { limit: 10 }), { analyzed: 0, failed: 0 })
    })

    test('a corrupt JPEG and missing bytes are recorded and skipped, the rest of the batch goes on', async () => {
      const good = await solid('#c80000')
      const corrupt = await addPhoto(good.subarray(0, 120), 17, 501, null)
      const [missing] = await db.query<{ id: number }>(
        `INSERT INTO photo (photo_no, event_type, student_id, size_bytes, sha256) VALUES ('m1', 17, 501, 10, $1) RETURNING id`,
        ['0'.repeat(64)],
      )
      const after = await addPhoto(good, 17, 501, null)
      const counts = await analyzePendingPhotos(db, store, fakeFaces(), { limit: 10 })
      assert.deepEqual(counts, { analyzed: 3, failed: 2 })
      const broken = await photo(corrupt)
      assert.match(String(broken.analysis_error), /无法解码/)
      assert.equal(broken.phash, null)
      assert.ok(broken.analyzed_at instanceof Date)
      assert.match(String((await photo(missing!.id)).analysis_error), /缺失/)
      assert.equal((await photo(after)).face_count, 1)
    })

    test('an analysed photo makes its session due for detection again, so its photo rules see it', async () => {
      const id = await addPhoto(await solid('#c80000'), 17, 501, 77)
      await db.query('UPDATE photo SET session_id = 4242 WHERE id = $1', [id])
      await db.query('DELETE FROM detection_due')
      assert.deepEqual(await analyzePendingPhotos(db, store, fakeFaces(), { limit: 10 }), { analyzed: 1, failed: 0 })
      assert.deepEqual(await dueSessionIds(db, { limit: 10 }), [4242])
    })

    test('without a face model only the measures are filled', async () => {
      const id = await addPhoto(await solid('#c80000'), 17, 501, null)
      await analyzePendingPhotos(db, store, null)
      const row = await photo(id)
      assert.notEqual(row.phash, null)
      assert.equal(row.face_count, null)
      assert.equal(row.face_distance, null)
    })

    test('the loop drains the backlog in batches and stops cleanly', async () => {
      for (let i = 0; i < 5; i++) await addPhoto(await solid(`#${(40 + i * 30).toString(16)}0000`), 19, 501, null)
      const batches: number[] = []
      let drained!: () => void
      const done = new Promise<void>((resolve) => {
        drained = resolve
      })
      const analyzer = startPhotoAnalyzer({
        database: db,
        photoStore: store,
        faces: fakeFaces(),
        batchSize: 2,
        intervalMs: 50,
        onBatch: (c) => {
          batches.push(c.analyzed)
          if (batches.reduce((a, b) => a + b, 0) === 5) drained()
        },
      })
      await done
      await analyzer.stop()
      assert.deepEqual(batches, [2, 2, 1])
      const [{ n }] = (await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM photo WHERE analyzed_at IS NULL',
      )) as [{ n: number }]
      assert.equal(n, 0)
    })

    test('a claimed photo is not taken again before its lease ends; an expired lease is taken over', async () => {
      const id = await addPhoto(await solid('#c80000'), 19, 501, null)
      const first = await claimPendingPhotos(db, 10, 60_000)
      assert.deepEqual(
        first.map((r) => r.id),
        [id],
      )
      assert.deepEqual(await claimPendingPhotos(db, 10, 60_000), [])
      // The loop that claimed it died: once the lease has run out, another loop takes the photo.
      await db.query(`UPDATE photo SET analysis_claimed_until = now() - interval '1 second' WHERE id = $1`, [id])
      const again = await claimPendingPhotos(db, 10, 60_000)
      assert.deepEqual(
        again.map((r) => r.id),
        [id],
      )
      assert.deepEqual(await analyzePendingPhotos(db, store, fakeFaces(), { limit: 10 }), { analyzed: 0, failed: 0 })
      await db.query('UPDATE photo SET analysis_claimed_until = NULL WHERE id = $1', [id])
      assert.deepEqual(await analyzePendingPhotos(db, store, fakeFaces(), { limit: 10 }), { analyzed: 1, failed: 0 })
      const [row] = await db.query<{ analysis_claimed_until: Date | null }>(
        'SELECT analysis_claimed_until FROM photo WHERE id = $1',
        [id],
      )
      assert.equal(row!.analysis_claimed_until, null)
    })

    test("a loop whose lease was taken over neither writes its result nor gives back the other loop's claim", async () => {
      const ids = [
        await addPhoto(await solid('#c80000'), 19, 501, null),
        await addPhoto(await solid('#00c800'), 19, 501, null),
      ]
      // While this loop writes the first photo's result, its lease on both has run out and another loop
      // has claimed them; the write of the second photo then fails, so the batch gives back what it
      // did not finish.
      let takenOver: string[] = []
      let writes = 0
      const slow = {
        async query<T>(text: string, params?: unknown[]): Promise<T[]> {
          if (text.includes('SET phash')) {
            if (++writes > 1) throw new Error('connection lost')
            await db.query(
              `UPDATE photo SET analysis_claimed_until = now() - interval '1 second' WHERE id = ANY($1::bigint[])`,
              [ids],
            )
            takenOver = (await claimPendingPhotos(db, 10, 60_000)).map((r) => r.lease)
          }
          return db.query<T>(text, params)
        },
      }
      await assert.rejects(analyzePendingPhotos(slow, store, fakeFaces(), { limit: 10 }), /connection lost/)
      assert.equal(takenOver.length, 2)
      const rows = await db.query<{ analyzed: boolean; lease: string | null }>(
        `SELECT analyzed_at IS NOT NULL AS analyzed, analysis_claimed_until::text AS lease
           FROM photo WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [ids],
      )
      assert.deepEqual(
        rows.map((r) => [r.analyzed, r.lease]),
        [
          [false, takenOver[0]],
          [false, takenOver[1]],
        ],
        'no result written under the lost lease, and the new lease of both photos kept',
      )
    })

    test('a database failure mid-batch gives back the photos the batch did not finish', async () => {
      const ids: number[] = []
      for (let i = 0; i < 4; i++)
        ids.push(await addPhoto(await solid(`#${(70 + i * 50).toString(16)}0000`), 19, 501, null))
      let writes = 0
      const failing = {
        async query<T>(text: string, params?: unknown[]): Promise<T[]> {
          if (text.includes('SET phash') && ++writes === 2) throw new Error('connection lost')
          return db.query<T>(text, params)
        },
      }
      await assert.rejects(analyzePendingPhotos(failing, store, fakeFaces(), { limit: 10 }), /connection lost/)
      const rows = await db.query<{ id: number; analyzed: boolean; leased: boolean }>(
        `SELECT id, analyzed_at IS NOT NULL AS analyzed, analysis_claimed_until IS NOT NULL AS leased
           FROM photo WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [ids],
      )
      assert.deepEqual(
        rows.map((r) => [r.analyzed, r.leased]),
        [
          [true, false],
          [false, false],
          [false, false],
          [false, false],
        ],
      )
      assert.deepEqual(await analyzePendingPhotos(db, store, fakeFaces(), { limit: 10 }), { analyzed: 3, failed: 0 })
    })

    test('a failed look-up of the registered photo is no fault of the photo: it is analysed again', async () => {
      const id = await addPhoto(await solid('#c80000'), 17, 501, 77)
      const failing = {
        async query<T>(text: string, params?: unknown[]): Promise<T[]> {
          if (text.includes('FROM person_photo')) throw new Error('connection lost')
          return db.query<T>(text, params)
        },
      }
      await assert.rejects(analyzePendingPhotos(failing, store, fakeFaces(), { limit: 10 }), /connection lost/)
      const [row] = await db.query<{ analyzed_at: Date | null; analysis_error: string | null }>(
        'SELECT analyzed_at, analysis_error FROM photo WHERE id = $1',
        [id],
      )
      assert.equal(row?.analyzed_at, null, 'not marked as analysed with an error')
      assert.deepEqual(await analyzePendingPhotos(db, store, fakeFaces(), { limit: 10 }), { analyzed: 1, failed: 0 })
      assert.ok(((await photo(id)).face_distance as number) < 0.02)
    })

    test('two analysis loops on one database analyse every photo exactly once', async () => {
      const ids: number[] = []
      for (let i = 0; i < 40; i++)
        ids.push(await addPhoto(await solid(`#${(60 + i * 4).toString(16)}0000`), 19, 501, null))
      // Every read of a photo's bytes is one analysis: count them per photo.
      const reads = new Map<string, number>()
      const counting: PhotoStore = {
        ...store,
        async get(sha256) {
          reads.set(sha256, (reads.get(sha256) ?? 0) + 1)
          return store.get(sha256)
        },
      }
      let analyzed = 0
      let finished!: () => void
      const drained = new Promise<void>((resolve) => {
        finished = resolve
      })
      const loops = [fakeFaces(2, 3), fakeFaces(1, 2)].map((faces) =>
        startPhotoAnalyzer({
          database: db,
          photoStore: counting,
          faces,
          batchSize: 3,
          intervalMs: 20,
          onBatch: (c) => {
            analyzed += c.analyzed
            if (analyzed >= ids.length) finished()
          },
        }),
      )
      await drained
      await Promise.all(loops.map((l) => l.stop()))
      assert.equal(analyzed, ids.length)
      const rows = await db.query<{ sha256: string; analyzed: boolean }>(
        'SELECT sha256, analyzed_at IS NOT NULL AS analyzed FROM photo WHERE id = ANY($1::bigint[])',
        [ids],
      )
      assert.ok(rows.every((r) => r.analyzed))
      for (const r of rows) assert.equal(reads.get(r.sha256), 1, `photo ${r.sha256} read ${reads.get(r.sha256)} times`)
    })
  })
}

test('whose face a photo should show', () => {
  assert.deepEqual(photoSubject({ event_type: 17, student_id: 1, coach_id: 2 }), { kind: 'student', id: 1 })
  assert.deepEqual(photoSubject({ event_type: 19, student_id: 1, coach_id: 2 }), { kind: 'student', id: 1 })
  assert.deepEqual(photoSubject({ event_type: 20, student_id: 1, coach_id: 2 }), { kind: 'coach', id: 2 })
  assert.deepEqual(photoSubject({ event_type: 21, student_id: 1, coach_id: null }), null)
  assert.deepEqual(photoSubject({ event_type: 5, student_id: null, coach_id: 2 }), null)
})
