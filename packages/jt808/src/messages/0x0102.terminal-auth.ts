/**
 * 0x0102 终端鉴权 (STANDARDS §2.3).
 *
 * 驾培: 时间戳 DWORD (Unix seconds) + 鉴权密文 BYTE[256] = RSA-PKCS#1 v1.5 private-key encryption
 * of SHA-256(ASCII 计时终端编号 ‖ BE32 时间戳). 808-2011/2013: 鉴权码 STRING. 808-2019: 鉴权码长度
 * BYTE, 鉴权码 STRING, 终端IMEI BYTE[15], 软件版本号 BYTE[20].
 */
import { defineMessage } from '../message.ts'
import { ascii, bytes, gbkPrefixed, gbkRest, struct, u8, u32 } from '../schema/fields.ts'

export const authJiapei = struct([
  { key: 'timestamp', name: '时间戳 (Unix 秒)', type: u32, format: (v: number) => new Date(v * 1000).toISOString() },
  { key: 'ciphertext', name: '鉴权密文', type: bytes(256) },
])

export const auth2013 = struct([{ key: 'token', name: '鉴权码', type: gbkRest }])

export const auth2019 = struct([
  { key: 'token', name: '鉴权码', type: gbkPrefixed(u8) },
  { key: 'imei', name: '终端IMEI', type: ascii(15) },
  { key: 'softwareVersion', name: '软件版本号', type: ascii(20) },
])

export type TerminalAuth =
  | { timestamp: number; ciphertext: Uint8Array }
  | { token: string }
  | { token: string; imei: string; softwareVersion: string }

export const terminalAuth = defineMessage<TerminalAuth>({
  id: 0x0102,
  direction: 'up',
  specName: '终端鉴权',
  slug: 'terminal-auth',
  body: (ctx) => (ctx.version === 'jiapei' ? authJiapei : ctx.version === '2019' ? auth2019 : auth2013),
})
