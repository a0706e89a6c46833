/**
 * 0x0402 请求统一编号信息 (↑, answered by 0x8402): 统一编号类型 BYTE; for types 2, 3, 4 and 6 a
 * 检索字段 BYTE[18] (ID number, front-padded with 0x00) follows. Meaning of each type UNCERTAIN.
 * Trailing bytes kept raw.
 */
import { restBytes, u8 } from '@jiapei/jt808'
import { UNIFIED_NO_TYPES_WITH_KEY } from '../codes.ts'
import { idCardNo } from '../fields.ts'
import { defineTrainingMessage } from '../message.ts'

export interface UnifiedNoRequest {
  /** 统一编号类型 */
  type: number
  /** 检索字段, present exactly for types 2, 3, 4, 6 */
  searchKey?: string
  /** Bytes after the layout, kept raw (normally empty). */
  extra: Uint8Array
}

export const unifiedNoRequest = defineTrainingMessage<UnifiedNoRequest>({
  id: 0x0402,
  direction: 'up',
  specName: '请求统一编号信息',
  slug: 'unified-no-request',
  replyId: 0x8402,
  read(r) {
    const type = r.field('type', '统一编号类型', u8)
    const out: UnifiedNoRequest = { type, extra: new Uint8Array(0) }
    if (UNIFIED_NO_TYPES_WITH_KEY.has(type)) out.searchKey = r.field('searchKey', '检索字段（身份证号）', idCardNo)
    out.extra = r.field('extra', '未识别的尾部数据（原样保留）', restBytes)
    return out
  },
  write(w, body) {
    u8.write(w, body.type)
    if (UNIFIED_NO_TYPES_WITH_KEY.has(body.type)) idCardNo.write(w, body.searchKey ?? '')
    w.bytes(body.extra)
  },
})
