/**
 * A streaming frame reader for a TCP byte stream. It only finds frame boundaries and undoes the
 * escaping; it does not verify the checksum or decode (pass each frame to `decodeFrameContent`).
 *
 * Every 0x7E is a boundary, so both `7E a 7E 7E b 7E` and the shared-delimiter form `7E a 7E b 7E`
 * work, and an empty pair `7E 7E` is skipped. Bytes before the first delimiter are reported once
 * as ERR_CODEC_GARBAGE. An escape split across chunks (0x7D as the last byte of a chunk) is kept
 * as pending state. A frame with a bad escape is reported as ERR_CODEC_ESCAPE when its closing
 * delimiter arrives; a frame longer than `maxFrameSize` is reported once as
 * ERR_CODEC_FRAME_TOO_LARGE and the rest of it is skipped up to the next delimiter. The reader
 * always resynchronises on the next 0x7E and never throws.
 *
 * @example
 * const reader = new FrameReader({ maxFrameSize: 4096 })
 * socket.on('data', (chunk) => {
 *   for (const event of reader.push(chunk)) {
 *     if (event.ok) handle(decodeFrameContent(event.frame))
 *     else log.warn(event)
 *   }
 * })
 */
import { toHex } from '../bytes/hex.ts'
import { CODEC_ERRORS, type CodecErrorCode } from '../errors.ts'
import { ESCAPE, FRAME_FLAG } from './escape.ts'

export interface FrameReaderOptions {
  /** Largest accepted frame, counted in unescaped bytes between the delimiters. Default 2048. */
  maxFrameSize?: number
}

export type FrameEvent =
  /** `frame`: unescaped header + body + checksum (a copy the caller may keep). */
  | { ok: true; frame: Uint8Array; offset: number }
  | { ok: false; code: CodecErrorCode; offset: number; message: string; rawHex: string }

/** Default maximum frame size: a 1023-byte body, the largest (2019, sub-packaged) header and slack. */
export const DEFAULT_MAX_FRAME_SIZE = 2048

const HUNT = 0
const IN_FRAME = 1
const SKIP = 2

export class FrameReader {
  readonly maxFrameSize: number
  private state = HUNT
  private buf: Uint8Array
  private len = 0
  private pendingEscape = false
  private badEscapeAt = -1
  private frameStart = 0
  private garbageStart = -1
  private garbage: number[] = []
  /** Bytes consumed so far (offsets in events are stream offsets). */
  private consumed = 0

  constructor(options: FrameReaderOptions = {}) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE
    this.buf = new Uint8Array(this.maxFrameSize)
  }

  /** Feeds one chunk; returns the frames and errors completed by it, in stream order. */
  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = []
    const base = this.consumed
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number
      if (b === FRAME_FLAG) {
        this.boundary(base + i, events)
        continue
      }
      if (this.state === HUNT) {
        if (this.garbageStart < 0) this.garbageStart = base + i
        if (this.garbage.length < 64) this.garbage.push(b)
        continue
      }
      if (this.state === SKIP) continue
      let value = b
      if (this.pendingEscape) {
        this.pendingEscape = false
        if (b === 0x01) value = ESCAPE
        else if (b === 0x02) value = FRAME_FLAG
        else if (this.badEscapeAt < 0) this.badEscapeAt = base + i - 1
      } else if (b === ESCAPE) {
        this.pendingEscape = true
        continue
      }
      if (this.len >= this.maxFrameSize) {
        events.push(
          this.error(
            'ERR_CODEC_FRAME_TOO_LARGE',
            this.frameStart,
            `超过 ${this.maxFrameSize} 字节 / over ${this.maxFrameSize} bytes`,
          ),
        )
        this.state = SKIP
        continue
      }
      this.buf[this.len++] = value
    }
    this.consumed += chunk.length
    return events
  }

  /** True when a frame is partly received (useful for idle-timeout policies). */
  get inFrame(): boolean {
    return this.state === IN_FRAME && (this.len > 0 || this.pendingEscape)
  }

  private boundary(at: number, events: FrameEvent[]): void {
    if (this.state === HUNT && this.garbageStart >= 0) {
      events.push({
        ok: false,
        code: 'ERR_CODEC_GARBAGE',
        offset: this.garbageStart,
        message: `${CODEC_ERRORS.ERR_CODEC_GARBAGE}: ${at - this.garbageStart} 字节 / bytes`,
        rawHex: toHex(Uint8Array.from(this.garbage)),
      })
    } else if (this.state === IN_FRAME && (this.len > 0 || this.pendingEscape)) {
      if (this.pendingEscape && this.badEscapeAt < 0) this.badEscapeAt = at - 1
      if (this.badEscapeAt >= 0) {
        events.push(
          this.error('ERR_CODEC_ESCAPE', this.badEscapeAt, '0x7D 后应为 01 或 02 / 0x7D must be followed by 01 or 02'),
        )
      } else {
        events.push({ ok: true, frame: this.buf.slice(0, this.len), offset: this.frameStart })
      }
    }
    this.state = IN_FRAME
    this.len = 0
    this.pendingEscape = false
    this.badEscapeAt = -1
    this.garbageStart = -1
    this.garbage = []
    this.frameStart = at
  }

  private error(code: CodecErrorCode, offset: number, detail: string): FrameEvent {
    return {
      ok: false,
      code,
      offset,
      message: `${CODEC_ERRORS[code]}: ${detail}`,
      rawHex: toHex(this.buf, 0, Math.min(this.len, 64)),
    }
  }
}
