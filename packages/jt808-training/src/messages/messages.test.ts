import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, it } from 'node:test'
import { CODEC_ERROR_CODES, decodeFrame, hex, toHex } from '@jiapei/jt808'
import { FIXTURES, TERMINAL_NO } from '../../test/fixtures.ts'
import { assertCovers, envelopeFrame, hexId } from '../../test/support.ts'
import { findTrainingMessage, TRAINING_MESSAGES, type TrainingEnvelope, trainingEnvelope } from '../index.ts'

/** The catalogue of STANDARDS §2.6. */
const CATALOGUE = [
  0x0101, 0x8101, 0x0102, 0x8102, 0x0201, 0x8201, 0x0202, 0x8202, 0x0203, 0x8205, 0x0205, 0x8301, 0x0301, 0x8302,
  0x0302, 0x0303, 0x8303, 0x8304, 0x0304, 0x0305, 0x8305, 0x0306, 0x8501, 0x0501, 0x8502, 0x0502, 0x8503, 0x0503,
  0x0401, 0x8401, 0x0402, 0x8402, 0x0403, 0x8403,
]

describe('catalogue', () => {
  it('defines every message of STANDARDS §2.6 once', () => {
    assert.deepEqual(
      TRAINING_MESSAGES.map((m) => m.id).sort((a, b) => a - b),
      [...CATALOGUE].sort((a, b) => a - b),
    )
  })

  it('direction follows the ID (0x8xxx downlink) and every name is Chinese', () => {
    for (const m of TRAINING_MESSAGES) {
      assert.equal(m.direction, m.id & 0x8000 ? 'down' : 'up', hexId(m.id))
      assert.match(m.specName, /[\u4e00-\u9fff]/, hexId(m.id))
      assert.equal(findTrainingMessage(m.id), m)
    }
  })

  it('each message lives in its own unit file named by ID and slug', () => {
    const files = new Set(fs.readdirSync(import.meta.dirname))
    for (const m of TRAINING_MESSAGES) {
      const name = `0x${m.id.toString(16).padStart(4, '0')}.${m.slug}.ts`
      assert.ok(files.has(name), `missing ${name}`)
    }
  })

  it('requests name an answer of the opposite direction', () => {
    for (const m of TRAINING_MESSAGES) {
      if (m.replyId === undefined || m.replyId === 0x8001) continue
      const reply = findTrainingMessage(m.replyId)
      assert.ok(reply, `${hexId(m.id)} → ${hexId(m.replyId)}`)
      assert.notEqual(reply.direction, m.direction)
    }
  })

  it('every message has hex fixtures', () => {
    const covered = new Set(FIXTURES.map((f) => f.def.id))
    for (const id of CATALOGUE) assert.ok(covered.has(id), `no fixture for ${hexId(id)}`)
  })
})

for (const { def, cases } of FIXTURES) {
  describe(`${hexId(def.id)} ${def.specName}`, () => {
    for (const f of cases) {
      const bytes = hex(f.hex)
      it(`${f.name}: parse`, () => {
        const result = def.decode(bytes)
        assert.ok(result.ok, result.ok ? '' : `${result.code} @${result.offset}: ${result.message}`)
        assert.deepStrictEqual(result.value, f.value)
      })
      it(`${f.name}: generate`, () => {
        assert.equal(toHex(def.encode(f.value)), toHex(bytes))
      })
      it(`${f.name}: round trip`, () => {
        const result = def.decode(def.encode(f.value))
        assert.ok(result.ok)
        assert.deepStrictEqual(result.value, f.value)
      })
      it(`${f.name}: explain annotates every byte`, () => {
        const { nodes, error } = def.explain(bytes)
        assert.equal(error, undefined)
        assertCovers(nodes, 0, bytes.length)
      })
      it(`${f.name}: through a ${def.direction === 'up' ? '0x0900' : '0x8900'} frame`, () => {
        const env = trainingEnvelope(def, f.value, { terminalNo: TERMINAL_NO, packetSeq: 9 })
        const frame = envelopeFrame(env, def.direction)
        const r = decodeFrame(frame)
        assert.ok(r.ok, r.ok ? '' : `${r.code} @${r.offset}: ${r.message}`)
        const content = (r.frame.body as { content: TrainingEnvelope }).content
        assert.equal(content.messageId, def.id)
        assert.equal(content.specName, def.specName)
        assert.deepStrictEqual(content.body, f.value)
        assert.equal(toHex(content.data), toHex(bytes))
      })
      it(`${f.name}: every truncation is a coded error, never a throw`, () => {
        for (let n = 0; n < bytes.length; n++) {
          const result = def.decode(bytes.subarray(0, n))
          if (result.ok) continue // bodies ending in a variable part may stop early
          assert.ok(CODEC_ERROR_CODES.includes(result.code))
          assert.ok(result.offset >= 0 && result.offset <= n, `${result.code} @${result.offset} of ${n}`)
        }
      })
    }
  })
}
