/**
 * Photos of the cab camera: a small real JPEG drawn from the seed (a face-like oval on a
 * gradient with noise and a caption band), encoded by sharp. Same seed, same bytes. A terminal can
 * be given another source, e.g. real faces from a face library (faces.ts).
 */
import sharp from 'sharp'
import type { PhotoPlan } from './lesson.ts'
import { Rng } from './random.ts'

/** Produces the JPEG a terminal uploads for a planned photo. */
export type PhotoSource = (photo: PhotoPlan) => Promise<Uint8Array>

/** The default source: the generated picture of the photo's seed and size. */
export const generatedPhotos: PhotoSource = (photo) => generateJpeg(photo.imageSeed, photo.size)

/** 图片尺寸 codes of 0x0305 and their pixel sizes (STANDARDS §2.7). */
export const PHOTO_SIZES: Readonly<Record<number, readonly [number, number]>> = {
  1: [320, 240],
  2: [640, 480],
  3: [800, 600],
  4: [1024, 768],
  5: [176, 144],
  6: [352, 288],
  7: [704, 288],
  8: [704, 576],
}

/**
 * A deterministic JPEG for `seed` at 图片尺寸 `sizeCode` (default 1, 320×240). `figure` false leaves
 * out the oval, for a background a real face is placed on.
 */
export async function generateJpeg(seed: number, sizeCode = 1, quality = 60, figure = true): Promise<Uint8Array> {
  const [width, height] = PHOTO_SIZES[sizeCode] ?? [320, 240]
  const rng = new Rng(seed)
  const pixels = Buffer.alloc(width * height * 3)
  const base = [rng.int(60, 200), rng.int(60, 200), rng.int(60, 200)]
  const cx = width * rng.float(0.4, 0.6)
  const cy = height * rng.float(0.4, 0.55)
  const rx = width * 0.16
  const ry = height * 0.3
  const skin = [rng.int(180, 235), rng.int(140, 190), rng.int(110, 160)]
  const noise = new Rng(seed ^ 0x5bd1e995)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      const inFace = figure && ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
      const caption = y >= height - 18
      for (let c = 0; c < 3; c++) {
        const g = (base[c] as number) + ((x + y) * 40) / (width + height) - 20
        const v = caption ? 20 : inFace ? (skin[c] as number) : g
        pixels[i + c] = Math.max(0, Math.min(255, Math.round(v + noise.float(-12, 12))))
      }
    }
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer()
  return new Uint8Array(jpeg)
}
