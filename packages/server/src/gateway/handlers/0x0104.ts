/** 0x0104 查询终端参数应答: settles the 0x8104/0x8106 command of its 应答流水号; not answered. */
import type { Handler } from './types.ts'

export const handle0x0104: Handler = (ctx, up) => {
  const body = up.body as { replySerial: number }
  ctx.settle(`s:${body.replySerial}`, body)
  return {}
}
