/** 0x8104 查询终端参数: empty body; the terminal answers 0x0104. */
import { defineMessage, empty } from '../message.ts'

export const queryParameters = defineMessage({
  id: 0x8104,
  direction: 'down',
  specName: '查询终端参数',
  slug: 'query-parameters',
  body: empty,
})
