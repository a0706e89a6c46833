/**
 * @jiapei/jt808 — a pure JT/T 808 codec (2011/2013/2019 and the 驾培 header variant): byte
 * primitives, the field-schema vocabulary, framing, headers, the core messages, the pass-through
 * hook for the 驾培 extension, and explain. No sockets, no logger, no clock.
 */

export { hex, parseHex, toHex, toSpacedHex } from './bytes/hex.ts'
export { ByteReader, type ExplainNode, type FieldType, PAD_END_ZERO, type Padding } from './bytes/reader.ts'
export { decodeGbk, decodeLatin1, encodeGbk, isGbkEncodable } from './bytes/text.ts'
export { ByteWriter } from './bytes/writer.ts'
export {
  type DecodeOptions,
  decodeBody,
  decodeFrame,
  decodeFrameContent,
  encodeBody,
  encodeFrame,
  encodePackets,
  type Frame,
  type FrameResult,
  wrapBody,
} from './codec.ts'
export { CODEC_ERROR_CODES, CODEC_ERRORS, CodecEncodeError, type CodecErrorCode, type CodecFailure } from './errors.ts'
export { type Explanation, explain, renderExplain, toJsonValue } from './explain.ts'
export { checksum, ESCAPE, FRAME_FLAG, unescapeFrame, wrapFrame } from './frame/escape.ts'
export { DEFAULT_MAX_FRAME_SIZE, type FrameEvent, FrameReader, type FrameReaderOptions } from './frame/frame-reader.ts'
export {
  type GnssBasic,
  type GnssBasic808,
  type GnssExtended,
  gnssBasic,
  gnssBasic808,
  gnssExtended,
  itemValue,
  JIAPEI_ITEMS,
  JT808_ITEMS,
  type LocationItem,
  locationItems,
} from './gnss.ts'
export {
  detectLayout,
  type Header,
  type HeaderInit,
  type HeaderLayout,
  headerInit,
  headerSize,
  JIAPEI_PROTOCOL_VERSION,
  layoutOf,
  MAX_BODY_LENGTH,
  PROTOCOL_VERSION_2019,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
  readHeader,
  type SubPackage,
  writeHeader,
} from './header.ts'
export {
  type BodyResult,
  type Direction,
  defineMessage,
  empty,
  type MessageContext,
  type MessageDefinition,
  type MessageSpec,
  readWhole,
} from './message.ts'
export * from './messages/index.ts'
export {
  findPassThrough,
  PASS_THROUGH_JIAPEI,
  type PassThroughCodec,
  type PassThroughContext,
  registerPassThrough,
  unregisterPassThrough,
} from './passthrough.ts'
export { findMessage, listMessages, registerMessage } from './registry.ts'
export {
  ascii,
  asciiRest,
  bcd,
  bcdTime,
  bytes,
  bytesHex,
  codeFormat,
  type FieldSpec,
  formatBcdTime,
  gbk,
  gbkPrefixed,
  gbkRest,
  hexFormat,
  list,
  listRest,
  PAD_END_SPACE,
  PAD_START_ZERO,
  restBytes,
  type StructType,
  type StructValue,
  scaled,
  struct,
  u8,
  u16,
  u32,
  type ValueOf,
  withFormat,
} from './schema/fields.ts'
