/**
 * 0x0403 上报车辆绑定信息 (↑, answered by 0x8403). No source gives the layout (UNCERTAIN), so the
 * content is kept raw; explain shows it as hex and, when it reads as GBK text, as text.
 */
import { decodeGbk, encodeGbk, restBytes, struct, toHex } from '@jiapei/jt808'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

function asText(v: Uint8Array): string {
  const text = decodeGbk(v)
  const printable = text.length > 0 && [...text].every((c) => c >= ' ' && c !== '\ufffd')
  return printable && toHex(encodeGbk(text)) === toHex(v)
    ? `${v.length} 字节，GBK: ${JSON.stringify(text)}`
    : `${v.length} 字节`
}

export const vehicleBinding = defineTrainingMessage({
  id: 0x0403,
  direction: 'up',
  specName: '上报车辆绑定信息',
  slug: 'vehicle-binding',
  replyId: 0x8403,
  body: struct([{ key: 'content', name: '绑定信息（格式未确认，原样保留）', type: restBytes, format: asText }]),
})

export type VehicleBinding = BodyOf<typeof vehicleBinding>
