/**
 * A 驾培 pass-through message as a unit: the core `defineMessage` (id, direction, specName, slug,
 * decode, encode, explain) plus the ID that answers it.
 */
import { defineMessage, type MessageDefinition, type MessageSpec } from '@jiapei/jt808'

/** 平台通用应答: the answer to 0x0203 and 0x0306 is the JT/T 808 0x8001 of the outer 0x0900 frame. */
export const GENERAL_REPLY = 0x8001

export interface TrainingMessageDefinition<B = unknown> extends MessageDefinition<B> {
  /** 透传消息ID of the answer, or {@link GENERAL_REPLY}; absent for answers themselves. */
  readonly replyId?: number
}

export function defineTrainingMessage<B>(spec: MessageSpec<B> & { replyId?: number }): TrainingMessageDefinition<B> {
  const definition = defineMessage<B>(spec)
  return spec.replyId === undefined ? definition : { ...definition, replyId: spec.replyId }
}

/** The decoded body type of a message definition. */
export type BodyOf<M> = M extends MessageDefinition<infer B> ? B : never
