/** 0x8502 设置禁训状态 (表B.58, ↓, answered by 0x0502). 1 = 可训; 2 = 禁训 (UNCERTAIN). */
import { gbkPrefixed, struct, u8 } from '@jiapei/jt808'
import { TRAINING_BAN_STATE } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const trainingBanSet = defineTrainingMessage({
  id: 0x8502,
  direction: 'down',
  specName: '设置禁训状态',
  slug: 'training-ban-set',
  replyId: 0x0502,
  body: struct([
    { key: 'state', name: '禁训状态', type: u8, codes: TRAINING_BAN_STATE.labels },
    { key: 'message', name: '提示消息（长度 BYTE + GBK）', type: gbkPrefixed(u8) },
    trailing,
  ]),
})

export type TrainingBanSet = BodyOf<typeof trainingBanSet>
