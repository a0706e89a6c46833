/** 0x8900 数据下行透传: 透传消息类型 + 内容; the 驾培 extension registers type 0x13. */
import { defineMessage } from '../message.ts'
import { type PassThroughBody, readPassThrough, writePassThrough } from './pass-through.ts'

export const downlinkPassThrough = defineMessage<PassThroughBody>({
  id: 0x8900,
  direction: 'down',
  specName: '数据下行透传',
  slug: 'downlink-pass-through',
  read: (r, ctx) => readPassThrough(r, ctx, 'down'),
  write: (w, body, ctx) => writePassThrough(w, body, ctx, 'down'),
})
