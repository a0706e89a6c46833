/**
 * 0x0305 照片上传初始化 (表B.53, ↑, answered by 0x8305; on 应答代码 0 the terminal sends the
 * photo as 0x0306 packets). STANDARDS §2.7.
 */
import { gnssExtended, struct, u8, u16, u32 } from '@jiapei/jt808'
import { PHOTO_EVENT, PHOTO_SIZE, PHOTO_UPLOAD_MODE } from '../codes.ts'
import { photoNo, registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'
import { channelText } from './0x8301.photo-now.ts'

export const photoUploadInit = defineTrainingMessage({
  id: 0x0305,
  direction: 'up',
  specName: '照片上传初始化',
  slug: 'photo-upload-init',
  replyId: 0x8305,
  body: struct([
    { key: 'photoNo', name: '照片编号', type: photoNo },
    { key: 'personNo', name: '学员或教练员编号', type: registryNo },
    { key: 'uploadMode', name: '上传模式', type: u8, codes: PHOTO_UPLOAD_MODE.labels },
    { key: 'channel', name: '摄像头通道号', type: u8, format: channelText },
    { key: 'size', name: '图片尺寸', type: u8, codes: PHOTO_SIZE.labels },
    { key: 'event', name: '发起图片的事件类型', type: u8, codes: PHOTO_EVENT.labels },
    { key: 'packetCount', name: '总包数', type: u16 },
    { key: 'photoSize', name: '照片数据大小 (字节)', type: u32 },
    { key: 'classId', name: '课堂ID', type: u32 },
    { key: 'gnss', name: '附加GNSS数据包', type: gnssExtended },
    { key: 'faceConfidence', name: '人脸识别置信度 (0–100)', type: u8 },
  ]),
})

export type PhotoUploadInit = BodyOf<typeof photoUploadInit>
