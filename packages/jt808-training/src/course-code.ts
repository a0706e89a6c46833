/**
 * 培训课程编码 (课程编码, BCD[5] = 10 digits), STANDARDS §2.8 (平台技术规范 附录 A4.2 as
 * implemented by real terminals):
 *
 *   digit 1      课程方式  1 实操, 2 课堂教学, 3 模拟器教学, 4 远程教学
 *   digits 2–3   培训车型  01 A1 … 43 P; 00 = 不区分车型 (classroom terminals)
 *   digit 4      培训部分  1 第一部分 … 4 第四部分
 *   digits 5–6   培训项目  01–03 (part 1), 11–13 (part 2), 21–36 (part 3), 41–48 (part 4)
 *   digits 7–10  预留      0000
 *
 * Pure: no I/O, no codec dependency. The hour accounting reads mode, licence type and part from
 * here; an unknown project or a project of another part is kept and flagged, not refused, because
 * real terminals send such codes (test values like 1212360000).
 */

/** 课程方式. Meanings of 3 and 4 are UNCERTAIN (one source). */
export const COURSE_MODE = [
  [1, '实操'],
  [2, '课堂教学'],
  [3, '模拟器教学'],
  [4, '远程教学'],
] as const

/** 培训车型 code (digits 2–3) → licence type. */
export const COURSE_LICENSE_TYPE = [
  ['01', 'A1'],
  ['02', 'A2'],
  ['03', 'A3'],
  ['11', 'B1'],
  ['12', 'B2'],
  ['21', 'C1'],
  ['22', 'C2'],
  ['23', 'C3'],
  ['24', 'C4'],
  ['25', 'C5'],
  ['31', 'D'],
  ['32', 'E'],
  ['33', 'F'],
  ['41', 'M'],
  ['42', 'N'],
  ['43', 'P'],
] as const

/** 培训部分. */
export const COURSE_PART = [
  [1, '第一部分'],
  [2, '第二部分'],
  [3, '第三部分'],
  [4, '第四部分'],
] as const

/** 培训项目 (digits 5–6) with the part each belongs to. */
export const COURSE_PROJECT = [
  ['01', 1, '法律、法规及道路交通信号'],
  ['02', 1, '机动车基本知识'],
  ['03', 1, '第一部分综合复习及考核'],
  ['11', 2, '基础驾驶'],
  ['12', 2, '场地驾驶'],
  ['13', 2, '综合驾驶及考核'],
  ['21', 3, '跟车行驶'],
  ['22', 3, '变更车道'],
  ['23', 3, '靠边停车'],
  ['24', 3, '掉头'],
  ['25', 3, '通过路口'],
  ['26', 3, '通过人行横道'],
  ['27', 3, '通过学校区域'],
  ['28', 3, '通过公共汽车站'],
  ['29', 3, '会车'],
  ['30', 3, '超车'],
  ['31', 3, '夜间驾驶'],
  ['32', 3, '恶劣条件下的驾驶'],
  ['33', 3, '山区道路驾驶'],
  ['34', 3, '高速公路驾驶'],
  ['35', 3, '行驶路线选择'],
  ['36', 3, '综合驾驶及考核'],
  ['41', 4, '安全、文明驾驶知识'],
  ['42', 4, '危险源辨识知识'],
  ['43', 4, '夜间和高速公路安全驾驶知识'],
  ['44', 4, '恶劣气象和复杂道路条件下的安全驾驶知识'],
  ['45', 4, '紧急情况应急处置知识'],
  ['46', 4, '危险化学品知识'],
  ['47', 4, '典型事故案例分析'],
  ['48', 4, '第四部分综合复习及考核'],
] as const

export type CourseMode = (typeof COURSE_MODE)[number][0]
export type CoursePart = (typeof COURSE_PART)[number][0]
export type CourseLicenseType = (typeof COURSE_LICENSE_TYPE)[number][1]

