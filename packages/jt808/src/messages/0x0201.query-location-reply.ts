/** 0x0201 位置信息查询应答: 应答流水号 WORD + a 0x0200 body (驾培 or 808 layout by the header). */
import { defineMessage } from '../message.ts'
import { u16 } from '../schema/fields.ts'
import { type LocationReport, readLocation, writeLocation } from './0x0200.location-report.ts'

export interface QueryLocationReply {
  replySerial: number
  location: LocationReport
}

export const queryLocationReply = defineMessage<QueryLocationReply>({
  id: 0x0201,
  direction: 'up',
  specName: '位置信息查询应答',
  slug: 'query-location-reply',
  read(r, ctx) {
    const replySerial = r.field('replySerial', '应答流水号', u16)
    const location = r.group('location', '位置信息汇报', 'BYTE[n]', () => readLocation(r, ctx))
    return { replySerial, location }
  },
  write(w, v, ctx) {
    w.u16(v.replySerial)
    writeLocation(w, v.location, ctx)
  },
})
