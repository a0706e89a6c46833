/**
 * The `jiapei` command: migrate, seed the demo province, start the server, decode or explain
 * JT/T 808 frames, and run a fleet of simulated terminals against the gateway.
 *
 * Every failure prints a coded message (the code first, so scripts can match it) and exits
 * non-zero; configuration problems are printed all at once.
 */
import { parseArgs } from 'node:util'
import {
  CODEC_ERRORS,
  decodeFrame,
  explain,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
  parseHex,
  renderExplain,
  toJsonValue,
} from '@jiapei/jt808'
import cliProgress from 'cli-progress'
import { type Config, ConfigError, loadConfig, SEED_SCALES, type SeedScale } from './config/load.ts'
import { type Database, openDatabase, redact } from './db/client.ts'
import { AppError, appError } from './errors/catalogue.ts'
import { runExchangeDemo } from './exchange/demo.ts'
import { type DemoAccountRow, listDemoAccounts } from './seed/accounts.ts'
import { occupiedTables, type SeedProgress, type SeedSummary, seedDemo } from './seed/seed.ts'
import { type SeedTable, TABLE_LABELS } from './seed/tables.ts'
import type { HistoryProgress } from './seed/training-history.ts'

const HELP = `驾培监管服务平台 命令行 / Jiapei command line

用法 / Usage:
  jiapei <命令> [选项]

命令 / Commands:
  start                         迁移数据库并启动 HTTP 服务（API 与管理控制台）；空库首次启动时
                                生成演示省份（JIAPEI_DEMO=false 可关闭）
                                migrate, generate the demo province into an empty database
                                (unless JIAPEI_DEMO=false) and serve the API and web console
  migrate                       执行数据库迁移 / apply database migrations
  seed --scale <规模> [--seed N] [--reset] [--history-days N]
                                生成演示省份数据与演示账号 / generate a demo province and demo accounts
      --scale small|city|province
                                small    每市都有，约 40 家机构、1,500 辆教练车、2 万名学员
                                         every city, ≈ 40 institutions, 1,500 cars, 20k students
                                city     约一个大城市：150 家机构、6,000 辆车、12 万名学员
                                         one big city's worth: 150 institutions, 6k cars, 120k students
                                province 全省：约 800 家机构、3.8 万辆车、5.3 万名教练员、60 万名学员
                                         whole province: 800 institutions, 38k cars, 53k coaches, 600k students
      --seed N                  随机种子，相同种子生成相同数据（默认 JIAPEI_DEMO_SEED）
                                generator seed; the same seed gives the same data
      --reset                   先清空登记数据与账号；否则库中已有数据时拒绝执行
                                empty registry tables and accounts first; otherwise a non-empty
                                database is refused
      --history-days N          生成今天之前 N 天的培训历史（实操与课堂学时、约 5% 带标注的作弊，
                                并批量检测），0 = 不生成（默认 JIAPEI_DEMO_HISTORY_DAYS）
                                days of training history before today (lessons, classroom records,
                                ~5 % labelled frauds, then batch detection); 0 = none
  decode <十六进制> [--protocol 版本]
                                解码一帧 JT/T 808 报文，输出 JSON（消息头与消息体字段）；可带空格，
                                可带或不带 7E 标识位；出错时输出错误码并以 1 退出
                                decode one JT/T 808 frame to JSON (header and body fields); spaces
                                and the 7E delimiters are optional; a bad frame prints its error
                                code and exits 1
  explain <十六进制> [--protocol 版本]
                                逐字段注释一帧报文（中文字段名、偏移、十六进制与取值）
                                annotated field-by-field dump of one frame
      --protocol jiapei|2011|2013|2019
                                指定消息头格式，不按帧自动识别 / force the header layout instead of
                                detecting it per frame
  simulate --terminals N [--speedup X] [--host H] [--port P] [--duration 秒] [--lessons N]
           [--minutes N] [--seed N]
                                从登记库取 N 台终端（含教练车、教练员、学员、训练场），模拟计时终端
                                通过 TCP 连接网关：注册、鉴权、教练员与学员登录、每分钟学时记录、
                                位置、照片、登出；时间按倍速压缩；结束时输出统计
                                run N simulated timing terminals from the registry against the
                                gateway over TCP (registration, signed auth, logins, a minute record
                                a minute, positions, photos, logouts) in compressed time; prints
                                progress and a summary
      --terminals N             终端数 / number of terminals (1–100000)
      --speedup X               时间倍速，默认 1（60 = 一分钟学时一秒完成）/ simulated seconds per
                                real second, default 1
      --host H --port P         网关地址，默认 127.0.0.1 与 JIAPEI_GATEWAY_PORT / gateway address
      --duration 秒             运行时长（真实秒），到时停止；不设则每台终端完成 --lessons 节课后停止
                                stop after this many real seconds; otherwise after --lessons lessons
      --lessons N               每台终端的课数，默认 1（设 --duration 时不限）/ lessons per terminal
      --minutes N               每节课培训分钟数，默认 45 / training minutes per lesson
      --seed N                  随机种子，相同种子选取相同终端、生成相同课程 / the same seed picks
                                the same terminals and plays the same lessons
  detect --from YYYY-MM-DD --to YYYY-MM-DD [--city 地市代码] [--cross-only]
                                批量检测：重新评估时间窗内（北京时间，含两端日期）的全部课堂的分钟学时规则、
                                重新认定学时，并运行跨课堂规则（交叉培训、多车带教、照片重复等），
                                记录一次 detection_run；--city 只检测一个地市（3301 或 330100）；
                                --cross-only 只运行跨课堂规则（如跨课堂规则参数调整后）
                                batch detection over the local days from..to (inclusive): every session
                                re-evaluated, credits re-decided, cross-session rules run; one
                                detection_run row; --city limits it to one city; --cross-only runs
                                the cross-session rules alone
  help                          显示本帮助 / show this help

环境变量 / Environment: DATABASE_URL（不设则使用内嵌 PGlite）、JIAPEI_DATA_DIR、JIAPEI_HTTP_HOST、
  JIAPEI_HTTP_PORT、JIAPEI_DEMO、JIAPEI_DEMO_SCALE、JIAPEI_DEMO_SEED … 见 docs/configuration.md

示例 / Examples:
  npx jiapei migrate
  npx jiapei seed --scale province --reset
  npx jiapei decode 7E 80 00 02 00 00 00 00 01 38 00 13 80 00 00 01 00 29 7E
  npx jiapei explain 7e80000200000000013800138000000100297e
  npx jiapei simulate --terminals 20 --speedup 60 --duration 120
  npx jiapei detect --from 2026-05-01 --to 2026-05-07 --city 3301
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiapei npx jiapei start
`

