/**
 * Timing of the photo analysis on this machine:
 * `npx tsx packages/server/src/photos/measure.ts [photos=20] [ssd|tiny|cascade] [tiny input=160]`.
 * Builds cab photos of real faces the way the simulator does, then times the measures (pHash and
 * luma), the face model (load, one descriptor per cab photo and per registration crop) and prints
 * milliseconds per photo with the face distances seen. Nothing is written outside a temporary folder.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createFacePhotoSource, faceIndexFor, type PhotoPlan, type PhotoVariant } from '@jiapei/simulator'
import { photoNearDuplicate } from '../detection/rules/photo-near-duplicate.ts'
import { PHOTO_QUALITY_PARAMS } from '../detection/rules/support.ts'
import { hammingDistance, measurePhoto } from './analysis.ts'
import { createFaceEngine, faceDistance } from './faces.ts'
import { loadFaceLibrary } from './library.ts'

const N = Number(process.argv[2] ?? 20)
const detector = process.argv[3] === 'tiny' || process.argv[3] === 'cascade' ? process.argv[3] : 'ssd'
const tinyInputSize = Number(process.argv[4] ?? 160)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'photo-measure-'))
// The engine's default (SSD) builds the library and describes registration crops, as in production;
// cab photos use the chosen detector, as the analysis loop does.
const engine = createFaceEngine()
const cab = { detector, tinyInputSize } as const
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now()
  const value = await fn()
  return [value, performance.now() - t]
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  return `mean ${mean.toFixed(1)} ms, median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms (n=${xs.length})`
}

try {
  const [, loadMs] = await time(() => engine.warm())
  console.log(`detector: ${detector}${detector === 'ssd' ? '' : ` (tiny input ${tinyInputSize})`}`)
  console.log(`face model thread start + model load: ${loadMs.toFixed(0)} ms`)
  const [library, libraryMs] = await time(() => loadFaceLibrary(dir, engine))
  console.log(`face library build (${library.faces.length} faces from the samples): ${(libraryMs / 1000).toFixed(1)} s`)

  const plan = (personNo: string, n: number): PhotoPlan => ({
    photoNo: String(n).padStart(10, '0'),
    personNo,
    event: 19,
    classId: 1,
    gnss: {} as PhotoPlan['gnss'],
    faceConfidence: 90,
    imageSeed: 1000 + n,
    size: 1,
  })
  let variant: PhotoVariant = 'genuine'
  const source = createFacePhotoSource({ faces: library.faces, variant: () => variant })
  const people = Array.from({ length: N }, (_, i) => `33010600000${String(i).padStart(5, '0')}`)
  const genuine: Uint8Array[] = []
  const impostor: Uint8Array[] = []
  for (const [i, p] of people.entries()) {
    variant = 'genuine'
    genuine.push(await source(plan(p, i)))
    variant = 'wrong-face'
    impostor.push(await source(plan(p, N + i)))
  }
  const measureMs: number[] = []
  for (const jpeg of genuine) measureMs.push((await time(() => measurePhoto(jpeg)))[1])
  console.log(`measures (pHash + luma), 320×240 JPEG: ${stats(measureMs)}`)

  const faceMs: number[] = []
  const same: number[] = []
  const other: number[] = []
  for (const [i, p] of people.entries()) {
    const registered = library.entries[faceIndexFor(p, library.faces.length)]!.descriptor
    const [g, ms] = await time(() => engine.descriptor(genuine[i]!, cab))
    faceMs.push(ms)
    if (g.descriptor) same.push(faceDistance(g.descriptor, registered))
    const w = await engine.descriptor(impostor[i]!, cab)
    if (w.descriptor) other.push(faceDistance(w.descriptor, registered))
  }
  console.log(`face detection + descriptor, 320×240 cab photo: ${stats(faceMs)}`)
  const cropMs: number[] = []
  for (const face of library.faces) cropMs.push((await time(() => engine.descriptor(face)))[1])
  console.log(`face detection + descriptor, 256×256 registration crop: ${stats(cropMs)}`)
  const range = (xs: number[]) =>
    `min ${Math.min(...xs).toFixed(3)}, mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)}, max ${Math.max(...xs).toFixed(3)} (n=${xs.length})`
  console.log(`distance to the registered photo, same person: ${range(same)}`)
  console.log(`distance to the registered photo, another person: ${range(other)}`)

  // What the photo rules would say at their default thresholds.
  const maxFace = PHOTO_QUALITY_PARAMS.maxFaceDistance.default
  const count = (xs: number[], f: (x: number) => boolean) => `${xs.filter(f).length}/${xs.length}`
  console.log(
    `maxFaceDistance ${maxFace}: genuine flagged ${count(same, (d) => d > maxFace)}, wrong face caught ${count(other, (d) => d > maxFace)}`,
  )
  const minLuma = PHOTO_QUALITY_PARAMS.minMeanLuma.default
  const minStd = PHOTO_QUALITY_PARAMS.minLumaStddev.default
  const covered = (m: { meanLuma: number; lumaStddev: number }) => m.meanLuma < minLuma || m.lumaStddev < minStd
  const genuineMeasures = await Promise.all(genuine.map(measurePhoto))
  const coveredMeasures: { meanLuma: number; lumaStddev: number }[] = []
  const recodedDistance: number[] = []
  for (const [i, p] of people.entries()) {
    variant = 'covered'
    coveredMeasures.push(await measurePhoto(await source(plan(p, 2 * N + i))))
    variant = 'replay-recoded'
    const recoded = await measurePhoto(await source(plan(p, 3 * N + i)))
    recodedDistance.push(hammingDistance(recoded.phash, genuineMeasures[i]!.phash))
  }
  const flags = (ms: { meanLuma: number; lumaStddev: number }[]) => `${ms.filter(covered).length}/${ms.length}`
  console.log(
    `covered camera (meanLuma < ${minLuma} or lumaStddev < ${minStd}): covered caught ${flags(coveredMeasures)}, genuine flagged ${flags(genuineMeasures)}`,
  )
  const maxBits = Number(photoNearDuplicate.params.maxDistance?.default)
  const pairs: number[] = []
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) pairs.push(hammingDistance(genuineMeasures[i]!.phash, genuineMeasures[j]!.phash))
  }
  console.log(
    `near duplicate (≤ ${maxBits} bits): re-encoded replays caught ${count(recodedDistance, (d) => d <= maxBits)}, genuine pairs flagged ${count(pairs, (d) => d <= maxBits)} (closest ${Math.min(...pairs)} bits)`,
  )
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  )
} finally {
  await engine.close()
  fs.rmSync(dir, { recursive: true, force: true })
}
