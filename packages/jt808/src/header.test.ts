import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hex, toHex } from './bytes/hex.ts'
import { ByteReader } from './bytes/reader.ts'
import { ByteWriter } from './bytes/writer.ts'
import { decodeFrame, encodeFrame, encodePackets } from './codec.ts'
import { detectLayout, type HeaderInit, readHeader, writeHeader } from './header.ts'

// Heartbeats in the three layouts (STANDARDS §2.2): 驾培 16-byte header with BCD[8] phone and the
// reserved byte; 808-2013 12-byte header with BCD[6]; 808-2019 17-byte header with props bit 14,
// version byte 1 and BCD[10].
const JIAPEI = '7e80000200000000013800138000000100297e'
const V2013 = '7e000200000138001380000001a97e'
const V2019 = '7e0002400001000000000138001380000001e87e'
// 驾培 0x8001 downlink (reply to serial 1, ID 0x0002, result 0): starts 80 80 01.
const JIAPEI_DOWN = '7e808001000500000138001380000007000001000200aa7e'

describe('header layouts', () => {
  it('decodes the 驾培 header', () => {
    const r = decodeFrame(hex(JIAPEI))
    assert.ok(r.ok)
    assert.deepEqual(r.frame.header, {
      msgId: 0x0002,
      version: 'jiapei',
      protocolVersion: 0x80,
      phone: '0000013800138000',
      serial: 1,
      reserved: 0,
      bodyLength: 0,
      encryption: 0,
      reservedBits: 0,
    })
  })

  it('decodes the 2013 and 2019 headers', () => {
    const a = decodeFrame(hex(V2013))
    assert.ok(a.ok)
    assert.deepEqual(a.frame.header, {
      msgId: 2,
      version: '2013',
      phone: '013800138000',
      serial: 1,
      bodyLength: 0,
      encryption: 0,
      reservedBits: 0,
    })
    const b = decodeFrame(hex(V2019))
    assert.ok(b.ok)
    assert.deepEqual(b.frame.header, {
      msgId: 2,
      version: '2019',
      protocolVersion: 1,
      phone: '00000000013800138000',
      serial: 1,
      bodyLength: 0,
      encryption: 0,
      reservedBits: 0,
    })
  })

  it('encodes the three layouts byte for byte', () => {
    const base = { msgId: 0x0002, phone: '13800138000', serial: 1 }
    assert.equal(toHex(encodeFrame({ ...base, version: 'jiapei' }, {})), JIAPEI)
    assert.equal(toHex(encodeFrame({ ...base, version: '2013' }, {})), V2013)
    assert.equal(toHex(encodeFrame({ ...base, version: '2019' }, {})), V2019)
  })

  it('reports encryption and sub-package fields and writes them back', () => {
    const init: HeaderInit = {
      msgId: 0x0900,
      version: 'jiapei',
      phone: '13800138000',
      serial: 9,
      encryption: 1,
      subpackage: { total: 3, index: 2 },
    }
    const w = new ByteWriter()
    writeHeader(w, init, 5)
    const bytes = w.finish()
    // props = 5 | RSA (bit 10) | 分包 (bit 13) = 0x2405
    assert.equal(toHex(bytes), '8009002405000001380013800000090000030002')
    const h = readHeader(new ByteReader(bytes), 'jiapei')
    assert.equal(h.encryption, 1)
    assert.deepEqual(h.subpackage, { total: 3, index: 2 })
    assert.equal(h.bodyLength, 5)
  })

  it('rejects a packet index outside 1..total', () => {
    const w = new ByteWriter()
    writeHeader(w, { msgId: 1, version: '2013', phone: '1', serial: 1, subpackage: { total: 2, index: 3 } }, 0)
    const r = new ByteReader(w.finish())
    readHeader(r, '2013')
    assert.equal(r.error?.code, 'ERR_CODEC_HEADER')
  })
})

describe('layout detection', () => {
  const content = (frame: string) => {
    const b = hex(frame)
    return b.subarray(1, b.length - 2)
  }

  it('0x80 first → 驾培, bit 14 → 2019, otherwise 2013', () => {
    assert.equal(detectLayout(content(JIAPEI)), 'jiapei')
    assert.equal(detectLayout(content(V2013)), '2013')
    assert.equal(detectLayout(content(V2019)), '2019')
    assert.equal(detectLayout(content(JIAPEI_DOWN)), 'jiapei')
  })

  it('a plain 808 downlink starting with 0x80 is recognised by its length', () => {
    // 808-2013 0x8001: 80 01 | props 0005 | BCD[6] | serial | body 5
    const frame = encodeFrame(
      { msgId: 0x8001, version: '2013', phone: '13800138000', serial: 7 },
      {
        replySerial: 1,
        replyId: 2,
        result: 0,
      },
    )
    assert.equal(detectLayout(content(toHex(frame))), '2013')
    const r = decodeFrame(frame)
    assert.ok(r.ok && r.frame.header.version === '2013' && r.frame.header.msgId === 0x8001)
  })

  it('a lax 驾培 header with version byte 0x00 is recognised by its length', () => {
    const frame = encodeFrame(
      { msgId: 0x8001, version: 'jiapei', protocolVersion: 0, phone: '13800138000', serial: 7 },
      { replySerial: 1, replyId: 2, result: 0 },
    )
    const r = decodeFrame(frame)
    assert.ok(r.ok)
    assert.equal(r.frame.header.version, 'jiapei')
    assert.equal(r.frame.header.protocolVersion, 0)
  })

  it('the layout can be forced', () => {
    const r = decodeFrame(hex(JIAPEI), { version: '2013' })
    assert.ok(!r.ok)
  })
})

describe('sub-packaging', () => {
  it('splits a long body into numbered packets with consecutive serials', () => {
    const body = new Uint8Array(2500).map((_, i) => i & 0xff)
    const frames = encodePackets({ msgId: 0x0900, version: 'jiapei', phone: '1', serial: 0xfffe }, body, 1000)
    assert.equal(frames.length, 3)
    const decoded = frames.map((f) => decodeFrame(f))
    const parts: Uint8Array[] = []
    decoded.forEach((r, i) => {
      assert.ok(r.ok)
      assert.deepEqual(r.frame.header.subpackage, { total: 3, index: i + 1 })
      assert.equal(r.frame.header.serial, [0xfffe, 0xffff, 0][i])
      assert.equal(r.frame.decoded, false)
      parts.push(r.frame.body as Uint8Array)
    })
    assert.deepEqual(Buffer.concat(parts), Buffer.from(body))
  })
})
