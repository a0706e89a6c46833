/**
 * photo-near-duplicate — photos of different sessions or students whose 64-bit perceptual hashes
 * (photo.phash, filled by the photo analysis) differ in at most `maxDistance` bits: the same
 * picture re-encoded, resized or re-shot from a screen (照片机, 翻拍). Identical bytes are the case
 * of photo-duplicate and are left to it; dark or uniform frames (luma standard deviation below
 * `minLumaStddev`) all hash alike and are left to the photo quality rules.
 *
 * Set-based, without comparing every pair (multi-index hashing): the hash is cut into
 * `maxDistance + 2` bands; two hashes within `maxDistance` bits differ in at most that many bands,
 * so they agree exactly on at least two (pigeonhole), and every pair of bands is a bucket key.
 * Only photos sharing a key are compared. At the default (6 bits: 8 bands of 8 bits, 28 keys of 16
 * bits per photo) a photo meets about 28 · n / 65,536 others for evenly spread hashes — on a
 * simulated province-day, 316 million comparisons among 1.2 million photos, 9 s in all. Above
 * 9 bits the pairs would be too many and single bands are used (`maxDistance + 1` bands, one
 * must agree). Every later photo with a near twin earlier in the window gives one finding: its
 * closest twin as evidence, the earliest of equally close ones (version 2; version 1 cut the hash
 * into single bands only, about 28 times as many comparisons at the default, and took whichever
 * equally close twin it met first).
 */
import type { CrossFacts, CrossRule, FindingDraft } from '../rule.ts'
import { fromDifferentTrainings, photosInOrder } from './photo-duplicate.ts'
import { localStamp, num } from './support.ts'

const HASH_BITS = 64
/** Above this many band pairs per photo, single bands are used instead. */
const MAX_PAIR_KEYS = 64
/** Buckets of the index: every key of the default (28 pairs × 2^16 values) has its own. */
const BUCKETS = 2 ** 21

/** A 64-bit hash in hex (up to 16 digits) as its high and low 32 bits; null when malformed. */
export function hashHalves(hex: string | null): [number, number] | null {
  if (!hex || !/^[0-9a-fA-F]{1,16}$/.test(hex)) return null
  const padded = hex.padStart(16, '0')
  return [Number.parseInt(padded.slice(0, 8), 16), Number.parseInt(padded.slice(8), 16)]
}

/** Set bits of a 32-bit integer. */
function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/** Bits in which two hashes (as halves) differ. */
export function hashDistance(a: readonly [number, number], b: readonly [number, number]): number {
  return popcount32(a[0] ^ b[0]) + popcount32(a[1] ^ b[1])
}

/** `bands` contiguous bit ranges [start, width] of near-equal width over the 64 bits, lowest first. */
function bandRanges(bands: number): [number, number][] {
  const ranges: [number, number][] = []
  let start = 0
  for (let i = 0; i < bands; i++) {
    const width = Math.floor(HASH_BITS / bands) + (i < HASH_BITS % bands ? 1 : 0)
    ranges.push([start, width])
    start += width
  }
  return ranges
}

/** The `width` bits (at most 32) of the hash from bit `start` (0 = lowest), as a number. */
function bitsOf(hi: number, lo: number, start: number, width: number): number {
  if (start >= 32) return (hi >>> (start - 32)) % 2 ** width
  if (start + width <= 32) return (lo >>> start) % 2 ** width
  const lowBits = 32 - start
  return (lo >>> start) + (hi % 2 ** (width - lowBits)) * 2 ** lowBits
}

/** A 30-bit bucket key of band (pair) `index` with values x and y; collisions only add comparisons. */
function mix(index: number, x: number, y: number): number {
  let h = Math.imul(index + 0x27d4eb2d, 0x9e3779b1)
  h = Math.imul(h ^ x, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h ^ y, 0xc2b2ae35)
  h ^= h >>> 16
  return h & 0x3fffffff
}

/**
 * The bucket keys of a hash for `maxDistance`, written into `out`: two hashes within that many bits
 * share at least one key (pairs of `maxDistance + 2` bands, or single bands of `maxDistance + 1`
 * when pairs would be too many). Keys are small integers — the pair's index and the two band
 * values side by side when they fit in 30 bits (the default: 28 pairs × 16 bits), else a hash of
 * them — so the bucket map stays on V8's small integers.
 */
function keyer(maxDistance: number): (hash: readonly [number, number], out: number[]) => void {
  const pairBands = maxDistance + 2
  const pairs = (pairBands * (pairBands - 1)) / 2
  if (pairBands <= HASH_BITS && pairs <= MAX_PAIR_KEYS) {
    const ranges = bandRanges(pairBands)
    const widest = (ranges[0] as [number, number])[1]
    const exact = 2 * widest + Math.ceil(Math.log2(pairs + 1)) <= 30
    const values = new Array<number>(pairBands).fill(0)
    return (hash, out) => {
      out.length = 0
      for (let i = 0; i < pairBands; i++) {
        const [start, width] = ranges[i] as [number, number]
        values[i] = bitsOf(hash[0], hash[1], start, width)
      }
      let index = 0
      for (let i = 0; i < pairBands; i++) {
        for (let j = i + 1; j < pairBands; j++) {
          const x = values[i] as number
          const y = values[j] as number
          out.push(exact ? (index * 2 ** widest + x) * 2 ** widest + y : mix(index, x, y))
          index++
        }
      }
    }
  }
  const bands = Math.min(HASH_BITS, maxDistance + 1)
  const ranges = bandRanges(bands)
  return (hash, out) => {
    out.length = 0
    for (let i = 0; i < bands; i++) {
      const [start, width] = ranges[i] as [number, number]
      out.push(mix(i, bitsOf(hash[0], hash[1], start, width), 0))
    }
  }
}

