/** What a virtual terminal is: its identity in the registry and the people and place of its lessons. */
import type { PolygonGeometry } from './geo.ts'

export interface CoachProfile {
  /** 教练员编号 (16) */
  coachNo: string
  /** 身份证号 (18) */
  idCard: string
  /** 准教车型, e.g. C1 */
  teachPermitted: string
}

export interface StudentProfile {
  /** 学员编号 (16) */
  stuNo: string
  /** 培训车型, e.g. C1 */
  licenseType: string
}

export interface TerminalProfile {
  /** SIM number of the JT/T 808 header */
  phone: string
  /** 计时终端编号 (16) as filed; the platform confirms it in 0x8100 */
  deviceNo: string
  imei: string
  /** 计时终端出厂序列号 (7 characters; default: the last 7 of the device number) */
  serialNo?: string
  manufacturerId?: string
  model?: string
  /** GB/T 2260 province (first 2 digits) and city/county (last 4) of the terminal's county */
  provinceId: number
  cityId: number
  plate: string
  /** 1 蓝 2 黄 … 9 其他 */
  plateColor: number
  /** 培训机构编号 (16) */
  institutionNo: string
  coach: CoachProfile
  students: StudentProfile[]
  /** The 科目二 training field (GeoJSON Polygon, WGS-84) */
  field: PolygonGeometry
  /** Odometer at the start of the first lesson, metres (default from the seed) */
  odometerMetres?: number
}
