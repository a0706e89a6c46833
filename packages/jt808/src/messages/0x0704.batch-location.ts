/**
 * 0x0704 定位数据批量上传: 数据项个数 WORD, 位置数据类型 BYTE (0 正常位置批量汇报, 1 盲区补报),
 * then per item 位置汇报数据体长度 WORD + a 0x0200 body (驾培 or 808 layout by the header).
 */
import type { ByteWriter } from '../bytes/writer.ts'
import { defineMessage } from '../message.ts'
import { codeFormat, u8, u16 } from '../schema/fields.ts'
import { type LocationReport, readLocation, writeLocation } from './0x0200.location-report.ts'

export const BATCH_TYPES: Readonly<Record<number, string>> = { 0: '正常位置批量汇报', 1: '盲区补报' }

export interface BatchLocation {
  /** 位置数据类型 */
  type: number
  locations: LocationReport[]
}

export const batchLocation = defineMessage<BatchLocation>({
  id: 0x0704,
  direction: 'up',
  specName: '定位数据批量上传',
  slug: 'batch-location',
  read(r, ctx) {
    const count = r.field('count', '数据项个数', u16)
    const type = r.field('type', '位置数据类型', u8, codeFormat(BATCH_TYPES))
    const locations: LocationReport[] = []
    for (let i = 0; i < count && r.ok; i++) {
      const location = r.group(String(i), `位置汇报数据项 ${i + 1}`, 'WORD+位置信息', () => {
        const length = r.field('length', '位置汇报数据体长度', u16)
        const sub = r.sub(length)
        const value = sub.group('location', '位置汇报数据体', `BYTE[${length}]`, () => readLocation(sub, ctx))
        r.adopt(sub)
        return value
      })
      locations.push(location)
    }
    return { type, locations }
  },
  write(w: ByteWriter, v, ctx) {
    w.u16(v.locations.length).u8(v.type)
    for (const location of v.locations) {
      const at = w.length
      w.u16(0)
      writeLocation(w, location, ctx)
      w.patchU16(at, w.length - at - 2)
    }
  },
})
