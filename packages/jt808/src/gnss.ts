/**
 * Position blocks (STANDARDS §2.4): the 驾培 28-byte GNSS basic block, the 38-byte 附加GNSS数据包,
 * the plain 808 28-byte basic block, and the additional-item lists that follow them in 0x0200.
 *
 * Coordinates stay raw integers (degrees × 10^6) and speeds raw tenths of km/h so that decoding
 * and encoding are exact; explain shows the scaled values. The time is the terminal's BCD
 * wall clock (Beijing time), kept as its 12 digits.
 */
import type { ByteReader, FieldType } from './bytes/reader.ts'
import type { ByteWriter } from './bytes/writer.ts'
import { bcdTime, bytesHex, hexFormat, scaled, struct, u8, u16, u32 } from './schema/fields.ts'

const HEX2 = hexFormat(2)
const degrees = (v: number) => `${(v / 1e6).toFixed(6)}°`
const kmh = scaled(10, 'km/h', 1)

/** Status bits per 808-2013 (表B.23 of the 驾培 spec not recovered; UNCERTAIN). */
function statusText(v: number): string {
  const bits = [
    v & 1 ? 'ACC 开' : 'ACC 关',
    v & 2 ? '已定位' : '未定位',
    v & 4 ? '南纬' : '北纬',
    v & 8 ? '西经' : '东经',
  ]
  return `${hexFormat(8)(v)} ${bits.join('，')}`
}

/** 驾培 GNSS数据包 basic part, 28 bytes: two speeds, no altitude. */
export const gnssBasic = struct([
  { key: 'alarm', name: '报警标志', type: u32, format: hexFormat(8) },
  { key: 'status', name: '状态', type: u32, format: statusText },
  { key: 'lat', name: '纬度 (1e-6 度)', type: u32, format: degrees },
  { key: 'lng', name: '经度 (1e-6 度)', type: u32, format: degrees },
  { key: 'recorderSpeed', name: '行驶记录速度 (0.1 km/h)', type: u16, format: kmh },
  { key: 'gnssSpeed', name: '卫星定位速度 (0.1 km/h)', type: u16, format: kmh },
  { key: 'heading', name: '方向 (度)', type: u16 },
  { key: 'timeLocal', name: '时间', type: bcdTime },
])

export type GnssBasic = ReturnType<typeof gnssBasic.read>

/** Plain JT/T 808 位置基本信息, 28 bytes: altitude and one speed. */
export const gnssBasic808 = struct([
  { key: 'alarm', name: '报警标志', type: u32, format: hexFormat(8) },
  { key: 'status', name: '状态', type: u32, format: statusText },
  { key: 'lat', name: '纬度 (1e-6 度)', type: u32, format: degrees },
  { key: 'lng', name: '经度 (1e-6 度)', type: u32, format: degrees },
  { key: 'altitude', name: '高程 (m)', type: u16 },
  { key: 'speed', name: '速度 (0.1 km/h)', type: u16, format: kmh },
  { key: 'heading', name: '方向 (度)', type: u16 },
  { key: 'timeLocal', name: '时间', type: bcdTime },
])

export type GnssBasic808 = ReturnType<typeof gnssBasic808.read>

/** 附加GNSS数据包 value: the basic block plus 里程 and 发动机转速. */
export interface GnssExtended extends GnssBasic {
  /** 里程, 1/10 km */
  mileage: number
  /** 发动机转速, rpm */
  rpm: number
}

function expectItem(r: ByteReader, id: number, length: number): void {
  const start = r.offset
  const gotId = r.field('itemId', '附加信息ID', u8, HEX2)
  const gotLength = r.field('itemLength', '附加信息长度', u8)
  if (r.ok && (gotId !== id || gotLength !== length)) {
    r.fail(
      'ERR_CODEC_BODY',
      `附加GNSS数据包应含 ID ${HEX2(id)} 长度 ${length}，得到 ${HEX2(gotId)}/${gotLength} / expected item ${id} of length ${length}`,
      start,
    )
  }
}

/**
 * 附加GNSS数据包 BYTE[38] (inside 0x0203 and 0x0305): 28-byte basic block + item 0x01 里程
 * (01 04 DWORD) + item 0x05 发动机转速 (05 02 WORD). Items in another order or length are an error.
 */
