/**
 * A protocol message as a unit (STYLE §E): `defineMessage` turns a layout — a field type from the
 * schema vocabulary, a function choosing one per protocol version, or hand-written read/write —
 * into an object with `id`, `direction`, `specName`, `decode`, `encode` and `explain`.
 *
 * @example
 * export const heartbeat = defineMessage({ id: 0x0002, direction: 'up', specName: '终端心跳', slug: 'heartbeat', body: empty })
 * heartbeat.decode(new Uint8Array(0))       // → { ok: true, value: {} }
 */
import { ByteReader, type ExplainNode, type FieldType } from './bytes/reader.ts'
import { ByteWriter } from './bytes/writer.ts'
import type { CodecFailure } from './errors.ts'
import type { Header, ProtocolVersion } from './header.ts'

/** up = terminal → platform, down = platform → terminal. */
export type Direction = 'up' | 'down'

/** What a body decoder may depend on. */
export interface MessageContext {
  version: ProtocolVersion
  /** The frame's header, when the body came from a frame. */
  header?: Header
}

export type BodyResult<B> = { ok: true; value: B } | ({ ok: false } & CodecFailure)

export interface MessageDefinition<B = unknown> {
  readonly id: number
  readonly direction: Direction
  /** Chinese name from the standard, e.g. 终端鉴权. */
  readonly specName: string
  /** English kebab-case name, as in the file name. */
  readonly slug: string
  /** Reads the body from a reader positioned at its first byte (records errors, never throws). */
  read(r: ByteReader, ctx: MessageContext): B
  /** Appends the body (throws CodecEncodeError for values that do not fit). */
  write(w: ByteWriter, body: B, ctx: MessageContext): void
  /** Decodes a whole body; trailing bytes are an error. */
  decode(body: Uint8Array, ctx?: Partial<MessageContext>, base?: number): BodyResult<B>
  encode(body: B, ctx?: Partial<MessageContext>): Uint8Array
  /** Field-by-field annotation of a body (offsets from `base`). */
  explain(
    body: Uint8Array,
    ctx?: Partial<MessageContext>,
    base?: number,
  ): { nodes: ExplainNode[]; error?: CodecFailure }
}

type Layout<B> = FieldType<B> | ((ctx: MessageContext) => FieldType<B>)

interface Common {
  id: number
  direction: Direction
  specName: string
  slug: string
}

export type MessageSpec<B> =
  | (Common & { body: Layout<B> })
  | (Common & { read(r: ByteReader, ctx: MessageContext): B; write(w: ByteWriter, body: B, ctx: MessageContext): void })

const DEFAULT_CONTEXT: MessageContext = { version: 'jiapei' }

export function context(ctx?: Partial<MessageContext>): MessageContext {
  return ctx?.version ? (ctx as MessageContext) : { ...DEFAULT_CONTEXT, ...ctx }
}

export function defineMessage<B>(spec: MessageSpec<B>): MessageDefinition<B> {
  let read: (r: ByteReader, ctx: MessageContext) => B
  let write: (w: ByteWriter, body: B, ctx: MessageContext) => void
  if ('body' in spec) {
    const layout = spec.body
    const pick = typeof layout === 'function' ? layout : () => layout
    read = (r, ctx) => pick(ctx).read(r)
    write = (w, body, ctx) => pick(ctx).write(w, body)
  } else {
    read = spec.read
    write = spec.write
  }
  return {
    id: spec.id,
    direction: spec.direction,
    specName: spec.specName,
    slug: spec.slug,
    read,
    write,
    decode(body, ctx, base = 0) {
      const r = new ByteReader(body, base)
      const value = readWhole(r, read, context(ctx))
      return r.error ? { ok: false, ...r.error } : { ok: true, value }
    },
    encode(body, ctx) {
      const w = new ByteWriter(64)
      write(w, body, context(ctx))
      return w.finish()
    },
    explain(body, ctx, base = 0) {
      const nodes: ExplainNode[] = []
      const r = new ByteReader(body, base, nodes)
      readWhole(r, read, context(ctx))
      return r.error ? { nodes, error: r.error } : { nodes }
    },
  }
}

/** Runs a body reader and flags bytes left over. */
export function readWhole<B>(r: ByteReader, read: (r: ByteReader, ctx: MessageContext) => B, ctx: MessageContext): B {
  const value = read(r, ctx)
  if (r.ok && r.remaining > 0) {
    r.fail('ERR_CODEC_BODY_LENGTH', `消息体末尾多出 ${r.remaining} 字节 / ${r.remaining} bytes left over`)
  }
  return value
}

/** The empty body (heartbeat, logout, parameter query …). */
export const empty: FieldType<Record<string, never>> = {
  label: '空',
  size: 0,
  read: () => ({}),
  write: () => {},
}
