/** 0x0304 上传指定照片应答 (↑). STANDARDS §2.7; trailing bytes kept raw. */
import { struct, u8 } from '@jiapei/jt808'
import { PHOTO_UPLOAD_RESULT } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const photoUploadRequestReply = defineTrainingMessage({
  id: 0x0304,
  direction: 'up',
  specName: '上传指定照片应答',
  slug: 'photo-upload-request-reply',
  body: struct([{ key: 'result', name: '执行结果', type: u8, codes: PHOTO_UPLOAD_RESULT.labels }, trailing]),
})

export type PhotoUploadRequestReply = BodyOf<typeof photoUploadRequestReply>
