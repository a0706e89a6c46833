/** 0x8202 学员登出应答 (↓). STANDARDS §2.7. */
import { struct, u8 } from '@jiapei/jt808'
import { STUDENT_LOGOUT_RESULT } from '../codes.ts'
import { registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const studentLogoutReply = defineTrainingMessage({
  id: 0x8202,
  direction: 'down',
  specName: '学员登出应答',
  slug: 'student-logout-reply',
  body: struct([
    { key: 'result', name: '登出结果', type: u8, codes: STUDENT_LOGOUT_RESULT.labels },
    { key: 'studentNo', name: '学员编号', type: registryNo },
  ]),
})

export type StudentLogoutReply = BodyOf<typeof studentLogoutReply>
