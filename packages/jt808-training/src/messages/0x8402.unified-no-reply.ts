/** 0x8402 请求统一编号信息应答 (↓): 驾培包序号, 结果, 统一编号, 车型. Result values UNCERTAIN; trailing bytes kept raw. */
import { struct, u8, u16 } from '@jiapei/jt808'
import { REQUEST_RESULT } from '../codes.ts'
import { licenseType, registryNo, trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const unifiedNoReply = defineTrainingMessage({
  id: 0x8402,
  direction: 'down',
  specName: '请求统一编号信息应答',
  slug: 'unified-no-reply',
  body: struct([
    { key: 'requestSeq', name: '驾培包序号（所应答的请求）', type: u16 },
    { key: 'result', name: '结果', type: u8, codes: REQUEST_RESULT.labels },
    { key: 'unifiedNo', name: '统一编号', type: registryNo },
    { key: 'licenseType', name: '车型', type: licenseType },
    trailing,
  ]),
})

export type UnifiedNoReply = BodyOf<typeof unifiedNoReply>
