/**
 * 0x0200 位置信息汇报 (STANDARDS §2.4): a 28-byte basic block and additional items to the end.
 * Under the 驾培 header the basic block is the 驾培 GNSS数据包 (two speeds, no altitude) and the
 * items are 0x01 里程, 0x02 油量, 0x03 海拔, 0x05 发动机转速; under an 808 header the plain layout
 * (高程, 速度) with the 808 items. Unknown or vendor items are kept raw.
 */
import type { ByteReader } from '../bytes/reader.ts'
import type { ByteWriter } from '../bytes/writer.ts'
import {
  type GnssBasic,
  type GnssBasic808,
  gnssBasic,
  gnssBasic808,
  JIAPEI_ITEMS,
  JT808_ITEMS,
  type LocationItem,
  locationItems,
} from '../gnss.ts'
import { defineMessage, type MessageContext } from '../message.ts'

export type LocationReport = (GnssBasic | GnssBasic808) & { items: LocationItem[] }
export type LocationReportJiapei = GnssBasic & { items: LocationItem[] }
export type LocationReport808 = GnssBasic808 & { items: LocationItem[] }

const jiapeiItems = locationItems(JIAPEI_ITEMS)
const items808 = locationItems(JT808_ITEMS)

/** Reads a location body (shared by 0x0200, 0x0201 and each 0x0704 entry). */
export function readLocation(r: ByteReader, ctx: MessageContext): LocationReport {
  const jiapei = ctx.version === 'jiapei'
  const basic = jiapei
    ? r.field('basic', '位置基本信息（驾培 GNSS数据包）', gnssBasic)
    : r.field('basic', '位置基本信息', gnssBasic808)
  const items = r.field('items', '位置附加信息项列表', jiapei ? jiapeiItems : items808)
  // Without a trace nobody else holds the basic block: add the items in place (no spread).
  if (r.trace) return { ...basic, items }
  const location = basic as LocationReport
  location.items = items
  return location
}

export function writeLocation(w: ByteWriter, v: LocationReport, ctx: MessageContext): void {
  if (ctx.version === 'jiapei') {
    gnssBasic.write(w, v as GnssBasic)
    jiapeiItems.write(w, v.items)
  } else {
    gnssBasic808.write(w, v as GnssBasic808)
    items808.write(w, v.items)
  }
}

export const locationReport = defineMessage<LocationReport>({
  id: 0x0200,
  direction: 'up',
  specName: '位置信息汇报',
  slug: 'location-report',
  read: readLocation,
  write: writeLocation,
})