/** The bucket keys of one hash for `maxDistance` (see keyer). */
export function bucketKeys(hash: readonly [number, number], maxDistance: number): number[] {
  const out: number[] = []
  keyer(maxDistance)(hash, out)
  return out
}

export const photoNearDuplicate: CrossRule = {
  id: 'photo-near-duplicate',
  version: 2,
  title: { zh: '照片高度相似（疑似翻拍）', en: 'Near-duplicate photo across sessions' },
  severity: 'medium',
  requirements: ['M5', 'M2'],
  basis: 'MISSION M5（照片机）；STANDARDS §7.3（照片重复/翻拍，阈值未见公开来源）',
  scope: 'cross',
  reach: 'photos',
  params: {
    maxDistance: {
      default: 6,
      unit: '位（汉明距离）',
      description: '两张照片的 64 位感知哈希相差不超过此位数视为同一画面',
      uncertain: true,
    },
    minLumaStddev: {
      default: 8,
      unit: '灰度（0–255）',
      description: '亮度标准差低于此值的纯色画面不参与比对（由照片质量规则处理）',
      uncertain: true,
    },
  },
  evaluate(facts: CrossFacts, params): FindingDraft[] {
    const maxDistance = Math.min(HASH_BITS, Math.max(0, Math.floor(num(params, 'maxDistance'))))
    const minStddev = num(params, 'minLumaStddev')
    if (Number.isNaN(maxDistance)) return []
    const occurrences = photosInOrder(facts).flatMap((occ) => {
      const hash = hashHalves(occ.photo.phash)
      if (hash === null) return []
      if (occ.photo.lumaStddev !== null && occ.photo.lumaStddev < minStddev) return []
      return [{ occ, hash }]
    })
    // Buckets by counting sort into flat typed arrays (no array per bucket, nothing for the GC):
    // the keys of every photo, then each bucket's photos in time order.
    const n = occurrences.length
    const keysOf = keyer(maxDistance)
    const scratch: number[] = []
    keysOf([0, 0], scratch)
    const perPhoto = scratch.length
    const bucketOf = new Int32Array(n * perPhoto)
    const starts = new Int32Array(BUCKETS + 1)
    for (let index = 0; index < n; index++) {
      keysOf(occurrences[index]!.hash, scratch)
      for (let k = 0; k < perPhoto; k++) {
        const bucket = (scratch[k] as number) % BUCKETS
        bucketOf[index * perPhoto + k] = bucket
        starts[bucket + 1]!++
      }
    }
    for (let b = 0; b < BUCKETS; b++) starts[b + 1]! += starts[b]!
    // Each bucket's photos in time order; the hashes in two flat arrays (signed, so XOR stays on
    // small integers).
    const members = new Int32Array(n * perPhoto)
    const cursor = starts.slice(0, BUCKETS)
    for (let i = 0; i < n * perPhoto; i++) members[cursor[bucketOf[i]!]!++] = Math.floor(i / perPhoto)
    const highs = new Int32Array(n)
    const lows = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const [high, low] = occurrences[i]!.hash
      highs[i] = high
      lows[i] = low
    }
    // Bucket by bucket, in memory order (a photo-by-photo walk would jump between a province-day's
    // 34 million bucket entries): each pair of photos sharing the bucket, the later one keeping its
    // closest twin, the earliest of equally close ones. A pair sharing several buckets is met more
    // than once, which only repeats a cheap comparison.
    const best = new Int32Array(n).fill(-1)
    const bestDistance = new Int32Array(n).fill(HASH_BITS + 1)
    for (let b = 0; b < BUCKETS; b++) {
      const from = starts[b]!
      const to = starts[b + 1]!
      for (let y = from + 1; y < to; y++) {
        const later = members[y]!
        const high = highs[later]!
        const low = lows[later]!
        for (let x = from; x < y; x++) {
          const earlier = members[x]!
          if (earlier === later) continue
          const d = popcount32(high ^ highs[earlier]!) + popcount32(low ^ lows[earlier]!)
          if (d > maxDistance || d > bestDistance[later]! || (d === bestDistance[later]! && earlier >= best[later]!))
            continue
          const twin = occurrences[earlier]!.occ
          const occ = occurrences[later]!.occ
          if (twin.photo.sha256 === occ.photo.sha256 || !fromDifferentTrainings(twin, occ)) continue
          best[later] = earlier
          bestDistance[later] = d
        }
      }
    }
    const out: FindingDraft[] = []
    for (let index = 0; index < n; index++) {
      if (best[index]! < 0) continue
      const { occ } = occurrences[index]!
      const s = occ.facts.session
      const twin = occurrences[best[index]!]!.occ
      const when = occ.photo.takenAt ? localStamp(occ.photo.takenAt) : '时间未知'
      out.push({
        subjectKind: 'photo',
        subjectId: String(occ.photo.id),
        sessionId: s.id,
        studentId: s.studentId,
        coachId: s.coachId,
        vehicleId: s.vehicleId,
        occurredAt: occ.photo.takenAt ?? s.startedAt,
        summary: `照片 ${occ.photo.id}（${when}，课堂 ${s.id}）与照片 ${twin.photo.id}（课堂 ${twin.facts.session.id}）感知哈希仅差 ${bestDistance[index]} 位（阈值 ${maxDistance} 位），疑似同一画面`,
        evidence: {
          sessions: [twin.facts.session.id, s.id],
          photos: [twin.photo.id, occ.photo.id],
          details: {
            distance: bestDistance[index],
            maxDistance,
            phash: occ.photo.phash,
            twinPhash: twin.photo.phash,
            sameStudent: twin.facts.session.studentId === s.studentId,
          },
        },
        key: 'phash',
      })
    }
    return out
  },
}
