/**
 * 0x8501 设置计时终端应用参数 (表B.56, ↓, answered by 0x0501): 参数编号 then the full parameter
 * block (15 bytes in all); 参数编号 0 applies every field, n applies only field n, 220–255 are
 * vendor-defined. Vendor bytes after the block are kept raw.
 */
import { struct, u8 } from '@jiapei/jt808'
import { APP_PARAM_NO } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'
import { appParams } from './app-params.ts'

export const appParamsSet = defineTrainingMessage({
  id: 0x8501,
  direction: 'down',
  specName: '设置计时终端应用参数',
  slug: 'app-params-set',
  replyId: 0x0501,
  body: struct([
    {
      key: 'paramNo',
      name: '参数编号',
      type: u8,
      format: (v) => APP_PARAM_NO.labels[v] ?? (v >= 220 ? '自定义参数' : `未定义的取值 ${v}`),
    },
    { key: 'params', name: '应用参数', type: appParams },
    trailing,
  ]),
})

export type AppParamsSet = BodyOf<typeof appParamsSet>
