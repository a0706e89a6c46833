/**
 * Coded failures of the 驾培 envelope and its signature. Through the core (decodeFrame) an
 * envelope failure surfaces as the core code given here (the closed CodecErrorCode set) with the
 * 驾培 code at the start of the message; the standalone functions of this package return the
 * 驾培 code itself.
 */
import type { CodecErrorCode } from '@jiapei/jt808'

export const TRAINING_ERRORS = {
  ERR_TRAINING_TYPE: '透传消息类型不是 0x13 驾培业务 / pass-through type is not 0x13',
  ERR_TRAINING_LENGTH_WORD:
    '数据长度按 WORD 编码，规范要求 DWORD / 数据长度 written as a WORD, the spec requires a DWORD',
  ERR_TRAINING_LENGTH: '数据长度与实际内容不符 / 数据长度 differs from the content',
  ERR_TRAINING_NOT_SIGNED: '加密算法为 0，报文不带校验串 / 加密算法 is 0, the message carries no 校验串',
  ERR_TRAINING_ALGORITHM: '未知的加密算法 / unknown 加密算法',
  ERR_TRAINING_CHECKSUM_MISSING: '缺少 256 字节校验串 / the 256-byte 校验串 is missing',
  ERR_TRAINING_CHECKSUM_MISMATCH: '校验串验证失败 / 校验串 does not match the content',
  ERR_TRAINING_KEY: '公钥无法使用 / the public key cannot be used',
} as const

export type TrainingErrorCode = keyof typeof TRAINING_ERRORS

/** The core code an envelope failure is reported under inside a decoded frame. */
export const CORE_CODE: Readonly<Record<TrainingErrorCode, CodecErrorCode>> = {
  ERR_TRAINING_TYPE: 'ERR_CODEC_BODY',
  ERR_TRAINING_LENGTH_WORD: 'ERR_CODEC_BODY_LENGTH',
  ERR_TRAINING_LENGTH: 'ERR_CODEC_BODY_LENGTH',
  ERR_TRAINING_NOT_SIGNED: 'ERR_CODEC_BODY',
  ERR_TRAINING_ALGORITHM: 'ERR_CODEC_BODY',
  ERR_TRAINING_CHECKSUM_MISSING: 'ERR_CODEC_TRUNCATED',
  ERR_TRAINING_CHECKSUM_MISMATCH: 'ERR_CODEC_BODY',
  ERR_TRAINING_KEY: 'ERR_CODEC_VALUE',
}

/** A failure of a standalone function of this package: a 驾培 or core code, where, and why. */
export interface TrainingFailure {
  ok: false
  code: TrainingErrorCode | CodecErrorCode
  /** Byte offset within the bytes given to the function. */
  offset: number
  message: string
}

export function trainingFailure(code: TrainingErrorCode, offset: number, detail?: string): TrainingFailure {
  return { ok: false, code, offset, message: detail ? `${TRAINING_ERRORS[code]}: ${detail}` : TRAINING_ERRORS[code] }
}

/** The core code to report a failure under (core codes pass unchanged). */
export function toCoreCode(code: TrainingErrorCode | CodecErrorCode): CodecErrorCode {
  return code in CORE_CODE ? CORE_CODE[code as TrainingErrorCode] : (code as CodecErrorCode)
}
