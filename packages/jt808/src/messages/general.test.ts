// Fixtures for the short messages: 0x0001/0x8001 (应答流水号 WORD, 应答ID WORD, 结果 BYTE — JT/T 808
// §8.1/§8.2, STANDARDS §2.3), the empty bodies 0x0002/0x0003/0x8104/0x8201 (STANDARDS §2.3), 0x8202,
// 0x8105 (命令字 + GBK 命令参数), 0x8003/0x0005 (STANDARDS §2.2: BYTE count in 2013, WORD in 2019).
import { roundTrip } from '../../test/round-trip.ts'
import { terminalGeneralReply } from './0x0001.terminal-general-reply.ts'
import { heartbeat } from './0x0002.heartbeat.ts'
import { terminalLogout } from './0x0003.terminal-logout.ts'
import { terminalResendRequest } from './0x0005.terminal-resend-request.ts'
import { platformGeneralReply } from './0x8001.platform-general-reply.ts'
import { resendRequest } from './0x8003.resend-request.ts'
import { queryParameters } from './0x8104.query-parameters.ts'
import { terminalControl } from './0x8105.terminal-control.ts'
import { querySpecificParameters } from './0x8106.query-specific-parameters.ts'
import { queryLocation } from './0x8201.query-location.ts'
import { trackLocation } from './0x8202.track-location.ts'

roundTrip(terminalGeneralReply, [
  { name: 'ack of 0x8103', hex: '0007 8103 00', value: { replySerial: 7, replyId: 0x8103, result: 0 } },
  {
    name: 'not supported, 2013',
    version: '2013',
    hex: 'ffff 8105 03',
    value: { replySerial: 0xffff, replyId: 0x8105, result: 3 },
  },
])

roundTrip(platformGeneralReply, [
  { name: 'heartbeat ack', hex: '0001 0002 00', value: { replySerial: 1, replyId: 2, result: 0 } },
  {
    name: 'message error, 2019',
    version: '2019',
    hex: '0102 0200 02',
    value: { replySerial: 0x0102, replyId: 0x0200, result: 2 },
  },
])

for (const def of [heartbeat, terminalLogout, queryParameters, queryLocation]) {
  roundTrip(def, [
    { name: '驾培', hex: '', value: {} },
    { name: '2019', version: '2019', hex: '', value: {} },
  ])
}

roundTrip(trackLocation, [
  { name: 'every 30 s for an hour', hex: '001e 00000e10', value: { intervalSec: 30, validitySec: 3600 } },
])

roundTrip(terminalControl, [
  { name: 'reset, no parameters', hex: '04', value: { command: 4, parameters: '' } },
  { name: 'connect with parameters', hex: '02 613b62', value: { command: 2, parameters: 'a;b' } },
])

roundTrip(querySpecificParameters, [{ name: 'two ids', hex: '02 00000001 00000013', value: { ids: [1, 0x13] } }])

roundTrip(resendRequest, [
  { name: '驾培 (BYTE count)', hex: '0009 02 0002 0003', value: { originalSerial: 9, packetIds: [2, 3] } },
  { name: '2013 (BYTE count)', version: '2013', hex: '0009 01 0005', value: { originalSerial: 9, packetIds: [5] } },
  {
    name: '2019 (WORD count)',
    version: '2019',
    hex: '0009 0002 0002 0003',
    value: { originalSerial: 9, packetIds: [2, 3] },
  },
])

roundTrip(terminalResendRequest, [
  { name: '2019', version: '2019', hex: '0009 0001 0002', value: { originalSerial: 9, packetIds: [2] } },
])
