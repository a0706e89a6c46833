/** 0x8101 教练员登录应答 (↓). STANDARDS §2.7. */
import { gbkPrefixed, struct, u8 } from '@jiapei/jt808'
import { COACH_LOGIN_RESULT, COACH_READ_ALOUD } from '../codes.ts'
import { registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const coachLoginReply = defineTrainingMessage({
  id: 0x8101,
  direction: 'down',
  specName: '教练员登录应答',
  slug: 'coach-login-reply',
  body: struct([
    { key: 'result', name: '登录结果', type: u8, codes: COACH_LOGIN_RESULT.labels },
    { key: 'coachNo', name: '教练员编号', type: registryNo },
    { key: 'readAloud', name: '是否报读附加消息', type: u8, codes: COACH_READ_ALOUD.labels },
    { key: 'message', name: '附加消息（长度 BYTE + GBK）', type: gbkPrefixed(u8) },
  ]),
})

export type CoachLoginReply = BodyOf<typeof coachLoginReply>
