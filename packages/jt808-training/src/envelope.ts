/**
 * The 驾培 透传 envelope (STANDARDS §2.5), the content of 0x0900 (↑) / 0x8900 (↓) with 透传消息类型
 * 0x13:
 *
 * | offset | field        | type      | notes                                                            |
 * |--------|--------------|-----------|------------------------------------------------------------------|
 * | 0      | 透传消息类型 | BYTE      | 0x13 驾培业务 (read by the core)                                  |
 * | 1      | 透传消息ID   | WORD      | high byte 功能号, low byte 消息号                                  |
 * | 3      | 扩展消息属性 | WORD      | bit 0 补传, bit 1 需要应答, bits 4–7 加密算法 (0 无, 1 SHA1, 2 SHA256) |
 * | 5      | 驾培包序号   | WORD      | answers echo it                                                   |
 * | 7      | 计时终端编号 | BYTE[16]  |                                                                  |
 * | 23     | 数据长度     | DWORD     | n (a WORD here is a known porting mistake: ERR_TRAINING_LENGTH_WORD) |
 * | 27     | 数据内容     | BYTE[n]   | the message of {@link findTrainingMessage}                        |
 * | 27+n   | 校验串       | BYTE[256] | only uplink and only when 加密算法 ≠ 0 (see signature.ts)          |
 *
 * Offsets in failures and explain are those of the 0x0900/0x8900 body (type byte = 0) when called
 * standalone, and of the unescaped frame when decoded through the core.
 */
import {
  ByteReader,
  ByteWriter,
  bytes,
  CodecEncodeError,
  type Direction,
  type ExplainNode,
  type FieldType,
  hexFormat,
  type MessageContext,
  PASS_THROUGH_JIAPEI,
  type PassThroughCodec,
  readWhole,
  registerPassThrough,
  u16,
  u32,
  unregisterPassThrough,
} from '@jiapei/jt808'
import { CHECKSUM_ALGORITHM } from './codes.ts'
import { type TrainingFailure, toCoreCode, trainingFailure } from './errors.ts'
import { registryNo } from './fields.ts'
import type { TrainingMessageDefinition } from './message.ts'
import { findTrainingMessage } from './messages/index.ts'

/** 透传消息类型 驾培业务. */
export const TRAINING_PASS_THROUGH_TYPE = PASS_THROUGH_JIAPEI

/** Bytes of 透传消息ID … 数据长度. */
export const ENVELOPE_HEADER_SIZE = 26
/** Size of the 校验串 (RSA-2048). */
export const CHECKSUM_SIZE = 256

/** 扩展消息属性. */
export interface ExtendedAttributes {
  /** bit 0 消息时效: false 实时, true 补传 */
  backfill: boolean
  /** bit 1 应答属性: true 需要应答 */
  ackRequired: boolean
  /** bits 4–7 加密算法: 0 none, 1 SHA1, 2 SHA256 ({@link CHECKSUM_ALGORITHM}) */
  algorithm: number
  /** Bits 2, 3 and 8–15 (reserved) as received, so that re-encoding is exact. */
  reservedBits: number
}

/** One 驾培 pass-through message with its envelope. */
export interface TrainingEnvelope<B = unknown> {
  /** 透传消息ID */
  messageId: number
  attributes: ExtendedAttributes
  /** 驾培包序号 */
  packetSeq: number
  /** 计时终端编号 */
  terminalNo: string
  /** 数据内容 as bytes; on encode it is used only when `body` is absent. */
  data: Uint8Array
  /** 数据内容 decoded, when the ID is in the catalogue. */
  body?: B
  /** 中文消息名 of a known ID (set by decode, ignored by encode). */
  specName?: string
  /** 校验串 (256 bytes), when present. */
  checksum?: Uint8Array
}

const RESERVED_MASK = 0xff0c

/** 扩展消息属性 WORD ↔ {@link ExtendedAttributes}. */
export const extendedAttributes: FieldType<ExtendedAttributes> = {
  label: 'WORD',
  size: 2,
  read(r) {
    const v = r.u16()
    return {
      backfill: (v & 1) !== 0,
      ackRequired: (v & 2) !== 0,
      algorithm: (v >>> 4) & 0xf,
      reservedBits: v & RESERVED_MASK,
    }
  },
  write(w, v) {
    if (!Number.isInteger(v.algorithm) || v.algorithm < 0 || v.algorithm > 0xf) {
      throw new CodecEncodeError(`加密算法取值 0–15，得到 ${v.algorithm} / algorithm out of range`)
    }
    w.u16((v.backfill ? 1 : 0) | (v.ackRequired ? 2 : 0) | (v.algorithm << 4) | (v.reservedBits & RESERVED_MASK))
  },
  format: (v) =>
    [
      v.backfill ? '补传' : '实时',
      v.ackRequired ? '需要应答' : '不需要应答',
      `加密算法 ${CHECKSUM_ALGORITHM.label(v.algorithm)}`,
    ].join('，'),
}

