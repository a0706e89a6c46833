/**
 * 0x8401 请求身份认证信息应答 (↓): 驾培包序号 of the request, 结果, 信息长度 DWORD + 信息内容 (GBK).
 * Vendor extras after the content (类型, uuid, 统一编号, 身份证, 车型, 姓名 in [CHEJI]) are kept raw.
 * Result values UNCERTAIN.
 */
import { gbkPrefixed, struct, u8, u16, u32 } from '@jiapei/jt808'
import { REQUEST_RESULT } from '../codes.ts'
import { trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const identityReply = defineTrainingMessage({
  id: 0x8401,
  direction: 'down',
  specName: '请求身份认证信息应答',
  slug: 'identity-reply',
  body: struct([
    { key: 'requestSeq', name: '驾培包序号（所应答的请求）', type: u16 },
    { key: 'result', name: '结果', type: u8, codes: REQUEST_RESULT.labels },
    { key: 'info', name: '信息内容（长度 DWORD + GBK）', type: gbkPrefixed(u32) },
    trailing,
  ]),
})

export type IdentityReply = BodyOf<typeof identityReply>
