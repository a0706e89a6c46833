/**
 * Whole frames: `decodeFrame` (escaped bytes with or without the 0x7E delimiters) and
 * `decodeFrameContent` (unescaped bytes from the FrameReader) return a discriminated union and
 * never throw; `encodeFrame` builds the escaped frame; `encodePackets` splits a long body into
 * sub-packages.
 *
 * Error offsets: ERR_CODEC_DELIMITER/ERR_CODEC_ESCAPE refer to the escaped input; every other code
 * refers to the unescaped frame content (first header byte = 0).
 */
import { toHex } from './bytes/hex.ts'
import { ByteReader } from './bytes/reader.ts'
import { ByteWriter } from './bytes/writer.ts'
import { CODEC_ERRORS, CodecEncodeError, type CodecErrorCode, type CodecFailure } from './errors.ts'
import { checksum, FRAME_FLAG, unescapeFrame, wrapFrame } from './frame/escape.ts'
import {
  detectLayout,
  type Header,
  type HeaderInit,
  type HeaderLayout,
  headerSize,
  MAX_BODY_LENGTH,
  type ProtocolVersion,
  readHeader,
  writeHeader,
} from './header.ts'
import { type BodyResult, context, type MessageContext, type MessageDefinition, readWhole } from './message.ts'
import { findMessage } from './registry.ts'

export interface DecodeOptions {
  /**
   * Force a header layout instead of detecting it per frame (a gateway that knows a connection's
   * protocol). `'2011'` also selects the 2011 form of 0x0100.
   */
  version?: ProtocolVersion
}

export interface Frame {
  header: Header
  /**
   * Decoded body; for unknown IDs and for sub-package fragments, the raw body bytes.
   */
  body: unknown
  /** False when the body is raw (unknown ID or one sub-package of a longer message). */
  decoded: boolean
  /** 中文消息名 of a known ID. */
  specName?: string
  /** Unescaped header + body + checksum. */
  raw: Uint8Array
  /** The body bytes (a view into raw). */
  bodyBytes: Uint8Array
}

export type FrameResult =
  | { ok: true; frame: Frame }
  | {
      ok: false
      code: CodecErrorCode
      offset: number
      message: string
      rawHex: string
      /** The header, when it could be read (lets a gateway answer 0x8001 消息有误). */
      header?: Header
    }

function failure(code: CodecErrorCode, offset: number, detail: string, raw: Uint8Array, header?: Header): FrameResult {
  const out: FrameResult = { ok: false, code, offset, message: `${CODEC_ERRORS[code]}: ${detail}`, rawHex: toHex(raw) }
  if (header) out.header = header
  return out
}

function fromFailure(f: CodecFailure, raw: Uint8Array, header?: Header): FrameResult {
  const out: FrameResult = { ok: false, code: f.code, offset: f.offset, message: f.message, rawHex: toHex(raw) }
  if (header) out.header = header
  return out
}

/** Decodes one escaped frame: `7E … 7E`, or the same bytes without the delimiters. */
export function decodeFrame(bytes: Uint8Array, options: DecodeOptions = {}): FrameResult {
  if (bytes.length === 0) return failure('ERR_CODEC_EMPTY', 0, '0 字节 / 0 bytes', bytes)
  let start = 0
  let end = bytes.length
  if (bytes[0] === FRAME_FLAG || bytes[end - 1] === FRAME_FLAG) {
    if (bytes[0] !== FRAME_FLAG) return failure('ERR_CODEC_DELIMITER', 0, '缺少起始 0x7E / no leading 0x7E', bytes)
    if (end < 2 || bytes[end - 1] !== FRAME_FLAG) {
      return failure('ERR_CODEC_DELIMITER', end - 1, '缺少结束 0x7E / no trailing 0x7E', bytes)
    }
    start = 1
    end -= 1
  }
  const unescaped = unescapeFrame(bytes.subarray(start, end), start)
  if (!unescaped.ok) return fromFailure(unescaped, bytes)
  return decodeFrameContent(unescaped.bytes, options)
}

