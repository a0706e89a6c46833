/** 0x8106 查询指定终端参数: 参数总数 BYTE + 参数ID DWORD×n; the terminal answers 0x0104. */
import { defineMessage } from '../message.ts'
import { hexFormat, list, struct, u8, u32, withFormat } from '../schema/fields.ts'

export const querySpecificParameters = defineMessage({
  id: 0x8106,
  direction: 'down',
  specName: '查询指定终端参数',
  slug: 'query-specific-parameters',
  body: struct([{ key: 'ids', name: '参数ID列表', type: list(u8, withFormat(u32, hexFormat(4)), '参数ID') }]),
})
