/** 0x8202 临时位置跟踪控制: 时间间隔 WORD (s, 0 = stop), 位置跟踪有效期 DWORD (s). */
import { defineMessage } from '../message.ts'
import { struct, u16, u32 } from '../schema/fields.ts'

export const trackLocation = defineMessage({
  id: 0x8202,
  direction: 'down',
  specName: '临时位置跟踪控制',
  slug: 'track-location',
  body: struct([
    { key: 'intervalSec', name: '时间间隔 (s)', type: u16 },
    { key: 'validitySec', name: '位置跟踪有效期 (s)', type: u32 },
  ]),
})