type Command = 'start' | 'migrate' | 'seed' | 'decode' | 'explain' | 'simulate' | 'detect' | 'help'
const COMMANDS: readonly Command[] = ['start', 'migrate', 'seed', 'decode', 'explain', 'simulate', 'detect', 'help']
const FRAME_COMMANDS: readonly Command[] = ['decode', 'explain']

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    return fail(error)
  }
  const { command, values, frameHex } = parsed
  if (command === 'help' || values.help) {
    process.stdout.write(HELP)
    return 0
  }
  if (command === 'decode' || command === 'explain') {
    try {
      return await frameCommand(command, frameHex, values.protocol)
    } catch (error) {
      return fail(error)
    }
  }
  try {
    if (command === 'migrate') return await migrateCommand(loadConfig(env))
    if (command === 'seed') return await seedCommand(loadConfig(env), values)
    if (command === 'simulate') return await simulateCommand(loadConfig(env), values)
    if (command === 'detect') return await detectCommand(loadConfig(env), values)
    // `start` generates the demo province unless told not to.
    return await startCommand(
      loadConfig({
        ...env,
        JIAPEI_DEMO: env.JIAPEI_DEMO?.trim() || 'true',
        JIAPEI_ROLES: env.JIAPEI_ROLES?.trim() || 'api,gateway,ingest',
      }),
    )
  } catch (error) {
    return fail(error)
  }
}

