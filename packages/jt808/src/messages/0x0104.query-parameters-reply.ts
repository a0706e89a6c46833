/** 0x0104 查询终端参数应答: 应答流水号 WORD, 应答参数个数 BYTE, 参数项列表 (unknown IDs kept raw). */
import { defineMessage } from '../message.ts'
import { struct, u16 } from '../schema/fields.ts'
import { parameterList, type TerminalParameter } from './parameters.ts'

export interface QueryParametersReply {
  replySerial: number
  parameters: TerminalParameter[]
}

export const queryParametersReply = defineMessage<QueryParametersReply>({
  id: 0x0104,
  direction: 'up',
  specName: '查询终端参数应答',
  slug: 'query-parameters-reply',
  body: struct([
    { key: 'replySerial', name: '应答流水号', type: u16 },
    { key: 'parameters', name: '参数项列表', type: parameterList },
  ]),
})
