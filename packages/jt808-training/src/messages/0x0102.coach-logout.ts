/** 0x0102 上报教练员登出 (↑, answered by 0x8102). STANDARDS §2.7. */
import { gnssBasic, struct } from '@jiapei/jt808'
import { registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const coachLogout = defineTrainingMessage({
  id: 0x0102,
  direction: 'up',
  specName: '上报教练员登出',
  slug: 'coach-logout',
  replyId: 0x8102,
  body: struct([
    { key: 'coachNo', name: '教练员编号', type: registryNo },
    { key: 'gnss', name: 'GNSS数据包', type: gnssBasic },
  ]),
})

export type CoachLogout = BodyOf<typeof coachLogout>
