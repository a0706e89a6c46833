/** 0x8301 立即拍照 (↓, answered by 0x0301). STANDARDS §2.7. */
import { struct, u8 } from '@jiapei/jt808'
import { PHOTO_SIZE, PHOTO_UPLOAD_MODE } from '../codes.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const channelText = (v: number) => (v === 0 ? '自动' : `通道 ${v}`)

export const photoNow = defineTrainingMessage({
  id: 0x8301,
  direction: 'down',
  specName: '立即拍照',
  slug: 'photo-now',
  replyId: 0x0301,
  body: struct([
    { key: 'uploadMode', name: '上传模式', type: u8, codes: PHOTO_UPLOAD_MODE.labels },
    { key: 'channel', name: '摄像头通道号', type: u8, format: channelText },
    { key: 'size', name: '图片尺寸', type: u8, codes: PHOTO_SIZE.labels },
  ]),
})

export type PhotoNow = BodyOf<typeof photoNow>
