/**
 * Mutation fuzzing: valid 驾培 frames of every message (uplink plain and signed, downlink) are
 * mutated — bit flips, special bytes, truncation, insertion, deletion, length-field overwrites,
 * splices — and fed to the core's decodeFrame and explain. Nothing may throw; every failure must
 * be a core code with an offset inside the frame. Most mutations keep the header length and the
 * checksum consistent so that they reach the envelope and message decoders.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  CODEC_ERROR_CODES,
  decodeFrame,
  encodeFrame,
  explain,
  type HeaderInit,
  headerInit,
  MAX_BODY_LENGTH,
  unescapeFrame,
  wrapBody,
  wrapFrame,
} from '@jiapei/jt808'
import { encodeEnvelope, signEnvelope, type TrainingEnvelope, trainingEnvelope } from '../src/index.ts'
import { FIXTURES, TERMINAL_NO } from './fixtures.ts'
import { PHONE } from './support.ts'

const FRAMES = 24_000

/** Small deterministic PRNG (mulberry32) so that a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Seed {
  header: HeaderInit
  body: Uint8Array
}

function seeds(): Seed[] {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const out: Seed[] = []
  let serial = 1
  for (const { def, cases } of FIXTURES) {
    for (const f of cases) {
      const env: TrainingEnvelope = trainingEnvelope(def, f.value, { terminalNo: TERMINAL_NO, packetSeq: serial })
      const msgId = def.direction === 'up' ? 0x0900 : 0x8900
      const header: HeaderInit = { msgId, version: 'jiapei', phone: PHONE, serial: serial++ }
      out.push({ header, body: encodeEnvelope(env, def.direction) })
      if (def.direction === 'up') {
        out.push({ header, body: encodeEnvelope({ ...env, attributes: { ...env.attributes, backfill: true } }, 'up') })
        const signed = encodeEnvelope(signEnvelope(env, privateKey), 'up')
        if (signed.length <= MAX_BODY_LENGTH) out.push({ header, body: signed })
      }
    }
  }
  return out
}

function mutate(bytes: Uint8Array, rnd: () => number, pool: Seed[]): Uint8Array {
  const int = (n: number) => Math.floor(rnd() * n)
  let b = Array.from(bytes)
  const rounds = 1 + int(3)
  for (let k = 0; k < rounds; k++) {
    const at = b.length ? int(b.length) : 0
    switch (int(8)) {
      case 0: // flip bits
        if (b.length) b[at] = (b[at] as number) ^ (1 << int(8))
        break
      case 1: // special values
        if (b.length) b[at] = [0x00, 0xff, 0x7e, 0x7d, 0x13, 0x80][int(6)] as number
        break
      case 2: // truncate
        b = b.slice(0, at)
        break
      case 3: // insert random bytes
        b.splice(at, 0, ...Array.from({ length: 1 + int(8) }, () => int(256)))
        break
      case 4: // delete a range
        b.splice(at, 1 + int(16))
        break
      case 5: // overwrite the 数据长度 DWORD (or any 4 bytes) with a random or near value
        {
          const pos = rnd() < 0.6 ? 23 : at
          const v = rnd() < 0.5 ? int(0x10000) : (b.length - 27 + int(5) - 2) >>> 0
          for (let i = 0; i < 4 && pos + i < b.length; i++) b[pos + i] = (v >>> (24 - 8 * i)) & 0xff
        }
        break
      case 6: // splice a tail from another seed
        {
          const other = pool[int(pool.length)] as Seed
          b = b.slice(0, at).concat(Array.from(other.body.subarray(int(other.body.length))))
        }
        break
      default: // repeat a section
        b.splice(at, 0, ...b.slice(at, at + 1 + int(32)))
    }
  }
  return new Uint8Array(b)
}

/** Rewrites 数据长度 to match the bytes present, so that the mutation reaches the message decoder. */
function fixDataLength(body: Uint8Array, uplink: boolean): void {
  if (body.length < 27) return
  const signed = uplink && ((body[4] as number) & 0xf0) !== 0
  const n = body.length - 27 - (signed ? 256 : 0)
  if (n < 0) return
  body[23] = n >>> 24
  body[24] = (n >>> 16) & 0xff
  body[25] = (n >>> 8) & 0xff
  body[26] = n & 0xff
}

describe('fuzz: mutated 驾培 frames through decodeFrame', () => {
  it(`${FRAMES} mutated frames, zero exceptions, only coded failures`, () => {
    const pool = seeds()
    assert.ok(pool.length >= 60)
    const rnd = prng(0x13_0203)
    const stats = { ok: 0, decodedEnvelope: 0, failed: 0, reachedEnvelope: 0, codes: new Map<string, number>() }
    for (let i = 0; i < FRAMES; i++) {
      const seed = pool[i % pool.length] as Seed
      const mode = rnd()
      let frame: Uint8Array
      if (mode < 0.65) {
        // body mutated; header length and checksum recomputed
        const body = mutate(seed.body, rnd, pool).subarray(0, MAX_BODY_LENGTH)
        if (rnd() < 0.5) fixDataLength(body, seed.header.msgId === 0x0900)
        frame = wrapBody(seed.header, body)
      } else if (mode < 0.85) {
        // header + body mutated; checksum recomputed
        const clean = wrapBody(seed.header, seed.body)
        const content = unescapeFrame(clean.subarray(1, clean.length - 1))
        assert.ok(content.ok)
        frame = wrapFrame(mutate(content.bytes.subarray(0, content.bytes.length - 1), rnd, pool))
      } else {
        // escaped frame mutated as it would arrive
        frame = mutate(wrapBody(seed.header, seed.body), rnd, pool)
      }
      let result: ReturnType<typeof decodeFrame>
      try {
        result = decodeFrame(frame)
        if (i % 8 === 0) explain(frame)
      } catch (e) {
        assert.fail(`frame ${i} threw: ${(e as Error).stack}\n${Buffer.from(frame).toString('hex')}`)
      }
      if (result.ok) {
        stats.ok++
        if ((result.frame.body as { content?: unknown }).content !== undefined) stats.decodedEnvelope++
        // What decodes re-encodes (without throwing) into a frame that decodes again.
        let again: ReturnType<typeof decodeFrame>
        try {
          again = decodeFrame(encodeFrame(headerInit(result.frame.header), result.frame.body))
        } catch (e) {
          assert.fail(`frame ${i} re-encode threw: ${(e as Error).message}\n${Buffer.from(frame).toString('hex')}`)
        }
        assert.ok(again.ok, `frame ${i} re-encoded does not decode: ${again.ok ? '' : again.message}`)
      } else {
        stats.failed++
        assert.ok(CODEC_ERROR_CODES.includes(result.code), result.code)
        assert.ok(
          Number.isInteger(result.offset) && result.offset >= 0 && result.offset <= frame.length,
          `${result.offset}`,
        )
        if (result.offset > 16) stats.reachedEnvelope++
        stats.codes.set(result.code, (stats.codes.get(result.code) ?? 0) + 1)
      }
    }
    if (process.env.FUZZ_STATS) console.log(stats)
    // The mutations must exercise the extension, not only the framing.
    assert.ok(stats.decodedEnvelope > FRAMES / 10, `decoded envelopes: ${stats.decodedEnvelope}`)
    assert.ok(stats.reachedEnvelope > FRAMES / 10, `failures inside the envelope: ${stats.reachedEnvelope}`)
    assert.ok((stats.codes.get('ERR_CODEC_BODY_LENGTH') ?? 0) > 0)
    assert.ok((stats.codes.get('ERR_CODEC_TRUNCATED') ?? 0) > 0)
  })
})
