// 0x0102 终端鉴权 (STANDARDS §2.3): 驾培 = 时间戳 DWORD (2024-05-01T07:00:56Z) + 鉴权密文 BYTE[256]
// (a byte ramp standing in for the RSA ciphertext); 2013 = 鉴权码 to the end; 2019 = length-prefixed
// 鉴权码 + IMEI BYTE[15] + 软件版本号 BYTE[20].
import { roundTrip } from '../../test/round-trip.ts'
import { hex } from '../bytes/hex.ts'
import { terminalAuth } from './0x0102.terminal-auth.ts'

const CIPHER =
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'

roundTrip(terminalAuth, [
  {
    name: '驾培 signed timestamp',
    hex: `6631e8a8 ${CIPHER}`,
    value: { timestamp: 1714546856, ciphertext: hex(CIPHER) },
  },
  { name: '2013 token', version: '2013', hex: '415554483031', value: { token: 'AUTH01' } },
  { name: '2011 token', version: '2011', hex: '415554483031', value: { token: 'AUTH01' } },
  {
    name: '2019 token with IMEI and version',
    version: '2019',
    hex: '06 415554483031 383630303030303030303030303031 76312e322e300000000000000000000000000000',
    value: { token: 'AUTH01', imei: '860000000000001', softwareVersion: 'v1.2.0' },
  },
])
