/**
 * 0x8100 终端注册应答 (STANDARDS §2.3).
 *
 * 驾培: 应答流水号 WORD, 结果 BYTE, and on success 平台编号 BYTE[5], 培训机构编号 BYTE[16],
 * 计时终端编号 BYTE[16], 终端证书口令 BYTE[12], 终端证书 STRING (Base64 PKCS#12).
 * 808: 应答流水号 WORD, 结果 BYTE, and on success 鉴权码 STRING.
 * A failed registration carries only the first two fields.
 */
import type { ByteReader } from '../bytes/reader.ts'
import type { ByteWriter } from '../bytes/writer.ts'
import { CodecEncodeError } from '../errors.ts'
import { defineMessage } from '../message.ts'
import { ascii, asciiRest, codeFormat, gbkRest, u8, u16 } from '../schema/fields.ts'

export const REGISTER_RESULTS: Readonly<Record<number, string>> = {
  0: '成功',
  1: '车辆已被注册',
  2: '数据库中无该车辆',
  3: '终端已被注册',
  4: '数据库中无该终端',
}

export interface RegisterReply {
  replySerial: number
  result: number
  /** 驾培, on success: 平台编号 */
  platformNo?: string
  /** 驾培, on success: 培训机构编号 */
  institutionNo?: string
  /** 驾培, on success: 计时终端编号 */
  terminalNo?: string
  /** 驾培, on success: 终端证书口令 (PKCS#12 password) */
  certPassword?: string
  /** 驾培, on success: 终端证书, Base64 of the PKCS#12 file */
  certificate?: string
  /** 808, on success: 鉴权码 */
  authCode?: string
}

const base64 = { ...asciiRest, format: (v: string) => `Base64 PKCS#12，${v.length} 字符` }

function read(r: ByteReader, version: string): RegisterReply {
  const replySerial = r.field('replySerial', '应答流水号', u16)
  const result = r.field('result', '结果', u8, codeFormat(REGISTER_RESULTS))
  const out: RegisterReply = { replySerial, result }
  if (result !== 0 || r.remaining === 0) return out
  if (version === 'jiapei') {
    out.platformNo = r.field('platformNo', '平台编号', ascii(5))
    out.institutionNo = r.field('institutionNo', '培训机构编号', ascii(16))
    out.terminalNo = r.field('terminalNo', '计时终端编号', ascii(16))
    out.certPassword = r.field('certPassword', '终端证书口令', ascii(12))
    out.certificate = r.field('certificate', '终端证书', base64)
  } else {
    out.authCode = r.field('authCode', '鉴权码', gbkRest)
  }
  return out
}

function write(w: ByteWriter, v: RegisterReply, version: string): void {
  w.u16(v.replySerial).u8(v.result)
  if (version === 'jiapei') {
    const parts = [v.platformNo, v.institutionNo, v.terminalNo, v.certPassword, v.certificate]
    if (parts.every((p) => p === undefined)) return
    if (parts.some((p) => p === undefined)) {
      throw new CodecEncodeError('驾培注册应答的平台编号、机构编号、终端编号、证书口令、证书须同时给出 / give all five')
    }
    w.ascii(v.platformNo as string, 5)
      .ascii(v.institutionNo as string, 16)
      .ascii(v.terminalNo as string, 16)
      .ascii(v.certPassword as string, 12)
      .ascii(v.certificate as string, (v.certificate as string).length)
  } else if (v.authCode !== undefined) {
    w.gbkRaw(v.authCode)
  }
}

export const registerReply = defineMessage<RegisterReply>({
  id: 0x8100,
  direction: 'down',
  specName: '终端注册应答',
  slug: 'register-reply',
  read: (r, ctx) => read(r, ctx.version),
  write: (w, v, ctx) => write(w, v, ctx.version),
})
