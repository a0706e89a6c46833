/**
 * The one place that reads the process environment.
 *
 * `loadConfig(env)` is pure: it validates every variable against the table below, collects every
 * problem into one `ConfigError` (so an operator fixes them all in one go), and returns a frozen,
 * typed `Config`. Everything else receives configuration as a parameter.
 */
import os from 'node:os'
import path from 'node:path'

export const PROCESS_ROLES = ['api', 'gateway', 'ingest'] as const
export type ProcessRole = (typeof PROCESS_ROLES)[number]

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const SEED_SCALES = ['small', 'city', 'province'] as const
export type SeedScale = (typeof SEED_SCALES)[number]

export const FACE_DETECTORS = ['ssd', 'tiny', 'cascade'] as const
export type FaceDetectorName = (typeof FACE_DETECTORS)[number]

export const INGEST_BUSES = ['inproc', 'nats'] as const
export type IngestBus = (typeof INGEST_BUSES)[number]

export interface Config {
  http: { host: string; port: number; cookieSecure: boolean; sessionTtlHours: number }
  gateway: {
    port: number
    /** Name of this gateway process, recorded on every envelope. */
    nodeName: string
    /** Close a session that sent nothing for this long (ms). */
    heartbeatTimeoutMs: number
    /** Close a connection that has not authenticated within this time (ms). */
    authTimeoutMs: number
    /** Largest accepted frame in unescaped bytes. */
    maxFrameSize: number
    /** Give up a sub-packaged message whose packets are still missing after this long (ms). */
    subpackageTimeoutMs: number
    /** Accepted clock difference of the 0x0102 timestamp (s). */
    authWindowSeconds: number
  }
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string }
  dataDir: string
  roles: readonly ProcessRole[]
  logLevel: LogLevel
  demo: { enabled: boolean; scale: SeedScale; seed: number; terminals: number; speedup: number; historyDays: number }
  photos: {
    /** Run the photo analysis loop in the ingest role. */
    analysis: boolean
    /** Count faces and compare them with registered photos (face model thread); off = measures only. */
    faces: boolean
    /** Photos analysed per batch, and the pause (ms) between polls when none is pending. */
    batchSize: number
    intervalMs: number
    /** Face detector of the analysis loop: 'ssd', 'tiny', or 'cascade' (tiny, SSD when tiny finds no face). */
    detector: FaceDetectorName
    /** Side the tiny detector scales a photo to (multiple of 32, 128–608). */
    tinyInputSize: number
    /** Face model threads of the process (each about 120 MB, up to one core). */
    faceThreads: number
  }
  detection: {
    /** Run the streaming detection loop in the ingest role. */
    stream: boolean
    /** Pause (ms) between looks for sessions due (new minutes, start or end), and sessions per transaction. */
    intervalMs: number
    batchSize: number
    /** A session marked due waits this many ms before it is claimed (open sessions are then judged at most this often). */
    settleMs: number
    /** Run the cross-session rules over yesterday and today every this many ms (0 = never). */
    crossIntervalMs: number
  }
  ingest: {
    /** Bus between gateway and ingestion: in-process writer, or NATS JetStream. */
    bus: IngestBus
    natsUrl: string
    /** Group-commit window (ms) and the batch size that commits at once. */
    windowMs: number
    maxBatch: number
    /** Group commits that may run at once on PostgreSQL (PGlite: always 1). */
    concurrency: number
  }
  exchange: {
    /** Accepted difference between a request's ts and the platform clock (s), either way. */
    replayWindowSeconds: number
    /** Token bucket per timing platform and process: sustained requests per second and burst size. */
    ratePerSecond: number
    burst: number
  }
}

type Env = Record<string, string | undefined>

