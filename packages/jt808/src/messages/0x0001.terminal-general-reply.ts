/** 0x0001 终端通用应答 (JT/T 808 §8.1): 应答流水号, 应答ID, 结果. */
import { defineMessage } from '../message.ts'
import { hexFormat, struct, u8, u16 } from '../schema/fields.ts'

export const GENERAL_RESULTS: Readonly<Record<number, string>> = {
  0: '成功/确认',
  1: '失败',
  2: '消息有误',
  3: '不支持',
}

export const terminalGeneralReply = defineMessage({
  id: 0x0001,
  direction: 'up',
  specName: '终端通用应答',
  slug: 'terminal-general-reply',
  body: struct([
    { key: 'replySerial', name: '应答流水号', type: u16 },
    { key: 'replyId', name: '应答ID', type: u16, format: hexFormat(4) },
    { key: 'result', name: '结果', type: u8, codes: GENERAL_RESULTS },
  ]),
})

export type TerminalGeneralReply = ReturnType<typeof terminalGeneralReply.read>