/** Where the parts of an envelope lie, checked before anything is read. */
export interface EnvelopeLayout {
  ok: true
  /** Offset of 数据长度 within the bytes given. */
  lengthAt: number
  dataStart: number
  dataLength: number
  algorithm: number
  /** Offset of the 校验串, when present. */
  checksumAt?: number
}

/**
 * Checks the lengths of an envelope whose 透传消息ID starts at `start`: 数据长度 must be a DWORD
 * that, with the 校验串 when expected, accounts for every remaining byte. A downlink that carries a
 * 校验串 anyway (加密算法 ≠ 0) is accepted. Never throws.
 */
export function inspectEnvelope(
  bytes: Uint8Array,
  start: number,
  direction: Direction,
): EnvelopeLayout | TrainingFailure {
  if (bytes.length - start < ENVELOPE_HEADER_SIZE) {
    return {
      ok: false,
      code: 'ERR_CODEC_TRUNCATED',
      offset: bytes.length,
      message: `驾培消息头需要 ${ENVELOPE_HEADER_SIZE} 字节，只有 ${bytes.length - start} / envelope header needs ${ENVELOPE_HEADER_SIZE} bytes`,
    }
  }
  const at = (i: number) => bytes[i] as number
  const algorithm = (at(start + 3) >>> 4) & 0xf
  const lengthAt = start + 22
  const dataStart = lengthAt + 4
  const dataLength = at(lengthAt) * 0x1000000 + ((at(lengthAt + 1) << 16) | (at(lengthAt + 2) << 8) | at(lengthAt + 3))
  const remaining = bytes.length - dataStart
  const signed = algorithm !== 0
  const layout: EnvelopeLayout = { ok: true, lengthAt, dataStart, dataLength, algorithm }
  if (remaining === dataLength + CHECKSUM_SIZE && signed) return { ...layout, checksumAt: dataStart + dataLength }
  if (remaining === dataLength) {
    if (direction === 'up' && signed) {
      return trainingFailure(
        'ERR_TRAINING_CHECKSUM_MISSING',
        bytes.length,
        `加密算法 ${CHECKSUM_ALGORITHM.label(algorithm)} 的上行消息须带 ${CHECKSUM_SIZE} 字节校验串`,
      )
    }
    return layout
  }
  const wordLength = (at(lengthAt) << 8) | at(lengthAt + 1)
  const afterWord = bytes.length - (lengthAt + 2)
  if (wordLength === afterWord || (signed && wordLength + CHECKSUM_SIZE === afterWord)) {
    return trainingFailure(
      'ERR_TRAINING_LENGTH_WORD',
      lengthAt,
      `按 WORD 读得 ${wordLength}，与其后 ${afterWord} 字节相符`,
    )
  }
  const expected = signed && direction === 'up' ? `${dataLength} + ${CHECKSUM_SIZE}` : `${dataLength}`
  return trainingFailure('ERR_TRAINING_LENGTH', lengthAt, `数据长度 ${expected}，其后实有 ${remaining} 字节`)
}

/**
 * Reads the envelope from 透传消息ID on (the reader is positioned after the type byte) and decodes
 * 数据内容 with the catalogue. Failures are recorded in the reader under core codes.
 */
