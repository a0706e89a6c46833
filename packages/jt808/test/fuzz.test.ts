/**
 * Fuzz: 100k random and mutated frames through decodeFrame, explain (every 20th) and, for frames
 * that decode, re-encoding; the same bytes streamed through a FrameReader in random chunks.
 * Garbage must give coded rejections, never exceptions. Deterministic (seeded).
 *
 * Mutations of the corpus frames: bit flips, truncation, insertion, deletion, duplicated slices,
 * the same edits applied to the unescaped content with a recomputed checksum (so that they reach
 * the header decoder instead of stopping at the checksum), and edits of the body alone under a
 * consistent header (so that they reach the body decoders).
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { decodeFrame, encodeFrame, wrapBody } from '../src/codec.ts'
import { CODEC_ERROR_CODES, type CodecErrorCode } from '../src/errors.ts'
import { explain, renderExplain } from '../src/explain.ts'
import { unescapeFrame, wrapFrame } from '../src/frame/escape.ts'
import { FrameReader } from '../src/frame/frame-reader.ts'
import { headerInit } from '../src/header.ts'
import { loadCorpus } from './corpus.ts'

const FRAMES = Number(process.env.JT808_FUZZ_FRAMES ?? 100_000)

function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

it(`fuzz: ${FRAMES.toLocaleString('en-US')} random and mutated frames, zero exceptions`, () => {
  const random = mulberry32(0x808)
  const int = (n: number) => Math.floor(random() * n)
  const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256))
  const seeds = loadCorpus().map((f) => f.bytes)
  const contents = seeds.map((s) => {
    const u = unescapeFrame(s.subarray(1, -1))
    assert.ok(u.ok)
    return u.bytes.subarray(0, -1)
  })
  const bodies = seeds.map((s) => {
    const r = decodeFrame(s)
    assert.ok(r.ok)
    return { header: headerInit(r.frame.header), body: r.frame.bodyBytes }
  })

  function mutate(input: Uint8Array): Uint8Array {
    let b = Uint8Array.from(input)
    const edits = 1 + int(3)
    for (let e = 0; e < edits; e++) {
      const op = int(6)
      if (op === 0 && b.length > 0) {
        for (let k = 1 + int(4); k > 0; k--) {
          const i = int(b.length)
          b[i] = (b[i] as number) ^ (1 << int(8))
        }
      } else if (op === 1) b = b.slice(0, int(b.length + 1))
      else if (op === 2) {
        const at = int(b.length + 1)
        b = Uint8Array.from([...b.subarray(0, at), ...randomBytes(1 + int(8)), ...b.subarray(at)])
      } else if (op === 3 && b.length > 0) {
        const at = int(b.length)
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + int(4))])
      } else if (op === 4 && b.length > 0) {
        const at = int(b.length)
        const slice = b.subarray(at, at + 1 + int(16))
        b = Uint8Array.from([...b.subarray(0, at), ...slice, ...b.subarray(at)])
      } else if (b.length > 0) b[int(b.length)] = [0x7e, 0x7d, 0x00, 0xff][int(4)] as number
    }
    return b
  }

  const rejected = new Map<CodecErrorCode, number>()
  let decoded = 0
  let exceptions = 0
  let reencodeFailures = 0
  let streamed = 0
  const failures: string[] = []
  const reader = new FrameReader({ maxFrameSize: 1200 })
  const started = performance.now()

  for (let i = 0; i < FRAMES; i++) {
    const kind = int(10)
    let frame: Uint8Array
    if (kind < 2) {
      frame = randomBytes(int(300))
      if (int(2)) frame = Uint8Array.from([0x7e, ...frame, 0x7e])
    } else if (kind < 6) {
      frame = mutate(seeds[int(seeds.length)] as Uint8Array)
    } else if (kind < 8) {
      frame = wrapFrame(mutate(contents[int(contents.length)] as Uint8Array))
    } else {
      const seed = bodies[int(bodies.length)] as (typeof bodies)[number]
      frame = wrapBody(seed.header, mutate(seed.body).subarray(0, 1023))
    }
    try {
      const r = decodeFrame(frame)
      if (r.ok) {
        decoded++
        try {
          encodeFrame(headerInit(r.frame.header), r.frame.body)
        } catch (error) {
          reencodeFailures++
          if (failures.length < 5)
            failures.push(`re-encode ${Buffer.from(frame).toString('hex')}: ${(error as Error).message}`)
        }
      } else {
        assert.ok(CODEC_ERROR_CODES.includes(r.code))
        rejected.set(r.code, (rejected.get(r.code) ?? 0) + 1)
      }
      if (i % 20 === 0) renderExplain(explain(frame))
      let at = 0
      while (at < frame.length) {
        const size = 1 + int(64)
        streamed += reader.push(frame.subarray(at, at + size)).length
        at += size
      }
    } catch (error) {
      exceptions++
      if (failures.length < 5) failures.push(`${Buffer.from(frame).toString('hex')}: ${(error as Error).stack}`)
    }
  }
  const seconds = (performance.now() - started) / 1000
  const summary = [...rejected.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`)
  console.log(
    `fuzz: ${FRAMES} frames in ${seconds.toFixed(1)} s — decoded ${decoded}, rejected ${FRAMES - decoded} (${summary.join(', ')}), reader events ${streamed}, exceptions ${exceptions}, re-encode failures ${reencodeFailures}`,
  )
  assert.deepEqual(failures, [])
  assert.equal(exceptions, 0)
  assert.equal(reencodeFailures, 0)
})
