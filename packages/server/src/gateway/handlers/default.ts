/**
 * Every other uplink (0x0200 位置信息汇报, 0x0704 批量上传, 0x0801 多媒体 …): kept and answered
 * 0x8001 成功 once durable. An ID the codec does not know is kept raw and answered 3 不支持.
 */
import { findMessage } from '@jiapei/jt808'
import { generalReply, type Handler } from './types.ts'

export const handleDefault: Handler = (_ctx, up) => {
  if (!findMessage(up.header.msgId)) {
    return {
      reply: (ok) => [
        { msgId: 0x8001, body: { replySerial: up.header.serial, replyId: up.header.msgId, result: ok ? 3 : 1 } },
      ],
    }
  }
  return { reply: generalReply(up) }
}
