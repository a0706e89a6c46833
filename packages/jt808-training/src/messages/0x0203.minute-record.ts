/**
 * 0x0203 上报学时记录 (表B.42, ↑, answered by the JT/T 808 平台通用应答 0x8001): one per minute
 * of training, 76 bytes + the 38-byte 附加GNSS数据包 (the fix at second 30) = 114 bytes. May be
 * sent as 补传 (扩展消息属性 bit 0). STANDARDS §2.7.
 */
import { gnssExtended, struct, u8, u16, u32 } from '@jiapei/jt808'
import { RECORD_REPORT_TYPE, RECORD_STATUS } from '../codes.ts'
import { bcdClock, courseCode, kmhTenths, kmTenths, minuteRecordNo, registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage, GENERAL_REPLY } from '../message.ts'

export const minuteRecord = defineTrainingMessage({
  id: 0x0203,
  direction: 'up',
  specName: '上报学时记录',
  slug: 'minute-record',
  replyId: GENERAL_REPLY,
  body: struct([
    { key: 'recordNo', name: '学时记录编号', type: minuteRecordNo },
    { key: 'reportType', name: '上报类型', type: u8, codes: RECORD_REPORT_TYPE.labels },
    { key: 'studentNo', name: '学员编号', type: registryNo },
    { key: 'coachNo', name: '教练编号', type: registryNo },
    { key: 'classId', name: '课堂ID', type: u32 },
    { key: 'recordTimeLocal', name: '记录产生时间', type: bcdClock },
    { key: 'courseCode', name: '培训课程（课程编码）', type: courseCode },
    { key: 'status', name: '记录状态', type: u8, codes: RECORD_STATUS.labels },
    { key: 'maxSpeed', name: '最大速度 (0.1 km/h)', type: u16, format: kmhTenths },
    { key: 'mileage', name: '里程 (0.1 km)', type: u16, format: kmTenths },
    { key: 'gnss', name: '附加GNSS数据包', type: gnssExtended },
  ]),
})

export type MinuteRecord = BodyOf<typeof minuteRecord>
