/**
 * 0x0801 多媒体数据上传: 多媒体数据ID DWORD, 多媒体类型 BYTE, 多媒体格式编码 BYTE, 事件项编码 BYTE,
 * 通道ID BYTE, 位置信息汇报 BYTE[28], 多媒体数据包. Under the 驾培 header the 28 bytes are read as
 * the 驾培 GNSS basic block (UNCERTAIN: no 驾培 source shows 0x0801; terminals upload photos
 * through 0x0305/0x0306 instead).
 */
import { gnssBasic, gnssBasic808 } from '../gnss.ts'
import { defineMessage } from '../message.ts'
import { restBytes, struct, u8, u32 } from '../schema/fields.ts'

export const MEDIA_TYPES: Readonly<Record<number, string>> = { 0: '图像', 1: '音频', 2: '视频' }
export const MEDIA_FORMATS: Readonly<Record<number, string>> = {
  0: 'JPEG',
  1: 'TIF',
  2: 'MP3',
  3: 'WAV',
  4: 'WMV',
}
export const MEDIA_EVENTS: Readonly<Record<number, string>> = {
  0: '平台下发指令',
  1: '定时动作',
  2: '抢劫报警触发',
  3: '碰撞侧翻报警触发',
  4: '门开拍照',
  5: '门关拍照',
  6: '车门由开变关，时速从小于20公里到超过20公里',
  7: '定距拍照',
}

const head = [
  { key: 'mediaId', name: '多媒体数据ID', type: u32 },
  { key: 'mediaType', name: '多媒体类型', type: u8, codes: MEDIA_TYPES },
  { key: 'format', name: '多媒体格式编码', type: u8, codes: MEDIA_FORMATS },
  { key: 'event', name: '事件项编码', type: u8, codes: MEDIA_EVENTS },
  { key: 'channel', name: '通道ID', type: u8 },
] as const

export const multimediaJiapei = struct([
  ...head,
  { key: 'location', name: '位置信息汇报（驾培 GNSS数据包）', type: gnssBasic },
  { key: 'data', name: '多媒体数据包', type: restBytes },
])

export const multimedia808 = struct([
  ...head,
  { key: 'location', name: '位置信息汇报', type: gnssBasic808 },
  { key: 'data', name: '多媒体数据包', type: restBytes },
])

export type MultimediaUpload = ReturnType<typeof multimediaJiapei.read> | ReturnType<typeof multimedia808.read>

export const multimediaUpload = defineMessage<MultimediaUpload>({
  id: 0x0801,
  direction: 'up',
  specName: '多媒体数据上传',
  slug: 'multimedia-upload',
  body: (ctx) => (ctx.version === 'jiapei' ? multimediaJiapei : multimedia808),
})