/** Documentation of every variable: name, meaning, default. Rendered into docs/configuration.md. */
export const CONFIG_VARIABLES = [
  { name: 'JIAPEI_HTTP_HOST', default: '127.0.0.1', doc: 'HTTP 监听地址 / address the API and web console listen on' },
  { name: 'JIAPEI_HTTP_PORT', default: '3000', doc: 'HTTP 端口 / port of the API and web console' },
  { name: 'JIAPEI_GATEWAY_PORT', default: '7611', doc: '终端网关 TCP 端口 / TCP port of the terminal gateway' },
  {
    name: 'JIAPEI_GATEWAY_NODE',
    default: 'gateway-<hostname>',
    doc: '网关节点名，记入每帧原始记录 / gateway node name recorded on every frame',
  },
  {
    name: 'JIAPEI_GATEWAY_HEARTBEAT_TIMEOUT_MS',
    default: '180000',
    doc: '终端无任何上行超过该毫秒数即断开 / close a session idle for this many ms',
  },
  {
    name: 'JIAPEI_GATEWAY_AUTH_TIMEOUT_MS',
    default: '60000',
    doc: '连接后须在该毫秒数内完成鉴权 / ms a connection has to authenticate',
  },
  {
    name: 'JIAPEI_GATEWAY_MAX_FRAME_BYTES',
    default: '2048',
    doc: '单帧最大字节数（反转义后） / largest frame in unescaped bytes',
  },
  {
    name: 'JIAPEI_GATEWAY_SUBPACKAGE_TIMEOUT_MS',
    default: '30000',
    doc: '分包补齐等待毫秒数，超时放弃 / ms to wait for missing sub-packages before giving up',
  },
  {
    name: 'JIAPEI_GATEWAY_AUTH_WINDOW_S',
    default: '600',
    doc: '鉴权时间戳允许的误差秒数 / accepted clock skew of the authentication timestamp (s)',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset)',
    doc: 'PostgreSQL 连接串；不设则使用内嵌 PGlite / postgres:// URL; unset = embedded PGlite',
  },
  {
    name: 'JIAPEI_DATA_DIR',
    default: './data',
    doc: '数据目录（PGlite、照片等） / data directory (PGlite files, photos)',
  },
  {
    name: 'JIAPEI_ROLES',
    default: 'api (start: api,gateway,ingest)',
    doc: `进程角色，逗号分隔 / comma-separated roles: ${PROCESS_ROLES.join(', ')}`,
  },
  { name: 'JIAPEI_LOG_LEVEL', default: 'info', doc: `日志级别 / log level: ${LOG_LEVELS.join(', ')}` },
  { name: 'JIAPEI_COOKIE_SECURE', default: 'false', doc: '会话 Cookie 仅限 HTTPS / mark the session cookie Secure' },
  { name: 'JIAPEI_SESSION_TTL_HOURS', default: '12', doc: '登录会话有效小时数 / hours a login session stays valid' },
  {
    name: 'JIAPEI_DEMO',
    default: 'true for start, else false',
    doc: '`jiapei start` 遇到空库时生成演示省份 / generate a demo province when `jiapei start` finds an empty database',
  },
  { name: 'JIAPEI_DEMO_SCALE', default: 'small', doc: `演示省份规模 / demo scale: ${SEED_SCALES.join(', ')}` },
  { name: 'JIAPEI_DEMO_SEED', default: '20210401', doc: '演示数据随机种子 / seed of the demo generator' },
  {
    name: 'JIAPEI_DEMO_HISTORY_DAYS',
    default: '14',
    doc: '演示省份生成的培训历史天数（今天之前；0 = 不生成），含带标注的作弊样本与检测结果 / days of training history (with labelled frauds, detected) generated with the demo province (0 = none)',
  },
  {
    name: 'JIAPEI_DEMO_TERMINALS',
    default: '8',
    doc: '`jiapei start` 演示时在线培训的模拟终端数（0 = 不模拟） / simulated terminals training live in the demo (0 = none)',
  },
  {
    name: 'JIAPEI_DEMO_SPEEDUP',
    default: '10',
    doc: '演示模拟终端的时间倍速 / time compression of the demo terminals',
  },
  {
    name: 'JIAPEI_PHOTO_ANALYSIS',
    default: 'true',
    doc: '入库角色分析照片（感知哈希、亮度、人脸） / the ingest role analyses photos (hash, luma, faces)',
  },
  {
    name: 'JIAPEI_PHOTO_FACES',
    default: 'true',
    doc: '照片分析含人脸检测与比对（false 仅算哈希与亮度） / include face detection and matching (false = hash and luma only)',
  },
  {
    name: 'JIAPEI_PHOTO_DETECTOR',
    default: 'cascade',
    doc: `照片分析的人脸检测器：cascade 先用 tiny、未检出人脸再用 ssd；ssd 较准但慢；tiny 最快、漏检较多 / face detector of the analysis: ${FACE_DETECTORS.join(', ')} (cascade = tiny, then SSD when tiny finds no face)`,
  },
  {
    name: 'JIAPEI_PHOTO_TINY_INPUT',
    default: '160',
    doc: 'tiny 检测器的输入边长（32 的倍数，128–608） / side the tiny detector scales a photo to (multiple of 32, 128–608)',
  },
  {
    name: 'JIAPEI_PHOTO_FACE_THREADS',
    default: '1',
    doc: '人脸模型线程数（每个约 120 MB，占一个核） / face model threads (about 120 MB and up to one core each)',
  },
  {
    name: 'JIAPEI_PHOTO_BATCH',
    default: '20',
    doc: '每批分析的照片数 / photos analysed per batch',
  },
  {
    name: 'JIAPEI_PHOTO_INTERVAL_MS',
    default: '2000',
    doc: '无待分析照片时的轮询间隔毫秒数 / ms between polls when no photo is waiting',
  },
  {
    name: 'JIAPEI_DETECT_STREAM',
    default: 'true',
    doc: '入库角色持续检测新到的分钟学时（规则引擎） / the ingest role evaluates newly arrived minutes with the detection rules',
  },
  {
    name: 'JIAPEI_DETECT_INTERVAL_MS',
    default: '5000',
    doc: '流式检测的轮询间隔毫秒数 / ms between looks at the queue of sessions due for detection',
  },
  {
    name: 'JIAPEI_DETECT_BATCH',
    default: '200',
    doc: '流式检测每个事务评估的课堂数 / sessions evaluated per transaction',
  },
  {
    name: 'JIAPEI_DETECT_SETTLE_MS',
    default: '0',
    doc: '课堂进入待检队列后至少等待的毫秒数，训练中的课堂至多每隔此时长评估一次；省级规模建议 300000 / ms a due session waits before it is evaluated, so an open session is judged at most this often (province scale: 300000)',
  },
  {
    name: 'JIAPEI_DETECT_CROSS_INTERVAL_MS',
    default: '600000',
    doc: '入库角色每隔此毫秒数对昨今两日运行跨课堂规则（交叉培训、多车带教、照片重复等），0 = 不运行 / ms between runs of the cross-session rules over yesterday and today (0 = never)',
  },
  {
    name: 'JIAPEI_BUS',
    default: 'inproc',
    doc: `网关到入库的消息总线 / bus between gateway and ingestion: ${INGEST_BUSES.join(', ')}`,
  },
  { name: 'NATS_URL', default: 'nats://127.0.0.1:4222', doc: 'NATS JetStream 地址（JIAPEI_BUS=nats） / NATS server' },
  {
    name: 'JIAPEI_INGEST_WINDOW_MS',
    default: '5',
    doc: '组提交等待毫秒数 / group-commit window: ms a frame may wait for others before the commit',
  },
  {
    name: 'JIAPEI_INGEST_MAX_BATCH',
    default: '2000',
    doc: '单次提交的最大报文数 / frames that trigger a commit at once',
  },
  {
    name: 'JIAPEI_INGEST_CONCURRENCY',
    default: '2',
    doc: '可同时进行的组提交数（PostgreSQL，各用一个连接；PGlite 恒为 1） / group commits that may run at once on PostgreSQL, each on its own connection (PGlite: always 1)',
  },
  {
    name: 'JIAPEI_EXCHANGE_REPLAY_WINDOW_S',
    default: '300',
    doc: '对接接口时间戳 ts 允许与平台时钟相差的秒数（前后） / accepted clock difference of the exchange ts, either way (s)',
  },
  {
    name: 'JIAPEI_EXCHANGE_RATE_PER_S',
    default: '20',
    doc: '每个计时平台每秒可调用对接接口的次数（每进程令牌桶） / sustained exchange requests per second per platform, per process',
  },
  {
    name: 'JIAPEI_EXCHANGE_BURST',
    default: '100',
    doc: '对接接口令牌桶容量（允许的突发请求数） / burst size of the per-platform token bucket',
  },
] as const

