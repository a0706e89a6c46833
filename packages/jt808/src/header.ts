/**
 * Message headers of the three layouts (STANDARDS §2.2), per-frame layout detection and the
 * sub-package (消息包封装项) fields.
 *
 * | layout   | bytes                                                                               | size  |
 * |----------|-------------------------------------------------------------------------------------|-------|
 * | 驾培     | 协议版本号 BYTE(0x80), 消息ID WORD, 属性 WORD, 手机号 BCD[8], 流水号 WORD, 预留 BYTE      | 16/20 |
 * | 808-2013 | 消息ID WORD, 属性 WORD, 手机号 BCD[6], 流水号 WORD                                       | 12/16 |
 * | 808-2019 | 消息ID WORD, 属性 WORD (bit 14 = 1), 协议版本号 BYTE, 手机号 BCD[10], 流水号 WORD         | 17/21 |
 *
 * 消息体属性: bits 0–9 body length, bits 10–12 encryption (bit 10 = RSA), bit 13 sub-packaged,
 * bit 14 version flag (2019) / reserved, bit 15 reserved. With bit 13 set, 总包数 WORD and
 * 包序号 WORD (from 1) follow.
 *
 * 808-2011 shares the 2013 header; the two differ only in the 0x0100 body, which the 0x0100
 * decoder tells apart by length.
 */
import type { ByteReader } from './bytes/reader.ts'
import type { ByteWriter } from './bytes/writer.ts'
import { CodecEncodeError } from './errors.ts'
import { bcd, hexFormat, u8, u16 } from './schema/fields.ts'

/** Protocol layout of one frame: the 驾培 variant, or plain JT/T 808 of a given year. */
export type ProtocolVersion = 'jiapei' | '2011' | '2013' | '2019'

export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = ['jiapei', '2011', '2013', '2019']

/** The header layouts (2011 uses the 2013 layout). */
export type HeaderLayout = 'jiapei' | '2013' | '2019'

export interface SubPackage {
  /** 总包数 */
  total: number
  /** 包序号, from 1 */
  index: number
}

export interface Header {
  /** 消息ID */
  msgId: number
  version: ProtocolVersion
  /** 协议版本号 byte: 0x80 in the 驾培 header (0x00 tolerated), 1 in 808-2019; absent in 2011/2013. */
  protocolVersion?: number
  /** 终端手机号 as BCD digits (16 in 驾培, 12 in 2013, 20 in 2019), leading zeros kept. */
  phone: string
  /** 消息流水号 */
  serial: number
  /** 驾培 预留 byte (normally 0; one vendor sets 1 during training). */
  reserved?: number
  /** Body length from 消息体属性 bits 0–9. */
  bodyLength: number
  /** 数据加密方式, 消息体属性 bits 10–12 (0 none; bit 10 = RSA). */
  encryption: number
  subpackage?: SubPackage
  /** 消息体属性 bit 15 (and bit 14 outside 2019), reserved; kept so re-encoding is exact. */
  reservedBits: number
}

/** What a caller gives to encode a header; lengths and flags are derived. */
export interface HeaderInit {
  msgId: number
  version: ProtocolVersion
  phone: string
  serial: number
  protocolVersion?: number
  reserved?: number
  encryption?: number
  subpackage?: SubPackage
  reservedBits?: number
}

export const JIAPEI_PROTOCOL_VERSION = 0x80
export const PROTOCOL_VERSION_2019 = 1
export const MAX_BODY_LENGTH = 0x3ff

const PHONE_BYTES: Record<HeaderLayout, number> = { jiapei: 8, '2013': 6, '2019': 10 }
const PHONE_TYPES = { jiapei: bcd(8), '2013': bcd(6), '2019': bcd(10) } as const
const HEX2 = hexFormat(2)
const HEX4 = hexFormat(4)
const BASE_SIZE: Record<HeaderLayout, number> = { jiapei: 16, '2013': 12, '2019': 17 }

export function layoutOf(version: ProtocolVersion): HeaderLayout {
  return version === '2011' ? '2013' : version
}

export function headerSize(version: ProtocolVersion, subpackaged: boolean): number {
  return BASE_SIZE[layoutOf(version)] + (subpackaged ? 4 : 0)
}

function propsAt(content: Uint8Array, at: number): number {
  return ((content[at] ?? 0) << 8) | (content[at + 1] ?? 0)
}

/** True when `length` (header + body, no checksum) matches the props of the given layout. */
function consistent(content: Uint8Array, length: number, layout: HeaderLayout): boolean {
  const props = propsAt(content, layout === 'jiapei' ? 3 : 2)
  if (layout === '2019' && (props & 0x4000) === 0) return false
  return BASE_SIZE[layout] + (props & 0x2000 ? 4 : 0) + (props & 0x3ff) === length
}

