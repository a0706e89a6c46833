/**
 * 终端参数项 (0x8103, 0x0104): 参数ID DWORD, 参数长度 BYTE, 参数值. Known IDs (JT/T 808-2013
 * 表12) decode to a number or a string; unknown IDs, and known IDs with an unexpected length, are
 * kept raw so nothing is lost and nothing crashes.
 */
import type { ByteReader, FieldType } from '../bytes/reader.ts'
import { decodeGbk, encodeGbk } from '../bytes/text.ts'
import type { ByteWriter } from '../bytes/writer.ts'
import { bytesHex, hexFormat, u8, u16, u32 } from '../schema/fields.ts'

type Kind = { name: string; type: 'BYTE' | 'WORD' | 'DWORD' | 'STRING' }

export const TERMINAL_PARAMETERS: Readonly<Record<number, Kind>> = {
  1: { name: '终端心跳发送间隔 (s)', type: 'DWORD' },
  2: { name: 'TCP消息应答超时时间 (s)', type: 'DWORD' },
  3: { name: 'TCP消息重传次数', type: 'DWORD' },
  4: { name: 'UDP消息应答超时时间 (s)', type: 'DWORD' },
  5: { name: 'UDP消息重传次数', type: 'DWORD' },
  6: { name: 'SMS消息应答超时时间 (s)', type: 'DWORD' },
  7: { name: 'SMS消息重传次数', type: 'DWORD' },
  16: { name: '主服务器APN', type: 'STRING' },
  17: { name: '主服务器无线通信拨号用户名', type: 'STRING' },
  18: { name: '主服务器无线通信拨号密码', type: 'STRING' },
  19: { name: '主服务器地址', type: 'STRING' },
  20: { name: '备份服务器APN', type: 'STRING' },
  21: { name: '备份服务器无线通信拨号用户名', type: 'STRING' },
  22: { name: '备份服务器无线通信拨号密码', type: 'STRING' },
  23: { name: '备份服务器地址', type: 'STRING' },
  24: { name: '服务器TCP端口', type: 'DWORD' },
  25: { name: '服务器UDP端口', type: 'DWORD' },
  32: { name: '位置汇报策略', type: 'DWORD' },
  33: { name: '位置汇报方案', type: 'DWORD' },
  34: { name: '驾驶员未登录汇报时间间隔 (s)', type: 'DWORD' },
  39: { name: '休眠时汇报时间间隔 (s)', type: 'DWORD' },
  40: { name: '紧急报警时汇报时间间隔 (s)', type: 'DWORD' },
  41: { name: '缺省时间汇报间隔 (s)', type: 'DWORD' },
  44: { name: '缺省距离汇报间隔 (m)', type: 'DWORD' },
  45: { name: '驾驶员未登录汇报距离间隔 (m)', type: 'DWORD' },
  46: { name: '休眠时汇报距离间隔 (m)', type: 'DWORD' },
  47: { name: '紧急报警时汇报距离间隔 (m)', type: 'DWORD' },
  48: { name: '拐点补传角度 (度)', type: 'DWORD' },
  64: { name: '监控平台电话号码', type: 'STRING' },
  80: { name: '报警屏蔽字', type: 'DWORD' },
  85: { name: '最高速度 (km/h)', type: 'DWORD' },
  86: { name: '超速持续时间 (s)', type: 'DWORD' },
  128: { name: '车辆里程表读数 (0.1 km)', type: 'DWORD' },
  129: { name: '车辆所在的省域ID', type: 'WORD' },
  130: { name: '车辆所在的市域ID', type: 'WORD' },
  131: { name: '机动车号牌', type: 'STRING' },
  132: { name: '车牌颜色', type: 'BYTE' },
}

const SIZES = { BYTE: 1, WORD: 2, DWORD: 4 } as const
const NUMBER_TYPES = { BYTE: u8, WORD: u16, DWORD: u32 } as const

/** A parameter: known IDs carry `value`, anything else `raw`. */
export type TerminalParameter = { id: number; value: number | string } | { id: number; raw: Uint8Array }

function readParameter(r: ByteReader): TerminalParameter {
  const id = r.field('id', '参数ID', u32, hexFormat(4))
  const length = r.field('length', '参数长度', u8)
  const kind = TERMINAL_PARAMETERS[id]
  if (kind && kind.type === 'STRING') {
    return {
      id,
      value: r.field('value', kind.name, {
        label: `STRING[${length}]`,
        read: (x) => decodeGbk(x.bytesView(length)),
        write: () => {},
        format: (v: string) => JSON.stringify(v),
      }),
    }
  }
  if (kind && kind.type !== 'STRING' && SIZES[kind.type] === length) {
    return { id, value: r.field('value', kind.name, NUMBER_TYPES[kind.type]) }
  }
  const raw = r.field('raw', kind ? `${kind.name}（长度非预期，原样保留）` : '未识别参数（原样保留）', {
    label: `BYTE[${length}]`,
    read: (x) => x.bytesCopy(length),
    write: () => {},
    format: bytesHex,
  })
  return { id, raw }
}

function writeParameter(w: ByteWriter, p: TerminalParameter): void {
  w.u32(p.id)
  if ('raw' in p) {
    w.u8(p.raw.length).bytes(p.raw)
    return
  }
  const kind = TERMINAL_PARAMETERS[p.id]
  if (typeof p.value === 'string') {
    const data = encodeGbk(p.value)
    w.u8(data.length).bytes(data)
    return
  }
  const type = kind && kind.type !== 'STRING' ? kind.type : 'DWORD'
  w.u8(SIZES[type])
  NUMBER_TYPES[type].write(w, p.value)
}

/** 参数总数 BYTE + 参数项列表. */
export const parameterList: FieldType<TerminalParameter[]> = {
  label: 'BYTE+参数项×n',
  read(r) {
    const count = r.field('count', '参数总数', u8)
    const out: TerminalParameter[] = []
    for (let i = 0; i < count && r.ok; i++) {
      const name = TERMINAL_PARAMETERS[peekU32(r)]?.name ?? '参数项'
      out.push(r.group(String(i), name, 'DWORD+BYTE+值', () => readParameter(r)))
    }
    return out
  },
  write(w, v) {
    w.u8(v.length)
    for (const p of v) writeParameter(w, p)
  },
  format: (v) => `${v.length} 项 / items`,
}

function peekU32(r: ByteReader): number {
  if (r.remaining < 4) return -1
  const b = r.bytes
  const o = r.offset
  return (
    (b[o] as number) * 0x1000000 + (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number))
  )
}