export function readEnvelope(r: ByteReader, direction: Direction, ctx: MessageContext): TrainingEnvelope {
  const start = r.offset
  const layout = inspectEnvelope(r.bytes, start, direction)
  const peekId = r.remaining >= 2 ? ((r.bytes[start] as number) << 8) | (r.bytes[start + 1] as number) : -1
  const def = findTrainingMessage(peekId)
  const messageId = r.field(
    'messageId',
    '透传消息ID',
    u16,
    (v) => `${hexFormat(4)(v)} ${def?.specName ?? '未登记的驾培消息'}`,
  )
  const attributes = r.field('attributes', '扩展消息属性', extendedAttributes)
  const packetSeq = r.field('packetSeq', '驾培包序号', u16)
  const terminalNo = r.field('terminalNo', '计时终端编号', registryNo)
  const envelope: TrainingEnvelope = { messageId, attributes, packetSeq, terminalNo, data: new Uint8Array(0) }
  if (def) envelope.specName = def.specName
  r.field('dataLength', '数据长度', u32, (v) => `${v} 字节`)
  if (!layout.ok) {
    r.fail(toCoreCode(layout.code), `${layout.code}: ${layout.message}`, layout.offset)
    return envelope
  }
  const dataStart = layout.dataStart
  envelope.data = new Uint8Array(r.bytes.subarray(dataStart, dataStart + layout.dataLength))
  const title = `数据内容（${def ? `${hexFormat(4)(messageId)} ${def.specName}` : '未登记的驾培消息，原样保留'}）`
  r.field('data', title, {
    label: `BYTE[${layout.dataLength}]`,
    read: (rr) => {
      const sub = rr.sub(layout.dataLength)
      if (def) {
        const body = readWhole(sub, def.read, ctx)
        rr.adopt(sub)
        if (sub.ok) envelope.body = body
      }
      return envelope.data
    },
    write: () => {},
    format: (v) => (def ? undefined : `${v.length} 字节 / bytes`),
  })
  if (layout.checksumAt !== undefined && r.ok) {
    envelope.checksum = r.field('checksum', '校验串', bytes(CHECKSUM_SIZE), () => `RSA 签名 ${CHECKSUM_SIZE} 字节`)
  }
  return envelope
}

/** Options of {@link writeEnvelope}. */
interface WriteOptions {
  /** Leave the 校验串 out (to compute it over what was written). */
  withoutChecksum?: boolean
}

/**
 * Writes the envelope from 透传消息ID on. An uplink with 加密算法 ≠ 0 needs its 256-byte
 * 校验串 (see {@link signEnvelope}); without it this throws CodecEncodeError.
 */
export function writeEnvelope(
  w: ByteWriter,
  env: TrainingEnvelope,
  direction: Direction,
  ctx: MessageContext,
  options: WriteOptions = {},
): void {
  const def = findTrainingMessage(env.messageId)
  const data = env.body !== undefined && def ? encodeInner(def, env.body, ctx) : env.data
  w.u16(env.messageId)
  extendedAttributes.write(w, env.attributes)
  w.u16(env.packetSeq)
  registryNo.write(w, env.terminalNo)
  w.u32(data.length)
  w.bytes(data)
  if (options.withoutChecksum || env.attributes.algorithm === 0) return
  if (env.checksum) w.fixedBytes(env.checksum, CHECKSUM_SIZE)
  else if (direction === 'up') {
    throw new CodecEncodeError(
      `上行消息 加密算法 ${env.attributes.algorithm} 需要 ${CHECKSUM_SIZE} 字节校验串（用 signEnvelope 生成）/ uplink with 加密算法 ≠ 0 needs its 校验串`,
    )
  }
}

function encodeInner(def: TrainingMessageDefinition<unknown>, body: unknown, ctx: MessageContext): Uint8Array {
  const w = new ByteWriter(128)
  def.write(w, body, ctx)
  return w.finish()
}

const CTX: MessageContext = { version: 'jiapei' }

/** Result of {@link decodeEnvelope}. */
export type EnvelopeResult = { ok: true; value: TrainingEnvelope } | TrainingFailure

/**
 * Decodes a whole 0x0900/0x8900 body (starting with the 0x13 type byte). Never throws: envelope
 * faults give ERR_TRAINING_* codes, faults inside 数据内容 the core code, each with its offset.
 */
export function decodeEnvelope(body: Uint8Array, direction: Direction, ctx: MessageContext = CTX): EnvelopeResult {
  if (body.length === 0)
    return { ok: false, code: 'ERR_CODEC_TRUNCATED', offset: 0, message: '空的透传消息 / empty body' }
  if (body[0] !== TRAINING_PASS_THROUGH_TYPE) {
    return trainingFailure('ERR_TRAINING_TYPE', 0, `透传消息类型 ${hexFormat(2)(body[0] as number)}`)
  }
  const layout = inspectEnvelope(body, 1, direction)
  if (!layout.ok) return layout
  const r = new ByteReader(body.subarray(1), 1)
  const value = readEnvelope(r, direction, ctx)
  if (r.error) return { ok: false, ...r.error }
  return { ok: true, value }
}