/** Decodes unescaped header + body + checksum (what the FrameReader yields). */
export function decodeFrameContent(raw: Uint8Array, options: DecodeOptions = {}): FrameResult {
  if (raw.length === 0) return failure('ERR_CODEC_EMPTY', 0, '0 字节 / 0 bytes', raw)
  if (raw.length < 13)
    return failure('ERR_CODEC_TRUNCATED', raw.length, `仅 ${raw.length} 字节 / only ${raw.length} bytes`, raw)
  const last = raw.length - 1
  const expected = checksum(raw, 0, last)
  if (expected !== raw[last]) {
    return failure(
      'ERR_CODEC_CHECKSUM',
      last,
      `计算 ${hex2(expected)}，帧内 ${hex2(raw[last] as number)} / computed ${hex2(expected)}, frame has ${hex2(raw[last] as number)}`,
      raw,
    )
  }
  const content = raw.subarray(0, last)
  const layout: HeaderLayout = options.version
    ? options.version === '2011'
      ? '2013'
      : options.version
    : detectLayout(content)
  const r = new ByteReader(content)
  const header = readHeader(r, options.version === '2011' ? '2011' : layout)
  if (r.error) {
    return fromFailure(r.error.code === 'ERR_CODEC_TRUNCATED' ? { ...r.error, code: 'ERR_CODEC_HEADER' } : r.error, raw)
  }
  const bodyStart = r.offset
  const bodyBytes = content.subarray(bodyStart)
  if (bodyBytes.length !== header.bodyLength) {
    return failure(
      'ERR_CODEC_BODY_LENGTH',
      bodyStart,
      `消息头声明 ${header.bodyLength} 字节，实际 ${bodyBytes.length} / header says ${header.bodyLength}, got ${bodyBytes.length}`,
      raw,
      header,
    )
  }
  const def = findMessage(header.msgId)
  if (!def || header.subpackage) {
    const frame: Frame = { header, body: new Uint8Array(bodyBytes), decoded: false, raw, bodyBytes }
    if (def) frame.specName = def.specName
    return { ok: true, frame }
  }
  const ctx: MessageContext = { version: header.version, header }
  const result = decodeBodyAt(def, bodyBytes, ctx, bodyStart)
  if (!result.ok) return fromFailure(result, raw, header)
  // A body decoder may refine the version (0x0100 tells 2011 from 2013 by its length).
  if (ctx.version !== header.version) header.version = ctx.version
  return { ok: true, frame: { header, body: result.value, decoded: true, specName: def.specName, raw, bodyBytes } }
}

function decodeBodyAt<B>(
  def: MessageDefinition<B>,
  bytes: Uint8Array,
  ctx: MessageContext,
  base: number,
): BodyResult<B> {
  const r = new ByteReader(bytes, base)
  const value = readWhole(r, def.read, ctx)
  return r.error ? { ok: false, ...r.error } : { ok: true, value }
}

/**
 * Decodes a body by message ID (e.g. after sub-package reassembly). Unknown IDs give the bytes.
 */
export function decodeBody(msgId: number, bytes: Uint8Array, ctx?: Partial<MessageContext>): BodyResult<unknown> {
  const def = findMessage(msgId)
  if (!def) return { ok: true, value: new Uint8Array(bytes) }
  return decodeBodyAt(def, bytes, context(ctx), 0)
}

/** Encodes a body by message ID; a Uint8Array body is written as is. */
export function encodeBody(msgId: number, body: unknown, ctx?: Partial<MessageContext>): Uint8Array {
  if (body instanceof Uint8Array) return body
  const def = findMessage(msgId)
  if (!def)
    throw new CodecEncodeError(
      `消息 ${hex4(msgId)} 未注册，只能以字节编码 / unknown message id, pass the body as bytes`,
    )
  const w = new ByteWriter(64)
  def.write(w, body, { ...context(ctx), version: ctx?.version ?? 'jiapei' })
  return w.finish()
}

/**
 * Encodes one frame (with delimiters and escaping). `body` is the message value, or raw bytes.
 * Throws CodecEncodeError when a value does not fit its field or the body exceeds 1023 bytes.
 */
export function encodeFrame(header: HeaderInit, body: unknown): Uint8Array {
  const bodyBytes = encodeBody(header.msgId, body, { version: header.version })
  return wrapBody(header, bodyBytes)
}

/** header + already-encoded body → escaped frame. */
export function wrapBody(header: HeaderInit, bodyBytes: Uint8Array): Uint8Array {
  const w = new ByteWriter(headerSize(header.version, header.subpackage !== undefined) + bodyBytes.length)
  writeHeader(w, header, bodyBytes.length)
  w.bytes(bodyBytes)
  return wrapFrame(w.finish())
}

/**
 * Splits an encoded body into sub-packages of at most `packetSize` bytes (default 1000), one frame
 * each, with 总包数/包序号 set and consecutive serials from `header.serial` (wrapping at 0xFFFF).
 * A body that fits in one packet gives one frame without sub-package fields.
 */
export function encodePackets(header: HeaderInit, bodyBytes: Uint8Array, packetSize = 1000): Uint8Array[] {
  const size = Math.min(Math.max(1, packetSize), MAX_BODY_LENGTH)
  if (bodyBytes.length <= size) return [wrapBody({ ...header, subpackage: undefined }, bodyBytes)]
  const total = Math.ceil(bodyBytes.length / size)
  const frames: Uint8Array[] = []
  for (let i = 0; i < total; i++) {
    frames.push(
      wrapBody(
        { ...header, serial: (header.serial + i) & 0xffff, subpackage: { total, index: i + 1 } },
        bodyBytes.subarray(i * size, (i + 1) * size),
      ),
    )
  }
  return frames
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0').toUpperCase()
}

function hex4(v: number): string {
  return `0x${v.toString(16).padStart(4, '0').toUpperCase()}`
}
