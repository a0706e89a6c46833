/**
 * The `jiapei` command: migrate, seed the demo province, start the server.
 *
 * Every failure prints a coded message (the code first, so scripts can match it) and exits
 * non-zero; configuration problems are printed all at once.
 */
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { type Config, ConfigError, loadConfig, SEED_SCALES, type SeedScale } from './config/load.ts'
import { type Database, openDatabase, redact } from './db/client.ts'
import { AppError, appError } from './errors/catalogue.ts'
import { type DemoAccountRow, listDemoAccounts } from './seed/accounts.ts'
import { occupiedTables, type SeedProgress, type SeedSummary, seedDemo } from './seed/seed.ts'
import { type SeedTable, TABLE_LABELS } from './seed/tables.ts'

const HELP = `驾培监管服务平台 命令行 / Jiapei command line

用法 / Usage:
  jiapei <命令> [选项]

命令 / Commands:
  start                         迁移数据库并启动 HTTP 服务（API 与管理控制台）；空库首次启动时
                                生成演示省份（JIAPEI_DEMO=false 可关闭）
                                migrate, generate the demo province into an empty database
                                (unless JIAPEI_DEMO=false) and serve the API and web console
  migrate                       执行数据库迁移 / apply database migrations
  seed --scale <规模> [--seed N] [--reset]
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
  help                          显示本帮助 / show this help

环境变量 / Environment: DATABASE_URL（不设则使用内嵌 PGlite）、JIAPEI_DATA_DIR、JIAPEI_HTTP_HOST、
  JIAPEI_HTTP_PORT、JIAPEI_DEMO、JIAPEI_DEMO_SCALE、JIAPEI_DEMO_SEED … 见 docs/configuration.md

示例 / Examples:
  npx jiapei migrate
  npx jiapei seed --scale province --reset
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiapei npx jiapei start
`

type Command = 'start' | 'migrate' | 'seed' | 'help'
const COMMANDS: readonly Command[] = ['start', 'migrate', 'seed', 'help']

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    return fail(error)
  }
  const { command, values } = parsed
  if (command === 'help' || values.help) {
    process.stdout.write(HELP)
    return 0
  }
  try {
    if (command === 'migrate') return await migrateCommand(loadConfig(env))
    if (command === 'seed') return await seedCommand(loadConfig(env), values)
    // `start` generates the demo province unless told not to.
    return await startCommand(loadConfig({ ...env, JIAPEI_DEMO: env.JIAPEI_DEMO?.trim() || 'true' }))
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
  if (rest.length > 0) throw appError('ERR_CLI_USAGE', { detail: `多余的参数 / unexpected argument "${rest[0]}"` })
  const { values } = result
  if (command !== 'seed') {
    for (const name of ['scale', 'seed', 'reset'] as const) {
      if (values[name] !== undefined) {
        throw appError('ERR_CLI_USAGE', { detail: `--${name} 只用于 seed 命令 / only valid for seed` })
      }
    }
  }
  return { command, values }
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
      help: { type: 'boolean', short: 'h' },
    },
  })
}

type Values = ReturnType<typeof parse>['values']

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
        onProgress: progressDisplay(),
      })
      printSummary(summary)
    }
    const { buildApp } = await import('./http/app.ts')
    const app = await buildApp({ config, database })
    const shutdown = async (signal: string) => {
      if (closing) return
      closing = true
      process.stdout.write(`\n收到 ${signal}，正在关闭 / shutting down …\n`)
      try {
        await app.close()
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
    printAccounts(await listDemoAccounts(database))
    process.stdout.write('按 Ctrl+C 停止 / press Ctrl+C to stop\n')
    return -1
  } catch (error) {
    if (!closing) await database.close().catch(() => {})
    throw error
  }
}

// ── Output ────────────────────────────────────────────────────────────────

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
    return (event) => {
      if (event.kind === 'plan') {
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
  return (event) => {
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
