/** 0x8305 照片上传初始化应答 (↓). 0 = start sending; other codes UNCERTAIN, trailing bytes kept raw. */
import { struct, u8 } from '@jiapei/jt808'
import { PHOTO_INIT_ANSWER } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const photoUploadInitReply = defineTrainingMessage({
  id: 0x8305,
  direction: 'down',
  specName: '照片上传初始化应答',
  slug: 'photo-upload-init-reply',
  body: struct([{ key: 'answer', name: '应答代码', type: u8, codes: PHOTO_INIT_ANSWER.labels }, trailing]),
})

export type PhotoUploadInitReply = BodyOf<typeof photoUploadInitReply>
