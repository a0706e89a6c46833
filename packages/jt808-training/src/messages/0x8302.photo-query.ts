/** 0x8302 查询照片 (表B.47, ↓, answered by 0x0302; results follow as 0x0303). STANDARDS §2.7. */
import { bcdTime, struct, u8 } from '@jiapei/jt808'
import { PHOTO_QUERY_MODE } from '../codes.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const photoQuery = defineTrainingMessage({
  id: 0x8302,
  direction: 'down',
  specName: '查询照片',
  slug: 'photo-query',
  replyId: 0x0302,
  body: struct([
    { key: 'mode', name: '查询方式', type: u8, codes: PHOTO_QUERY_MODE.labels },
    { key: 'startTimeLocal', name: '查询开始时间', type: bcdTime },
    { key: 'endTimeLocal', name: '查询结束时间', type: bcdTime },
  ]),
})

export type PhotoQuery = BodyOf<typeof photoQuery>
