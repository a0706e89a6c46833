/**
 * The catalogue of 驾培 pass-through messages (STANDARDS §2.6), in spec order: each request next to
 * its answer. Terminal → platform IDs are 0x0xxx, platform → terminal IDs 0x8xxx.
 */
import type { TrainingMessageDefinition } from '../message.ts'
import { coachLogin } from './0x0101.coach-login.ts'
import { coachLogout } from './0x0102.coach-logout.ts'
import { studentLogin } from './0x0201.student-login.ts'
import { studentLogout } from './0x0202.student-logout.ts'
import { minuteRecord } from './0x0203.minute-record.ts'
import { recordQueryReply } from './0x0205.record-query-reply.ts'
import { photoNowReply } from './0x0301.photo-now-reply.ts'
import { photoQueryReply } from './0x0302.photo-query-reply.ts'
import { photoQueryResult } from './0x0303.photo-query-result.ts'
import { photoUploadRequestReply } from './0x0304.photo-upload-request-reply.ts'
import { photoUploadInit } from './0x0305.photo-upload-init.ts'
import { photoData } from './0x0306.photo-data.ts'
import { identityRequest } from './0x0401.identity-request.ts'
import { unifiedNoRequest } from './0x0402.unified-no-request.ts'
import { vehicleBinding } from './0x0403.vehicle-binding.ts'
import { appParamsSetReply } from './0x0501.app-params-set-reply.ts'
import { trainingBanSetReply } from './0x0502.training-ban-set-reply.ts'
import { appParamsQueryReply } from './0x0503.app-params-query-reply.ts'
import { coachLoginReply } from './0x8101.coach-login-reply.ts'
import { coachLogoutReply } from './0x8102.coach-logout-reply.ts'
import { studentLoginReply } from './0x8201.student-login-reply.ts'
import { studentLogoutReply } from './0x8202.student-logout-reply.ts'
import { recordQuery } from './0x8205.record-query.ts'
import { photoNow } from './0x8301.photo-now.ts'
import { photoQuery } from './0x8302.photo-query.ts'
import { photoQueryResultReply } from './0x8303.photo-query-result-reply.ts'
import { photoUploadRequest } from './0x8304.photo-upload-request.ts'
import { photoUploadInitReply } from './0x8305.photo-upload-init-reply.ts'
import { identityReply } from './0x8401.identity-reply.ts'
import { unifiedNoReply } from './0x8402.unified-no-reply.ts'
import { vehicleBindingReply } from './0x8403.vehicle-binding-reply.ts'
import { appParamsSet } from './0x8501.app-params-set.ts'
import { trainingBanSet } from './0x8502.training-ban-set.ts'
import { appParamsQuery } from './0x8503.app-params-query.ts'

export { type CoachLogin, coachLogin } from './0x0101.coach-login.ts'
export { type CoachLogout, coachLogout } from './0x0102.coach-logout.ts'
export { type StudentLogin, studentLogin } from './0x0201.student-login.ts'
export { type StudentLogout, studentLogout } from './0x0202.student-logout.ts'
export { type MinuteRecord, minuteRecord } from './0x0203.minute-record.ts'
export { type RecordQueryReply, recordQueryReply } from './0x0205.record-query-reply.ts'
export { type PhotoNowReply, photoNowReply } from './0x0301.photo-now-reply.ts'
export { type PhotoQueryReply, photoQueryReply } from './0x0302.photo-query-reply.ts'
export { type PhotoQueryResult, photoQueryResult } from './0x0303.photo-query-result.ts'
export { type PhotoUploadRequestReply, photoUploadRequestReply } from './0x0304.photo-upload-request-reply.ts'
export { type PhotoUploadInit, photoUploadInit } from './0x0305.photo-upload-init.ts'
export { type PhotoData, photoData } from './0x0306.photo-data.ts'
export { type IdentityRequest, identityRequest } from './0x0401.identity-request.ts'
export { type UnifiedNoRequest, unifiedNoRequest } from './0x0402.unified-no-request.ts'
export { type VehicleBinding, vehicleBinding } from './0x0403.vehicle-binding.ts'
export { type AppParamsSetReply, appParamsSetReply } from './0x0501.app-params-set-reply.ts'
export { type TrainingBanSetReply, trainingBanSetReply } from './0x0502.training-ban-set-reply.ts'
export { type AppParamsQueryReply, appParamsQueryReply } from './0x0503.app-params-query-reply.ts'
export { type CoachLoginReply, coachLoginReply } from './0x8101.coach-login-reply.ts'
export { type CoachLogoutReply, coachLogoutReply } from './0x8102.coach-logout-reply.ts'
export { type StudentLoginReply, studentLoginReply } from './0x8201.student-login-reply.ts'
export { type StudentLogoutReply, studentLogoutReply } from './0x8202.student-logout-reply.ts'
export { type RecordQuery, recordQuery } from './0x8205.record-query.ts'
export { type PhotoNow, photoNow } from './0x8301.photo-now.ts'
export { type PhotoQuery, photoQuery } from './0x8302.photo-query.ts'
export { type PhotoQueryResultReply, photoQueryResultReply } from './0x8303.photo-query-result-reply.ts'
export { type PhotoUploadRequest, photoUploadRequest } from './0x8304.photo-upload-request.ts'
export { type PhotoUploadInitReply, photoUploadInitReply } from './0x8305.photo-upload-init-reply.ts'
export { type IdentityReply, identityReply } from './0x8401.identity-reply.ts'
export { type UnifiedNoReply, unifiedNoReply } from './0x8402.unified-no-reply.ts'
export { type VehicleBindingReply, vehicleBindingReply } from './0x8403.vehicle-binding-reply.ts'
export { type AppParamsSet, appParamsSet } from './0x8501.app-params-set.ts'
export { type TrainingBanSet, trainingBanSet } from './0x8502.training-ban-set.ts'
export { type AppParamsQuery, appParamsQuery } from './0x8503.app-params-query.ts'
export { type AppParams, appParams, DEFAULT_APP_PARAMS } from './app-params.ts'

/** Every 驾培 pass-through message, in the order of STANDARDS §2.6. */
export const TRAINING_MESSAGES: readonly TrainingMessageDefinition<never>[] = [
  coachLogin,
  coachLoginReply,
  coachLogout,
  coachLogoutReply,
  studentLogin,
  studentLoginReply,
  studentLogout,
  studentLogoutReply,
  minuteRecord,
  recordQuery,
  recordQueryReply,
  photoNow,
  photoNowReply,
  photoQuery,
  photoQueryReply,
  photoQueryResult,
  photoQueryResultReply,
  photoUploadRequest,
  photoUploadRequestReply,
  photoUploadInit,
  photoUploadInitReply,
  photoData,
  appParamsSet,
  appParamsSetReply,
  trainingBanSet,
  trainingBanSetReply,
  appParamsQuery,
  appParamsQueryReply,
  identityRequest,
  identityReply,
  unifiedNoRequest,
  unifiedNoReply,
  vehicleBinding,
  vehicleBindingReply,
] as unknown as TrainingMessageDefinition<never>[]

const byId = new Map<number, TrainingMessageDefinition<unknown>>(
  TRAINING_MESSAGES.map((m) => [m.id, m as unknown as TrainingMessageDefinition<unknown>]),
)

/** The definition of a 透传消息ID, or undefined (such content is kept raw). */
export function findTrainingMessage(id: number): TrainingMessageDefinition<unknown> | undefined {
  return byId.get(id)
}
