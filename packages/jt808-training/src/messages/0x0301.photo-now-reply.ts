/** 0x0301 立即拍照应答 (↑). Result codes other than 1 UNCERTAIN: trailing bytes kept raw. */
import { struct, u8 } from '@jiapei/jt808'
import { PHOTO_NOW_RESULT, PHOTO_SIZE, PHOTO_UPLOAD_MODE } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'
import { channelText } from './0x8301.photo-now.ts'

export const photoNowReply = defineTrainingMessage({
  id: 0x0301,
  direction: 'up',
  specName: '立即拍照应答',
  slug: 'photo-now-reply',
  body: struct([
    { key: 'result', name: '执行结果', type: u8, codes: PHOTO_NOW_RESULT.labels },
    { key: 'uploadMode', name: '上传模式', type: u8, codes: PHOTO_UPLOAD_MODE.labels },
    { key: 'channel', name: '摄像头通道号', type: u8, format: channelText },
    { key: 'size', name: '图片实际尺寸', type: u8, codes: PHOTO_SIZE.labels },
    trailing,
  ]),
})

export type PhotoNowReply = BodyOf<typeof photoNowReply>
