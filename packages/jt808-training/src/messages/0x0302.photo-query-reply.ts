/** 0x0302 查询照片应答 (↑). STANDARDS §2.7; trailing bytes kept raw. */
import { struct, u8 } from '@jiapei/jt808'
import { PHOTO_QUERY_RESULT } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const photoQueryReply = defineTrainingMessage({
  id: 0x0302,
  direction: 'up',
  specName: '查询照片应答',
  slug: 'photo-query-reply',
  body: struct([{ key: 'result', name: '执行结果', type: u8, codes: PHOTO_QUERY_RESULT.labels }, trailing]),
})

export type PhotoQueryReply = BodyOf<typeof photoQueryReply>
