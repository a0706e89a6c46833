/**
 * The closed set of codec error codes. Decoding never throws on bad input: every failure is one
 * of these codes plus the byte offset where it was noticed (STYLE §C, first kind of error).
 * Encoding a value that cannot be represented (a string longer than its field, a non-digit in a
 * BCD field) is a programming error and throws {@link CodecEncodeError}.
 */
export const CODEC_ERRORS = {
  ERR_CODEC_HEX: '十六进制文本无效 / invalid hex text',
  ERR_CODEC_EMPTY: '空帧 / empty frame',
  ERR_CODEC_DELIMITER: '标识位 0x7E 缺失或错位 / missing or misplaced 0x7E delimiter',
  ERR_CODEC_ESCAPE: '非法转义序列 / invalid 0x7D escape sequence',
  ERR_CODEC_CHECKSUM: '校验码错误 / checksum mismatch',
  ERR_CODEC_TRUNCATED: '数据不足 / truncated data',
  ERR_CODEC_HEADER: '消息头无效 / malformed header',
  ERR_CODEC_BODY_LENGTH: '消息体长度与消息头不符 / body length differs from the header',
  ERR_CODEC_BODY: '消息体无效 / malformed body',
  ERR_CODEC_FRAME_TOO_LARGE: '帧超过最大长度 / frame exceeds the maximum size',
  ERR_CODEC_GARBAGE: '帧外的多余数据 / bytes outside a frame',
  ERR_CODEC_VALUE: '字段值无法编码 / value cannot be encoded',
} as const

export type CodecErrorCode = keyof typeof CODEC_ERRORS

export const CODEC_ERROR_CODES = Object.keys(CODEC_ERRORS) as CodecErrorCode[]

/** A decode failure: the code, where it was noticed (byte offset in the unescaped frame) and why. */
export interface CodecFailure {
  code: CodecErrorCode
  offset: number
  message: string
}

/** Thrown by encoders for values that do not fit their field (a caller bug, not field input). */
export class CodecEncodeError extends Error {
  readonly code = 'ERR_CODEC_VALUE' as const
  constructor(message: string) {
    super(`${CODEC_ERRORS.ERR_CODEC_VALUE}: ${message}`)
    this.name = 'CodecEncodeError'
  }
}
