/**
 * 0x0900 数据上行透传. Type 0x13 carries a 驾培 message (STANDARDS §2.5): its 校验串 is verified with
 * the terminal's certificate key when 加密算法 ≠ 0 (a failure is refused, counted and kept raw), and
 * the inner message goes to its handler in {@link TRAINING_HANDLERS}. Answers to platform commands
 * (0x0205, 0x0301, 0x0501 …) settle the waiting command. Other types are kept and answered 0x8001.
 */
import type { PassThroughBody } from '@jiapei/jt808'
import { TRAINING_PASS_THROUGH_TYPE, type TrainingEnvelope, verifyChecksum } from '@jiapei/jt808-training'
import { TRAINING_HANDLERS } from './training/index.ts'
import { generalReply, type Handler } from './types.ts'

export const handle0x0900: Handler = async (ctx, up) => {
  const body = up.body as PassThroughBody
  if (body.type !== TRAINING_PASS_THROUGH_TYPE || !body.content) return { reply: generalReply(up) }
  const env = body.content as TrainingEnvelope
  const terminal = ctx.session.terminal
  if (env.attributes.algorithm !== 0 && terminal) {
    const verified = verifyChecksum(up.bodyBytes, terminal.publicKey)
    if (!verified.ok) {
      ctx.count('signatureFailures')
      ctx.logger.warn({ terminalId: terminal.id, code: verified.code, messageId: env.messageId }, '校验串验证失败')
      return { rejected: 'ERR_GW_SIGNATURE', reply: generalReply(up) }
    }
  }
  // An answer to a platform command (0x8xxx → 0x0xxx) settles it; the frame itself gets 0x8001.
  ctx.settle(`t:${env.messageId}`, env.body ?? env.data)
  const handler = TRAINING_HANDLERS.get(env.messageId)
  if (handler) return handler(ctx, up, env)
  return { reply: generalReply(up) }
}
