/**
 * The pass-through hook: 0x0900 (数据上行透传) and 0x8900 (数据下行透传) carry a 透传消息类型 BYTE
 * and opaque content. An extension package registers a codec for its type (驾培业务 = 0x13) here;
 * the core then decodes, encodes and explains that content without depending on the extension.
 *
 * @example
 * registerPassThrough({ type: 0x13, name: '驾培业务', read: (r, ctx) => …, write: (w, value, ctx) => … })
 */
import type { ByteReader } from './bytes/reader.ts'
import type { ByteWriter } from './bytes/writer.ts'
import type { Direction, MessageContext } from './message.ts'

/** 透传消息类型 of the 驾培 extension. */
export const PASS_THROUGH_JIAPEI = 0x13

export interface PassThroughContext extends MessageContext {
  /** up for 0x0900, down for 0x8900 (the 驾培 校验串 is present only uplink). */
  direction: Direction
}

export interface PassThroughCodec<T = unknown> {
  readonly type: number
  /** Chinese name of the pass-through type. */
  readonly name: string
  /**
   * Reads the whole content (after the type byte) and records failures in the reader; use
   * `r.field` so explain shows the inner fields.
   */
  read(r: ByteReader, ctx: PassThroughContext): T
  write(w: ByteWriter, value: T, ctx: PassThroughContext): void
}

const codecs = new Map<number, PassThroughCodec>()

/** Registers (or replaces) the codec of one pass-through type. */
export function registerPassThrough<T>(codec: PassThroughCodec<T>): void {
  codecs.set(codec.type, codec as PassThroughCodec)
}

export function unregisterPassThrough(type: number): void {
  codecs.delete(type)
}

export function findPassThrough(type: number): PassThroughCodec | undefined {
  return codecs.get(type)
}
