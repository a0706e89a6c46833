/**
 * The 校验串 of an uplink 驾培 envelope (STANDARDS §2.5, §2.3): RSA PKCS#1 v1.5 *private-key
 * encryption* of the raw digest (SHA-256 for 加密算法 2, SHA-1 for 1) of the bytes from 透传消息ID
 * through 数据内容 — not a DigestInfo-wrapped signature. Terminals use a 2048-bit key, giving 256
 * bytes. Node: `privateEncrypt` / `publicDecrypt` with RSA_PKCS1_PADDING.
 */
import {
  constants,
  createHash,
  createPublicKey,
  type KeyLike,
  KeyObject,
  privateEncrypt,
  publicDecrypt,
  timingSafeEqual,
  X509Certificate,
} from 'node:crypto'
import { CodecEncodeError, type MessageContext } from '@jiapei/jt808'
import { CHECKSUM_ALGORITHM } from './codes.ts'
import {
  CHECKSUM_SIZE,
  inspectEnvelope,
  signedBytes,
  TRAINING_PASS_THROUGH_TYPE,
  type TrainingEnvelope,
} from './envelope.ts'
import { type TrainingFailure, trainingFailure } from './errors.ts'

const HASHES: Readonly<Record<number, string>> = {
  [CHECKSUM_ALGORITHM.code.sha1]: 'sha1',
  [CHECKSUM_ALGORITHM.code.sha256]: 'sha256',
}

/** A key as PEM/DER text or bytes, a KeyObject, or (for verification) the terminal's certificate. */
export type PublicKeyInput = KeyLike | X509Certificate
export type PrivateKeyInput = KeyLike

/** The 校验串 of `data` (the signed span) for 加密算法 `algorithm` (default 2, SHA256). */
export function computeChecksum(
  data: Uint8Array,
  privateKey: PrivateKeyInput,
  algorithm: number = CHECKSUM_ALGORITHM.code.sha256,
): Uint8Array {
  const hash = HASHES[algorithm]
  if (!hash) throw new CodecEncodeError(`加密算法 ${algorithm} 不可签名 / cannot sign with algorithm ${algorithm}`)
  const digest = createHash(hash).update(data).digest()
  return new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digest))
}

/**
 * Signs an uplink envelope: sets 加密算法 (SHA256 unless `algorithm` says otherwise or the envelope
 * already names one) and its 校验串. Returns a new envelope.
 */
export function signEnvelope<B>(
  env: TrainingEnvelope<B>,
  privateKey: PrivateKeyInput,
  algorithm?: number,
  ctx?: MessageContext,
): TrainingEnvelope<B> {
  const chosen = algorithm ?? (env.attributes.algorithm || CHECKSUM_ALGORITHM.code.sha256)
  const next: TrainingEnvelope<B> = { ...env, attributes: { ...env.attributes, algorithm: chosen } }
  delete next.checksum
  next.checksum = computeChecksum(signedBytes(next, ctx), privateKey, chosen)
  return next
}

export type ChecksumResult = { ok: true; algorithm: number } | TrainingFailure

/**
 * Verifies the 校验串 of a 0x0900 body (starting with the 0x13 type byte) against the terminal's
 * public key. Never throws: ERR_TRAINING_NOT_SIGNED (加密算法 0), ERR_TRAINING_CHECKSUM_MISSING,
 * ERR_TRAINING_ALGORITHM, ERR_TRAINING_KEY, ERR_TRAINING_CHECKSUM_MISMATCH, or a layout failure of
 * the envelope (ERR_TRAINING_LENGTH, ERR_TRAINING_LENGTH_WORD, ERR_CODEC_TRUNCATED …).
 */
export function verifyChecksum(envelopeBytes: Uint8Array, publicKey: PublicKeyInput): ChecksumResult {
  if (envelopeBytes.length === 0 || envelopeBytes[0] !== TRAINING_PASS_THROUGH_TYPE) {
    return trainingFailure('ERR_TRAINING_TYPE', 0)
  }
  const layout = inspectEnvelope(envelopeBytes, 1, 'up')
  if (!layout.ok) return layout
  if (layout.algorithm === 0) return trainingFailure('ERR_TRAINING_NOT_SIGNED', 3)
  const hash = HASHES[layout.algorithm]
  if (!hash) return trainingFailure('ERR_TRAINING_ALGORITHM', 3, `加密算法 ${layout.algorithm}`)
  const checksumAt = layout.checksumAt ?? envelopeBytes.length
  let key: KeyObject
  try {
    if (publicKey instanceof X509Certificate) key = publicKey.publicKey
    else if (publicKey instanceof KeyObject && publicKey.type === 'public') key = publicKey
    else key = createPublicKey(publicKey)
  } catch (e) {
    return trainingFailure('ERR_TRAINING_KEY', checksumAt, (e as Error).message)
  }
  const digest = createHash(hash).update(envelopeBytes.subarray(1, checksumAt)).digest()
  let recovered: Buffer
  try {
    recovered = publicDecrypt(
      { key, padding: constants.RSA_PKCS1_PADDING },
      envelopeBytes.subarray(checksumAt, checksumAt + CHECKSUM_SIZE),
    )
  } catch {
    return trainingFailure(
      'ERR_TRAINING_CHECKSUM_MISMATCH',
      checksumAt,
      '无法用公钥解开校验串 / cannot be opened with the key',
    )
  }
  if (recovered.length !== digest.length || !timingSafeEqual(recovered, digest)) {
    return trainingFailure('ERR_TRAINING_CHECKSUM_MISMATCH', checksumAt, '摘要不一致 / digest differs')
  }
  return { ok: true, algorithm: layout.algorithm }
}
