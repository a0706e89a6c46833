/** 0x8303 上报照片查询结果应答 (表B.50, ↓). STANDARDS §2.7. */
import { struct, u8 } from '@jiapei/jt808'
import { PHOTO_QUERY_ANSWER } from '../codes.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const photoQueryResultReply = defineTrainingMessage({
  id: 0x8303,
  direction: 'down',
  specName: '上报照片查询结果应答',
  slug: 'photo-query-result-reply',
  body: struct([{ key: 'answer', name: '应答代码', type: u8, codes: PHOTO_QUERY_ANSWER.labels }]),
})

export type PhotoQueryResultReply = BodyOf<typeof photoQueryResultReply>
