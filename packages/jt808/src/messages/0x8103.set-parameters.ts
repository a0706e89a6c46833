/** 0x8103 设置终端参数: 参数总数 BYTE + 参数项列表 (unknown IDs kept raw). */
import { defineMessage } from '../message.ts'
import { struct } from '../schema/fields.ts'
import { parameterList, type TerminalParameter } from './parameters.ts'

export interface SetParameters {
  parameters: TerminalParameter[]
}

export const setParameters = defineMessage<SetParameters>({
  id: 0x8103,
  direction: 'down',
  specName: '设置终端参数',
  slug: 'set-parameters',
  body: struct([{ key: 'parameters', name: '参数项列表', type: parameterList }]),
})
