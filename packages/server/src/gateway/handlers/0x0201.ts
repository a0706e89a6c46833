/** 0x0201 位置信息查询应答 (808, outside 0x0900): settles the 0x8201 command of its 应答流水号; not answered. */
import type { Handler } from './types.ts'

export const handle0x0201: Handler = (ctx, up) => {
  const body = up.body as { replySerial: number }
  ctx.settle(`s:${body.replySerial}`, body)
  return {}
}
