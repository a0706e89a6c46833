/**
 * 0x0005 终端补传分包请求 (808-2019; the terminal asks the platform for missing packets):
 * 原始消息流水号 WORD, 重传包总数 WORD, 重传包ID列表 WORD×n.
 */
import { defineMessage } from '../message.ts'
import type { ResendRequest } from './0x8003.resend-request.ts'
import { resendWordCount } from './0x8003.resend-request.ts'

export const terminalResendRequest = defineMessage<ResendRequest>({
  id: 0x0005,
  direction: 'up',
  specName: '终端补传分包请求',
  slug: 'terminal-resend-request',
  body: resendWordCount,
})
