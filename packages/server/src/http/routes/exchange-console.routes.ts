/**
 * What the console's 计时平台接入 page needs beside the credential and request-log routes of
 * exchange.routes.ts: the meaning of every exchange `errorcode`, in Chinese, so a refused call in
 * the request log can be read without the documentation.
 *
 * - `GET /api/exchange/errorcodes` every errorcode with its catalogue codes and meaning
 * - `GET /api/timing-platforms/{id}/exchange-credential-validity` each credential's validity period,
 *   read from its stored certificate (the credential list carries no certificate)
 */
import { X509Certificate } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ERRORS, type ErrorCode } from '../../errors/catalogue.ts'
import { EXCHANGE_CODES, EXCHANGE_HOURS_REFUSED, EXCHANGE_INTERNAL, EXCHANGE_OK } from '../../exchange/codes.ts'
import { authenticated } from '../context.ts'
import { DateTime } from '../schemas.ts'
import { mayManage } from './exchange.routes.ts'

/**
 * The meaning of each errorcode as docs/exchange.md's table states it, with what the platform
 * should do next. A number without an entry here is explained by the catalogue message of its
 * first code, its {slots} left out.
 */
export const ERRORCODE_MEANINGS: Readonly<Record<number, string>> = {
  [EXCHANGE_OK]: '成功',
  1000: '没有这个服务：核对接口路径中的服务名',
  1001: '缺少参数 v、ts、sign 或 user：按接口说明补齐查询参数',
  1002: '参数格式错误（ts 须为 13 位毫秒时间戳，sign 须为十六进制）',
  1101: '证书序列号 user 未知：核对证书或向监管平台申请签发',
  1102: '证书已吊销或计时平台未在运营：向监管平台申请重新签发证书',
  1201: '时间戳超出重放窗口：校准平台服务器时钟后重发',
  1202: '签名校验失败：用证书私钥对请求体和时间戳重新签名，确认请求体未被改动',
  1203: '该签名已被接受过（重放）：每次请求重新生成时间戳和签名',
  1301: '超过平台的调用频率上限：降低并发或稍后重试',
  2001: '请求体不是 JSON 或字段缺失、格式错误：按 data.field 修改后重发',
  2002: '文件缺失、类型不符或文件编号未知；学员照片须恰有一张人脸',
  2003: '请求体超过 2 MB 或文件超过 5 MB：压缩或拆分后重发',
  2004: '档案字段校验未通过（校验位、枚举、日期等）：按 data.field 修改',
  2005: '行政区划代码未知：使用 GB/T 2260 现行代码',
  3001: '培训机构未备案：先完成机构备案',
  3002: '培训机构未选用本计时平台：由机构在监管平台确认计时平台',
  3003: '学员未在该机构备案：先上报学员信息',
  3004: '教练员未在该机构备案：先上报教练员信息',
  3005: '教练车未在该机构备案：先上报教练车信息',
  3006: '编号已在其他机构名下备案：核对编号',
  3007: '唯一字段（身份证号、车牌号、IMEI 等）已被占用：核对后重报',
  3008: '超出该机构的管辖范围',
  3009: '计时平台无权修改该字段',
  3010: '引用的电子教学日志编号从未上报：先上报该教学日志',
  3011: '该电子教学日志编号已以不同内容上报：不得改写已上报的日志',
  [EXCHANGE_HOURS_REFUSED]: '学时认定拒绝（其他原因，见 message）',
  4001: '学时未达大纲要求：补足学时后再报审',
  4002: '存在未核查完毕的疑点或待审的阶段报审：等待核查结论',
  4003: '结业证书已签发',
  4004: '该部分已有待审的阶段报审：等待审核结果',
  4005: '该部分阶段报审已通过，无需重复报审',
  4006: '没有该部分的阶段报审',
  9001: '服务暂不可用：稍后重试',
  9002: '数据库不可用：稍后重试',
  [EXCHANGE_INTERNAL]: '平台内部错误：稍后重试；如持续出现请联系监管平台运维并提供请求编号',
}

export interface ErrorcodeEntry {
  errorcode: number
  codes: string[]
  meaning: string
}

/** Every errorcode, ascending, with the catalogue codes that map to it. */
export function errorcodeTable(): ErrorcodeEntry[] {
  const codes = new Map<number, string[]>()
  for (const [code, n] of Object.entries(EXCHANGE_CODES)) {
    if (n === undefined) continue
    codes.set(n, [...(codes.get(n) ?? []), code])
  }
  codes.set(EXCHANGE_HOURS_REFUSED, [...(codes.get(EXCHANGE_HOURS_REFUSED) ?? []), 'ERR_HOURS_*'])
  codes.set(EXCHANGE_INTERNAL, [...(codes.get(EXCHANGE_INTERNAL) ?? []), 'ERR_HTTP_INTERNAL'])
  const numbers = new Set([EXCHANGE_OK, ...codes.keys(), ...Object.keys(ERRORCODE_MEANINGS).map(Number)])
  return [...numbers]
    .sort((a, b) => a - b)
    .map((errorcode) => {
      const of = codes.get(errorcode) ?? []
      return { errorcode, codes: of, meaning: ERRORCODE_MEANINGS[errorcode] ?? catalogueMeaning(of) }
    })
}

/** The catalogue message of the first known code, `{slot}` placeholders written as …. */
function catalogueMeaning(codes: string[]): string {
  const code = codes.find((c): c is ErrorCode => c in ERRORS)
  if (!code) return '未说明的错误码：见该条记录的 message'
  return ERRORS[code].message.replace(/（?\{\w+\}）?/g, '…')
}

const exchangeConsoleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/exchange/errorcodes',
    {
      schema: {
        summary: '对接接口错误码及其含义',
        description: '每个 errorcode 对应的错误目录代码与中文含义（含下一步怎么做），供调用记录页解读。',
        tags: ['计时平台接入证书'],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ errorcode: Type.Integer(), codes: Type.Array(Type.String()), meaning: Type.String() }),
            ),
          }),
        },
      },
    },
    async (request) => {
      authenticated(request)
      return { items: errorcodeTable() }
    },
  )

  app.get(
    '/api/timing-platforms/:id/exchange-credential-validity',
    {
      schema: {
        summary: '接入证书的有效期',
        description: '每张接入证书的起止时间（取自平台保存的证书）；没有保存证书的旧记录为 null。',
        tags: ['计时平台接入证书'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                notBefore: Type.Union([DateTime, Type.Null()]),
                notAfter: Type.Union([DateTime, Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      mayManage(request, request.params.id, '查看接入证书')
      const rows = await app.database.query<{ id: number; certPem: string | null }>(
        `SELECT id, cert_pem AS "certPem" FROM exchange_credential WHERE timing_platform_id = $1 ORDER BY id`,
        [request.params.id],
      )
      return { items: rows.map((r) => ({ id: r.id, ...validityOf(r.certPem) })) }
    },
  )
}

/** The validity period of a PEM certificate; nulls when there is none or it does not parse. */
export function validityOf(pem: string | null): { notBefore: Date | null; notAfter: Date | null } {
  if (!pem) return { notBefore: null, notAfter: null }
  try {
    const cert = new X509Certificate(pem)
    return { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) }
  } catch {
    return { notBefore: null, notAfter: null }
  }
}

export default exchangeConsoleRoutes
