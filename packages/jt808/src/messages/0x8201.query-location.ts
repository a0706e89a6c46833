/**
 * 0x8201 位置信息查询: empty body; the terminal answers 0x0201. (The 驾培 学员登录应答 also uses
 * 0x8201, but only inside the 0x8900 pass-through envelope.)
 */
import { defineMessage, empty } from '../message.ts'

export const queryLocation = defineMessage({
  id: 0x8201,
  direction: 'down',
  specName: '位置信息查询',
  slug: 'query-location',
  body: empty,
})
