/** 0x0501 设置计时终端应用参数应答 (↑). STANDARDS §2.7. */
import { struct, u8 } from '@jiapei/jt808'
import { SET_RESULT } from '../codes.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const appParamsSetReply = defineTrainingMessage({
  id: 0x0501,
  direction: 'up',
  specName: '设置计时终端应用参数应答',
  slug: 'app-params-set-reply',
  body: struct([{ key: 'result', name: '结果', type: u8, codes: SET_RESULT.labels }]),
})

export type AppParamsSetReply = BodyOf<typeof appParamsSetReply>
