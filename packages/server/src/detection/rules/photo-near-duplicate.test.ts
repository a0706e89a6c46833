import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createRng } from '../../seed/random.ts'
import type { SessionFacts } from '../rule.ts'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { bucketKeys, hashDistance, hashHalves, photoNearDuplicate } from './photo-near-duplicate.ts'

/** Flips `bits` low bits of a hex hash. */
function flip(hex: string, bits: number): string {
  return (BigInt(`0x${hex}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, '0')
}

/** A deterministic generator for the property tests. */
const random = (seed: number): (() => number) => createRng(seed).next

const hex = (h: readonly [number, number]) => h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0')

/** The hash with `bits` distinct random bits flipped. */
function flipRandom(h: readonly [number, number], bits: number, next: () => number): [number, number] {
  const chosen = new Set<number>()
  while (chosen.size < bits) chosen.add(Math.floor(next() * 64))
  let [hi, lo] = h
  for (const bit of chosen) {
    if (bit >= 32) hi = (hi ^ (1 << (bit - 32))) >>> 0
    else lo = (lo ^ (1 << bit)) >>> 0
  }
  return [hi, lo]
}

function nearCopy(from: SessionFacts, to: SessionFacts, bits: number, patch = {}): SessionFacts {
  const original = from.photos[1]!
  return {
    ...to,
    photos: to.photos.map((p, i) => (i === 2 ? { ...p, phash: flip(original.phash as string, bits), ...patch } : p)),
  }
}

const a = crossSession('practical', 1, { local: '2026-03-10T10:00:00' })
const b = crossSession('practical', 2, { local: '2026-03-11T10:00:00', session: { studentId: 202 } })

crossTableTest(photoNearDuplicate, [
  { name: 'unrelated photos are far apart', facts: crossFacts([a, b]), findings: 0 },
  {
    name: 'a re-encoded copy 5 bits away → one finding on the later photo',
    facts: crossFacts([a, nearCopy(a, b, 5)]),
    findings: 1,
    summary: /照片 202（.+课堂 2）与照片 101（课堂 1）感知哈希仅差 5 位（阈值 6 位）/,
    check: ([f]) => {
      assert.deepEqual(f?.evidence.photos, [101, 202])
      assert.equal(f?.subjectId, '202')
    },
  },
  { name: 'exactly at the threshold (6 bits) is reported', facts: crossFacts([a, nearCopy(a, b, 6)]), findings: 1 },
  { name: '7 bits away is not', facts: crossFacts([a, nearCopy(a, b, 7)]), findings: 0 },
  {
    name: 'a stricter policy (maxDistance 2) ignores 5 bits',
    facts: crossFacts([a, nearCopy(a, b, 5)]),
    params: { maxDistance: 2 },
    findings: 0,
  },
  {
    name: 'identical bytes are left to photo-duplicate',
    facts: crossFacts([a, nearCopy(a, b, 0, { sha256: a.photos[1]!.sha256 })]),
    findings: 0,
  },
  {
    name: 'uniform frames (covered camera) are not compared',
    facts: crossFacts([a, nearCopy(a, b, 1, { lumaStddev: 2 })]),
    findings: 0,
  },
  {
    name: 'photos not yet analysed (no phash) are skipped',
    facts: crossFacts([a, nearCopy(a, b, 1, { phash: null })]),
    findings: 0,
  },
])

describe('perceptual hash helpers', () => {
  it('the distance counts differing bits', () => {
    assert.equal(hashDistance([0, 0], [0, 0]), 0)
    assert.equal(hashDistance([0, 0xff], [0, 0x0f]), 4)
    assert.equal(hashDistance(hashHalves('ffffffffffffffff')!, [0, 0]), 64)
    assert.equal(hashDistance(hashHalves('8000000000000001')!, [0, 0]), 2)
  })
  it('hashHalves reads up to 16 hex digits and refuses anything else', () => {
    assert.deepEqual(hashHalves('0123456789abcdef'), [0x01234567, 0x89abcdef])
    assert.deepEqual(hashHalves('ff'), [0, 0xff])
    assert.equal(hashHalves('xyz'), null)
    assert.equal(hashHalves(null), null)
    assert.equal(hashHalves('00112233445566778'), null)
  })
  it('two hashes within d bits share a bucket key, wherever the bits are (d = 0…16, pairs and single bands)', () => {
    const next = random(42)
    for (let d = 0; d <= 16; d++) {
      for (let trial = 0; trial < 300; trial++) {
        const h: [number, number] = [Math.floor(next() * 2 ** 32), Math.floor(next() * 2 ** 32)]
        const other = flipRandom(h, Math.floor(next() * (d + 1)), next)
        const mine = new Set(bucketKeys(h, d))
        assert.ok(
          bucketKeys(other, d).some((k) => mine.has(k)),
          `d=${d} ${hex(h)} ${hex(other)}`,
        )
      }
    }
  })
  it('finds exactly what comparing every pair finds: each later photo, its closest and earliest twin', () => {
    const next = random(7)
    // 12 sessions × 40 photos; the hashes drawn from 25 originals, each 0–9 bits away from one.
    const originals = Array.from(
      { length: 25 },
      () => [Math.floor(next() * 2 ** 32), Math.floor(next() * 2 ** 32)] as [number, number],
    )
    const sessions = Array.from({ length: 12 }, (_, k) => {
      const base = crossSession('practical', k + 1, {
        local: `2026-03-10T${String(8 + (k % 10)).padStart(2, '0')}:00:00`,
        session: { studentId: 300 + (k % 5) },
      })
      const photos = Array.from({ length: 40 }, (_, i) => ({
        ...base.photos[0]!,
        id: (k + 1) * 1000 + i,
        takenAt: new Date(base.session.startedAt.getTime() + i * 60_000),
        sha256: `sha-${(k + 1) * 1000 + i}`,
        lumaStddev: 40,
        phash: hex(flipRandom(originals[Math.floor(next() * originals.length)]!, Math.floor(next() * 10), next)),
      }))
      return { ...base, photos }
    })
    const facts = crossFacts(sessions)
    const got = photoNearDuplicate
      .evaluate(facts, { maxDistance: 6, minLumaStddev: 8 })
      .map((f) => `${f.evidence.photos!.join('>')}@${(f.evidence.details as { distance: number }).distance}`)
    // Every pair, in time order.
    const all = sessions
      .flatMap((s) => s.photos.map((photo) => ({ photo, s })))
      .sort((x, y) => x.photo.takenAt!.getTime() - y.photo.takenAt!.getTime() || x.photo.id - y.photo.id)
    const expected: string[] = []
    all.forEach(({ photo, s }, i) => {
      let best: { id: number; d: number } | undefined
      for (const { photo: other, s: os } of all.slice(0, i)) {
        if (os.session.id === s.session.id && os.session.studentId === s.session.studentId) continue
        const d = hashDistance(hashHalves(photo.phash)!, hashHalves(other.phash)!)
        if (d <= 6 && (!best || d < best.d)) best = { id: other.id, d }
      }
      if (best) expected.push(`${best.id}>${photo.id}@${best.d}`)
    })
    assert.ok(expected.length > 100, `${expected.length} near pairs in the sample`)
    assert.deepEqual(got, expected)
  })
})
