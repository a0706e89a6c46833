/**
 * 报文解析: a JT/T 808 frame given as hex, decoded and explained field by field. A frame that does
 * not decode is an answer (`ok: false` with the codec error and where it was noticed), not a
 * request error; only text that is not hex at all is refused.
 */
import '@jiapei/jt808-training'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  decodeFrame,
  explain,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
  parseHex,
  renderExplain,
  toJsonValue,
} from '@jiapei/jt808'
import { Type } from '@sinclair/typebox'
import { appError } from '../../errors/catalogue.ts'
import { authenticated } from '../context.ts'

/** Longest accepted hex text (a frame is at most a few KB). */
export const MAX_FRAME_HEX = 20_000

const ExplainBody = Type.Object({
  hex: Type.String({
    minLength: 1,
    maxLength: MAX_FRAME_HEX,
    pattern: '^(?:0[xX]|[0-9A-Fa-f\\s:,-])*$',
    description: '十六进制报文，可含空格与首尾 7E',
  }),
  protocol: Type.Optional(
    Type.Unsafe<ProtocolVersion>({
      type: 'string',
      enum: [...PROTOCOL_VERSIONS],
      description: '协议版本；省略时按消息头自动识别',
    }),
  ),
})

const ExplainResult = Type.Object(
  {
    ok: Type.Boolean(),
    decoded: Type.Optional(Type.Object({}, { additionalProperties: true, description: '消息头与消息体（JSON）' })),
    explanation: Type.Optional(Type.Object({}, { additionalProperties: true, description: '逐字段解释树' })),
    text: Type.Optional(Type.String({ description: '逐字段解释的文本形式' })),
    code: Type.Optional(Type.String({ description: '解码失败时的编解码错误码' })),
    message: Type.Optional(Type.String()),
    offset: Type.Optional(Type.Integer({ description: '发现错误的字节偏移（去转义后）' })),
  },
  { additionalProperties: true },
)

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0').toUpperCase()}`

const framesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/frames/explain',
    {
      schema: {
        tags: ['报文解析'],
        summary: '解析一条 JT/T 808 报文（十六进制）',
        body: ExplainBody,
        response: { 200: ExplainResult },
      },
    },
    async (request) => {
      authenticated(request)
      const { hex, protocol } = request.body
      const bytes = parseHex(hex)
      if (!bytes) throw appError('ERR_HTTP_VALIDATION', { detail: 'body.hex 不是有效的十六进制文本（位数应为偶数）' })
      const options = protocol ? { version: protocol as ProtocolVersion } : {}
      const explanation = explain(bytes, options)
      const text = renderExplain(explanation)
      const result = decodeFrame(bytes, options)
      if (!result.ok) {
        return {
          ok: false,
          code: result.code,
          message: result.message,
          offset: result.offset,
          explanation: toJsonValue(explanation) as Record<string, unknown>,
          text,
        }
      }
      const { header, body, decoded, specName } = result.frame
      return {
        ok: true,
        decoded: {
          header: { ...(toJsonValue(header) as Record<string, unknown>), msgIdHex: hex4(header.msgId) },
          specName: specName ?? null,
          decoded,
          body: toJsonValue(body),
        },
        explanation: toJsonValue(explanation) as Record<string, unknown>,
        text,
      }
    },
  )
}

export default framesRoutes