function parse(argv: string[]) {
  let result: ReturnType<typeof parseArgsStrict>
  try {
    result = parseArgsStrict(argv)
  } catch (error) {
    throw appError('ERR_CLI_USAGE', { detail: (error as Error).message })
  }
  const [first, ...rest] = result.positionals
  const command = (first ?? 'help') as Command
  if (!COMMANDS.includes(command)) throw appError('ERR_CLI_USAGE', { detail: `未知命令 / unknown command "${first}"` })
  const isFrameCommand = FRAME_COMMANDS.includes(command)
  if (rest.length > 0 && !isFrameCommand) {
    throw appError('ERR_CLI_USAGE', { detail: `多余的参数 / unexpected argument "${rest[0]}"` })
  }
  if (isFrameCommand && rest.length === 0 && !result.values.help) {
    throw appError('ERR_CLI_USAGE', { detail: `${command} 需要十六进制报文 / needs the frame as hex` })
  }
  const { values } = result
  if (values.protocol !== undefined) {
    if (!isFrameCommand)
      throw appError('ERR_CLI_USAGE', { detail: '--protocol 只用于 decode 与 explain / only valid there' })
    if (!(PROTOCOL_VERSIONS as readonly string[]).includes(values.protocol)) {
      throw appError('ERR_CLI_USAGE', {
        detail: `--protocol 应为 ${PROTOCOL_VERSIONS.join(' | ')} / must be one of them`,
      })
    }
  }
  if (command !== 'seed') {
    for (const name of ['scale', 'reset', 'history-days'] as const) {
      if (values[name] !== undefined) {
        throw appError('ERR_CLI_USAGE', { detail: `--${name} 只用于 seed 命令 / only valid for seed` })
      }
    }
    if (values.seed !== undefined && command !== 'simulate') {
      throw appError('ERR_CLI_USAGE', {
        detail: '--seed 只用于 seed 与 simulate 命令 / only valid for seed and simulate',
      })
    }
  }
  if (command !== 'detect') {
    for (const name of ['from', 'to', 'city', 'cross-only'] as const) {
      if (values[name] !== undefined) {
        throw appError('ERR_CLI_USAGE', { detail: `--${name} 只用于 detect 命令 / only valid for detect` })
      }
    }
  }
  if (command !== 'simulate') {
    for (const name of SIMULATE_OPTIONS) {
      if (values[name] !== undefined) {
        throw appError('ERR_CLI_USAGE', { detail: `--${name} 只用于 simulate 命令 / only valid for simulate` })
      }
    }
  }
  return { command, values, frameHex: rest.join('') }
}

function parseArgsStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean' },
      'history-days': { type: 'string' },
      protocol: { type: 'string' },
      terminals: { type: 'string' },
      speedup: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      duration: { type: 'string' },
      lessons: { type: 'string' },
      minutes: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      city: { type: 'string' },
      'cross-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

type Values = ReturnType<typeof parse>['values']

const SIMULATE_OPTIONS = ['terminals', 'speedup', 'host', 'port', 'duration', 'lessons', 'minutes'] as const

