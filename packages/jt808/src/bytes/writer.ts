/**
 * A growable big-endian byte buffer with the same vocabulary as {@link ByteReader}.
 * Values that do not fit their field throw {@link CodecEncodeError}: encoding works on typed
 * values built by our own code, so a misfit is a bug, not field input.
 */
import { CodecEncodeError } from '../errors.ts'
import type { Padding } from './reader.ts'
import { PAD_END_ZERO } from './reader.ts'
import { encodeGbk } from './text.ts'

export class ByteWriter {
  private buf: Uint8Array
  length = 0

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity)
  }

  private ensure(n: number): void {
    const need = this.length + n
    if (need <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < need) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }

  u8(value: number): this {
    checkUint(value, 0xff, 'BYTE')
    this.ensure(1)
    this.buf[this.length++] = value
    return this
  }

  u16(value: number): this {
    checkUint(value, 0xffff, 'WORD')
    this.ensure(2)
    this.buf[this.length++] = value >>> 8
    this.buf[this.length++] = value & 0xff
    return this
  }

  u32(value: number): this {
    checkUint(value, 0xffffffff, 'DWORD')
    this.ensure(4)
    this.buf[this.length++] = (value >>> 24) & 0xff
    this.buf[this.length++] = (value >>> 16) & 0xff
    this.buf[this.length++] = (value >>> 8) & 0xff
    this.buf[this.length++] = value & 0xff
    return this
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length)
    this.buf.set(data, this.length)
    this.length += data.length
    return this
  }

  /** Exactly n bytes: `data` must have length n. */
  fixedBytes(data: Uint8Array, n: number): this {
    if (data.length !== n)
      throw new CodecEncodeError(`BYTE[${n}] 需要 ${n} 字节，得到 ${data.length} / got ${data.length} bytes`)
    return this.bytes(data)
  }

  /** Digits (0-9, or hex letters read back from a terminal) → BCD[n], left-padded with 0. */
  bcd(digits: string, n: number): this {
    const pad = n * 2 - digits.length
    if (pad < 0) throw new CodecEncodeError(`BCD[${n}] 不能表示 "${digits}" / cannot hold "${digits}"`)
    this.ensure(n)
    let hi = -1
    for (let i = 0; i < n * 2; i++) {
      const nibble = i < pad ? 0 : hexNibble(digits.charCodeAt(i - pad))
      if (nibble < 0) throw new CodecEncodeError(`BCD[${n}] 不能表示 "${digits}" / cannot hold "${digits}"`)
      if (hi < 0) hi = nibble
      else {
        this.buf[this.length++] = (hi << 4) | nibble
        hi = -1
      }
    }
    return this
  }

  /** Fixed-length ASCII (latin1 bytes), padded. */
  ascii(text: string, n: number, padding: Padding = PAD_END_ZERO): this {
    const data = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c > 0xff) throw new CodecEncodeError(`ASCII 字段含非 ASCII 字符 / non-ASCII character in "${text}"`)
      data[i] = c
    }
    return this.padded(data, n, padding, text)
  }

  /** Fixed-length GBK, padded. */
  gbk(text: string, n: number, padding: Padding = PAD_END_ZERO): this {
    return this.padded(encodeGbk(text), n, padding, text)
  }

  /** GBK without a length (to the end of the body or with a separate length field). */
  gbkRaw(text: string): this {
    return this.bytes(encodeGbk(text))
  }

  private padded(data: Uint8Array, n: number, padding: Padding, text: string): this {
    if (data.length > n)
      throw new CodecEncodeError(`"${text}" 长 ${data.length} 字节，字段只有 ${n} / ${data.length} bytes > ${n}`)
    this.ensure(n)
    const fillCount = n - data.length
    if (padding.side === 'start') {
      this.buf.fill(padding.fill, this.length, this.length + fillCount)
      this.buf.set(data, this.length + fillCount)
    } else {
      this.buf.set(data, this.length)
      this.buf.fill(padding.fill, this.length + data.length, this.length + n)
    }
    this.length += n
    return this
  }

  /** Overwrites a BYTE already written. */
  patchU8(at: number, value: number): void {
    checkUint(value, 0xff, 'BYTE')
    this.buf[at] = value
  }

  /** Overwrites a WORD already written (e.g. a length known only afterwards). */
  patchU16(at: number, value: number): void {
    checkUint(value, 0xffff, 'WORD')
    this.buf[at] = value >>> 8
    this.buf[at + 1] = value & 0xff
  }

  /** The written bytes (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

/** '0'-'9', 'a'-'f', 'A'-'F' → 0–15; anything else → -1. */
function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 102) return c - 87
  if (c >= 65 && c <= 70) return c - 55
  return -1
}

function checkUint(value: number, max: number, label: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new CodecEncodeError(`${label} 取值 0–${max}，得到 ${value} / out of range: ${value}`)
  }
}
