/**
 * The face library of the simulated fleet: head-and-shoulders crops of distinct real people, cut
 * once out of the group photos shipped with the face model package and cached under the data
 * directory (`<dataDir>/face-library/`). The package is MIT-licensed, but the sample photos carry
 * no statement about the people shown, so the crops stay on the machine and are never committed.
 *
 * Building: every sample is searched for faces; a face must be confidently detected and large
 * enough, its crop must show exactly one face, and a face closer than `sameFace` to one already
 * kept is taken as the same person and skipped. Each entry keeps its descriptor, so registering
 * a demo person needs no further model run.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { FaceEngine } from './faces.ts'
import { faceDistance } from './faces.ts'
import { faceSamplePaths } from './samples.ts'

export interface FaceLibraryEntry {
  file: string
  sha256: string
  descriptor: number[]
  /** Detector confidence on the crop. */
  score: number
  /** Sample photo and face box it was cut from. */
  source: string
  box: [number, number, number, number]
}

export interface FaceLibrary {
  /** JPEG crops, in entry order. */
  faces: Uint8Array[]
  entries: FaceLibraryEntry[]
}

export interface FaceLibraryOptions {
  /** Smallest detector confidence kept (default 0.8). */
  minScore?: number
  /** Smallest face box side in sample pixels (default 100). */
  minSide?: number
  /** Faces closer than this are the same person (default 0.5). */
  sameFace?: number
  /** Side of the square crops (default 256). */
  cropSide?: number
}

const INDEX_VERSION = 1

/** The library under `dataDir`, built (and cached) from the sample photos on first use. */
export async function loadFaceLibrary(
  dataDir: string,
  engine: FaceEngine,
  options: FaceLibraryOptions = {},
): Promise<FaceLibrary> {
  const dir = path.join(dataDir, 'face-library')
  const cached = readCached(dir)
  if (cached) return cached
  const built = await buildFaceLibrary(engine, options)
  await fs.promises.mkdir(dir, { recursive: true })
  for (const [i, entry] of built.entries.entries()) {
    await fs.promises.writeFile(path.join(dir, entry.file), built.faces[i] as Uint8Array)
  }
  const index = path.join(dir, 'index.json')
  const tmp = `${index}.${process.pid}.tmp`
  await fs.promises.writeFile(tmp, JSON.stringify({ version: INDEX_VERSION, entries: built.entries }))
  await fs.promises.rename(tmp, index)
  return built
}

function readCached(dir: string): FaceLibrary | null {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
      version: number
      entries: FaceLibraryEntry[]
    }
    if (index.version !== INDEX_VERSION || index.entries.length === 0) return null
    const faces = index.entries.map((e) => new Uint8Array(fs.readFileSync(path.join(dir, e.file))))
    const intact = faces.every(
      (bytes, i) => crypto.createHash('sha256').update(bytes).digest('hex') === index.entries[i]?.sha256,
    )
    return intact ? { faces, entries: index.entries } : null
  } catch {
    return null
  }
}

/** Cuts the distinct faces out of the sample photos (no cache). */
export async function buildFaceLibrary(engine: FaceEngine, options: FaceLibraryOptions = {}): Promise<FaceLibrary> {
  const minScore = options.minScore ?? 0.8
  const minSide = options.minSide ?? 100
  const sameFace = options.sameFace ?? 0.5
  const cropSide = options.cropSide ?? 256
  const library: FaceLibrary = { faces: [], entries: [] }
  for (const sample of faceSamplePaths()) {
    const bytes = new Uint8Array(await fs.promises.readFile(sample))
    const meta = await sharp(bytes).metadata()
    const width = meta.width ?? 0
    const height = meta.height ?? 0
    const { faces } = await engine.detect(bytes)
    for (const face of faces) {
      const [x, y, w, h] = face.box
      if (face.score < minScore || Math.min(w, h) < minSide) continue
      const side = Math.round(Math.max(w, h) * 1.7)
      const left = Math.max(0, Math.round(x + w / 2 - side / 2))
      const top = Math.max(0, Math.round(y + h / 2 - side / 2))
      const cw = Math.min(side, width - left)
      const ch = Math.min(side, height - top)
      if (cw < side * 0.8 || ch < side * 0.8) continue
      const crop = new Uint8Array(
        await sharp(bytes)
          .extract({ left, top, width: cw, height: ch })
          .resize(cropSide, cropSide, { fit: 'cover' })
          .jpeg({ quality: 90 })
          .toBuffer(),
      )
      const described = await engine.descriptor(crop)
      if (described.faceCount !== 1 || !described.descriptor) continue
      const descriptor = described.descriptor
      if (library.entries.some((e) => faceDistance(e.descriptor, descriptor) < sameFace)) continue
      library.faces.push(crop)
      library.entries.push({
        file: `face-${String(library.entries.length + 1).padStart(2, '0')}.jpg`,
        sha256: crypto.createHash('sha256').update(crop).digest('hex'),
        descriptor: descriptor.map((v) => Math.round(v * 1e6) / 1e6),
        score: Math.round((described.score ?? 0) * 1000) / 1000,
        source: path.basename(sample),
        box: [Math.round(x), Math.round(y), Math.round(w), Math.round(h)],
      })
    }
  }
  return library
}
