/**
 * 0x0306 上传照片数据包 (↑, answered by the JT/T 808 平台通用应答 0x8001): 照片编号 + JPEG bytes.
 * The whole 0x0900 body (with its 校验串) is split into JT/T 808 sub-packets, so this message is
 * decoded once the core has reassembled them. STANDARDS §2.7.
 */
import { restBytes, struct } from '@jiapei/jt808'
import { photoNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage, GENERAL_REPLY } from '../message.ts'

export const photoData = defineTrainingMessage({
  id: 0x0306,
  direction: 'up',
  specName: '上传照片数据包',
  slug: 'photo-data',
  replyId: GENERAL_REPLY,
  body: struct([
    { key: 'photoNo', name: '照片编号', type: photoNo },
    { key: 'data', name: '照片数据 (JPEG)', type: restBytes },
  ]),
})

export type PhotoData = BodyOf<typeof photoData>
