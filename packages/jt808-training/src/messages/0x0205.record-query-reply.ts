/** 0x0205 命令上报学时记录应答 (↑). Result codes from one source: trailing bytes kept raw. */
import { struct, u8 } from '@jiapei/jt808'
import { RECORD_QUERY_RESULT } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const recordQueryReply = defineTrainingMessage({
  id: 0x0205,
  direction: 'up',
  specName: '命令上报学时记录应答',
  slug: 'record-query-reply',
  body: struct([{ key: 'result', name: '执行结果', type: u8, codes: RECORD_QUERY_RESULT.labels }, trailing]),
})

export type RecordQueryReply = BodyOf<typeof recordQueryReply>
