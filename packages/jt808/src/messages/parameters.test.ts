// 0x8103 设置终端参数 / 0x0104 查询终端参数应答 (JT/T 808-2013 表12): 0x0001 心跳间隔 60 s (DWORD),
// 0x0013 主服务器地址 "10.0.0.1" (STRING), 0x0084 车牌颜色 2 (BYTE), a vendor id 0xF001 kept raw, and
// a known id with an unexpected length kept raw.
import { roundTrip } from '../../test/round-trip.ts'
import { hex } from '../bytes/hex.ts'
import { queryParametersReply } from './0x0104.query-parameters-reply.ts'
import { setParameters } from './0x8103.set-parameters.ts'

const LIST = '05 00000001 04 0000003c 00000013 08 31302e302e302e31 00000084 01 02 0000f001 02 abcd 00000055 02 0078'
const parameters = [
  { id: 1, value: 60 },
  { id: 0x13, value: '10.0.0.1' },
  { id: 0x84, value: 2 },
  { id: 0xf001, raw: hex('abcd') },
  { id: 0x55, raw: hex('0078') },
]

roundTrip(setParameters, [
  { name: 'known, string, vendor and odd-length parameters', hex: LIST, value: { parameters } },
  { name: 'no parameters', version: '2013', hex: '00', value: { parameters: [] } },
])

roundTrip(queryParametersReply, [
  { name: 'reply with the same list', hex: `0005 ${LIST}`, value: { replySerial: 5, parameters } },
])
