/**
 * photo-near-duplicate — photos of different sessions or students whose 64-bit perceptual hashes
 * (photo.phash, filled by the photo analysis) differ in at most `maxDistance` bits: the same
 * picture re-encoded, resized or re-shot from a screen (照片机, 翻拍). Identical bytes are the case
 * of photo-duplicate and are left to it; dark or uniform frames (luma standard deviation below
 * `minLumaStddev`) all hash alike and are left to the photo quality rules.
 *
 * Set-based, without comparing every pair: the hash is cut into `maxDistance + 1` bands; two
 * hashes within `maxDistance` bits agree exactly on at least one band (pigeonhole), so only photos
 * sharing a band value are compared. Cost: O(n · bands) to bucket plus the comparisons inside
 * buckets — about n / 2^(64 / bands) per photo and band for evenly spread hashes (n / 512 at the
 * default), a few nanoseconds each on two 32-bit halves. That is well under a second for a
 * city-day (10⁵ photos); a province-day is run per city (`jiapei detect --city`). Every later
 * photo with a near twin earlier in the window gives one finding (its closest twin as evidence).
 */
import type { CrossFacts, CrossRule, FindingDraft } from '../rule.ts'
import { fromDifferentTrainings, type PhotoOccurrence, photosInOrder } from './photo-duplicate.ts'
import { localStamp, num } from './support.ts'

const HASH_BITS = 64

/** Parses a 64-bit hash in hex (up to 16 digits); null when malformed. */
export function parseHash(hex: string | null): bigint | null {
  if (!hex || !/^[0-9a-fA-F]{1,16}$/.test(hex)) return null
  return BigInt(`0x${hex}`)
}

export function hamming(a: bigint, b: bigint): number {
  let x = a ^ b
  let count = 0
  while (x > 0n) {
    x &= x - 1n
    count++
  }
  return count
}

/** Set bits of a 32-bit integer. */
function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/** The hash as two 32-bit halves: comparisons in the inner loop stay on plain numbers. */
function halves(hash: bigint): [number, number] {
  return [Number(hash >> 32n) >>> 0, Number(hash & 0xffffffffn) >>> 0]
}

const distance = (a: [number, number], b: [number, number]) => popcount32(a[0] ^ b[0]) + popcount32(a[1] ^ b[1])

/** The hash cut into `bands` contiguous bit ranges of near-equal width, as (band, value) keys. */
export function bandKeys(hash: bigint, bands: number): string[] {
  const keys: string[] = []
  let start = 0
  for (let i = 0; i < bands; i++) {
    const width = Math.floor(HASH_BITS / bands) + (i < HASH_BITS % bands ? 1 : 0)
    const value = (hash >> BigInt(start)) & ((1n << BigInt(width)) - 1n)
    keys.push(`${i}:${value.toString(16)}`)
    start += width
  }
  return keys
}

export const photoNearDuplicate: CrossRule = {
  id: 'photo-near-duplicate',
  version: 1,
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
    const maxDistance = Math.max(0, Math.floor(num(params, 'maxDistance')))
    const minStddev = num(params, 'minLumaStddev')
    if (Number.isNaN(maxDistance)) return []
    const bands = Math.min(HASH_BITS, maxDistance + 1)
    const buckets = new Map<string, { occ: PhotoOccurrence; hash: [number, number] }[]>()
    const out: FindingDraft[] = []
    for (const occ of photosInOrder(facts)) {
      const hash = parseHash(occ.photo.phash)
      if (hash === null) continue
      if (occ.photo.lumaStddev !== null && occ.photo.lumaStddev < minStddev) continue
      const keys = bandKeys(hash, bands)
      const own = halves(hash)
      let best: { occ: PhotoOccurrence; distance: number } | undefined
      // A pair sharing several bands is met more than once; that only repeats a cheap comparison.
      for (const key of keys) {
        const list = buckets.get(key)
        if (!list) continue
        for (const other of list) {
          const d = distance(own, other.hash)
          if (d > maxDistance || (best && d >= best.distance)) continue
          if (other.occ.photo.sha256 === occ.photo.sha256 || !fromDifferentTrainings(other.occ, occ)) continue
          best = { occ: other.occ, distance: d }
        }
      }
      for (const key of keys) {
        const list = buckets.get(key)
        if (list) list.push({ occ, hash: own })
        else buckets.set(key, [{ occ, hash: own }])
      }
      if (!best) continue
      const s = occ.facts.session
      const twin = best.occ
      const when = occ.photo.takenAt ? localStamp(occ.photo.takenAt) : '时间未知'
      out.push({
        subjectKind: 'photo',
        subjectId: String(occ.photo.id),
        sessionId: s.id,
        studentId: s.studentId,
        coachId: s.coachId,
        vehicleId: s.vehicleId,
        occurredAt: occ.photo.takenAt ?? s.startedAt,
        summary: `照片 ${occ.photo.id}（${when}，课堂 ${s.id}）与照片 ${twin.photo.id}（课堂 ${twin.facts.session.id}）感知哈希仅差 ${best.distance} 位（阈值 ${maxDistance} 位），疑似同一画面`,
        evidence: {
          sessions: [twin.facts.session.id, s.id],
          photos: [twin.photo.id, occ.photo.id],
          details: {
            distance: best.distance,
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