function fail(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.code} ${error.message}\n`)
  } else if (error instanceof AppError) {
    const reason = (error.details as { reason?: string } | undefined)?.reason
    process.stderr.write(`${error.code} ${error.message}${reason ? `\n  ${reason}` : ''}\n`)
  } else {
    const e = error as Error
    process.stderr.write(`ERR_CLI_FAILED ${appError('ERR_CLI_FAILED', { reason: e.message }).message}\n`)
    if (e.stack && process.env.JIAPEI_LOG_LEVEL === 'debug') process.stderr.write(`${e.stack}\n`)
  }
  return 1
}

async function open(config: Config): Promise<Database> {
  try {
    return await openDatabase(config.database)
  } catch (error) {
    throw new AppError('ERR_DB_UNAVAILABLE', {}, { reason: (error as Error).message }, { cause: error })
  }
}

function describeTarget(config: Config): string {
  return config.database.kind === 'postgres'
    ? `PostgreSQL ${redact(config.database.url)}`
    : `PGlite ${config.database.dataDir}`
}

async function migrateCommand(config: Config): Promise<number> {
  const database = await open(config)
  try {
    const started = performance.now()
    await database.migrate()
    process.stdout.write(
      `数据库迁移完成 / migrations applied — ${describeTarget(config)} (${ms(performance.now() - started)})\n`,
    )
    return 0
  } finally {
    await database.close()
  }
}

async function seedCommand(config: Config, values: Values): Promise<number> {
  const scale = (values.scale ?? config.demo.scale) as SeedScale
  if (!(SEED_SCALES as readonly string[]).includes(scale)) {
    throw appError('ERR_CLI_USAGE', { detail: `--scale 应为 ${SEED_SCALES.join(' | ')} / must be one of them` })
  }
  const seedText = values.seed ?? String(config.demo.seed)
  if (!/^\d+$/.test(seedText) || Number(seedText) <= 0 || Number(seedText) > 0xffffffff) {
    throw appError('ERR_CLI_USAGE', { detail: '--seed 应为 1–4294967295 的整数 / must be a positive 32-bit integer' })
  }
  const historyDays = numberOption('history-days', values['history-days'], 0, 366) ?? config.demo.historyDays
  const database = await open(config)
  try {
    await database.migrate()
    process.stdout.write(
      `生成演示省份 / generating demo province: scale=${scale} seed=${seedText} → ${describeTarget(config)}\n`,
    )
    const summary = await seedDemo(database, {
      scale,
      seed: Number(seedText),
      reset: values.reset ?? false,
      historyDays,
      onProgress: progressDisplay(),
    })
    printSummary(summary)
    printAccounts(await listDemoAccounts(database))
    return 0
  } finally {
    await database.close()
  }
}

async function startCommand(config: Config): Promise<number> {
  const database = await open(config)
  let closing = false
  try {
    await database.migrate()
    if (config.demo.enabled && (await occupiedTables(database)).length === 0) {
      process.stdout.write(
        `空数据库，生成演示省份 / empty database, generating the demo province (scale=${config.demo.scale}, seed=${config.demo.seed})\n`,
      )
      const summary = await seedDemo(database, {
        scale: config.demo.scale,
        seed: config.demo.seed,
        historyDays: config.demo.historyDays,
        onProgress: progressDisplay(),
      })
      printSummary(summary)
    }
    const { buildApp } = await import('./http/app.ts')
    const roles = config.roles as readonly string[]
    // Gateway and ingestion of this process: terminals are acknowledged after the ingest commit.
    const bus =
      roles.includes('gateway') || roles.includes('ingest')
        ? await (await import('./ingestion/bus.ts')).openIngestBus({
            config,
            database,
            onError: (error) => process.stderr.write(`入库错误 / ingest error: ${(error as Error).message}\n`),
          })
        : undefined
    const gatewayServer =
      bus && roles.includes('gateway')
        ? await (await import('./gateway/index.ts')).startGatewayServer({ config, database, sink: bus.sink })
        : undefined
    // Photo analysis (hash, luma, faces) of what ingestion stored; the face model runs in its own threads.
    const photos = await import('./photos/index.ts')
    photos.configureSharedFaceEngine({ threads: config.photos.faceThreads })
    const app = await buildApp({ config, database, ...(gatewayServer ? { gateway: gatewayServer.gateway } : {}) })
    const photoAnalyzer =
      bus && roles.includes('ingest') && config.photos.analysis
        ? photos.startPhotoAnalyzer({
            database,
            photoStore: bus.photoStore,
            faces: config.photos.faces ? photos.sharedFaceEngine() : null,
            batchSize: config.photos.batchSize,
            intervalMs: config.photos.intervalMs,
            detector: config.photos.detector,
            tinyInputSize: config.photos.tinyInputSize,
            onError: (error) =>
              process.stderr.write(`照片分析错误 / photo analysis error: ${(error as Error).message}\n`),
          })
        : undefined
    // Streaming detection: sessions with newly arrived minutes are evaluated and credited.
    const detection =
      roles.includes('ingest') && config.detection.stream
        ? (await import('./detection/engine/stream.ts')).startDetectionStream({
            database,
            intervalMs: config.detection.intervalMs,
            batchSize: config.detection.batchSize,
            settleMs: config.detection.settleMs,
            crossIntervalMs: config.detection.crossIntervalMs,
            onError: (error, sessionId) =>
              process.stderr.write(
                `检测错误 / detection error${sessionId ? ` (课堂 ${sessionId})` : ''}: ${(error as Error).message}\n`,
              ),
          })
        : undefined
    const fleet = new AbortController()
    let fleetRun: Promise<unknown> | undefined
    const shutdown = async (signal: string) => {
      if (closing) return
      closing = true
      process.stdout.write(`\n收到 ${signal}，正在关闭 / shutting down …\n`)
      try {
        fleet.abort()
        await fleetRun?.catch(() => {})
        await gatewayServer?.close()
        await app.close()
        await photoAnalyzer?.stop()
        await detection?.stop()
        await photos.closeSharedFaceEngine()
        await bus?.close()
        await database.close()
        process.exit(0)
      } catch (error) {
        process.exit(fail(error))
      }
    }
    process.once('SIGINT', () => void shutdown('SIGINT'))
    process.once('SIGTERM', () => void shutdown('SIGTERM'))
    await app.listen({ host: config.http.host, port: config.http.port })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.http.port
    const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host
    const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    process.stdout.write(
      `\n驾培监管服务平台已启动 / Jiapei is running — ${describeTarget(config)}\n` +
        `  管理控制台 / console : ${base}/\n` +
        `  接口文档 / API docs  : ${base}/api/docs\n`,
    )
    if (gatewayServer) process.stdout.write(`  终端网关 / gateway  : tcp://0.0.0.0:${gatewayServer.port}\n`)
    printAccounts(await listDemoAccounts(database))
    if (config.demo.enabled) {
      // A simulated third-party timing platform reports a few classroom records over the exchange API.
      runExchangeDemo({ database, origin: base, records: 5, dataDir: config.dataDir })
        .then((r) =>
          process.stdout.write(
            `  对接接口 / exchange : ${base}/exchange/ — 模拟第三方计时平台 ${r.platformNo ?? '—'} 上报课堂教学日志 ${r.accepted} 条\n`,
          ),
        )
        .catch((error) =>
          process.stderr.write(`对接接口演示失败 / exchange demo failed: ${(error as Error).message}\n`),
        )
    }
    if (gatewayServer && config.demo.enabled && config.demo.terminals > 0) {
      // A small live fleet so the console shows training as it happens.
      const { runFleet } = await import('@jiapei/simulator')
      // Real faces: the fleet's people get a registered photo and their cab cameras show that face
      // (the face library is cut from the model package's samples once, then cached).
      const photoSource = async () =>
        config.photos.faces && bus
          ? (
              await photos
                .prepareDemoFaces({
                  database,
                  dataDir: config.dataDir,
                  photoStore: bus.photoStore,
                  faces: photos.sharedFaceEngine(),
                  terminals: config.demo.terminals,
                  seed: config.demo.seed,
                })
                .catch((error: unknown) => {
                  process.stderr.write(
                    `人脸库不可用，改用生成的照片 / face library unavailable, using generated photos: ${(error as Error).message}\n`,
                  )
                  return null
                })
            )?.photoSource
          : undefined
      fleetRun = (async () => {
        const source = await photoSource()
        if (fleet.signal.aborted) return
        return runFleet({
          host: '127.0.0.1',
          port: gatewayServer.port,
          terminals: config.demo.terminals,
          speedup: config.demo.speedup,
          seed: config.demo.seed,
          database,
          // Runs until shutdown; node timers top out at 24.8 days.
          durationSeconds: 20 * 86_400,
          signal: fleet.signal,
          ...(source ? { photoSource: source } : {}),
        })
      })().catch((error: unknown) =>
        process.stderr.write(`模拟终端停止 / simulated terminals stopped: ${(error as Error).message}\n`),
      )
      process.stdout.write(
        `模拟终端 / simulated terminals: ${config.demo.terminals} 台在线培训，时间倍速 ×${config.demo.speedup}（JIAPEI_DEMO_TERMINALS=0 关闭）\n`,
      )
    }
    process.stdout.write('按 Ctrl+C 停止 / press Ctrl+C to stop\n')
    return -1
  } catch (error) {
    if (!closing) await database.close().catch(() => {})
    throw error
  }
}

