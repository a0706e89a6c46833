/**
 * The shared body of 0x0900 数据上行透传 and 0x8900 数据下行透传: 透传消息类型 BYTE + 透传消息内容.
 * When a codec is registered for the type (see passthrough.ts), `content` holds its decoded value
 * and explain shows its fields; `data` always keeps the raw bytes.
 */
import type { ByteReader } from '../bytes/reader.ts'
import type { ByteWriter } from '../bytes/writer.ts'
import type { Direction, MessageContext } from '../message.ts'
import { findPassThrough, PASS_THROUGH_JIAPEI } from '../passthrough.ts'
import { bytesHex, hexFormat, u8 } from '../schema/fields.ts'

export interface PassThroughBody {
  /** 透传消息类型 (0x13 驾培业务) */
  type: number
  /** 透传消息内容, raw */
  data: Uint8Array
  /** Decoded content, when a codec is registered for the type. */
  content?: unknown
}

const TYPE_NAMES: Record<number, string> = {
  0: 'GNSS模块详细定位数据',
  11: '道路运输证IC卡信息',
  65: '串口1透传',
  66: '串口2透传',
  [PASS_THROUGH_JIAPEI]: '驾培业务',
}

function typeName(v: number): string {
  return `${hexFormat(2)(v)} ${findPassThrough(v)?.name ?? TYPE_NAMES[v] ?? ''}`.trim()
}

export function readPassThrough(r: ByteReader, ctx: MessageContext, direction: Direction): PassThroughBody {
  const type = r.trace ? r.field('type', '透传消息类型', u8, typeName) : r.u8()
  const start = r.offset
  const data = r.bytesCopy(r.remaining)
  const codec = findPassThrough(type)
  if (!codec) {
    if (r.trace) {
      r.trace.push({
        key: 'data',
        name: '透传消息内容',
        type: `BYTE[${data.length}]`,
        offset: r.base + start,
        length: data.length,
        hex: bytesHex(data),
        value: data,
        text: `${data.length} 字节 / bytes`,
      })
    }
    return { type, data }
  }
  r.offset = start
  const sub = r.sub(r.remaining)
  const innerCtx = { ...ctx, direction }
  const content = sub.trace
    ? sub.field('content', `透传消息内容（${codec.name}）`, {
        label: `BYTE[${data.length}]`,
        read: (rr) => codec.read(rr, innerCtx),
        write: () => {},
      })
    : codec.read(sub, innerCtx)
  if (sub.ok && sub.remaining > 0) {
    sub.fail('ERR_CODEC_BODY_LENGTH', `透传内容末尾多出 ${sub.remaining} 字节 / ${sub.remaining} bytes left over`)
  }
  r.adopt(sub)
  return { type, data, content }
}

export function writePassThrough(
  w: ByteWriter,
  body: PassThroughBody,
  ctx: MessageContext,
  direction: Direction,
): void {
  w.u8(body.type)
  const codec = findPassThrough(body.type)
  if (codec && body.content !== undefined) codec.write(w, body.content, { ...ctx, direction })
  else w.bytes(body.data)
}
