/** 0x0503 查询计时终端应用参数应答 (表B.60, ↑): 结果 then the 表B.56 parameter block. */
import { struct, u8 } from '@jiapei/jt808'
import { SET_RESULT } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'
import { appParams } from './app-params.ts'

export const appParamsQueryReply = defineTrainingMessage({
  id: 0x0503,
  direction: 'up',
  specName: '查询计时终端应用参数应答',
  slug: 'app-params-query-reply',
  body: struct([
    { key: 'result', name: '结果', type: u8, codes: SET_RESULT.labels },
    { key: 'params', name: '应用参数', type: appParams },
    trailing,
  ]),
})

export type AppParamsQueryReply = BodyOf<typeof appParamsQueryReply>
