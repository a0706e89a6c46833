/** 0x0502 设置禁训状态应答 (↑): 执行结果, then the state and prompt now in force. */
import { gbkPrefixed, struct, u8 } from '@jiapei/jt808'
import { TRAINING_BAN_RESULT, TRAINING_BAN_STATE } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const trainingBanSetReply = defineTrainingMessage({
  id: 0x0502,
  direction: 'up',
  specName: '设置禁训状态应答',
  slug: 'training-ban-set-reply',
  body: struct([
    { key: 'result', name: '执行结果', type: u8, codes: TRAINING_BAN_RESULT.labels },
    { key: 'state', name: '禁训状态', type: u8, codes: TRAINING_BAN_STATE.labels },
    { key: 'message', name: '提示消息（长度 BYTE + GBK）', type: gbkPrefixed(u8) },
    trailing,
  ]),
})

export type TrainingBanSetReply = BodyOf<typeof trainingBanSetReply>
