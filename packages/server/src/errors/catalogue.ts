/**
 * The one catalogue of coded errors.
 *
 * Services throw `appError('ERR_…', params)`; the HTTP layer maps the code to its status in one
 * place. Codes are never reused once released. `docs/error-codes.md` is generated from this file
 * (`npm run gen:docs`) and checked in CI.
 */

/** How the web console should present the error (ant-design-pro's showType). */
export type ShowType = 'silent' | 'warning' | 'error' | 'notification' | 'redirect'

interface ErrorSpec {
  status: number
  /** Message template in Chinese; `{name}` slots are filled from params. */
  message: string
  showType: ShowType
}

export const ERRORS = {
  // ── HTTP ───────────────────────────────────────────────────────────────
  ERR_HTTP_VALIDATION: { status: 400, message: '请求参数有误：{detail}', showType: 'warning' },
  ERR_HTTP_NOT_FOUND: { status: 404, message: '接口不存在：{method} {url}', showType: 'error' },
  ERR_HTTP_PAYLOAD_TOO_LARGE: { status: 413, message: '上传内容过大（上限 {limitMb} MB）', showType: 'warning' },
  ERR_HTTP_UNSUPPORTED_MEDIA: { status: 415, message: '不支持的内容类型：{type}', showType: 'warning' },
  ERR_HTTP_INTERNAL: {
    status: 500,
    message: '服务器内部错误，请稍后重试；如持续出现请联系运维并提供请求编号 {requestId}',
    showType: 'error',
  },

  // ── AUTH ───────────────────────────────────────────────────────────────
  ERR_AUTH_REQUIRED: { status: 401, message: '请先登录', showType: 'redirect' },
  ERR_AUTH_BAD_CREDENTIALS: { status: 401, message: '用户名或密码错误', showType: 'warning' },
  ERR_AUTH_ACCOUNT_DISABLED: { status: 403, message: '账号已停用，请联系管理员', showType: 'error' },
  ERR_AUTH_SESSION_EXPIRED: { status: 401, message: '登录已过期，请重新登录', showType: 'redirect' },
  ERR_AUTH_TOKEN_INVALID: { status: 401, message: 'API 令牌无效、已过期或已吊销', showType: 'error' },
  ERR_AUTH_FORBIDDEN: { status: 403, message: '当前角色（{role}）无权执行此操作：{action}', showType: 'error' },
  ERR_AUTH_OUT_OF_SCOPE: { status: 403, message: '目标不在您的管辖范围内：{detail}', showType: 'error' },
  ERR_AUTH_WEAK_PASSWORD: { status: 400, message: '密码至少 8 位，且须同时包含字母和数字', showType: 'warning' },
  ERR_AUTH_USERNAME_TAKEN: { status: 409, message: '用户名 {username} 已存在', showType: 'warning' },

  // ── REG (registry) ─────────────────────────────────────────────────────
  ERR_REG_NOT_FOUND: { status: 404, message: '{entity} 不存在或不在您的管辖范围内：{id}', showType: 'warning' },
  ERR_REG_DUPLICATE: { status: 409, message: '{entity} 的 {field} 已存在：{value}', showType: 'warning' },
  ERR_REG_INVALID_FIELD: { status: 400, message: '{field} 无效：{reason}', showType: 'warning' },
  ERR_REG_REGION_UNKNOWN: { status: 400, message: '未知的行政区划代码：{code}', showType: 'warning' },
  ERR_REG_IN_USE: { status: 409, message: '{entity} 仍被引用，无法删除：{detail}', showType: 'warning' },
  ERR_REG_IMPORT_INVALID: {
    status: 422,
    message: '导入文件有 {count} 处错误，未导入任何数据；请按错误清单修改后重新上传',
    showType: 'notification',
  },
  ERR_REG_IMPORT_FORMAT: { status: 400, message: '无法读取导入文件：{reason}', showType: 'warning' },
  ERR_REG_IMPORT_TOO_MANY_ROWS: {
    status: 413,
    message: '导入文件有 {rows} 行数据，超过单次导入上限 {limit} 行；请拆分为多个文件分批导入',
    showType: 'warning',
  },

  // ── PHOTO (registered face photos) ─────────────────────────────────────
  ERR_PHOTO_NOT_IMAGE: {
    status: 422,
    message: '上传的文件不是可识别的图片（{reason}）；请上传 JPEG 或 PNG 格式的本人正面照片',
    showType: 'warning',
  },
  ERR_PHOTO_NO_FACE: {
    status: 422,
    message: '照片中没有检测到人脸；请上传本人正面、光线充足、面部无遮挡的照片',
    showType: 'warning',
  },
  ERR_PHOTO_MANY_FACES: {
    status: 422,
    message: '照片中检测到 {count} 张人脸，备案照片只能有本人；请裁剪或重新拍摄后上传',
    showType: 'warning',
  },
  ERR_PHOTO_NOT_REGISTERED: {
    status: 404,
    message: '{person} 尚未登记备案照片；请先上传本人照片',
    showType: 'warning',
  },
  ERR_PHOTO_FACE_UNAVAILABLE: {
    status: 503,
    message: '人脸识别服务暂不可用（{reason}），照片未登记；请稍后重试，如持续出现请联系运维',
    showType: 'error',
  },

  // ── SEED / CLI ─────────────────────────────────────────────────────────
  ERR_SEED_NOT_EMPTY: {
    status: 409,
    message: '数据库中已有数据（{detail}），未生成演示数据；如需重新生成请加 --reset（将清空登记数据与账号）',
    showType: 'warning',
  },
  ERR_CLI_USAGE: { status: 400, message: '命令行参数有误：{detail}；运行 jiapei help 查看用法', showType: 'warning' },
  ERR_CLI_FAILED: { status: 500, message: '命令执行失败：{reason}', showType: 'error' },

  // ── GW (terminal gateway) ──────────────────────────────────────────────
  ERR_GW_TERMINAL_OFFLINE: { status: 409, message: '终端 {terminalId} 不在线，无法下发指令', showType: 'warning' },
  ERR_GW_COMMAND_TIMEOUT: {
    status: 504,
    message: '终端 {terminalId} 在 {timeoutMs} 毫秒内未应答指令 {msgId}',
    showType: 'warning',
  },
  ERR_GW_SESSION_CLOSED: {
    status: 409,
    message: '终端 {terminalId} 的连接在应答指令 {msgId} 前已断开',
    showType: 'warning',
  },
  ERR_GW_UNAVAILABLE: { status: 503, message: '本进程未运行终端网关，无法下发终端指令', showType: 'error' },
  ERR_GW_LIVE_UNAVAILABLE: {
    status: 503,
    message: '本进程未运行终端网关，无法查看在线终端；请通过运行网关的节点访问实时监控',
    showType: 'error',
  },

  // ── DB ─────────────────────────────────────────────────────────────────
  ERR_DB_UNAVAILABLE: { status: 503, message: '数据库暂不可用，请稍后重试', showType: 'error' },

  // ── INGEST (durable ingestion) ─────────────────────────────────────────
  ERR_INGEST_COMMIT_FAILED: {
    status: 503,
    message: '{count} 条终端报文未能写入数据库（{reason}），终端将重发',
    showType: 'error',
  },
  ERR_INGEST_CLOSED: { status: 503, message: '数据接入已关闭，不再接收报文', showType: 'error' },
  ERR_INGEST_BUS_UNAVAILABLE: { status: 503, message: '消息总线 {url} 不可用：{reason}', showType: 'error' },
  ERR_INGEST_BUS_PUBLISH_FAILED: {
    status: 503,
    message: '{count} 条终端报文未能写入消息总线（{reason}），终端将重发',
    showType: 'error',
  },
  ERR_INGEST_SESSION_NOT_FOUND: { status: 404, message: '课堂不存在或不在您的管辖范围内：{id}', showType: 'warning' },
  ERR_INGEST_PHOTO_NOT_FOUND: { status: 404, message: '照片不存在或不在您的管辖范围内：{id}', showType: 'warning' },
  ERR_INGEST_RANGE_INVALID: {
    status: 400,
    message: '时间范围有误：开始 {from} 晚于结束 {to}，请重新选择日期',
    showType: 'warning',
  },
  ERR_POLICY_INVALID: {
    status: 400,
    message: '政策内容有误：{detail}。请按提示修改后重新发布',
    showType: 'warning',
  },
  ERR_POLICY_KIND_UNKNOWN: {
    status: 404,
    message: '没有这类政策：{kind}（可选 syllabus、detection）',
    showType: 'warning',
  },
  ERR_POLICY_EFFECTIVE_IN_PAST: {
    status: 409,
    message:
      '新版本的生效时间 {effectiveFrom} 早于当前版本 v{version} 的生效时间，已认定的学时不会被改写；请选择更晚的生效时间',
    showType: 'warning',
  },

  // ── DETECT (detection engine) ──────────────────────────────────────────
  ERR_DETECT_WINDOW_INVALID: {
    status: 400,
    message: '检测时间窗有误：{detail}。请用 YYYY-MM-DD 给出起止日期（北京时间，含两端），且起始不晚于结束',
    showType: 'warning',
  },
  ERR_DETECT_CITY_UNKNOWN: {
    status: 400,
    message: '没有这个地市：{city}。请给出 4 位或 6 位地市代码，如 3301 或 330100',
    showType: 'warning',
  },

  // ── FINDING (疑点线索) ──────────────────────────────────────────────────
  ERR_FINDING_NOT_FOUND: { status: 404, message: '疑点不存在或不在您的管辖范围内：{id}', showType: 'warning' },
  ERR_FINDING_TRANSITION_INVALID: {
    status: 409,
    message: '疑点 {id} 当前状态为「{from}」，不能改为「{to}」；可改为：{allowed}。请刷新页面查看最新状态',
    showType: 'warning',
  },
  ERR_FINDING_NOTE_REQUIRED: {
    status: 400,
    message: '将疑点改为「{to}」须填写审核意见，请写明依据后再提交',
    showType: 'warning',
  },
  // ── HOURS ──────────────────────────────────────────────────────────────
  ERR_HOURS_STUDENT_NOT_FOUND: { status: 404, message: '学员不存在或不在您的管辖范围内：{id}', showType: 'warning' },
  ERR_HOURS_LICENSE_UNKNOWN: {
    status: 409,
    message:
      '大纲政策 v{version} 没有培训车型 {licenseType} 的学时要求；请省级管理部门在「大纲政策」中补充该车型后再试',
    showType: 'warning',
  },
  ERR_HOURS_INCOMPLETE: {
    status: 409,
    message: '学时未达到大纲要求：{detail}。请继续培训，待学时认定后再申请',
    showType: 'warning',
  },
  ERR_HOURS_UNDER_REVIEW: {
    status: 409,
    message: '学员学时尚在审核中：{detail}。请待疑点核查完毕、阶段报审有结论后再申请',
    showType: 'warning',
  },
  ERR_HOURS_ALREADY_CERTIFIED: {
    status: 409,
    message: '学员已取得结业证书 {certNo}（{issuedAt}），不能重复发放',
    showType: 'warning',
  },
  ERR_HOURS_CERTIFICATE_NOT_FOUND: { status: 404, message: '学员尚未取得结业证书：{id}', showType: 'warning' },
  ERR_HOURS_REVIEW_NOT_FOUND: {
    status: 404,
    message: '阶段报审记录不存在或不在您的管辖范围内：{id}',
    showType: 'warning',
  },
  ERR_HOURS_REVIEW_PENDING: {
    status: 409,
    message: '{part}已有待审核的阶段报审（编号 {id}），请等待审核结论',
    showType: 'warning',
  },
  ERR_HOURS_REVIEW_APPROVED: {
    status: 409,
    message: '{part}已通过阶段报审（编号 {id}），无需重复报审',
    showType: 'warning',
  },
  ERR_HOURS_REVIEW_DECIDED: {
    status: 409,
    message: '该阶段报审已有结论（{status}），不能重复审核',
    showType: 'warning',
  },
  // ── EXCHANGE (third-party timing platforms; numeric errorcode table in src/exchange/codes.ts) ──
  ERR_EXCHANGE_SERVICE_UNKNOWN: { status: 404, message: '接口服务不存在：{service}', showType: 'warning' },
  ERR_EXCHANGE_PARAM_MISSING: {
    status: 400,
    message: '缺少参数 {params}；请求地址应为 {base}{service}?v=&ts=&sign=&user=',
    showType: 'warning',
  },
  ERR_EXCHANGE_PARAM_INVALID: { status: 400, message: '参数 {param} 格式有误：{reason}', showType: 'warning' },
  ERR_EXCHANGE_USER_UNKNOWN: {
    status: 401,
    message: '未知的平台证书 {user}；请向省级监管平台申请接入证书',
    showType: 'error',
  },
  ERR_EXCHANGE_USER_REVOKED: {
    status: 401,
    message: '平台证书 {user} 已吊销或计时平台已停用；请联系省级监管平台重新签发',
    showType: 'error',
  },
  ERR_EXCHANGE_TS_EXPIRED: {
    status: 401,
    message: '时间戳 {ts} 与平台时间相差 {skewSeconds} 秒，超出允许的 ±{windowSeconds} 秒；请校准服务器时钟后重新签名',
    showType: 'warning',
  },
  ERR_EXCHANGE_SIGN_INVALID: {
    status: 401,
    message: '签名校验失败；请用证书私钥对“请求体 + 时间戳”重新签名，并确认请求体发送时未被改动',
    showType: 'error',
  },
  ERR_EXCHANGE_REPLAYED: {
    status: 409,
    message: '该签名的请求已处理过（重放）；每次请求须使用新的时间戳重新签名',
    showType: 'warning',
  },
  ERR_EXCHANGE_RATE_LIMITED: {
    status: 429,
    message: '请求过于频繁（每秒 {perSecond} 次，突发 {burst} 次）；请约 {retryAfterMs} 毫秒后重试',
    showType: 'warning',
  },
  ERR_EXCHANGE_BODY_INVALID: { status: 400, message: '请求体字段有误：{field} {reason}', showType: 'warning' },
  ERR_EXCHANGE_INSTITUTION_UNKNOWN: {
    status: 404,
    message: '培训机构 {inscode} 未在本省备案；机构须先由监管部门备案',
    showType: 'warning',
  },
  ERR_EXCHANGE_INSTITUTION_NOT_SERVED: {
    status: 403,
    message: '培训机构 {inscode} 未选用本计时平台，不能由本平台上报其数据',
    showType: 'error',
  },
  ERR_EXCHANGE_STUDENT_UNKNOWN: {
    status: 404,
    message: '学员 {stunum} 未备案或不属于{owner}',
    showType: 'warning',
  },
  ERR_EXCHANGE_COACH_UNKNOWN: {
    status: 404,
    message: '教练员 {coachnum} 未备案或不属于{owner}',
    showType: 'warning',
  },
  ERR_EXCHANGE_VEHICLE_UNKNOWN: {
    status: 404,
    message: '教练车 {carnum} 未备案或不属于{owner}',
    showType: 'warning',
  },
  ERR_EXCHANGE_NOT_OWNED: {
    status: 409,
    message: '{entity} {number} 已在其他机构备案，不能由机构 {inscode} 上报；如需变更请办理转学或变更备案',
    showType: 'warning',
  },
  ERR_EXCHANGE_RECORD_UNKNOWN: {
    status: 404,
    message: '电子教学日志 {recnum} 未上报过；请先上报该日志',
    showType: 'warning',
  },
  ERR_EXCHANGE_RECORD_CONFLICT: {
    status: 409,
    message: '电子教学日志 {recnum} 已上报且内容不同（{detail}）；已上报的日志不能改写',
    showType: 'warning',
  },
  ERR_EXCHANGE_FILE_INVALID: { status: 400, message: '上传文件有误：{reason}', showType: 'warning' },
  ERR_EXCHANGE_NOT_SUPPORTED: {
    status: 404,
    message: '{service} 在本平台不适用：{reason}',
    showType: 'warning',
  },
  ERR_EXCHANGE_DEVICE_UNKNOWN: {
    status: 404,
    message: '计时终端 {devnum} 未备案或不属于{owner}',
    showType: 'warning',
  },
  ERR_EXCHANGE_DEVICE_OTHER_PLATFORM: {
    status: 403,
    message: '计时终端 {devnum} 由其他计时平台接入，不能由本平台注销',
    showType: 'error',
  },
  ERR_EXCHANGE_FIELD_UNKNOWN: {
    status: 404,
    message: '培训机构 {inscode} 没有编号为 {seq} 的教学区域（教练场地）',
    showType: 'warning',
  },
  ERR_EXCHANGE_STUINFO_NOT_FOUND: {
    status: 404,
    message: '按证件号码与姓名未找到学员；请核对证件号码和姓名，或先上报学员备案',
    showType: 'warning',
  },
  ERR_EXCHANGE_PLATFORM_NOT_FOUND: { status: 404, message: '计时平台不存在：{id}', showType: 'warning' },
  ERR_EXCHANGE_CREDENTIAL_NOT_FOUND: {
    status: 404,
    message: '计时平台 {platformId} 没有编号为 {id} 的接入证书',
    showType: 'warning',
  },
  ERR_EXCHANGE_UNAVAILABLE: {
    status: 503,
    message: '{service} 暂不可办理：{reason}',
    showType: 'error',
  },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERRORS

export class AppError extends Error {
  readonly status: number
  readonly showType: ShowType
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    /** Structured detail for the client (e.g. row-level import errors). */
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    const spec = ERRORS[code]
    super(formatMessage(spec.message, params), options)
    this.name = 'AppError'
    this.status = spec.status
    this.showType = spec.showType
  }
}

export function appError(code: ErrorCode, params: Record<string, unknown> = {}, details?: unknown): AppError {
  return new AppError(code, params, details)
}

export function formatMessage(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => (key in params ? String(params[key]) : `{${key}}`))
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}
