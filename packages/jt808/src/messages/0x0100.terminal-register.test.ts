// 0x0100 终端注册 in its four forms (STANDARDS §2.3 for 驾培: IMEI BYTE[15] after the 7-byte serial;
// JT/T 808-2011/2013/2019 field widths). Province 33 (浙江), city 0100, maker 70111, plate 浙A1234学
// (GBK), colour 2 黄.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { roundTrip } from '../../test/round-trip.ts'
import { hex } from '../bytes/hex.ts'
import { decodeFrame, encodeFrame } from '../codec.ts'
import { terminalRegister } from './0x0100.terminal-register.ts'

const PLATE = 'd5e34131323334d1a7'
const common = { provinceId: 33, cityId: 100, manufacturerId: '70111', plateColor: 2, plate: '浙A1234学' }
const JIAPEI = `0021 0064 3730313131 4a502d5431303000000000000000000000000000 31323334353637 383630303030303030303030303031 02 ${PLATE}`
const V2011 = `0021 0064 3730313131 4a502d5431000000 31323334353637 02 ${PLATE}`
const V2013 = `0021 0064 3730313131 4a502d5431303000000000000000000000000000 31323334353637 02 ${PLATE}`
const V2019 = `0021 0064 3730313131000000000000 4a502d543130300000000000000000000000000000000000000000000000 313233343536370000000000000000000000000000000000000000000000 02 ${PLATE}`

roundTrip(terminalRegister, [
  {
    name: '驾培 with IMEI',
    hex: JIAPEI,
    value: { ...common, model: 'JP-T100', terminalId: '1234567', imei: '860000000000001' },
  },
  { name: '2011', version: '2011', hex: V2011, value: { ...common, model: 'JP-T1', terminalId: '1234567' } },
  { name: '2013', version: '2013', hex: V2013, value: { ...common, model: 'JP-T100', terminalId: '1234567' } },
  { name: '2019', version: '2019', hex: V2019, value: { ...common, model: 'JP-T100', terminalId: '1234567' } },
])

it('0x0100 under a 2013 header: a 2011-length body is detected as 2011', () => {
  const header = { msgId: 0x0100, version: '2013', phone: '13800138000', serial: 1 } as const
  // A 2013-header frame whose body has the 2011 length (25 + plate) is reported as 2011.
  const frame2011 = encodeFrame(header, hex(V2011))
  const d = decodeFrame(frame2011)
  assert.ok(d.ok)
  assert.equal(d.frame.header.version, '2011')
  assert.deepEqual(d.frame.body, { ...common, model: 'JP-T1', terminalId: '1234567' })
  const d13 = decodeFrame(encodeFrame(header, hex(V2013)))
  assert.ok(d13.ok)
  assert.equal(d13.frame.header.version, '2013')
})
