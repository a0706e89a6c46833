/** 0x0101 上报教练员登录 (↑, answered by 0x8101). STANDARDS §2.7. */
import { gnssBasic, struct } from '@jiapei/jt808'
import { idCardNo, licenseType, registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const coachLogin = defineTrainingMessage({
  id: 0x0101,
  direction: 'up',
  specName: '上报教练员登录',
  slug: 'coach-login',
  replyId: 0x8101,
  body: struct([
    { key: 'coachNo', name: '教练员编号', type: registryNo },
    { key: 'coachIdCard', name: '教练员身份证号', type: idCardNo },
    { key: 'teachPermitted', name: '准教车型', type: licenseType },
    { key: 'gnss', name: 'GNSS数据包', type: gnssBasic },
  ]),
})

export type CoachLogin = BodyOf<typeof coachLogin>