export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG_INVALID'
  constructor(readonly problems: string[]) {
    super(`配置有误 / invalid configuration (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Readonly<Config> {
  const problems: string[] = []
  const read = (name: string, fallback: string) => {
    const value = env[name]
    return value === undefined || value.trim() === '' ? fallback : value.trim()
  }
  const port = (name: string, fallback: string) => {
    const raw = read(name, fallback)
    const n = Number(raw)
    if (!/^\d+$/.test(raw) || n < 0 || n > 65535) {
      problems.push(`${name}=${JSON.stringify(raw)} 不是有效端口 (0–65535) / is not a port number`)
      return 0
    }
    return n
  }
  const bool = (name: string, fallback: string) => {
    const raw = read(name, fallback).toLowerCase()
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true
    if (['0', 'false', 'no', 'off'].includes(raw)) return false
    problems.push(`${name}=${JSON.stringify(raw)} 应为 true 或 false / must be true or false`)
    return false
  }
  const oneOf = <T extends string>(name: string, fallback: string, allowed: readonly T[]): T => {
    const raw = read(name, fallback)
    if ((allowed as readonly string[]).includes(raw)) return raw as T
    problems.push(`${name}=${JSON.stringify(raw)} 应为 ${allowed.join(' | ')} 之一 / must be one of them`)
    return allowed[0] as T
  }
  const nonNegativeInt = (name: string, fallback: string) => {
    const raw = read(name, fallback)
    if (!/^\d+$/.test(raw)) {
      problems.push(`${name}=${JSON.stringify(raw)} 应为非负整数 / must be a whole number ≥ 0`)
      return 0
    }
    return Number(raw)
  }
  const positiveInt = (name: string, fallback: string) => {
    const raw = read(name, fallback)
    if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
      problems.push(`${name}=${JSON.stringify(raw)} 应为正整数 / must be a positive integer`)
      return 1
    }
    return Number(raw)
  }

  const tinyInput = (name: string, fallback: string) => {
    const raw = read(name, fallback)
    const n = Number(raw)
    if (!/^\d+$/.test(raw) || n % 32 !== 0 || n < 128 || n > 608) {
      problems.push(
        `${name}=${JSON.stringify(raw)} 应为 128–608 之间 32 的倍数 / must be a multiple of 32 from 128 to 608`,
      )
      return 160
    }
    return n
  }

  const dataDir = path.resolve(cwd, read('JIAPEI_DATA_DIR', './data'))
  const databaseUrl = env.DATABASE_URL?.trim()
  let database: Config['database'] = { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') }
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl)
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('protocol')
      database = { kind: 'postgres', url: databaseUrl }
    } catch {
      problems.push('DATABASE_URL 应形如 postgres://user@host:5432/db / must look like postgres://user@host:5432/db')
    }
  }

  const roles = read('JIAPEI_ROLES', 'api')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
  for (const role of roles) {
    if (!(PROCESS_ROLES as readonly string[]).includes(role)) {
      problems.push(`JIAPEI_ROLES 含未知角色 ${JSON.stringify(role)}，可用：${PROCESS_ROLES.join(', ')} / unknown role`)
    }
  }
  if (roles.length === 0) problems.push('JIAPEI_ROLES 至少需要一个角色 / needs at least one role')

  const config: Config = {
    http: {
      host: read('JIAPEI_HTTP_HOST', '127.0.0.1'),
      port: port('JIAPEI_HTTP_PORT', '3000'),
      cookieSecure: bool('JIAPEI_COOKIE_SECURE', 'false'),
      sessionTtlHours: positiveInt('JIAPEI_SESSION_TTL_HOURS', '12'),
    },
    gateway: {
      port: port('JIAPEI_GATEWAY_PORT', '7611'),
      nodeName: read('JIAPEI_GATEWAY_NODE', `gateway-${os.hostname()}`),
      heartbeatTimeoutMs: positiveInt('JIAPEI_GATEWAY_HEARTBEAT_TIMEOUT_MS', '180000'),
      authTimeoutMs: positiveInt('JIAPEI_GATEWAY_AUTH_TIMEOUT_MS', '60000'),
      maxFrameSize: positiveInt('JIAPEI_GATEWAY_MAX_FRAME_BYTES', '2048'),
      subpackageTimeoutMs: positiveInt('JIAPEI_GATEWAY_SUBPACKAGE_TIMEOUT_MS', '30000'),
      authWindowSeconds: positiveInt('JIAPEI_GATEWAY_AUTH_WINDOW_S', '600'),
    },
    database,
    dataDir,
    roles: roles as ProcessRole[],
    logLevel: oneOf('JIAPEI_LOG_LEVEL', 'info', LOG_LEVELS),
    demo: {
      enabled: bool('JIAPEI_DEMO', 'false'),
      scale: oneOf('JIAPEI_DEMO_SCALE', 'small', SEED_SCALES),
      seed: positiveInt('JIAPEI_DEMO_SEED', '20210401'),
      terminals: nonNegativeInt('JIAPEI_DEMO_TERMINALS', '8'),
      speedup: positiveInt('JIAPEI_DEMO_SPEEDUP', '10'),
      historyDays: nonNegativeInt('JIAPEI_DEMO_HISTORY_DAYS', '14'),
    },
    photos: {
      analysis: bool('JIAPEI_PHOTO_ANALYSIS', 'true'),
      faces: bool('JIAPEI_PHOTO_FACES', 'true'),
      batchSize: positiveInt('JIAPEI_PHOTO_BATCH', '20'),
      intervalMs: positiveInt('JIAPEI_PHOTO_INTERVAL_MS', '2000'),
      detector: oneOf('JIAPEI_PHOTO_DETECTOR', 'cascade', FACE_DETECTORS),
      tinyInputSize: tinyInput('JIAPEI_PHOTO_TINY_INPUT', '160'),
      faceThreads: positiveInt('JIAPEI_PHOTO_FACE_THREADS', '1'),
    },
    detection: {
      stream: bool('JIAPEI_DETECT_STREAM', 'true'),
      intervalMs: positiveInt('JIAPEI_DETECT_INTERVAL_MS', '5000'),
      batchSize: positiveInt('JIAPEI_DETECT_BATCH', '200'),
      settleMs: nonNegativeInt('JIAPEI_DETECT_SETTLE_MS', '0'),
      crossIntervalMs: nonNegativeInt('JIAPEI_DETECT_CROSS_INTERVAL_MS', '600000'),
    },
    ingest: {
      bus: oneOf('JIAPEI_BUS', 'inproc', INGEST_BUSES),
      natsUrl: read('NATS_URL', 'nats://127.0.0.1:4222'),
      windowMs: positiveInt('JIAPEI_INGEST_WINDOW_MS', '5'),
      maxBatch: positiveInt('JIAPEI_INGEST_MAX_BATCH', '2000'),
      concurrency: positiveInt('JIAPEI_INGEST_CONCURRENCY', '2'),
    },
    exchange: {
      replayWindowSeconds: positiveInt('JIAPEI_EXCHANGE_REPLAY_WINDOW_S', '300'),
      ratePerSecond: positiveInt('JIAPEI_EXCHANGE_RATE_PER_S', '20'),
      burst: positiveInt('JIAPEI_EXCHANGE_BURST', '100'),
    },
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return deepFreeze(config)
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
