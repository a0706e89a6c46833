// 0x8100 终端注册应答 (STANDARDS §2.3): 驾培 success carries 平台编号 BYTE[5], 培训机构编号 BYTE[16],
// 计时终端编号 BYTE[16], 证书口令 BYTE[12] and the Base64 PKCS#12 certificate (a short stand-in here);
// 808 success carries the 鉴权码; failures carry only 应答流水号 + 结果.
import { roundTrip } from '../../test/round-trip.ts'
import { registerReply } from './0x8100.register-reply.ts'

roundTrip(registerReply, [
  {
    name: '驾培 success with certificate',
    hex: '0001 00 4130313037 33333031303030303030303030303031 33333031303030303030303030303939 707730313233343536373839 4d49494241673d3d',
    value: {
      replySerial: 1,
      result: 0,
      platformNo: 'A0107',
      institutionNo: '3301000000000001',
      terminalNo: '3301000000000099',
      certPassword: 'pw0123456789',
      certificate: 'MIIBAg==',
    },
  },
  { name: '驾培 terminal already registered', hex: '0001 03', value: { replySerial: 1, result: 3 } },
  {
    name: '2013 success with auth code',
    version: '2013',
    hex: '0001 00 415554483031',
    value: { replySerial: 1, result: 0, authCode: 'AUTH01' },
  },
  { name: '2019 no such vehicle', version: '2019', hex: '0002 02', value: { replySerial: 2, result: 2 } },
])
