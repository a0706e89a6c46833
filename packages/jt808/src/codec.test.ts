import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { loadCorpus } from '../test/corpus.ts'
import { hex, toHex } from './bytes/hex.ts'
import { decodeFrame, encodeBody, encodeFrame } from './codec.ts'
import { CODEC_ERROR_CODES, CodecEncodeError } from './errors.ts'
import { explain, renderExplain, toJsonValue } from './explain.ts'
import { headerInit } from './header.ts'

const HEARTBEAT = '7e80000200000000013800138000000100297e'
const GOLDEN = path.join(import.meta.dirname, '../test/fixtures/0x0200.location-report.explain.txt')

describe('corpus: every frame decodes and re-encodes to the same bytes', () => {
  for (const { name, bytes } of loadCorpus()) {
    it(name, () => {
      const r = decodeFrame(bytes)
      assert.ok(r.ok, r.ok ? '' : `${r.code} @${r.offset}: ${r.message}`)
      const again = encodeFrame(headerInit(r.frame.header), r.frame.body)
      assert.equal(toHex(again), toHex(bytes))
      const e = explain(bytes)
      assert.ok(e.ok, e.error?.message)
    })
  }

  it('known IDs decode, unknown IDs and sub-packages stay raw', () => {
    const byName = new Map(loadCorpus().map((f) => [f.name, f.bytes]))
    const unknown = decodeFrame(byName.get('0x0F01 未注册消息 驾培 (原样保留)') as Uint8Array)
    assert.ok(unknown.ok && !unknown.frame.decoded)
    assert.deepEqual(unknown.frame.body, hex('deadbeef'))
    const part = decodeFrame(byName.get('0x0900 数据上行透传 驾培 第 1/2 包') as Uint8Array)
    assert.ok(part.ok && !part.frame.decoded && part.frame.specName === '数据上行透传')
    assert.deepEqual(part.frame.header.subpackage, { total: 2, index: 1 })
    const down = decodeFrame(byName.get('0x8001 平台通用应答 808-2013') as Uint8Array)
    assert.ok(down.ok && down.frame.header.version === '2013')
  })
})

describe('decodeFrame errors', () => {
  const cases: [string, string, string, number][] = [
    ['empty input', '', 'ERR_CODEC_EMPTY', 0],
    ['leading delimiter only', '7e8000', 'ERR_CODEC_DELIMITER', 2],
    ['trailing delimiter only', '80007e', 'ERR_CODEC_DELIMITER', 0],
    ['0x7D followed by 03', '7e80007d03007e', 'ERR_CODEC_ESCAPE', 3],
    ['0x7E inside', '7e80007e00007e', 'ERR_CODEC_DELIMITER', 3],
    ['too short for any header', '7e8000020000007e', 'ERR_CODEC_TRUNCATED', 6],
    ['checksum', '7e80000200000000013800138000000100287e', 'ERR_CODEC_CHECKSUM', 16],
    // 驾培 header declaring 2 body bytes with none present
    ['body length', '7e800002000200000138001380000001002b7e', 'ERR_CODEC_BODY_LENGTH', 16],
  ]
  for (const [name, input, code, offset] of cases) {
    it(`${name} → ${code} @${offset}`, () => {
      const r = decodeFrame(hex(input))
      assert.ok(!r.ok)
      assert.equal(r.code, code)
      assert.equal(r.offset, offset)
      assert.ok(CODEC_ERROR_CODES.includes(r.code))
      assert.ok(r.message.length > 0)
    })
  }

  it('raw bodies are copies even when the input is a Node Buffer', () => {
    const input = Buffer.from(loadCorpus().find((f) => f.name.startsWith('0x0F01'))?.bytes as Uint8Array)
    const r = decodeFrame(input)
    assert.ok(r.ok)
    const body = r.frame.body as Uint8Array
    input.fill(0)
    assert.equal(toHex(body), 'deadbeef')
  })

  it('accepts frames without delimiters', () => {
    const r = decodeFrame(hex(HEARTBEAT.slice(2, -2)))
    assert.ok(r.ok && r.frame.header.msgId === 2)
  })

  it('a truncated header is ERR_CODEC_HEADER', () => {
    // 2019 props (bit 14) but only 13 bytes of header
    const content = hex('0002400001000000000138001380')
    let cs = 0
    for (const b of content) cs ^= b
    const r = decodeFrame(Uint8Array.from([...content, cs]))
    assert.ok(!r.ok)
    assert.equal(r.code, 'ERR_CODEC_HEADER')
  })

  it('a body error keeps the header so the platform can answer 消息有误', () => {
    // 0x8001 with a 2-byte body
    const frame = encodeFrame({ msgId: 0x8001, version: 'jiapei', phone: '1', serial: 42 }, hex('0001'))
    const r = decodeFrame(frame)
    assert.ok(!r.ok)
    assert.equal(r.code, 'ERR_CODEC_TRUNCATED')
    assert.equal(r.header?.serial, 42)
    assert.equal(r.rawHex, toHex(frame.subarray(1, -1)))
  })

  it('trailing bytes after a fixed body are ERR_CODEC_BODY_LENGTH', () => {
    const frame = encodeFrame({ msgId: 0x8001, version: 'jiapei', phone: '1', serial: 1 }, hex('0001000200ff'))
    const r = decodeFrame(frame)
    assert.ok(!r.ok && r.code === 'ERR_CODEC_BODY_LENGTH' && r.offset === 21)
  })
})

describe('encodeFrame', () => {
  it('encodes unknown IDs from bytes and refuses values for them', () => {
    const frame = encodeFrame({ msgId: 0x0f01, version: '2013', phone: '1', serial: 1 }, hex('01'))
    assert.ok(decodeFrame(frame).ok)
    assert.throws(() => encodeBody(0x0f01, { a: 1 }), CodecEncodeError)
  })

  it('refuses bodies over 1023 bytes and values that do not fit', () => {
    assert.throws(
      () => encodeFrame({ msgId: 0x0900, version: 'jiapei', phone: '1', serial: 1 }, new Uint8Array(1024)),
      CodecEncodeError,
    )
    assert.throws(
      () =>
        encodeFrame(
          { msgId: 0x8001, version: 'jiapei', phone: '1', serial: 1 },
          { replySerial: 1, replyId: 2, result: 256 },
        ),
      CodecEncodeError,
    )
  })
})

describe('explain', () => {
  const frame = loadCorpus().find((f) => f.name === '0x0200 位置信息汇报 驾培')?.bytes as Uint8Array

  it('matches the golden dump of a 驾培 0x0200', () => {
    const text = renderExplain(explain(frame))
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, text)
    assert.equal(text, fs.readFileSync(GOLDEN, 'utf8'))
  })

  it('accepts hex text with spaces and explains bad frames up to the error', () => {
    const spaced = toHex(frame).replace(/(..)/g, '$1 ')
    assert.ok(explain(spaced).ok)
    const bad = explain(`${toHex(frame).slice(0, -4)}007e`)
    assert.equal(bad.ok, false)
    assert.equal(bad.error?.code, 'ERR_CODEC_CHECKSUM')
    assert.ok(renderExplain(bad).includes('ERR_CODEC_CHECKSUM'))
    assert.equal(explain('zz').error?.code, 'ERR_CODEC_HEX')
  })

  it('gives JSON-safe values', () => {
    const r = decodeFrame(frame)
    assert.ok(r.ok)
    const json = JSON.parse(JSON.stringify(toJsonValue(r.frame.body))) as { items: { raw?: string }[] }
    assert.equal(json.items.at(-1)?.raw, 'abcd')
  })
})
