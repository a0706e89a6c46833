import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hex, toHex } from './bytes/hex.ts'
import { ByteReader, type ExplainNode } from './bytes/reader.ts'
import { ByteWriter } from './bytes/writer.ts'
import { gnssBasic, gnssExtended, JIAPEI_ITEMS, locationItems } from './gnss.ts'

// 驾培 GNSS数据包 basic part (STANDARDS §2.4): alarm 0, status 3 (ACC, fixed), 30.274085 N,
// 120.155070 E, recorder 40.0 km/h, GNSS 39.4 km/h, heading 90, 2024-05-01 08:30:00.
export const GNSS_BASIC_HEX = '00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000'
export const GNSS_BASIC = {
  alarm: 0,
  status: 3,
  lat: 30274085,
  lng: 120155070,
  recorderSpeed: 400,
  gnssSpeed: 394,
  heading: 90,
  timeLocal: '240501083000',
}
// 附加GNSS数据包 (STANDARDS §2.4): basic + 01 04 里程 777.7 km + 05 02 转速 2200 rpm.
export const GNSS_EXTENDED_HEX = `${GNSS_BASIC_HEX} 01 04 00001e61 05 02 0898`
export const GNSS_EXTENDED = { ...GNSS_BASIC, mileage: 7777, rpm: 2200 }

describe('GNSS blocks', () => {
  it('28-byte basic block: decode, encode, explain', () => {
    assert.equal(gnssBasic.size, 28)
    const trace: ExplainNode[] = []
    const r = new ByteReader(hex(GNSS_BASIC_HEX), 0, trace)
    assert.deepEqual(gnssBasic.read(r), GNSS_BASIC)
    assert.equal(r.remaining, 0)
    const w = new ByteWriter()
    gnssBasic.write(w, GNSS_BASIC)
    assert.equal(
      toHex(w.finish()),
      hex(GNSS_BASIC_HEX).reduce((s, b) => s + b.toString(16).padStart(2, '0'), ''),
    )
    assert.deepEqual(
      trace.map((n) => n.text),
      [
        '0x00000000',
        '0x00000003 ACC 开，已定位，北纬，东经',
        '30.274085°',
        '120.155070°',
        '40.0 km/h',
        '39.4 km/h',
        undefined,
        '2024-05-01 08:30:00 (GMT+8)',
      ],
    )
  })

  it('38-byte 附加GNSS数据包: decode and encode', () => {
    assert.equal(gnssExtended.size, 38)
    const r = new ByteReader(hex(GNSS_EXTENDED_HEX))
    assert.deepEqual(gnssExtended.read(r), GNSS_EXTENDED)
    assert.ok(r.ok && r.remaining === 0)
    const w = new ByteWriter()
    gnssExtended.write(w, GNSS_EXTENDED)
    assert.equal(toHex(w.finish()), toHex(hex(GNSS_EXTENDED_HEX)))
  })

  it('38-byte block with unexpected items is a body error at the item', () => {
    const r = new ByteReader(hex(`${GNSS_BASIC_HEX} 02 04 00001e61 05 02 0898`), 100)
    gnssExtended.read(r)
    assert.equal(r.error?.code, 'ERR_CODEC_BODY')
    assert.equal(r.error?.offset, 128)
  })

  it('additional items: known, vendor and wrong-length items round-trip; overruns are truncation', () => {
    const items = locationItems(JIAPEI_ITEMS)
    const bytes = hex('01 04 00001e61 02 02 0190 03 02 0020 05 02 0898 e1 03 aabbcc 03 01 07')
    const r = new ByteReader(bytes)
    const value = items.read(r)
    assert.deepEqual(value, [
      { id: 1, value: 7777 },
      { id: 2, value: 400 },
      { id: 3, value: 32 },
      { id: 5, value: 2200 },
      { id: 0xe1, raw: hex('aabbcc') },
      { id: 3, raw: hex('07') },
    ])
    const w = new ByteWriter()
    items.write(w, value)
    assert.equal(toHex(w.finish()), toHex(bytes))
    const short = new ByteReader(hex('01 04 0000'))
    items.read(short)
    assert.equal(short.error?.code, 'ERR_CODEC_TRUNCATED')
  })
})
