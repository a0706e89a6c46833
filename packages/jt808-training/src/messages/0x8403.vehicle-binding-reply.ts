/**
 * 0x8403 上报车辆绑定信息应答 (↓). One source ([PHPTCP]): 驾培包序号 WORD, 结果 BYTE, one BYTE of
 * unknown meaning, 车牌 STRING (GBK, to the end). UNCERTAIN.
 */
import { gbkRest, struct, u8, u16 } from '@jiapei/jt808'
import { REQUEST_RESULT } from '../codes.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const vehicleBindingReply = defineTrainingMessage({
  id: 0x8403,
  direction: 'down',
  specName: '上报车辆绑定信息应答',
  slug: 'vehicle-binding-reply',
  body: struct([
    { key: 'requestSeq', name: '驾培包序号（所应答的请求）', type: u16 },
    { key: 'result', name: '结果', type: u8, codes: REQUEST_RESULT.labels },
    { key: 'flag', name: '附加标志（含义未确认）', type: u8 },
    { key: 'plate', name: '车牌号', type: gbkRest },
  ]),
})

export type VehicleBindingReply = BodyOf<typeof vehicleBindingReply>
