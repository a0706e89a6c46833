/** 0x0900 数据上行透传: 透传消息类型 + 内容; the 驾培 extension registers type 0x13. */
import { defineMessage } from '../message.ts'
import { type PassThroughBody, readPassThrough, writePassThrough } from './pass-through.ts'

export const uplinkPassThrough = defineMessage<PassThroughBody>({
  id: 0x0900,
  direction: 'up',
  specName: '数据上行透传',
  slug: 'uplink-pass-through',
  read: (r, ctx) => readPassThrough(r, ctx, 'up'),
  write: (w, body, ctx) => writePassThrough(w, body, ctx, 'up'),
})