// ── Simulated terminals ───────────────────────────────────────────────────

function numberOption(name: string, text: string | undefined, min: number, max: number, integer = true) {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw appError('ERR_CLI_USAGE', {
      detail: `--${name} 应为 ${min}–${max} 的${integer ? '整数' : '数'} / must be a ${integer ? 'whole ' : ''}number in ${min}–${max}`,
    })
  }
  return value
}

async function simulateCommand(config: Config, values: Values): Promise<number> {
  const terminals = numberOption('terminals', values.terminals, 1, 100_000)
  if (terminals === undefined)
    throw appError('ERR_CLI_USAGE', { detail: 'simulate 需要 --terminals N / needs --terminals N' })
  const speedup = numberOption('speedup', values.speedup, 0.01, 100_000, false) ?? 1
  const port = numberOption('port', values.port, 1, 65_535) ?? config.gateway.port
  const durationSeconds = numberOption('duration', values.duration, 1, 31_536_000, false)
  const lessons = numberOption('lessons', values.lessons, 1, 100_000)
  const lessonMinutes = numberOption('minutes', values.minutes, 1, 600)
  const seed = numberOption('seed', values.seed, 1, 0xffffffff) ?? config.demo.seed
  const host = values.host ?? '127.0.0.1'
  const { runFleet } = await import('@jiapei/simulator')
  const database = await open(config)
  const abort = new AbortController()
  const interrupt = () => {
    process.stdout.write('\n收到中断，正在停止终端 / stopping the terminals …\n')
    abort.abort()
  }
  process.once('SIGINT', interrupt)
  try {
    process.stdout.write(
      `模拟终端 / simulating ${terminals} terminal(s) → ${host}:${port}, 倍速 speedup ×${speedup}, 种子 seed ${seed} — 登记库 registry ${describeTarget(config)}\n`,
    )
    let lastLine = 0
    const summary = await runFleet({
      host,
      port,
      terminals,
      speedup,
      seed,
      database,
      ...(durationSeconds !== undefined ? { durationSeconds } : {}),
      ...(lessons !== undefined ? { lessons } : {}),
      ...(lessonMinutes !== undefined ? { lessonMinutes } : {}),
      signal: abort.signal,
      onProgress: (p) => {
        const s = p.stats
        const line = `  ${ms(p.elapsedMs)}  在线 online ${p.online}/${p.terminals}  发送 frames ${s.framesSent}  应答 acks ${s.acks + s.replies}  学时 minutes ${s.minuteRecords}  照片 photos ${s.photos}  完成课 lessons ${s.lessonsCompleted}  错误 errors ${s.errors + s.timeouts}`
        if (process.stdout.isTTY) process.stdout.write(`\r${line}\x1b[K`)
        else if (p.elapsedMs - lastLine >= 10_000) {
          lastLine = p.elapsedMs
          process.stdout.write(`${line}\n`)
        }
      },
    })
    const s = summary.stats
    const rows: [string, number][] = [
      ['终端 / terminals', summary.terminals],
      ['发送帧 / frames sent', s.framesSent],
      ['发送字节 / bytes sent', s.bytesSent],
      ['通用应答 / 0x8001 acks', s.acks],
      ['驾培应答 / 0x8900 answers', s.replies],
      ['学时记录 / minute records', s.minuteRecords],
      ['补传 / backfilled records', s.backfilled],
      ['照片 / photos', s.photos],
      ['补传分包 / packets re-sent', s.resentPackets],
      ['完成课 / lessons completed', s.lessonsCompleted],
      ['未完成课 / lessons failed', s.lessonsFailed],
      ['重连 / reconnects', s.reconnects],
      ['超时 / timeouts', s.timeouts],
      ['错误 / errors', s.errors],
    ]
    process.stdout.write(
      `\n\n${table(
        ['统计 / summary', '数量 / count'],
        rows.map(([k, v]) => [k, v.toLocaleString('en-US')]),
        ['l', 'r'],
      )}\n  用时 elapsed ${ms(summary.elapsedMs)}\n`,
    )
    for (const f of summary.failures) process.stdout.write(`  ${f.deviceNo}: ${f.reason}\n`)
    return s.lessonsCompleted > 0 || abort.signal.aborted ? 0 : 1
  } finally {
    process.off('SIGINT', interrupt)
    await database.close()
  }
}

