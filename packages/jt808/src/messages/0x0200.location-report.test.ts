// 0x0200 位置信息汇报. 驾培 (STANDARDS §2.4): the 28-byte GNSS数据包 (行驶记录速度 40.0 km/h, 卫星定位速度
// 39.4 km/h, no altitude) + items 0x01 里程 777.7 km, 0x02 油量 40.0 L, 0x03 海拔 32 m, 0x05 转速 2200
// rpm and a vendor item 0xE1 kept raw. 808-2013 (JT/T 808 表23–26): 高程 32 m, 速度 40.0 km/h, items
// 0x01, 0x30 信号强度, 0x31 卫星数, and 0x2A with a wrong length kept raw.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { roundTrip } from '../../test/round-trip.ts'
import { hex } from '../bytes/hex.ts'
import { decodeFrame, encodeFrame } from '../codec.ts'
import { locationReport } from './0x0200.location-report.ts'

export const LOCATION_JIAPEI_HEX =
  '00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000 01 04 00001e61 02 02 0190 03 02 0020 05 02 0898 e1 02 abcd'
export const LOCATION_JIAPEI = {
  alarm: 0,
  status: 3,
  lat: 30274085,
  lng: 120155070,
  recorderSpeed: 400,
  gnssSpeed: 394,
  heading: 90,
  timeLocal: '240501083000',
  items: [
    { id: 1, value: 7777 },
    { id: 2, value: 400 },
    { id: 3, value: 32 },
    { id: 5, value: 2200 },
    { id: 0xe1, raw: hex('abcd') },
  ],
}

const LOCATION_808 = {
  alarm: 0,
  status: 3,
  lat: 30274085,
  lng: 120155070,
  altitude: 32,
  speed: 400,
  heading: 90,
  timeLocal: '240501083000',
}

roundTrip(locationReport, [
  { name: '驾培 with items and a vendor item', hex: LOCATION_JIAPEI_HEX, value: LOCATION_JIAPEI },
  {
    name: '驾培 without items',
    hex: '00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000',
    value: { ...LOCATION_JIAPEI, items: [] },
  },
  {
    name: '2013 plain layout',
    version: '2013',
    hex: '00000000 00000003 01cdf225 07296bbe 0020 0190 005a 240501083000 01 04 00001e61 30 01 1f 31 01 0c 2a 01 07',
    value: {
      ...LOCATION_808,
      items: [
        { id: 1, value: 7777 },
        { id: 0x30, value: 31 },
        { id: 0x31, value: 12 },
        { id: 0x2a, raw: hex('07') },
      ],
    },
  },
  {
    name: '2019 plain layout',
    version: '2019',
    hex: '00000000 00000003 01cdf225 07296bbe 0020 0190 005a 240501083000',
    value: { ...LOCATION_808, items: [] },
  },
])

it('an item running past the end is a coded truncation, never an exception', () => {
  const frame = encodeFrame(
    { msgId: 0x0200, version: 'jiapei', phone: '13800138000', serial: 5 },
    hex('00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000 01 04 0000'),
  )
  const r = decodeFrame(frame)
  assert.ok(!r.ok)
  assert.equal(r.code, 'ERR_CODEC_TRUNCATED')
  assert.equal(r.offset, 16 + 28 + 2)
  assert.equal(r.header?.serial, 5)
})
