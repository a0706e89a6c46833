/**
 * 0x0303 上报照片查询结果 (↑, answered by 0x8303; the terminal waits for the answer before the
 * next packet). 此次发送的照片数 BYTE is the count of the 照片编号 list. STANDARDS §2.7.
 */
import { list, struct, u8 } from '@jiapei/jt808'
import { PHOTO_QUERY_END } from '../codes.ts'
import { photoNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const photoQueryResult = defineTrainingMessage({
  id: 0x0303,
  direction: 'up',
  specName: '上报照片查询结果',
  slug: 'photo-query-result',
  replyId: 0x8303,
  body: struct([
    { key: 'isEnd', name: '是否上报结束', type: u8, codes: PHOTO_QUERY_END.labels },
    { key: 'total', name: '符合条件的照片总数', type: u8 },
    { key: 'photoNos', name: '此次发送的照片数 + 照片编号', type: list(u8, photoNo, '照片编号') },
  ]),
})

export type PhotoQueryResult = BodyOf<typeof photoQueryResult>
