/**
 * @jiapei/jt808-training — the 驾培 (driver-training) extension of JT/T 808: the 透传 envelope of
 * 0x0900/0x8900 type 0x13, every 驾培 pass-through message in both directions, the 校验串
 * signature, and the 课程编码. Pure, no I/O.
 *
 * Importing the package registers the envelope with the core (`registerTrainingExtension`), so
 * `decodeFrame` of a 0x0900 frame yields `body.content` as a {@link TrainingEnvelope} whose `body`
 * is the decoded message.
 */
import { registerTrainingExtension } from './envelope.ts'

export * from './codes.ts'
export * from './course-code.ts'
export {
  CHECKSUM_SIZE,
  decodeEnvelope,
  ENVELOPE_HEADER_SIZE,
  type EnvelopeLayout,
  type EnvelopeOptions,
  type EnvelopeResult,
  type ExtendedAttributes,
  encodeEnvelope,
  explainEnvelope,
  extendedAttributes,
  inspectEnvelope,
  readEnvelope,
  registerTrainingExtension,
  replyEnvelope,
  signedBytes,
  TRAINING_PASS_THROUGH_TYPE,
  type TrainingEnvelope,
  trainingEnvelope,
  trainingPassThrough,
  unregisterTrainingExtension,
  writeEnvelope,
} from './envelope.ts'
export { TRAINING_ERRORS, type TrainingErrorCode, type TrainingFailure, toCoreCode } from './errors.ts'
export * from './fields.ts'
export { type BodyOf, defineTrainingMessage, GENERAL_REPLY, type TrainingMessageDefinition } from './message.ts'
export * from './messages/index.ts'
export {
  type ChecksumResult,
  computeChecksum,
  type PrivateKeyInput,
  type PublicKeyInput,
  signEnvelope,
  verifyChecksum,
} from './signature.ts'

registerTrainingExtension()