// ── JT/T 808 frames ───────────────────────────────────────────────────────

/** The 驾培 extension registers the 0x0900/0x8900 type 0x13 decoder when it is installed. */
const TRAINING_EXTENSION = '@jiapei/jt808-training'

async function frameCommand(
  command: 'decode' | 'explain',
  text: string,
  protocol: string | undefined,
): Promise<number> {
  try {
    await import(TRAINING_EXTENSION)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error
  }
  const options = protocol ? { version: protocol as ProtocolVersion } : {}
  const bytes = parseHex(text)
  if (!bytes) {
    process.stderr.write(`ERR_CODEC_HEX ${CODEC_ERRORS.ERR_CODEC_HEX}\n`)
    return 1
  }
  if (command === 'explain') {
    const explanation = explain(bytes, options)
    process.stdout.write(renderExplain(explanation))
    return explanation.ok ? 0 : 1
  }
  const result = decodeFrame(bytes, options)
  if (!result.ok) {
    process.stderr.write(`${result.code} ${result.message}（偏移 / offset ${result.offset}）\n  ${result.rawHex}\n`)
    return 1
  }
  const { header, body, decoded, specName } = result.frame
  const out = {
    header: {
      msgId: `0x${header.msgId.toString(16).padStart(4, '0').toUpperCase()}`,
      specName: specName ?? null,
      version: header.version,
      protocolVersion: header.protocolVersion ?? null,
      phone: header.phone,
      serial: header.serial,
      bodyLength: header.bodyLength,
      encryption: header.encryption,
      subpackage: header.subpackage ?? null,
      ...(header.reserved !== undefined ? { reserved: header.reserved } : {}),
    },
    decoded,
    body: toJsonValue(body),
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  return 0
}

// ── Output ────────────────────────────────────────────────────────────────

// ── Batch detection ───────────────────────────────────────────────────────

/** A local (Beijing) day 'YYYY-MM-DD' that exists in the calendar, or undefined. */
function localDayOption(text: string | undefined): string | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined
  const date = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? text : undefined
}

