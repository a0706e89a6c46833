/**
 * A cursor over a Uint8Array that never throws: a read past the end or an invalid value records
 * the first error (code + absolute offset) and returns a neutral value (0, '', empty bytes), and
 * every later read does the same. Decoders read their whole layout and check {@link ByteReader.error}
 * once at the end.
 *
 * With a trace attached, {@link ByteReader.field} also records one {@link ExplainNode} per field
 * (offset, length, hex, value, nested children), which is how `explain` is derived from the very
 * code that decodes.
 */
import type { CodecErrorCode, CodecFailure } from '../errors.ts'
import { toHex } from './hex.ts'
import { decodeGbk, decodeLatin1 } from './text.ts'

/** One field of an annotated dump. Offsets are absolute within the unescaped frame. */
export interface ExplainNode {
  key: string
  /** Chinese field name from the standard. */
  name: string
  /** Wire type, e.g. `WORD`, `BCD[6]`, `BYTE[16]`. */
  type: string
  offset: number
  length: number
  hex: string
  value: unknown
  /** Human reading of the value (units, meaning of a code), when it adds something. */
  text?: string
  children?: ExplainNode[]
}

/** Where padding sits in a fixed-length text field and which byte fills it. */
export interface Padding {
  side: 'end' | 'start'
  fill: number
}

export const PAD_END_ZERO: Padding = { side: 'end', fill: 0x00 }

/** A decoder of one field; `format` renders a decoded value for explain. */
export interface FieldType<T> {
  readonly label: string
  /** Byte size when fixed. */
  readonly size?: number
  read(r: ByteReader): T
  write(w: import('./writer.ts').ByteWriter, value: T): void
  format?(value: T): string | undefined
}

export class ByteReader {
  readonly bytes: Uint8Array
  /** Absolute offset of bytes[0] within the frame (for error offsets and explain). */
  readonly base: number
  offset = 0
  error: CodecFailure | undefined
  /** When set, {@link field} appends explain nodes here. */
  trace: ExplainNode[] | undefined

  constructor(bytes: Uint8Array, base = 0, trace?: ExplainNode[]) {
    this.bytes = bytes
    this.base = base
    this.trace = trace
  }

  get remaining(): number {
    return this.bytes.length - this.offset
  }

  get position(): number {
    return this.base + this.offset
  }

  get ok(): boolean {
    return this.error === undefined
  }

  /** Records the first error and stops the cursor at the end. */
  fail(code: CodecErrorCode, message: string, at = this.offset): void {
    if (!this.error) this.error = { code, offset: this.base + at, message }
    this.offset = this.bytes.length
  }

  private need(n: number, what: string): boolean {
    if (this.error) return false
    if (n < 0 || this.offset + n > this.bytes.length) {
      this.fail(
        'ERR_CODEC_TRUNCATED',
        `${what}: 需要 ${n} 字节，剩余 ${this.remaining} / need ${n} bytes, ${this.remaining} left`,
      )
      return false
    }
    return true
  }

  u8(): number {
    if (!this.need(1, 'BYTE')) return 0
    return this.bytes[this.offset++] as number
  }

  u16(): number {
    if (!this.need(2, 'WORD')) return 0
    const b = this.bytes
    const o = this.offset
    this.offset = o + 2
    return ((b[o] as number) << 8) | (b[o + 1] as number)
  }

  u32(): number {
    if (!this.need(4, 'DWORD')) return 0
    const b = this.bytes
    const o = this.offset
    this.offset = o + 4
    return (
      (b[o] as number) * 0x1000000 + (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number))
    )
  }

  /** n bytes as a view (no copy). */
  bytesView(n: number): Uint8Array {
    if (!this.need(n, `BYTE[${n}]`)) return new Uint8Array(0)
    const out = this.bytes.subarray(this.offset, this.offset + n)
    this.offset += n
    return out
  }

  /**
   * n bytes as a copy, safe to keep after the frame buffer is reused. Built with the Uint8Array
   * constructor: `slice()` on a Node Buffer returns a view, not a copy.
   */
  bytesCopy(n: number): Uint8Array {
    return new Uint8Array(this.bytesView(n))
  }

  /** Everything that is left, copied. */
  rest(): Uint8Array {
    return this.bytesCopy(this.remaining)
  }

  /**
   * BCD[n] → 2n digits. Nibbles above 9 are tolerated and read as hex letters (some terminals put
   * `F` fillers in phone numbers); the text keeps them so that re-encoding restores the bytes.
   */
  bcd(n: number): string {
    const v = this.bytesView(n)
    return toHex(v)
  }

  /** Fixed-length ASCII with the padding removed. */
  ascii(n: number, padding: Padding = PAD_END_ZERO): string {
    return decodeLatin1(stripPadding(this.bytesView(n), padding))
  }

  /** Fixed-length GBK with the padding removed. */
  gbk(n: number, padding: Padding = PAD_END_ZERO): string {
    return decodeGbk(stripPadding(this.bytesView(n), padding))
  }

  /** Reads one field, recording an explain node when a trace is attached. */
  field<T>(key: string, name: string, type: FieldType<T>, format?: (value: T) => string | undefined): T {
    const trace = this.trace
    if (!trace) return type.read(this)
    const start = this.offset
    const node: ExplainNode = {
      key,
      name,
      type: type.label,
      offset: this.base + start,
      length: 0,
      hex: '',
      value: undefined,
    }
    trace.push(node)
    const children: ExplainNode[] = []
    this.trace = children
    let value: T
    try {
      value = type.read(this)
    } finally {
      this.trace = trace
    }
    const end = Math.max(start, Math.min(this.offset, this.bytes.length))
    node.length = end - start
    node.hex = toHex(this.bytes, start, end)
    node.value = value
    if (this.error === undefined || this.error.offset >= this.base + end) {
      const text = (format ?? type.format)?.call(type, value)
      if (text !== undefined) node.text = text
    } else {
      node.text = `✗ ${this.error.code}`
    }
    if (children.length > 0) node.children = children
    return value
  }

  /** Groups the nodes recorded by `body` under one parent node (for hand-written layouts). */
  group<T>(key: string, name: string, label: string, body: () => T, format?: (value: T) => string | undefined): T {
    if (!this.trace) return body()
    return this.field(key, name, { label, read: body, write: noWrite }, format)
  }

  /** A reader over the next n bytes that shares this reader's trace and absolute offsets. */
  sub(n: number): ByteReader {
    const start = this.offset
    const view = this.bytesView(n)
    const sub = new ByteReader(view, this.base + start, this.trace)
    if (this.error) sub.error = this.error
    return sub
  }

  /** Copies a sub-reader's error (if any) into this reader. */
  adopt(sub: ByteReader): void {
    if (sub.error && !this.error) {
      this.error = sub.error
      this.offset = this.bytes.length
    }
  }
}

function noWrite(): void {}

function stripPadding(bytes: Uint8Array, padding: Padding): Uint8Array {
  let start = 0
  let end = bytes.length
  if (padding.side === 'end') {
    while (end > start && (bytes[end - 1] === padding.fill || bytes[end - 1] === 0)) end--
  } else {
    while (start < end && (bytes[start] === padding.fill || bytes[start] === 0)) start++
  }
  return bytes.subarray(start, end)
}
