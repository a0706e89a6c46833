/**
 * The POST services of the exchange interface by their national service name (STANDARDS §3.2).
 * `imageup/{type}` is handled by the route with images.ts, GET and DELETE by keyed.ts. National
 * services for objects this platform does not file answer ERR_EXCHANGE_NOT_SUPPORTED (1010) after
 * the usual checks, so the refusal is logged with the caller.
 */
import { appError } from '../../errors/catalogue.ts'
import type { ServiceHandler } from '../gate.ts'
import { NOT_FILED } from './deletes.ts'
import { complaintService, evaluationService } from './feedback.ts'
import { graduationService } from './graduation.ts'
import { trainImgInfoService } from './images.ts'
import { coachService, deviceService, institutionService, studentService, trainingCarService } from './registry.ts'
import { classRecordService, stageService } from './training.ts'

function notSupported(service: string, reason: string): ServiceHandler {
  return {
    async handle() {
      throw appError('ERR_EXCHANGE_NOT_SUPPORTED', { service, reason }, { service, reason })
    },
  }
}

export const POST_SERVICES: Readonly<Record<string, ServiceHandler>> = {
  institution: institutionService,
  coach: coachService,
  trainingcar: trainingCarService,
  device: deviceService,
  student: studentService,
  classrecord: classRecordService,
  stagetrainningtime: stageService,
  graduation: graduationService,
  evaluation: evaluationService,
  complaint: complaintService,
  trainimginfo: trainImgInfoService,
  ...Object.fromEntries(Object.entries(NOT_FILED).map(([name, reason]) => [name, notSupported(name, reason)])),
}
