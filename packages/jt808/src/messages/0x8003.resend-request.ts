/**
 * 0x8003 补传分包请求: 原始消息流水号 WORD, 重传包总数 (BYTE in 2013 and the 驾培 form, WORD in
 * 2019), 重传包ID列表 (包序号 WORD each) — STANDARDS §2.2.
 */
import { defineMessage } from '../message.ts'
import { list, struct, u8, u16 } from '../schema/fields.ts'

export const resendByteCount = struct([
  { key: 'originalSerial', name: '原始消息流水号', type: u16 },
  { key: 'packetIds', name: '重传包ID列表', type: list(u8, u16, '包序号') },
])

export const resendWordCount = struct([
  { key: 'originalSerial', name: '原始消息流水号', type: u16 },
  { key: 'packetIds', name: '重传包ID列表', type: list(u16, u16, '包序号') },
])

export interface ResendRequest {
  originalSerial: number
  /** 包序号 of the missing packets (from 1) */
  packetIds: number[]
}

export const resendRequest = defineMessage<ResendRequest>({
  id: 0x8003,
  direction: 'down',
  specName: '补传分包请求',
  slug: 'resend-request',
  body: (ctx) => (ctx.version === '2019' ? resendWordCount : resendByteCount),
})
