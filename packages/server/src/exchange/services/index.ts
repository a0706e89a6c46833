/**
 * The POST services of the exchange interface by their national service name (STANDARDS §3.2).
 * `imageup/{type}` is handled by the route with images.ts, GET queries by queries.ts.
 */
import type { ServiceHandler } from '../gate.ts'
import { complaintService, evaluationService } from './feedback.ts'
import { graduationService } from './graduation.ts'
import { trainImgInfoService } from './images.ts'
import { coachService, deviceService, institutionService, studentService, trainingCarService } from './registry.ts'
import { classRecordService, stageService } from './training.ts'

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
}