export const gnssExtended: FieldType<GnssExtended> = {
  label: 'BYTE[38]',
  size: 38,
  read(r) {
    const basic = r.field('basic', '位置基本信息', gnssBasic)
    if (!r.trace) {
      expectItem(r, 0x01, 4)
      const mileage = r.u32()
      expectItem(r, 0x05, 2)
      return { ...basic, mileage, rpm: r.u16() }
    }
    let mileage = 0
    let rpm = 0
    r.group('mileageItem', '附加信息 0x01 里程', 'BYTE[6]', () => {
      expectItem(r, 0x01, 4)
      mileage = r.field('mileage', '里程 (0.1 km)', u32, scaled(10, 'km', 1))
    })
    r.group('rpmItem', '附加信息 0x05 发动机转速', 'BYTE[4]', () => {
      expectItem(r, 0x05, 2)
      rpm = r.field('rpm', '发动机转速 (rpm)', u16)
    })
    return { ...basic, mileage, rpm }
  },
  write(w, v) {
    gnssBasic.write(w, v)
    w.u8(0x01).u8(4).u32(v.mileage)
    w.u8(0x05).u8(2).u16(v.rpm)
  },
}

// ── Additional items (位置附加信息项) ─────────────────────────────────────

/** One additional item: known IDs of the right length carry `value`, anything else `raw`. */
export type LocationItem = { id: number; value: number } | { id: number; raw: Uint8Array }

interface ItemKind {
  name: string
  size: 1 | 2 | 4
  format?: (v: number) => string
}

/** 驾培 items (STANDARDS §2.4); [PHPTCP]'s 0x04 rpm is treated as a vendor item. */
export const JIAPEI_ITEMS: Readonly<Record<number, ItemKind>> = {
  1: { name: '里程 (0.1 km)', size: 4, format: scaled(10, 'km', 1) },
  2: { name: '油量 (0.1 L)', size: 2, format: scaled(10, 'L', 1) },
  3: { name: '海拔 (m)', size: 2 },
  5: { name: '发动机转速 (rpm)', size: 2 },
}

/** Plain JT/T 808-2013 items with numeric values; the rest are kept raw. */
export const JT808_ITEMS: Readonly<Record<number, ItemKind>> = {
  1: { name: '里程 (0.1 km)', size: 4, format: scaled(10, 'km', 1) },
  2: { name: '油量 (0.1 L)', size: 2, format: scaled(10, 'L', 1) },
  3: { name: '行驶记录功能获取的速度 (0.1 km/h)', size: 2, format: kmh },
  4: { name: '需要人工确认报警事件的ID', size: 2 },
  37: { name: '扩展车辆信号状态位', size: 4, format: hexFormat(8) },
  42: { name: 'IO状态位', size: 2, format: hexFormat(4) },
  43: { name: '模拟量', size: 4, format: hexFormat(8) },
  48: { name: '无线通信网络信号强度', size: 1 },
  49: { name: 'GNSS定位卫星数', size: 1 },
}

const numberOfSize: Record<1 | 2 | 4, FieldType<number>> = { 1: u8, 2: u16, 4: u32 }

/**
 * Additional items to the end of the body. Unknown IDs, and known IDs with an unexpected length,
 * are kept raw; an item whose length runs past the end is ERR_CODEC_TRUNCATED.
 */
export function locationItems(table: Readonly<Record<number, ItemKind>>): FieldType<LocationItem[]> {
  return {
    label: '附加信息项×n',
    read(r) {
      const items: LocationItem[] = []
      while (r.remaining > 0 && r.ok) {
        if (!r.trace) {
          items.push(readItem(r, table))
          continue
        }
        const id = r.bytes[r.offset] as number
        const title = `附加信息 ${HEX2(id)} ${table[id]?.name ?? '未识别'}`
        items.push(r.group(String(items.length), title, 'ID+长度+值', () => readItem(r, table)))
      }
      return items
    },
    write(w, items) {
      for (const item of items) writeItem(w, item, table)
    },
    format: (v) => `${v.length} 项 / items`,
  }
}

function readItem(r: ByteReader, table: Readonly<Record<number, ItemKind>>): LocationItem {
  const id = r.field('id', '附加信息ID', u8, HEX2)
  const length = r.field('length', '附加信息长度', u8)
  const kind = table[id]
  if (kind && kind.size === length) {
    return { id, value: r.field('value', kind.name, numberOfSize[kind.size], kind.format) }
  }
  if (!r.trace) return { id, raw: r.bytesCopy(length) }
  const raw = r.field('raw', kind ? `${kind.name}（长度非预期，原样保留）` : '未识别/厂商自定义（原样保留）', {
    label: `BYTE[${length}]`,
    read: (rr) => rr.bytesCopy(length),
    write: () => {},
    format: bytesHex,
  })
  return { id, raw }
}

function writeItem(w: ByteWriter, item: LocationItem, table: Readonly<Record<number, ItemKind>>): void {
  w.u8(item.id)
  if ('raw' in item) {
    w.u8(item.raw.length)
    w.bytes(item.raw)
    return
  }
  const kind = table[item.id]
  const size = kind?.size ?? 4
  w.u8(size)
  numberOfSize[size].write(w, item.value)
}

/** The numeric value of an item, if present. */
export function itemValue(items: readonly LocationItem[], id: number): number | undefined {
  for (const item of items) if (item.id === id && 'value' in item) return item.value
  return undefined
}