/**
 * Detects the header layout of one frame (`content` = unescaped header + body, without the
 * checksum). UNCERTAIN heuristic (STANDARDS §2.2), verified against real devices only for the
 * 驾培 form:
 *
 * 1. First byte 0x80 → 驾培 (uplink IDs have a high byte ≤ 0x0F, so a plain 808 uplink never starts
 *    with 0x80); otherwise bit 14 of the WORD at offset 2 → 2019, else 2013.
 * 2. A plain 808 *downlink* (0x80xx IDs) also starts with 0x80, and some platforms send 0x00 as the
 *    驾培 version byte; so each candidate layout is checked for a body length that matches the
 *    frame length, and the first consistent one wins (驾培 first when the first byte is 0x80,
 *    plain first otherwise, the lax 驾培 reading last when the first byte is 0x00).
 * 3. When no layout is consistent the primary guess of rule 1 is returned (the decoder then
 *    reports ERR_CODEC_BODY_LENGTH).
 */
export function detectLayout(content: Uint8Array): HeaderLayout {
  const plain: HeaderLayout = propsAt(content, 2) & 0x4000 ? '2019' : '2013'
  const candidates: HeaderLayout[] =
    content[0] === JIAPEI_PROTOCOL_VERSION ? ['jiapei', plain] : content[0] === 0x00 ? [plain, 'jiapei'] : [plain]
  for (const layout of candidates) if (consistent(content, content.length, layout)) return layout
  return candidates[0] as HeaderLayout
}

function describeProps(props: number): string {
  const parts = [`消息体长度 ${props & 0x3ff}`]
  const enc = (props >> 10) & 0x7
  parts.push(enc === 0 ? '不加密' : enc & 1 ? 'RSA 加密' : `加密方式 ${enc}`)
  if (props & 0x2000) parts.push('分包')
  if (props & 0x4000) parts.push('版本标识 1')
  if (props & 0x8000) parts.push('保留位 15 = 1')
  return parts.join('，')
}

/** Reads a header of the given layout; failures are recorded in the reader. */
export function readHeader(r: ByteReader, version: ProtocolVersion): Header {
  const layout = layoutOf(version)
  let protocolVersion: number | undefined
  if (layout === 'jiapei') protocolVersion = r.field('protocolVersion', '协议版本号', u8, HEX2)
  const msgId = r.field('msgId', '消息ID', u16, HEX4)
  const props = r.field('props', '消息体属性', u16, describeProps)
  if (layout === '2019') protocolVersion = r.field('protocolVersion', '协议版本号', u8)
  const phone = r.field('phone', '终端手机号', PHONE_TYPES[layout])
  const serial = r.field('serial', '消息流水号', u16)
  let reserved: number | undefined
  if (layout === 'jiapei') reserved = r.field('reserved', '预留', u8)
  const header: Header = {
    msgId,
    version,
    phone,
    serial,
    bodyLength: props & 0x3ff,
    encryption: (props >> 10) & 0x7,
    reservedBits: props & (layout === '2019' ? 0x8000 : 0xc000),
  }
  if (protocolVersion !== undefined) header.protocolVersion = protocolVersion
  if (reserved !== undefined) header.reserved = reserved
  if (props & 0x2000) {
    const total = r.field('subpackageTotal', '消息总包数', u16)
    const index = r.field('subpackageIndex', '包序号', u16)
    header.subpackage = { total, index }
    if (r.ok && (index < 1 || index > total)) {
      r.fail(
        'ERR_CODEC_HEADER',
        `包序号 ${index} 不在 1–${total} / packet index ${index} outside 1–${total}`,
        r.offset - 2,
      )
    }
  }
  return header
}

/** Writes a header for a body of `bodyLength` bytes. */
export function writeHeader(w: ByteWriter, h: HeaderInit, bodyLength: number): void {
  if (bodyLength > MAX_BODY_LENGTH) {
    throw new CodecEncodeError(
      `消息体 ${bodyLength} 字节超过 1023，应分包 / body of ${bodyLength} bytes exceeds 1023; split it into packets`,
    )
  }
  const layout = layoutOf(h.version)
  const encryption = h.encryption ?? 0
  if (encryption > 7) throw new CodecEncodeError(`加密方式 ${encryption} 超出 3 位 / encryption exceeds 3 bits`)
  let props = bodyLength | (encryption << 10) | (h.subpackage ? 0x2000 : 0) | (h.reservedBits ?? 0)
  if (layout === '2019') props |= 0x4000
  if (layout === 'jiapei') w.u8(h.protocolVersion ?? JIAPEI_PROTOCOL_VERSION)
  w.u16(h.msgId)
  w.u16(props & 0xffff)
  if (layout === '2019') w.u8(h.protocolVersion ?? PROTOCOL_VERSION_2019)
  w.bcd(h.phone, PHONE_BYTES[layout])
  w.u16(h.serial)
  if (layout === 'jiapei') w.u8(h.reserved ?? 0)
  if (h.subpackage) {
    w.u16(h.subpackage.total)
    w.u16(h.subpackage.index)
  }
}

/** The fields of a decoded header that are needed to encode it again. */
export function headerInit(h: Header): HeaderInit {
  const init: HeaderInit = { msgId: h.msgId, version: h.version, phone: h.phone, serial: h.serial }
  if (h.protocolVersion !== undefined) init.protocolVersion = h.protocolVersion
  if (h.reserved !== undefined) init.reserved = h.reserved
  if (h.encryption) init.encryption = h.encryption
  if (h.subpackage) init.subpackage = { ...h.subpackage }
  if (h.reservedBits) init.reservedBits = h.reservedBits
  return init
}
