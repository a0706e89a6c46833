/**
 * 0x0001 终端通用应答: the terminal's answer to a platform message (0x8103, 0x8105 …). It settles
 * the command waiting for 应答流水号 and is not answered (JT/T 808 §8.1).
 */
import type { Handler } from './types.ts'

export const handle0x0001: Handler = (ctx, up) => {
  const body = up.body as { replySerial: number }
  ctx.settle(`s:${body.replySerial}`, body)
  return {}
}
