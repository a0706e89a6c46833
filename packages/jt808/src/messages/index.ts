/** Every core message definition, by ID. */
export { GENERAL_RESULTS, type TerminalGeneralReply, terminalGeneralReply } from './0x0001.terminal-general-reply.ts'
export { heartbeat } from './0x0002.heartbeat.ts'
export { terminalLogout } from './0x0003.terminal-logout.ts'
export { terminalResendRequest } from './0x0005.terminal-resend-request.ts'
export {
  PLATE_COLORS,
  REGISTER_2013_FIXED,
  register2011,
  register2013,
  register2019,
  registerJiapei,
  type TerminalRegister,
  terminalRegister,
} from './0x0100.terminal-register.ts'
export { auth2013, auth2019, authJiapei, type TerminalAuth, terminalAuth } from './0x0102.terminal-auth.ts'
export { type QueryParametersReply, queryParametersReply } from './0x0104.query-parameters-reply.ts'
export {
  type LocationReport,
  type LocationReport808,
  type LocationReportJiapei,
  locationReport,
  readLocation,
  writeLocation,
} from './0x0200.location-report.ts'
export { type QueryLocationReply, queryLocationReply } from './0x0201.query-location-reply.ts'
export { type QuestionReply, questionReply } from './0x0302.question-reply.ts'
export { BATCH_TYPES, type BatchLocation, batchLocation } from './0x0704.batch-location.ts'
export {
  MEDIA_EVENTS,
  MEDIA_FORMATS,
  MEDIA_TYPES,
  type MultimediaUpload,
  multimedia808,
  multimediaJiapei,
  multimediaUpload,
} from './0x0801.multimedia-upload.ts'
export { uplinkPassThrough } from './0x0900.uplink-pass-through.ts'
export { PLATFORM_RESULTS, type PlatformGeneralReply, platformGeneralReply } from './0x8001.platform-general-reply.ts'
export { type ResendRequest, resendByteCount, resendRequest, resendWordCount } from './0x8003.resend-request.ts'
export { REGISTER_RESULTS, type RegisterReply, registerReply } from './0x8100.register-reply.ts'
export { type SetParameters, setParameters } from './0x8103.set-parameters.ts'
export { queryParameters } from './0x8104.query-parameters.ts'
export { CONTROL_COMMANDS, type TerminalControl, terminalControl } from './0x8105.terminal-control.ts'
export { querySpecificParameters } from './0x8106.query-specific-parameters.ts'
export { queryLocation } from './0x8201.query-location.ts'
export { trackLocation } from './0x8202.track-location.ts'
export { QUESTION_FLAGS, type Question, question } from './0x8302.question.ts'
export { type InformationService, informationService } from './0x8304.information-service.ts'
export { downlinkPassThrough } from './0x8900.downlink-pass-through.ts'
export { parameterList, TERMINAL_PARAMETERS, type TerminalParameter } from './parameters.ts'
export type { PassThroughBody } from './pass-through.ts'
