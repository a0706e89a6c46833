/**
 * 0x8001 平台通用应答: 应答流水号, 应答ID, 结果 (0 成功/确认, 1 失败, 2 消息有误, 3 不支持,
 * 4 报警处理确认 — STANDARDS §2.3).
 */
import { defineMessage } from '../message.ts'
import { hexFormat, struct, u8, u16 } from '../schema/fields.ts'

export const PLATFORM_RESULTS: Readonly<Record<number, string>> = {
  0: '成功/确认',
  1: '失败',
  2: '消息有误',
  3: '不支持',
  4: '报警处理确认',
}

export const platformGeneralReply = defineMessage({
  id: 0x8001,
  direction: 'down',
  specName: '平台通用应答',
  slug: 'platform-general-reply',
  body: struct([
    { key: 'replySerial', name: '应答流水号', type: u16 },
    { key: 'replyId', name: '应答ID', type: u16, format: hexFormat(4) },
    { key: 'result', name: '结果', type: u8, codes: PLATFORM_RESULTS },
  ]),
})

export type PlatformGeneralReply = ReturnType<typeof platformGeneralReply.read>
