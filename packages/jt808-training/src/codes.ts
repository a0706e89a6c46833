/**
 * Coded values of the 驾培 pass-through messages with their Chinese labels (STANDARDS §2.5–2.7).
 * Each table gives named values for code (`STUDENT_LOGIN_RESULT.code.invalidStudentNo === 2`) and
 * the value → label map that the field schema shows in explain (`labels`).
 */

/** A coded value table: named values plus the label of each value. */
export interface CodeTable<T extends Record<string, readonly [number, string]>> {
  readonly code: { readonly [K in keyof T]: T[K][0] }
  readonly labels: Readonly<Record<number, string>>
  /** The Chinese label of a value, or `未定义的取值 n`. */
  label(value: number): string
}

export function codeTable<const T extends Record<string, readonly [number, string]>>(entries: T): CodeTable<T> {
  const code: Record<string, number> = {}
  const labels: Record<number, string> = {}
  for (const [key, [value, label]] of Object.entries(entries)) {
    code[key] = value
    labels[value] = label
  }
  return {
    code: Object.freeze(code) as CodeTable<T>['code'],
    labels: Object.freeze(labels),
    label: (value) => labels[value] ?? `未定义的取值 ${value}`,
  }
}

// ── 透传 envelope ───────────────────────────────────────────────────────

/** 扩展消息属性 bits 4–7: 加密算法 (the 校验串 digest). */
export const CHECKSUM_ALGORITHM = codeTable({
  none: [0, '未加密（无校验串）'],
  sha1: [1, 'SHA1'],
  sha256: [2, 'SHA256'],
})

// ── 教练员 / 学员 登录登出 ──────────────────────────────────────────────

/** 0x8101 登录结果. */
export const COACH_LOGIN_RESULT = codeTable({
  success: [1, '登录成功'],
  invalidCoachNo: [2, '无效的教练员编号'],
  licenseTypeMismatch: [3, '准教车型不符'],
  other: [9, '其他错误'],
})

/** 0x8101 是否报读附加消息. */
export const COACH_READ_ALOUD = codeTable({
  global: [0, '根据全局设置决定是否报读'],
  read: [1, '需要报读'],
  silent: [2, '不必报读'],
})

/** 0x8102 登出结果. */
export const COACH_LOGOUT_RESULT = codeTable({
  success: [1, '登出成功'],
  failure: [2, '登出失败'],
})

/** 0x8201 登录结果. */
export const STUDENT_LOGIN_RESULT = codeTable({
  success: [1, '登录成功'],
  invalidStudentNo: [2, '无效的学员编号'],
  banned: [3, '禁止登录的学员'],
  outsideArea: [4, '区域外教学提醒'],
  licenseTypeMismatch: [5, '准教车型与培训车型不符'],
  other: [9, '其他错误'],
})

/** 0x8201 是否报读附加消息. */
export const STUDENT_READ_ALOUD = codeTable({
  silent: [0, '不必报读'],
  read: [1, '需要报读'],
})

/** 0x8202 登出结果 (same values as 0x8102). */
export const STUDENT_LOGOUT_RESULT = codeTable({
  success: [1, '登出成功'],
  failure: [2, '登出失败'],
})

// ── 学时记录 ────────────────────────────────────────────────────────────

/** 0x0203 上报类型. */
export const RECORD_REPORT_TYPE = codeTable({
  automatic: [1, '自动上报'],
  onRequest: [2, '应中心要求上报'],
})

/** 0x0203 记录状态 (meaning of 1 UNCERTAIN: source text garbled). */
export const RECORD_STATUS = codeTable({
  normal: [0, '正常记录'],
  abnormal: [1, '异常记录'],
})

/** 0x8205 查询方式. */
export const RECORD_QUERY_MODE = codeTable({
  byTime: [1, '按时间上传'],
  byCount: [2, '按条数上传'],
})

/** 0x0205 执行结果 (single source). */
export const RECORD_QUERY_RESULT = codeTable({
  uploading: [1, '查询的记录正在上传'],
  noStorage: [2, 'SD卡没有找到'],
  noRecords: [3, '执行成功，但无指定记录'],
  later: [4, '执行成功，稍候上报查询结果'],
  other: [9, '其他错误'],
})

// ── 照片 ────────────────────────────────────────────────────────────────

/** 上传模式 (0x8301, 0x0301, 0x0305). */
export const PHOTO_UPLOAD_MODE = codeTable({
  requestUpload: [1, '自动请求上传'],
  terminalUpload: [129, '终端主动拍照上传'],
  stopAndUpload: [255, '停止拍摄并上传图片'],
})

/** 图片尺寸 (0x8301, 0x0301, 0x0305). */
export const PHOTO_SIZE = codeTable({
  qvga: [1, '320×240'],
  vga: [2, '640×480'],
  svga: [3, '800×600'],
  xga: [4, '1024×768'],
  qcif: [5, '176×144'],
  cif: [6, '352×288'],
  halfD1: [7, '704×288'],
  d1: [8, '704×576'],
})

