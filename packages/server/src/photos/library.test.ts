import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createFacePhotoSource, faceIndexFor, type PhotoPlan, type PhotoVariant } from '@jiapei/simulator'
import { buildFixture } from '../../test/api/fixture.ts'
import { testEngines } from '../../test/support/engines.ts'
import { createPhotoStore } from '../ingestion/photo-store.ts'
import { hammingDistance, measurePhoto } from './analysis.ts'
import { registerDemoPhotos } from './demo.ts'
import { createFaceEngine, type FaceEngine, faceDistance } from './faces.ts'
import { type FaceLibrary, loadFaceLibrary } from './library.ts'
import { faceSamplePaths } from './samples.ts'

function plan(personNo: string, n: number): PhotoPlan {
  return {
    photoNo: String(5000 + n).padStart(10, '0'),
    personNo,
    event: 19,
    classId: 1,
    gnss: {} as PhotoPlan['gnss'],
    faceConfidence: 90,
    imageSeed: 90_000 + n,
    size: 1,
  }
}

const engines = await testEngines()

describe('face library from the model package samples', {
  skip: faceSamplePaths().length === 0 && 'no samples',
}, () => {
  let engine: FaceEngine
  let dataDir: string
  let library: FaceLibrary

  before(async () => {
    engine = createFaceEngine()
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-face-library-'))
    library = await loadFaceLibrary(dataDir, engine)
  })
  after(async () => {
    await engine.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  test('distinct people, cached under the data directory and reloaded without the model', async () => {
    assert.ok(library.faces.length >= 8, `faces: ${library.faces.length}`)
    for (let i = 0; i < library.entries.length; i++) {
      for (let j = i + 1; j < library.entries.length; j++) {
        assert.ok(faceDistance(library.entries[i]!.descriptor, library.entries[j]!.descriptor) >= 0.5)
      }
    }
    assert.ok(fs.existsSync(path.join(dataDir, 'face-library', 'index.json')))
    const noModel = {
      threads: 1,
      detect: () => Promise.reject(new Error('model used')),
      descriptor: () => Promise.reject(new Error('model used')),
      warm: async () => {},
      memory: async () => ({ numTensors: 0, numBytes: 0 }),
      close: async () => {},
    }
    const again = await loadFaceLibrary(dataDir, noModel)
    assert.deepEqual(
      again.entries.map((e) => e.sha256),
      library.entries.map((e) => e.sha256),
    )
  })

  test('simulated cab photos: the right face matches, the wrong face does not, a covered camera is dark', async () => {
    const variants = new Map<number, PhotoVariant>([
      [3, 'wrong-face'],
      [4, 'covered'],
      [5, 'replay-recoded'],
    ])
    const source = createFacePhotoSource({
      faces: library.faces,
      variant: (p) => variants.get(Number(p.photoNo) - 5000) ?? 'genuine',
    })
    const person = '3301060000001234'
    const registered = library.entries[faceIndexFor(person, library.faces.length)]!.descriptor
    const distanceOf = async (jpeg: Uint8Array) => {
      const face = await engine.descriptor(jpeg)
      assert.equal(face.faceCount, 1)
      return faceDistance(face.descriptor!, registered)
    }
    const first = await source(plan(person, 1))
    const second = await source(plan(person, 2))
    for (const genuine of [first, second]) {
      const d = await distanceOf(genuine)
      assert.ok(d < 0.45, `genuine distance ${d}`)
    }
    const wrong = await distanceOf(await source(plan(person, 3)))
    assert.ok(wrong > 0.55, `wrong-face distance ${wrong}`)

    const covered = await source(plan(person, 4))
    const dark = await measurePhoto(covered)
    assert.ok(dark.meanLuma < 25 && dark.lumaStddev < 8, JSON.stringify(dark))
    assert.equal((await engine.descriptor(covered)).faceCount, 0)

    const recoded = await measurePhoto(await source(plan(person, 5)))
    const original = await measurePhoto(second)
    assert.ok(hammingDistance(recoded.phash, original.phash) <= 4)
    assert.ok(hammingDistance(original.phash, (await measurePhoto(first)).phash) > 4)
  })

  for (const db of engines) {
    test(`demo people get their library face as registered photo, once [${db.name}]`, { skip: db.skip }, async () => {
      const database = await db.open()
      const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-demo-photos-'))
      try {
        await buildFixture(database)
        const students = await database.query<{ stu_no: string }>('SELECT stu_no FROM student ORDER BY id LIMIT 2')
        const [coach] = await database.query<{ coach_no: string }>('SELECT coach_no FROM coach ORDER BY id LIMIT 1')
        const people = [
          ...students.map((s) => ({ kind: 'student' as const, personNo: s.stu_no })),
          { kind: 'coach' as const, personNo: coach!.coach_no },
          { kind: 'student' as const, personNo: 'NOSUCHSTUDENT00' },
        ]
        const store = createPhotoStore(storeDir)
        assert.equal(await registerDemoPhotos(database, store, library, people), 3)
        assert.equal(await registerDemoPhotos(database, store, library, people), 0)
        const rows = await database.query<{ n: number; sha256: string }>(
          'SELECT cardinality(descriptor) AS n, sha256 FROM person_photo ORDER BY id',
        )
        assert.equal(rows.length, 3)
        for (const row of rows) {
          assert.equal(row.n, 128)
          assert.ok(await store.get(row.sha256))
        }
      } finally {
        await database.close()
        fs.rmSync(storeDir, { recursive: true, force: true })
      }
    })
  }
})
