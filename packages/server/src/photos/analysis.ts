/**
 * Photo measures that need no face model: a 64-bit perceptual hash (dHash) for exact and near
 * duplicates, and the mean and standard deviation of luma for a covered or blinded camera.
 *
 * dHash ("difference hash"): the photo is converted to greyscale (sharp's Rec. 601 luma), resized
 * to 9×8 pixels ignoring the aspect ratio, and bit i is 1 when pixel (x, y) is brighter than its
 * right neighbour (x + 1, y), row by row from the top left, most significant bit first. Re-encoding,
 * rescaling and small brightness changes flip a few bits; another scene flips about half of them.
 *
 * Luma: the same greyscale image resized to at most 64×64 (area-averaged), values 0–255. A lens
 * covered by a hand or tape gives a dark frame (low mean) or a flat one (low deviation); the
 * downscale averages out sensor noise so a flat frame stays flat.
 */
import sharp from 'sharp'

export interface PhotoMeasures {
  /** 64-bit dHash as 16 lowercase hex digits. */
  phash: string
  /** Mean luma 0–255. */
  meanLuma: number
  /** Standard deviation of luma 0–255. */
  lumaStddev: number
  width: number
  height: number
}

const HASH_W = 9
const HASH_H = 8
const LUMA_SIZE = 64

/** Decodes `bytes` (JPEG/PNG/WebP) and returns its measures; throws on bytes that are not an image. */
export async function measurePhoto(bytes: Uint8Array): Promise<PhotoMeasures> {
  const image = sharp(bytes, { failOn: 'error' })
  const meta = await image.metadata()
  const width = meta.width ?? 0
  const height = meta.height ?? 0
  const grey = image.clone().removeAlpha().greyscale()
  const [hashPixels, lumaPixels] = await Promise.all([
    grey.clone().resize(HASH_W, HASH_H, { fit: 'fill', kernel: 'linear' }).raw().toBuffer(),
    grey.clone().resize(Math.min(LUMA_SIZE, width), Math.min(LUMA_SIZE, height), { fit: 'fill' }).raw().toBuffer(),
  ])
  return { phash: dHash(hashPixels), ...lumaStats(lumaPixels), width, height }
}

/** dHash of a 9×8 greyscale raster (one byte per pixel, row-major). */
export function dHash(pixels: Uint8Array): string {
  if (pixels.length !== HASH_W * HASH_H) throw new Error(`dHash needs ${HASH_W * HASH_H} pixels, got ${pixels.length}`)
  let hex = ''
  for (let y = 0; y < HASH_H; y++) {
    let byte = 0
    for (let x = 0; x < HASH_W - 1; x++) {
      const left = pixels[y * HASH_W + x] as number
      const right = pixels[y * HASH_W + x + 1] as number
      byte = (byte << 1) | (left > right ? 1 : 0)
    }
    hex += byte.toString(16).padStart(2, '0')
  }
  return hex
}

/** Mean and population standard deviation of 8-bit values. */
export function lumaStats(pixels: Uint8Array): { meanLuma: number; lumaStddev: number } {
  if (pixels.length === 0) return { meanLuma: 0, lumaStddev: 0 }
  let sum = 0
  let sumSq = 0
  for (const v of pixels) {
    sum += v
    sumSq += v * v
  }
  const mean = sum / pixels.length
  const variance = Math.max(0, sumSq / pixels.length - mean * mean)
  return { meanLuma: round2(mean), lumaStddev: round2(Math.sqrt(variance)) }
}

const POPCOUNT = Array.from({ length: 16 }, (_, n) => (n & 1) + ((n >> 1) & 1) + ((n >> 2) & 1) + ((n >> 3) & 1))

/** Number of differing bits between two 64-bit hashes given as 16 hex digits (0–64). */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b))
    throw new Error('hammingDistance needs two 16-digit hex hashes')
  let bits = 0
  for (let i = 0; i < 16; i++)
    bits += POPCOUNT[Number.parseInt(a[i] as string, 16) ^ Number.parseInt(b[i] as string, 16)] as number
  return bits
}

function round2(v: number): number {
  return Math.round(v * 100) / 100
}
