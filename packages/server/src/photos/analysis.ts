/**
 * Photo measures that need no face model: a 64-bit perceptual hash for exact and near duplicates,
 * and the mean and standard deviation of luma for a covered or blinded camera.
 *
 * Perceptual hash (DCT pHash): the photo is converted to greyscale (sharp's Rec. 601 luma) and
 * resized to 32×32 ignoring the aspect ratio; the 2-D DCT-II is taken and its 8×8 lowest
 * frequencies kept (u, v = 0…7, row-major from the DC term); bit i is 1 when coefficient i is
 * above the median of the 63 coefficients other than DC, most significant bit first, written as 16
 * hex digits. Re-encoding, rescaling and brightness changes flip a few bits; another picture flips
 * about half of them.
 *
 * Luma: the same greyscale image resized to at most 64×64 (area-averaged), values 0–255. A lens
 * covered by a hand or tape gives a dark frame (low mean) or a flat one (low deviation); the
 * downscale averages out sensor noise so a flat frame stays flat.
 */
import sharp from 'sharp'

export interface PhotoMeasures {
  /** 64-bit DCT perceptual hash as 16 lowercase hex digits. */
  phash: string
  /** Mean luma 0–255. */
  meanLuma: number
  /** Standard deviation of luma 0–255. */
  lumaStddev: number
  width: number
  height: number
}

const HASH_SIDE = 32
const HASH_FREQS = 8
const LUMA_SIZE = 64

/** Decodes `bytes` (JPEG/PNG/WebP) and returns its measures; throws on bytes that are not an image. */
export async function measurePhoto(bytes: Uint8Array): Promise<PhotoMeasures> {
  const image = sharp(bytes, { failOn: 'error' })
  const meta = await image.metadata()
  const width = meta.width ?? 0
  const height = meta.height ?? 0
  const grey = image.clone().removeAlpha().greyscale()
  const [hashPixels, lumaPixels] = await Promise.all([
    grey.clone().resize(HASH_SIDE, HASH_SIDE, { fit: 'fill' }).raw().toBuffer(),
    grey.clone().resize(Math.min(LUMA_SIZE, width), Math.min(LUMA_SIZE, height), { fit: 'fill' }).raw().toBuffer(),
  ])
  return { phash: perceptualHash(hashPixels), ...lumaStats(lumaPixels), width, height }
}

/** cos((2x + 1)·u·π / 2N) for the 8 lowest frequencies u and the 32 positions x. */
const COSINES = Array.from({ length: HASH_FREQS }, (_, u) =>
  Float64Array.from({ length: HASH_SIDE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * HASH_SIDE))),
)

/** DCT pHash of a 32×32 greyscale raster (one byte per pixel, row-major). */
export function perceptualHash(pixels: Uint8Array): string {
  if (pixels.length !== HASH_SIDE * HASH_SIDE) {
    throw new Error(`perceptualHash needs ${HASH_SIDE * HASH_SIDE} pixels, got ${pixels.length}`)
  }
  // Separable DCT: rows first (8 frequencies per row), then columns.
  const rows = new Float64Array(HASH_SIDE * HASH_FREQS)
  for (let y = 0; y < HASH_SIDE; y++) {
    for (let v = 0; v < HASH_FREQS; v++) {
      const c = COSINES[v] as Float64Array
      let sum = 0
      for (let x = 0; x < HASH_SIDE; x++) sum += (pixels[y * HASH_SIDE + x] as number) * (c[x] as number)
      rows[y * HASH_FREQS + v] = sum
    }
  }
  const coefficients: number[] = []
  for (let u = 0; u < HASH_FREQS; u++) {
    const c = COSINES[u] as Float64Array
    for (let v = 0; v < HASH_FREQS; v++) {
      let sum = 0
      for (let y = 0; y < HASH_SIDE; y++) sum += (rows[y * HASH_FREQS + v] as number) * (c[y] as number)
      coefficients.push(sum)
    }
  }
  const ac = coefficients.slice(1).sort((a, b) => a - b)
  const median = ac[31] as number
  let hex = ''
  for (let i = 0; i < 64; i += 4) {
    let nibble = 0
    for (let k = 0; k < 4; k++) nibble = (nibble << 1) | ((coefficients[i + k] as number) > median ? 1 : 0)
    hex += nibble.toString(16)
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
