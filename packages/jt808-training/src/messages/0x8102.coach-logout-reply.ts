/** 0x8102 教练员登出应答 (↓). STANDARDS §2.7. */
import { struct, u8 } from '@jiapei/jt808'
import { COACH_LOGOUT_RESULT } from '../codes.ts'
import { registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const coachLogoutReply = defineTrainingMessage({
  id: 0x8102,
  direction: 'down',
  specName: '教练员登出应答',
  slug: 'coach-logout-reply',
  body: struct([
    { key: 'result', name: '登出结果', type: u8, codes: COACH_LOGOUT_RESULT.labels },
    { key: 'coachNo', name: '教练员编号', type: registryNo },
  ]),
})

export type CoachLogoutReply = BodyOf<typeof coachLogoutReply>