/** Encodes the whole 0x0900/0x8900 body (0x13 + envelope). See {@link writeEnvelope}. */
export function encodeEnvelope(env: TrainingEnvelope, direction: Direction, ctx: MessageContext = CTX): Uint8Array {
  const w = new ByteWriter(64 + env.data.length)
  w.u8(TRAINING_PASS_THROUGH_TYPE)
  writeEnvelope(w, env, direction, ctx)
  return w.finish()
}

/** Field-by-field annotation of a 0x0900/0x8900 body (offsets from 0 = the type byte). */
export function explainEnvelope(
  body: Uint8Array,
  direction: Direction,
  ctx: MessageContext = CTX,
): { nodes: ExplainNode[]; error?: TrainingFailure } {
  const nodes: ExplainNode[] = []
  const r = new ByteReader(body, 0, nodes)
  r.field('type', '透传消息类型', { label: 'BYTE', size: 1, read: (rr) => rr.u8(), write: () => {} }, (v) =>
    v === TRAINING_PASS_THROUGH_TYPE ? '0x13 驾培业务' : `${hexFormat(2)(v)}（不是驾培业务）`,
  )
  const decoded = decodeEnvelope(body, direction, ctx)
  if (r.ok) readEnvelope(r, direction, ctx)
  return decoded.ok ? { nodes } : { nodes, error: decoded }
}

/** The bytes an envelope is (or is to be) signed over: 透传消息ID … 数据内容 (STANDARDS §2.5). */
export function signedBytes(env: TrainingEnvelope, ctx: MessageContext = CTX): Uint8Array {
  const w = new ByteWriter(64 + env.data.length)
  writeEnvelope(w, env, 'up', ctx, { withoutChecksum: true })
  return w.finish()
}

/** What {@link trainingEnvelope} needs besides the message and body. */
export interface EnvelopeOptions {
  terminalNo: string
  packetSeq: number
  /** 补传 (default false). */
  backfill?: boolean
  /** 需要应答 (default: true when the message has an answer). */
  ackRequired?: boolean
}

/**
 * Builds the envelope of a catalogue message (加密算法 0, no 校验串; an uplink to be signed goes
 * through {@link signEnvelope}).
 */
export function trainingEnvelope<B>(
  def: TrainingMessageDefinition<B>,
  body: B,
  options: EnvelopeOptions,
  ctx: MessageContext = CTX,
): TrainingEnvelope<B> {
  return {
    messageId: def.id,
    attributes: {
      backfill: options.backfill ?? false,
      ackRequired: options.ackRequired ?? def.replyId !== undefined,
      algorithm: 0,
      reservedBits: 0,
    },
    packetSeq: options.packetSeq,
    terminalNo: options.terminalNo,
    data: def.encode(body, ctx),
    body,
    specName: def.specName,
  }
}

/**
 * Builds the answer to a received envelope: same 计时终端编号, 驾培包序号 echoed (STANDARDS §2.5),
 * no 应答 requested, 补传 kept when the request was a 补传.
 */
export function replyEnvelope<B>(
  request: Pick<TrainingEnvelope, 'terminalNo' | 'packetSeq' | 'attributes'>,
  def: TrainingMessageDefinition<B>,
  body: B,
  ctx: MessageContext = CTX,
): TrainingEnvelope<B> {
  return trainingEnvelope(
    def,
    body,
    {
      terminalNo: request.terminalNo,
      packetSeq: request.packetSeq,
      backfill: request.attributes.backfill,
      ackRequired: false,
    },
    ctx,
  )
}

/** The codec registered with the core for 透传消息类型 0x13. */
export const trainingPassThrough: PassThroughCodec<TrainingEnvelope> = {
  type: TRAINING_PASS_THROUGH_TYPE,
  name: '驾培业务',
  read: (r, ctx) => readEnvelope(r, ctx.direction, ctx),
  write: (w, value, ctx) => writeEnvelope(w, value, ctx.direction, ctx),
}

/**
 * Registers the 驾培 envelope with the core, so that `decodeFrame`, `encodeFrame` and `explain` of
 * 0x0900/0x8900 frames with type 0x13 decode the extension message. Idempotent; done on import of
 * the package.
 */
export function registerTrainingExtension(): void {
  registerPassThrough(trainingPassThrough)
}

/** Removes the registration (tests). */
export function unregisterTrainingExtension(): void {
  unregisterPassThrough(TRAINING_PASS_THROUGH_TYPE)
}
