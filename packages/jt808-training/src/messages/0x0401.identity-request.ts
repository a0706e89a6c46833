/**
 * 0x0401 请求身份认证信息 (↑, answered by 0x8401). Layout per [CHEJI]; the value tables of the two
 * type bytes are UNCERTAIN (a coach login sends 请求信息类型 4 / 请求人员类型 1). Trailing bytes kept raw.
 */
import { struct, u8 } from '@jiapei/jt808'
import { idCardNo, trailing } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const identityRequest = defineTrainingMessage({
  id: 0x0401,
  direction: 'up',
  specName: '请求身份认证信息',
  slug: 'identity-request',
  replyId: 0x8401,
  body: struct([
    { key: 'infoType', name: '请求信息类型', type: u8 },
    { key: 'personType', name: '请求人员类型', type: u8 },
    { key: 'idCard', name: '身份证号码/卡号', type: idCardNo },
    trailing,
  ]),
})

export type IdentityRequest = BodyOf<typeof identityRequest>
