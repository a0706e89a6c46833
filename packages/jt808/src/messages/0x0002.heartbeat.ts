/** 0x0002 终端心跳: empty body; the platform answers 0x8001. */
import { defineMessage, empty } from '../message.ts'

export const heartbeat = defineMessage({
  id: 0x0002,
  direction: 'up',
  specName: '终端心跳',
  slug: 'heartbeat',
  body: empty,
})
