/** 0x8205 命令上报学时记录 (表B.43, ↓, answered by 0x0205). STANDARDS §2.7. */
import { bcdTime, struct, u8, u16 } from '@jiapei/jt808'
import { RECORD_QUERY_MODE } from '../codes.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const recordQuery = defineTrainingMessage({
  id: 0x8205,
  direction: 'down',
  specName: '命令上报学时记录',
  slug: 'record-query',
  replyId: 0x0205,
  body: struct([
    { key: 'mode', name: '查询方式', type: u8, codes: RECORD_QUERY_MODE.labels },
    { key: 'startTimeLocal', name: '查询起始时间', type: bcdTime },
    { key: 'endTimeLocal', name: '查询终止时间', type: bcdTime },
    { key: 'count', name: '查询条数', type: u16 },
  ]),
})

export type RecordQuery = BodyOf<typeof recordQuery>