/** 0x0301 执行结果: 1 = success per one source; other values UNCERTAIN. */
export const PHOTO_NOW_RESULT = codeTable({
  success: [1, '可以拍照'],
  failure: [2, '拍照失败（未确认）'],
  other: [9, '其他错误'],
})

/** 0x8302 查询方式. */
export const PHOTO_QUERY_MODE = codeTable({
  byTime: [1, '按时间查询'],
})

/** 0x0302 执行结果. */
export const PHOTO_QUERY_RESULT = codeTable({
  started: [1, '开始查询'],
  failure: [2, '执行失败'],
  other: [9, '其他错误'],
})

/** 0x0303 是否上报结束. */
export const PHOTO_QUERY_END = codeTable({
  more: [0, '未结束'],
  end: [1, '上报结束'],
})

/** 0x8303 应答代码. */
export const PHOTO_QUERY_ANSWER = codeTable({
  continue: [0, '默认应答'],
  stop: [1, '停止上报'],
})

/** 0x0304 执行结果. */
export const PHOTO_UPLOAD_RESULT = codeTable({
  found: [0, '找到照片，稍候上传'],
  notFound: [1, '没有该照片'],
  other: [9, '其他错误'],
})

/** 0x0305 发起图片的事件类型. */
export const PHOTO_EVENT = codeTable({
  centerQuery: [0, '中心查询的图片'],
  emergencyAlarm: [1, '紧急报警主动上传的图片'],
  doorClosedSpeed: [2, '关车门后达到指定车速主动上传的图片'],
  rollover: [3, '侧翻报警主动上传的图片'],
  passengerBoarding: [4, '上客'],
  timed: [5, '定时拍照'],
  enterArea: [6, '进区域'],
  leaveArea: [7, '出区域'],
  suddenBrake: [8, '事故疑点（紧急刹车）'],
  doorOpen: [9, '开车门'],
  studentLogin: [17, '学员登录拍照'],
  studentLogout: [18, '学员登出拍照'],
  studentTraining: [19, '学员培训过程中拍照'],
  coachLogin: [20, '教练员登录拍照'],
  coachLogout: [21, '教练员登出拍照'],
})

/** 0x8305 应答代码: 0 = start sending; other values UNCERTAIN. */
export const PHOTO_INIT_ANSWER = codeTable({
  accepted: [0, '接受上传'],
  rejected: [1, '拒绝上传（未确认）'],
})

// ── 应用参数 / 禁训 ──────────────────────────────────────────────────────

/** 0x8501 参数编号: 0 = all fields; 1–n = the single field with that number; 220–255 vendor-defined. */
export const APP_PARAM_NO = codeTable({
  all: [0, '设置全部参数'],
  photoInterval: [1, '定时拍照时间间隔'],
  photoUpload: [2, '照片上传设置'],
  readAloud: [3, '是否报读附加消息'],
  stopTimingDelay: [4, '熄火后停止学时计时的延时时间'],
  gnssIntervalAfterEngineOff: [5, '熄火后GNSS数据包上传间隔'],
  coachLogoutDelay: [6, '熄火后教练自动登出的延时时间'],
  reverifyInterval: [7, '重新验证身份时间'],
  coachCrossSchool: [8, '教练跨校教学'],
  studentCrossSchool: [9, '学员跨校学习'],
  sameCommandInterval: [10, '响应平台同类消息时间间隔'],
})

/** 照片上传设置. */
export const APP_PHOTO_UPLOAD = codeTable({
  manual: [0, '不自动请求上传'],
  automatic: [1, '自动请求上传'],
})

/** 是否报读附加消息 (application parameter). */
export const APP_READ_ALOUD = codeTable({
  read: [1, '自动报读'],
  silent: [2, '不报读'],
})

/** 教练跨校教学 / 学员跨校学习. */
export const CROSS_SCHOOL = codeTable({
  allowed: [1, '允许'],
  forbidden: [2, '禁止'],
})

/** 0x0501 / 0x0503 结果. */
export const SET_RESULT = codeTable({
  success: [0, '成功'],
  failure: [1, '失败'],
})

/** 0x8502 / 0x0502 禁训状态 (1 allows login per [CHEJI]; 2 UNCERTAIN). */
export const TRAINING_BAN_STATE = codeTable({
  allowed: [1, '可用（正常培训）'],
  banned: [2, '禁用（禁训）'],
})

/** 0x0502 执行结果. */
export const TRAINING_BAN_RESULT = codeTable({
  success: [0, '成功'],
  failure: [1, '失败'],
})

// ── 身份认证 / 统一编号 / 车辆绑定 (UNCERTAIN value tables) ────────────────

/** 0x8401 / 0x8402 / 0x8403 结果. */
export const REQUEST_RESULT = codeTable({
  success: [0, '成功（未确认）'],
  failure: [1, '失败（未确认）'],
})

/** 0x0402 统一编号类型 (types 2, 3, 4, 6 carry a 检索字段; meanings UNCERTAIN). */
export const UNIFIED_NO_TYPES_WITH_KEY: ReadonlySet<number> = new Set([2, 3, 4, 6])
