import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CodecEncodeError } from '../errors.ts'
import { hex, parseHex, toHex } from './hex.ts'
import { ByteReader } from './reader.ts'
import { ByteWriter } from './writer.ts'

describe('ByteReader', () => {
  it('reads big-endian numbers, BCD and padded text', () => {
    const r = new ByteReader(hex('7f 1234 89abcdef 0000013800138000 41 42 00 00 00 00 30 31 b2e2 cad4'))
    assert.equal(r.u8(), 0x7f)
    assert.equal(r.u16(), 0x1234)
    assert.equal(r.u32(), 0x89abcdef)
    assert.equal(r.bcd(8), '0000013800138000')
    assert.equal(r.ascii(4), 'AB')
    assert.equal(r.ascii(4, { side: 'start', fill: 0 }), '01')
    assert.equal(r.gbk(4), '测试')
    assert.equal(r.remaining, 0)
    assert.ok(r.ok)
  })

  it('records the first error instead of throwing and returns neutral values afterwards', () => {
    const r = new ByteReader(hex('0102 03'), 10)
    assert.equal(r.u16(), 0x0102)
    assert.equal(r.u32(), 0)
    assert.equal(r.error?.code, 'ERR_CODEC_TRUNCATED')
    assert.equal(r.error?.offset, 12)
    assert.equal(r.u8(), 0)
    assert.equal(r.bcd(2), '')
    assert.equal(r.error?.offset, 12)
  })

  it('keeps hex letters found in BCD so that re-encoding is exact', () => {
    const r = new ByteReader(hex('0138001380ff'))
    const digits = r.bcd(6)
    assert.equal(digits, '0138001380ff')
    assert.equal(toHex(new ByteWriter().bcd(digits, 6).finish()), '0138001380ff')
  })

  it('traces fields for explain', () => {
    const trace: import('./reader.ts').ExplainNode[] = []
    const r = new ByteReader(hex('0001 02'), 5, trace)
    r.field('a', '甲', { label: 'WORD', read: (x) => x.u16(), write: () => {} })
    r.field('b', '乙', { label: 'BYTE', read: (x) => x.u8(), write: () => {} }, (v) => `值 ${v}`)
    assert.deepEqual(
      trace.map((n) => [n.key, n.offset, n.length, n.hex, n.value, n.text]),
      [
        ['a', 5, 2, '0001', 1, undefined],
        ['b', 7, 1, '02', 2, '值 2'],
      ],
    )
  })
})

describe('ByteWriter', () => {
  it('writes the same vocabulary and grows', () => {
    const w = new ByteWriter(2)
    w.u8(0x7f)
      .u16(0x1234)
      .u32(0x89abcdef)
      .bcd('13800138000', 8)
      .ascii('AB', 4)
      .ascii('01', 4, { side: 'start', fill: 0 })
    w.gbk('测试', 4)
    assert.equal(toHex(w.finish()), '7f123489abcdef00000138001380004142000000003031b2e2cad4')
  })

  it('throws a coded error for values that do not fit', () => {
    assert.throws(() => new ByteWriter().u8(256), CodecEncodeError)
    assert.throws(() => new ByteWriter().u16(-1), CodecEncodeError)
    assert.throws(() => new ByteWriter().bcd('123', 1), CodecEncodeError)
    assert.throws(() => new ByteWriter().bcd('12x4', 2), CodecEncodeError)
    assert.throws(() => new ByteWriter().ascii('toolong', 3), CodecEncodeError)
    assert.throws(() => new ByteWriter().gbk('浙A12345', 7), CodecEncodeError)
  })
})

describe('hex', () => {
  it('parses spaced, prefixed and mixed-case hex', () => {
    assert.equal(toHex(parseHex('7E 80 0x02 aB') as Uint8Array), '7e8002ab')
    assert.equal(parseHex('7e8'), undefined)
    assert.equal(parseHex('zz'), undefined)
  })
})
