// 0x0900 数据上行透传 / 0x8900 数据下行透传 (JT/T 808-2013 §8.62/§8.63): 透传消息类型 + content, kept raw
// when no codec is registered for the type (0x41 串口1透传 here; 0x13 驾培业务 is decoded by the
// extension package).
import { roundTrip } from '../../test/round-trip.ts'
import { hex } from '../bytes/hex.ts'
import { uplinkPassThrough } from './0x0900.uplink-pass-through.ts'
import { downlinkPassThrough } from './0x8900.downlink-pass-through.ts'

roundTrip(uplinkPassThrough, [
  { name: 'serial port 1', hex: '41 01020304', value: { type: 0x41, data: hex('01020304') } },
  { name: 'empty content', hex: '41', value: { type: 0x41, data: new Uint8Array(0) } },
])

roundTrip(downlinkPassThrough, [{ name: 'serial port 2', hex: '42 ff', value: { type: 0x42, data: hex('ff') } }])
