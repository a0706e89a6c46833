/** A handler of one 驾培 pass-through message (inside an accepted 0x0900). */
import {
  encodeEnvelope,
  replyEnvelope,
  type TrainingEnvelope,
  type TrainingMessageDefinition,
} from '@jiapei/jt808-training'
import type { Answer, HandlerContext, Outcome, Uplink } from '../types.ts'

export type TrainingHandler = (ctx: HandlerContext, up: Uplink, env: TrainingEnvelope) => Outcome | Promise<Outcome>

/** The 0x8900 answer carrying a 驾培 reply message (驾培包序号 echoed, STANDARDS §2.5). */
export function trainingAnswer<B>(env: TrainingEnvelope, def: TrainingMessageDefinition<B>, body: B): Answer {
  const reply = replyEnvelope(env, def, body)
  return { msgId: 0x8900, body: encodeEnvelope(reply, 'down') }
}
