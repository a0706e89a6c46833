/**
 * 0x0100 终端注册 (STANDARDS §2.3). Four forms:
 *
 * | form | 省域 | 市县域 | 制造商ID | 终端型号 | 终端ID / 出厂序列号 | IMEI     | 车牌颜色 | 车牌   | fixed |
 * |------|------|--------|----------|----------|---------------------|----------|----------|--------|-------|
 * | 驾培 | WORD | WORD   | BYTE[5]  | BYTE[20] | BYTE[7]             | BYTE[15] | BYTE     | STRING | 52    |
 * | 2011 | WORD | WORD   | BYTE[5]  | BYTE[8]  | BYTE[7]             | —        | BYTE     | STRING | 25    |
 * | 2013 | WORD | WORD   | BYTE[5]  | BYTE[20] | BYTE[7]             | —        | BYTE     | STRING | 37    |
 * | 2019 | WORD | WORD   | BYTE[11] | BYTE[30] | BYTE[30]            | —        | BYTE     | STRING | 76    |
 *
 * 2011 and 2013 share the header; under a 2013 header a body shorter than 37 bytes is read as the
 * 2011 form and the frame's version becomes '2011' (UNCERTAIN heuristic: a 2011 body with a plate
 * of 12 or more bytes would be taken for 2013).
 */
import type { ByteReader } from '../bytes/reader.ts'
import type { ByteWriter } from '../bytes/writer.ts'
import { defineMessage, type MessageContext } from '../message.ts'
import { ascii, gbkRest, struct, u8, u16 } from '../schema/fields.ts'

/** 车牌颜色 (JT/T 415; 9 其他 — one vendor uses 6). */
export const PLATE_COLORS: Readonly<Record<number, string>> = {
  0: '未上牌',
  1: '蓝色',
  2: '黄色',
  3: '黑色',
  4: '白色',
  5: '绿色',
  6: '其他（厂商用法）',
  9: '其他',
}

const province = { key: 'provinceId', name: '省域ID', type: u16 } as const
const city = { key: 'cityId', name: '市县域ID', type: u16 } as const
const plateColor = { key: 'plateColor', name: '车牌颜色', type: u8, codes: PLATE_COLORS } as const
const plate = { key: 'plate', name: '车牌', type: gbkRest } as const

export const registerJiapei = struct([
  province,
  city,
  { key: 'manufacturerId', name: '制造商ID', type: ascii(5) },
  { key: 'model', name: '终端型号', type: ascii(20) },
  { key: 'terminalId', name: '计时终端出厂序列号', type: ascii(7) },
  { key: 'imei', name: 'IMEI', type: ascii(15) },
  plateColor,
  plate,
])

export const register2011 = struct([
  province,
  city,
  { key: 'manufacturerId', name: '制造商ID', type: ascii(5) },
  { key: 'model', name: '终端型号', type: ascii(8) },
  { key: 'terminalId', name: '终端ID', type: ascii(7) },
  plateColor,
  plate,
])

export const register2013 = struct([
  province,
  city,
  { key: 'manufacturerId', name: '制造商ID', type: ascii(5) },
  { key: 'model', name: '终端型号', type: ascii(20) },
  { key: 'terminalId', name: '终端ID', type: ascii(7) },
  plateColor,
  plate,
])

export const register2019 = struct([
  province,
  city,
  { key: 'manufacturerId', name: '制造商ID', type: ascii(11) },
  { key: 'model', name: '终端型号', type: ascii(30) },
  { key: 'terminalId', name: '终端ID', type: ascii(30) },
  plateColor,
  plate,
])

export interface TerminalRegister {
  provinceId: number
  cityId: number
  manufacturerId: string
  model: string
  /** 终端ID (808) / 计时终端出厂序列号 (驾培) */
  terminalId: string
  /** 驾培 only */
  imei?: string
  plateColor: number
  plate: string
}

/** Smallest 2013 body: the fixed part with an empty plate. */
export const REGISTER_2013_FIXED = 37

function layout(ctx: MessageContext, r?: ByteReader) {
  if (ctx.version === '2013' && r && r.remaining < REGISTER_2013_FIXED) ctx.version = '2011'
  switch (ctx.version) {
    case 'jiapei':
      return registerJiapei
    case '2011':
      return register2011
    case '2013':
      return register2013
    case '2019':
      return register2019
  }
}

export const terminalRegister = defineMessage<TerminalRegister>({
  id: 0x0100,
  direction: 'up',
  specName: '终端注册',
  slug: 'terminal-register',
  read: (r: ByteReader, ctx) => layout(ctx, r).read(r) as TerminalRegister,
  write: (w: ByteWriter, body, ctx) => (layout(ctx) as typeof registerJiapei).write(w, body as never),
})
