import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SessionFacts } from '../rule.ts'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { bandKeys, hamming, parseHash, photoNearDuplicate } from './photo-near-duplicate.ts'

/** Flips `bits` low bits of a hex hash. */
function flip(hex: string, bits: number): string {
  const value = parseHash(hex) as bigint
  return (value ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, '0')
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
  it('hamming distance counts differing bits', () => {
    assert.equal(hamming(0n, 0n), 0)
    assert.equal(hamming(0xffn, 0x0fn), 4)
    assert.equal(hamming(parseHash('ffffffffffffffff') as bigint, 0n), 64)
  })
  it('parseHash refuses malformed hashes', () => {
    assert.equal(parseHash('xyz'), null)
    assert.equal(parseHash(null), null)
    assert.equal(parseHash('00112233445566778'), null)
  })
  it('bands cover all 64 bits: two hashes within d bits share one of d+1 bands', () => {
    const h = parseHash('0123456789abcdef') as bigint
    for (let d = 0; d <= 10; d++) {
      // Flip one bit in each of d different bands.
      let other = h
      for (let i = 0; i < d; i++) other ^= 1n << BigInt(Math.floor((i * 64) / (d + 1)))
      const shared = bandKeys(h, d + 1).filter((k, i) => k === bandKeys(other, d + 1)[i])
      assert.ok(shared.length >= 1, `d=${d}`)
    }
  })
})
