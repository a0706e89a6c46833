/** 0x8304 上传指定照片 (↓, answered by 0x0304; the photo follows as 0x0305/0x0306). STANDARDS §2.7. */
import { struct } from '@jiapei/jt808'
import { photoNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const photoUploadRequest = defineTrainingMessage({
  id: 0x8304,
  direction: 'down',
  specName: '上传指定照片',
  slug: 'photo-upload-request',
  replyId: 0x0304,
  body: struct([{ key: 'photoNo', name: '照片编号', type: photoNo }]),
})

export type PhotoUploadRequest = BodyOf<typeof photoUploadRequest>
