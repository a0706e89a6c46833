/**
 * Field types shared by the 驾培 pass-through messages, built on the core schema vocabulary.
 * Numbers assigned by the national platform (统一编号) are 16 ASCII characters; identity-card
 * numbers are 18 ASCII characters, shorter values padded at the front with 0x00 (STANDARDS §2.7).
 */
import { ascii, bcd, type FieldType, PAD_START_ZERO, restBytes, scaled, withFormat } from '@jiapei/jt808'
import { parseCourseCode } from './course-code.ts'

/** 全国统一编号 (计时终端、学员、教练员、培训机构编号): BYTE[16] ASCII. */
export const registryNo = ascii(16)

/** 身份证号 BYTE[18] ASCII, front-padded with 0x00. */
export const idCardNo = ascii(18, PAD_START_ZERO)

/** 准教车型 / 培训车型 BYTE[2] ASCII (C1, B2 …). */
export const licenseType = ascii(2)

/** 照片编号 BYTE[10] ASCII digits. */
export const photoNo = ascii(10)

/** 学时记录编号 BYTE[26]: 计时终端编号(16) + YYMMDD + 4-digit sequence. */
export const minuteRecordNo = ascii(26)

/** BCD[3] hhmmss (Beijing time), kept as its 6 digits. */
export const bcdClock: FieldType<string> = withFormat(bcd(3), (v) =>
  /^\d{6}$/.test(v) ? `${v.slice(0, 2)}:${v.slice(2, 4)}:${v.slice(4, 6)} (GMT+8)` : `${v} (无效时间 / invalid time)`,
)

/** 培训课程 BCD[5]: the 10-digit 课程编码, explained part by part. */
export const courseCode: FieldType<string> = withFormat(bcd(5), (v) => {
  const parsed = parseCourseCode(v)
  return parsed.ok ? parsed.value.label : `${parsed.code}: ${parsed.detail}`
})

/** 0.1 km/h */
export const kmhTenths = scaled(10, 'km/h', 1)
/** 0.1 km */
export const kmTenths = scaled(10, 'km', 1)
/** minutes */
export const minutes = (v: number) => `${v} 分钟`

/**
 * Trailing bytes after a layout marked UNCERTAIN: kept raw (normally empty) instead of failing,
 * so a terminal that appends vendor data still decodes and re-encodes byte for byte.
 */
export const trailing = { key: 'extra', name: '未识别的尾部数据（原样保留）', type: restBytes } as const
