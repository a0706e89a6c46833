/**
 * Photo analysis benchmark: photos/s for the measures (pHash + luma) and for the face analysis
 * (detector + 68-point landmarks + 128-d descriptor) per detector and number of model threads,
 * then the analysis loop end to end on a database (claim, read, measure, faces, write).
 *
 *   npm run bench:photos [-- --photos 40 --detectors ssd,tiny,cascade --threads 1,2 --engine pglite]
 *
 * The photos are simulated 320×240 cab photos of real faces (the face library built from
 * face-api's sample photos, as the demo fleet uses): in every 20, one wrong face, one covered
 * camera, the rest genuine. Besides speed it prints what decides quality: photos where the
 * detector found no face or several, and the distance to the registered photo for the right and
 * the wrong person (0.6 is the photo-face-mismatch default).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../packages/server/src/config/load.ts'
import { createPhotoStore } from '../packages/server/src/ingestion/photo-store.ts'
import { measurePhoto } from '../packages/server/src/photos/analysis.ts'
import {
  createFaceEngine,
  type FaceDetection,
  type FaceDetector,
  faceDistance,
} from '../packages/server/src/photos/faces.ts'
import { loadFaceLibrary } from '../packages/server/src/photos/library.ts'
import { analyzePendingPhotos } from '../packages/server/src/photos/worker.ts'
import {
  createFacePhotoSource,
  faceIndexFor,
  type PhotoPlan,
  type PhotoVariant,
} from '../packages/simulator/src/index.ts'
import { fmt, loadAverage, machineFacts, openBenchDatabase } from './lib/common.ts'

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '40' },
    detectors: { type: 'string', default: 'ssd,tiny,cascade' },
    threads: { type: 'string', default: '1,2' },
    'tiny-input': { type: 'string', default: '160' },
    engine: { type: 'string', default: 'pglite' },
    'loop-photos': { type: 'string', default: '120' },
  },
})
const N = Number(values.photos)
const DETECTORS = values.detectors.split(',').filter(Boolean) as FaceDetector[]
const THREADS = values.threads.split(',').map(Number)
const TINY_INPUT = Number(values['tiny-input'])
const ENGINE = values.engine as 'pglite' | 'pg' | 'none'
const LOOP_PHOTOS = Number(values['loop-photos'])
const log = (line = '') => process.stdout.write(`${line}\n`)

const machine = machineFacts()
log('Photo analysis benchmark')
log(`  machine  : ${machine.cpu} × ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`)
log(`  load avg : ${machine.loadAverage.join(' ')} (1/5/15 min, at start)`)

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-bench-photos-'))
try {
  // ── Photos ─────────────────────────────────────────────────────────────
  const libraryEngine = createFaceEngine()
  const library = await loadFaceLibrary(dir, libraryEngine)
  await libraryEngine.close()
  let variant: PhotoVariant = 'genuine'
  const source = createFacePhotoSource({ faces: library.faces, variant: () => variant })
  const variantOf = (i: number): PhotoVariant => (i % 20 === 1 ? 'wrong-face' : i % 20 === 2 ? 'covered' : 'genuine')
  const makePhotos = async (count: number, offset: number) => {
    const out: { personNo: string; variant: PhotoVariant; bytes: Uint8Array }[] = []
    for (let i = 0; i < count; i++) {
      const personNo = `33010600000${String(i % 97).padStart(5, '0')}`
      variant = variantOf(i)
      const plan: PhotoPlan = {
        photoNo: String(offset + i).padStart(10, '0'),
        personNo,
        event: 19,
        classId: 1,
        gnss: {} as PhotoPlan['gnss'],
        faceConfidence: 90,
        imageSeed: 5000 + offset + i,
        size: 1,
      }
      out.push({ personNo, variant: variantOf(i), bytes: await source(plan) })
    }
    return out
  }
  const photos = await makePhotos(N, 0)
  const registered = (personNo: string) =>
    library.entries[faceIndexFor(personNo, library.faces.length)]?.descriptor as number[]
  const kinds = (v: PhotoVariant) => photos.filter((p) => p.variant === v).length
  log(
    `  photos   : ${N} simulated 320×240 cab photos (${kinds('genuine')} genuine, ${kinds('wrong-face')} wrong face, ${kinds('covered')} covered), ${library.faces.length} library faces`,
  )
  log()

  // ── Measures ───────────────────────────────────────────────────────────
  const rate = (count: number, ms: number) => (count * 1000) / ms
  for (const concurrency of [1, 2]) {
    let next = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < photos.length) await measurePhoto((photos[next++] as (typeof photos)[number]).bytes)
      }),
    )
    const ms = performance.now() - t0
    log(
      `pHash + luma, ${concurrency} at a time: ${fmt(rate(N, ms), 0)} photos/s (${fmt(ms / N, 1)} ms per photo of wall time)`,
    )
  }
  log()

  // ── Faces ──────────────────────────────────────────────────────────────
  log(
    '| detector | threads | photos/s | ms per photo (latency) | no face / several (genuine) | SSD fallbacks | same person | other person | other ≤ 0.6 |',
  )
  log('|---|---|---|---|---|---|---|---|---|')
  const range = (xs: number[]) =>
    xs.length === 0 ? '—' : `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`
  for (const detector of DETECTORS) {
    for (const threads of THREADS) {
      const engine = createFaceEngine({ detector, threads, tinyInputSize: TINY_INPUT })
      try {
        await engine.warm()
        // One photo per thread first: the first inference of a thread compiles its kernels.
        await Promise.all(photos.slice(0, threads).map((p) => engine.detect(p.bytes)))
        const results: { detection: FaceDetection; ms: number }[] = new Array(N)
        let next = 0
        const t0 = performance.now()
        await Promise.all(
          Array.from({ length: threads }, async () => {
            while (next < N) {
              const i = next++
              const t = performance.now()
              const detection = await engine.detect((photos[i] as (typeof photos)[number]).bytes)
              results[i] = { detection, ms: performance.now() - t }
            }
          }),
        )
        const ms = performance.now() - t0
        const same: number[] = []
        const other: number[] = []
        let missed = 0
        let several = 0
        let fallbacks = 0
        for (const [i, p] of photos.entries()) {
          const { detection } = results[i] as { detection: FaceDetection }
          if (detection.detector === 'ssd' && detector === 'cascade') fallbacks++
          const face = detection.faces[0]
          if (p.variant === 'genuine') {
            if (detection.faces.length === 0) missed++
            if (detection.faces.length > 1) several++
          }
          if (!face || p.variant === 'covered') continue
          const d = faceDistance(face.descriptor, registered(p.personNo))
          ;(p.variant === 'genuine' ? same : other).push(d)
        }
        const latency = results.reduce((a, r) => a + r.ms, 0) / N
        log(
          `| ${detector}${detector === 'ssd' ? '' : ` (${TINY_INPUT})`} | ${threads} | ${fmt(rate(N, ms), 1)} | ${fmt(latency, 0)} | ${missed} / ${several} of ${kinds('genuine')} | ${detector === 'cascade' ? fallbacks : '—'} | ${range(same)} | ${range(other)} | ${other.filter((d) => d <= 0.6).length}/${other.length} |`,
        )
      } finally {
        await engine.close()
      }
    }
  }
  log()

  // ── The loop on a database ─────────────────────────────────────────────
  if (ENGINE !== 'none') {
    const config = loadConfig(process.env)
    const bench = await openBenchDatabase(ENGINE, config, { prefix: 'jiapei-bench-photos-db-', pgliteLabel: 'PGlite' })
    const detector = config.photos.detector
    const threads = config.photos.faceThreads
    const engine = createFaceEngine({ detector, threads, tinyInputSize: config.photos.tinyInputSize })
    try {
      const store = createPhotoStore(path.join(bench.dir, 'photos'))
      const loopPhotos = await makePhotos(LOOP_PHOTOS, N)
      const people = new Map<string, number>()
      for (const [i, p] of loopPhotos.entries()) {
        if (!people.has(p.personNo)) {
          const id = people.size + 1
          people.set(p.personNo, id)
          await bench.database.query(
            `INSERT INTO person_photo (person_kind, person_id, sha256, descriptor) VALUES ('student', $1, 'bench', $2::real[])`,
            [id, registered(p.personNo)],
          )
        }
        const { sha256 } = await store.put(p.bytes)
        await bench.database.query(
          `INSERT INTO photo (photo_no, event_type, student_id, size_bytes, sha256) VALUES ($1, 19, $2, $3, $4)`,
          [String(i), people.get(p.personNo), p.bytes.byteLength, sha256],
        )
      }
      await engine.warm()
      const t0 = performance.now()
      let analyzed = 0
      for (;;) {
        const counts = await analyzePendingPhotos(bench.database, store, engine, {
          limit: config.photos.batchSize,
          detector,
          tinyInputSize: config.photos.tinyInputSize,
        })
        if (counts.analyzed === 0) break
        analyzed += counts.analyzed
      }
      const ms = performance.now() - t0
      const [flags] = await bench.database.query<{ far: number; none: number }>(
        `SELECT count(*) FILTER (WHERE face_distance > 0.6)::int AS far, count(*) FILTER (WHERE face_count = 0)::int AS none FROM photo`,
      )
      log(
        `analysis loop on ${bench.label}, detector ${detector}${detector === 'ssd' ? '' : ` (${config.photos.tinyInputSize})`}, ${threads} model thread(s), batch ${config.photos.batchSize}: ${analyzed} photos in ${fmt(ms / 1000, 1)} s = ${fmt(rate(analyzed, ms), 1)} photos/s (distance > 0.6: ${flags?.far}, no face: ${flags?.none})`,
      )
    } finally {
      await engine.close()
      await bench.database.close()
      await bench.dispose()
    }
  }
  log(`  load avg : ${loadAverage().join(' ')} (at end)`)
} finally {
  fs.rmSync(dir, { recursive: true, force: true })
}