async function detectCommand(config: Config, values: Values): Promise<number> {
  const fromDay = localDayOption(values.from)
  const toDay = localDayOption(values.to)
  if (!fromDay || !toDay) {
    throw appError('ERR_DETECT_WINDOW_INVALID', {
      detail: `--from ${values.from ?? '（缺）'} --to ${values.to ?? '（缺）'}`,
    })
  }
  if (fromDay > toDay) throw appError('ERR_DETECT_WINDOW_INVALID', { detail: `${fromDay} 晚于 ${toDay}` })
  let cityCode: string | undefined
  if (values.city !== undefined) {
    if (!/^\d{4}(00)?$/.test(values.city)) throw appError('ERR_DETECT_CITY_UNKNOWN', { city: values.city })
    cityCode = values.city.length === 4 ? `${values.city}00` : values.city
  }
  const { localMidnight } = await import('./detection/time.ts')
  const { runDetectionBatch } = await import('./detection/engine/batch.ts')
  const from = localMidnight(fromDay)
  const to = new Date(localMidnight(toDay).getTime() + 86_400_000)
  const database = await open(config)
  try {
    await database.migrate()
    if (cityCode) {
      const [region] = await database.query<{ code: string }>(
        `SELECT code FROM region WHERE code = $1 AND level = 'city'`,
        [cityCode],
      )
      if (!region) throw appError('ERR_DETECT_CITY_UNKNOWN', { city: values.city })
    }
    process.stdout.write(
      `批量检测 / batch detection${values['cross-only'] ? '（只运行跨课堂规则 / cross rules only）' : ''}: ${fromDay} — ${toDay}（北京时间）${cityCode ? ` 地市 ${cityCode}` : ''} → ${describeTarget(config)}\n`,
    )
    const interactive = process.stdout.isTTY === true
    let lastLine = 0
    const summary = await runDetectionBatch(database, {
      from,
      to,
      ...(cityCode ? { cityCode } : {}),
      ...(values['cross-only'] ? { sessions: false } : {}),
      batchSize: config.detection.batchSize,
      onProgress: (p) => {
        const now = performance.now()
        const final = p.done === p.total
        if (!final && now - lastLine < (interactive ? 200 : 5000)) return
        lastLine = now
        const label = p.phase === 'sessions' ? '课堂规则 / session rules' : '跨课堂规则 / cross rules'
        const line = `  ${label}: ${p.done}/${p.total}`
        process.stdout.write(interactive ? `\r${line}${final ? '\n' : ''}` : `${line}\n`)
      },
    })
    const rows = Object.entries(summary.byRule).sort((a, b) => b[1] - a[1])
    process.stdout.write(
      [
        `检测完成 / done (run ${summary.runId}, 检测政策 v${summary.policyVersion}) — ${ms(summary.totalMs)}` +
          `（课堂 ${ms(summary.sessionMs)}，跨课堂 ${ms(summary.crossMs)}）`,
        `  课堂 sessions ${summary.sessions}  分钟学时 minutes ${summary.minutes}  无效 invalid ${summary.invalidMinutes}`,
        `  疑点 findings: 新增 new ${summary.findingsInserted}  更新 updated ${summary.findingsUpdated}` +
          (summary.unplaced ? `  无法定位管辖 unplaced ${summary.unplaced}` : ''),
        ...rows.map(([rule, n]) => `    ${rule.padEnd(24)} ${n}`),
        ...(summary.errors.length
          ? [
              `  规则错误 rule errors: ${summary.errors.length}（首条 first: ${summary.errors[0]?.ruleId} ${summary.errors[0]?.message}）`,
            ]
          : []),
        '',
      ].join('\n'),
    )
    return 0
  } finally {
    await database.close()
  }
}

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`
}

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1
  return w
}

function table(headers: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const cell = (text: string, i: number) => {
    const padding = ' '.repeat((widths[i] as number) - width(text))
    return align[i] === 'r' ? padding + text : text + padding
  }
  const line = (cells: string[]) => `  ${cells.map(cell).join('  ')}`.trimEnd()
  return [line(headers), `  ${widths.map((w) => '─'.repeat(w)).join('  ')}`, ...rows.map(line)].join('\n')
}

function printSummary(summary: SeedSummary) {
  const rows = (Object.entries(summary.counts) as [SeedTable, number][]).map(([t, n]) => [
    TABLE_LABELS[t],
    t,
    n.toLocaleString('en-US'),
  ])
  process.stdout.write(
    `\n${table(['数据 / data', 'table', '行数 / rows'], rows, ['l', 'l', 'r'])}\n` +
      `  规模 scale=${summary.scale} 种子 seed=${summary.seed} 基准日 as of ${summary.today} 用时 elapsed ${ms(summary.elapsedMs)}\n\n`,
  )
  const h = summary.history
  if (!h) return
  const n = (x: number) => x.toLocaleString('en-US')
  const frauds = Object.entries(h.frauds)
    .map(([kind, count]) => `${kind} ${count}`)
    .join('、')
  const rules = Object.entries(h.detection.byRule)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, count]) => `${rule} ${count}`)
    .join('、')
  process.stdout.write(
    `培训历史 / training history: ${h.days} 天 days, ${h.cars} 辆车 cars, ${h.students} 名学员 students — ` +
      `实操 ${n(h.sessions.practical)} + 课堂 ${n(h.sessions.classroom)} 课堂记录 sessions, ${n(h.rows.minutes)} 分钟学时 minutes, ` +
      `${n(h.rows.positions)} 位置 positions, ${n(h.rows.photos)} 照片 photos; 用时 elapsed ${ms(h.elapsedMs)}\n` +
      `  注入作弊 / injected frauds: ${frauds || '—'}\n` +
      `  检测 / detection: ${n(h.detection.invalidMinutes)} 分钟无效 invalid minutes, ${n(h.detection.credits)} 条学时认定 credits, ` +
      `${n(h.detection.findings)} 条疑点 findings (${rules || '—'}); 第一部分学时已满 part 1 complete: ${h.part1Complete} 名学员\n` +
      (summary.stageReviews
        ? `  阶段报审 / stage reviews: ${summary.stageReviews.requested} 份 requested — 通过 approved ${summary.stageReviews.approved}, ` +
          `退回 rejected ${summary.stageReviews.rejected}, 待审 pending ${summary.stageReviews.pending}\n\n`
        : '\n'),
  )
}

function printAccounts(accounts: DemoAccountRow[]) {
  if (accounts.length === 0) return
  process.stdout.write(
    `\n演示账号 / demo accounts（密码 / password: ${accounts[0]?.password}）\n${table(
      ['角色 / role', '用户名 / username', '密码 / password', '管辖范围 / scope'],
      accounts.map((a) => [a.roleLabel, a.username, a.password, a.scope]),
    )}\n\n`,
  )
}

const PHASE_LABELS: Record<string, string> = {
  hash: '计算演示账号口令散列 / hashing the demo password',
  reset: '清空登记数据与账号 / emptying registry and accounts',
  sequences: '调整编号序列 / moving id sequences',
  accounts: '创建演示账号 / creating demo accounts',
  commit: '提交事务 / committing',
}

const HISTORY_LABELS: Record<string, string> = {
  plan: '规划培训历史 / planning the training history',
  write: '写入课堂记录、分钟学时、位置与照片 / writing sessions, minutes, positions and photos',
  detect: '批量检测与学时认定 / batch detection and hour credits',
}

/** One line per history phase; the detection batch every 25 %. */
function historyLine(): (event: HistoryProgress) => void {
  let quarter = -1
  return (event) => {
    if (event.phase === 'plan')
      process.stdout.write(`  · ${HISTORY_LABELS.plan}: ${event.cars} 辆车 cars × ${event.days} 天 days\n`)
    else if (event.phase === 'write') process.stdout.write(`  · ${HISTORY_LABELS.write}: ${event.sessions}\n`)
    else {
      const q = event.total > 0 ? Math.floor((event.done / event.total) * 4) : 4
      if (event.step === 'sessions' && q > quarter) {
        if (quarter < 0) process.stdout.write(`  · ${HISTORY_LABELS.detect}\n`)
        quarter = q
        process.stdout.write(`    课堂 sessions ${event.done} / ${event.total}\n`)
      }
    }
  }
}

/** Progress bars per table on a terminal; plain lines (every 25 % of a table) otherwise. */
function progressDisplay(): (event: SeedProgress) => void {
  if (process.stdout.isTTY) {
    const multi = new cliProgress.MultiBar(
      {
        format: ' {label} |{bar}| {value}/{total} {percentage}%',
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
      },
      cliProgress.Presets.shades_classic,
    )
    const bars = new Map<SeedTable, cliProgress.SingleBar>()
    let totals: Record<SeedTable, number> | undefined
    const history = historyLine()
    return (event) => {
      if (event.kind === 'history') history(event)
      else if (event.kind === 'plan') {
        totals = event.totals
        for (const [t, total] of Object.entries(totals) as [SeedTable, number][]) {
          const label = `${TABLE_LABELS[t]}${' '.repeat(Math.max(0, 10 - width(TABLE_LABELS[t])))}`
          bars.set(t, multi.create(total, 0, { label }))
        }
      } else if (event.kind === 'rows') bars.get(event.table)?.update(event.done)
      else if (event.phase === 'commit') multi.stop()
    }
  }
  const reported = new Map<SeedTable, number>()
  const history = historyLine()
  return (event) => {
    if (event.kind === 'history') return history(event)
    if (event.kind === 'phase') process.stdout.write(`  · ${PHASE_LABELS[event.phase]}\n`)
    if (event.kind !== 'rows') return
    const quarter = event.total > 0 ? Math.floor((event.done / event.total) * 4) : 4
    if (quarter > (reported.get(event.table) ?? 0)) {
      reported.set(event.table, quarter)
      process.stdout.write(
        `  ${TABLE_LABELS[event.table]} ${event.done.toLocaleString('en-US')} / ${event.total.toLocaleString('en-US')}\n`,
      )
    }
  }
}

const code = await main(process.argv.slice(2))
if (code >= 0) process.exitCode = code
