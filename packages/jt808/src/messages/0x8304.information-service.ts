/**
 * 0x8304 信息服务 (JT/T 808-2011/2013 §8.43; dropped in 2019): 信息类型 BYTE (as set by 0x8303
 * 信息点播菜单设置), 信息长度 WORD, 信息内容 STRING (GBK). The terminal acknowledges it with 0x0001.
 */
import { defineMessage } from '../message.ts'
import { gbkPrefixed, struct, u8, u16 } from '../schema/fields.ts'

export const informationService = defineMessage({
  id: 0x8304,
  direction: 'down',
  specName: '信息服务',
  slug: 'information-service',
  body: struct([
    { key: 'infoType', name: '信息类型', type: u8 },
    { key: 'content', name: '信息内容', type: gbkPrefixed(u16) },
  ]),
})

export type InformationService = ReturnType<typeof informationService.read>