/** A 课程编码 split into its parts, each with its Chinese label. */
export interface CourseCode {
  /** The 10 digits as sent. */
  readonly code: string
  readonly mode: CourseMode
  readonly modeLabel: string
  /** Digits 2–3 as sent ('00' when the course is not tied to a vehicle type). */
  readonly licenseTypeCode: string
  /** C1, B2 …; null for '00' (不区分车型). */
  readonly licenseType: CourseLicenseType | null
  readonly part: CoursePart
  readonly partLabel: string
  /** Digits 5–6 as sent. */
  readonly project: string
  /** Chinese name of the project; undefined when the code is not in the table. */
  readonly projectLabel: string | undefined
  /** False when the project is unknown or belongs to another part. */
  readonly projectMatchesPart: boolean
  /** Digits 7–10, normally '0000'. */
  readonly reserved: string
  /** 课程方式/车型/部分/项目 joined for display, e.g. 实操 · C1 · 第二部分 · 基础驾驶. */
  readonly label: string
}

export type CourseCodeErrorCode =
  | 'ERR_COURSE_CODE_FORMAT'
  | 'ERR_COURSE_CODE_MODE'
  | 'ERR_COURSE_CODE_LICENSE_TYPE'
  | 'ERR_COURSE_CODE_PART'

export type CourseCodeResult =
  | { readonly ok: true; readonly value: CourseCode }
  | { readonly ok: false; readonly code: CourseCodeErrorCode; readonly detail: string }

const modeLabels = new Map<number, string>(COURSE_MODE)
const partLabels = new Map<number, string>(COURSE_PART)
const licenseByCode = new Map<string, CourseLicenseType>(COURSE_LICENSE_TYPE)
const codeByLicense = new Map<string, string>(COURSE_LICENSE_TYPE.map(([c, t]) => [t, c]))
const projects = new Map<string, { part: number; label: string }>(
  COURSE_PROJECT.map(([code, part, label]) => [code, { part, label }]),
)

/** Split a 10-digit 课程编码. Structural problems (length, mode, vehicle type, part) are coded errors. */
export function parseCourseCode(code: string): CourseCodeResult {
  if (!/^\d{10}$/.test(code)) return { ok: false, code: 'ERR_COURSE_CODE_FORMAT', detail: `需要 10 位数字：${code}` }
  const mode = Number(code[0])
  const modeLabel = modeLabels.get(mode)
  if (modeLabel === undefined) return { ok: false, code: 'ERR_COURSE_CODE_MODE', detail: `未知课程方式 ${code[0]}` }
  const licenseTypeCode = code.slice(1, 3)
  const licenseType = licenseTypeCode === '00' ? null : licenseByCode.get(licenseTypeCode)
  if (licenseType === undefined) {
    return { ok: false, code: 'ERR_COURSE_CODE_LICENSE_TYPE', detail: `未知培训车型 ${licenseTypeCode}` }
  }
  const part = Number(code[3])
  const partLabel = partLabels.get(part)
  if (partLabel === undefined) return { ok: false, code: 'ERR_COURSE_CODE_PART', detail: `未知培训部分 ${code[3]}` }
  const project = code.slice(4, 6)
  const known = projects.get(project)
  const projectLabel = known?.label
  const label = [modeLabel, licenseType ?? '不区分车型', partLabel, projectLabel ?? `项目${project}`].join(' · ')
  return {
    ok: true,
    value: {
      code,
      mode: mode as CourseMode,
      modeLabel,
      licenseTypeCode,
      licenseType,
      part: part as CoursePart,
      partLabel,
      project,
      projectLabel,
      projectMatchesPart: known?.part === part,
      reserved: code.slice(6),
      label,
    },
  }
}

/** What `formatCourseCode` needs; licenseType null gives '00'. */
export interface CourseCodeParts {
  readonly mode: CourseMode
  readonly licenseType: CourseLicenseType | null
  readonly part: CoursePart
  /** Two digits, e.g. '11'. */
  readonly project: string
}

/** Build the 10-digit 课程编码, e.g. { mode: 1, licenseType: 'C1', part: 2, project: '11' } → '1212110000'. */
export function formatCourseCode(parts: CourseCodeParts): string {
  const vehicle = parts.licenseType === null ? '00' : codeByLicense.get(parts.licenseType)
  if (vehicle === undefined || !/^\d{2}$/.test(parts.project)) {
    throw new RangeError(`invalid course code parts: ${JSON.stringify(parts)}`)
  }
  return `${parts.mode}${vehicle}${parts.part}${parts.project}0000`
}
