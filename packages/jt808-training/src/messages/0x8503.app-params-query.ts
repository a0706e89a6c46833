/** 0x8503 查询计时终端应用参数 (↓, answered by 0x0503): no fields; stray bytes kept raw. */
import { struct } from '@jiapei/jt808'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const appParamsQuery = defineTrainingMessage({
  id: 0x8503,
  direction: 'down',
  specName: '查询计时终端应用参数',
  slug: 'app-params-query',
  replyId: 0x0503,
  body: struct([trailing]),
})

export type AppParamsQuery = BodyOf<typeof appParamsQuery>
