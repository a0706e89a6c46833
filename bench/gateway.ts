/**
 * Gateway benchmark: N terminals over real TCP through the terminal gateway and durable ingestion
 * into a fresh database, against the DESIGN §8 targets (one 2-core node: 100k connections, 10k
 * durable frames/s, ack p99 ≤ 50 ms).
 *
 *   npm run bench:gateway [-- --terminals 2000 --rate 2000 --duration 30 --engine pglite|pg
 *                             --bus inproc|nats --minute-share 0.2 --registrations 5 --json]
 *
 * The gateway, the ingest writer and the database (PGlite runs on the calling thread) live in this
 * process; the load generator is a child process (bench/lib/gateway-load.ts), so the figures are
 * those of the gateway's own event loop. Steps:
 *
 * 1. a fresh database (PGlite in a temporary directory, or with `--engine pg` / `DATABASE_URL` a
 *    new database on that PostgreSQL server, dropped afterwards), the `tiny` demo province and N
 *    benchmark terminals placed in its institutions, each with a credential sharing one key pair
 *    (so registration is not the bottleneck; a few real registrations are timed on their own);
 * 2. N connections from 127.0.0.2, 127.0.0.3 … (several source addresses, so N may exceed one
 *    address's ephemeral ports), each authenticated with 0x0102; memory per idle connection;
 * 3. `--rate` frames/s for `--duration` s: 0x0200 positions and signed 0x0900/0x0203 minute records,
 *    each waiting for its 0x8001 (sent by the gateway only after the group commit);
 * 4. raw_frame rows counted (durability), then the same number of raw_frame rows inserted with the
 *    batch writer (`insertBatch`) without the gateway: the ceiling of this database.
 */
import { execSync, fork } from 'node:child_process'
import crypto from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import v8 from 'node:v8'
import vm from 'node:vm'
import { connect as connectNats } from 'nats'
import { type Config, loadConfig } from '../packages/server/src/config/load.ts'
import { type BatchColumn, ensurePartitions, insertBatch } from '../packages/server/src/db/batch.ts'
import type { Database } from '../packages/server/src/db/client.ts'
import { issueTerminalCertificate, platformCa } from '../packages/server/src/gateway/credentials.ts'
import { startGatewayServer } from '../packages/server/src/gateway/index.ts'
import { openIngestBus } from '../packages/server/src/ingestion/bus.ts'
import { seedDemo } from '../packages/server/src/seed/seed.ts'
import { loadFleetProfiles, openPkcs12 } from '../packages/simulator/src/index.ts'
import { fmt, loadAverage, machineFacts, openBenchDatabase } from './lib/common.ts'
import type { BenchTerminal, ChildMessage, ParentMessage } from './lib/gateway-load.ts'

const { values } = parseArgs({
  options: {
    terminals: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '30' },
    engine: { type: 'string' },
    bus: { type: 'string', default: 'inproc' },
    'minute-share': { type: 'string', default: '0.2' },
    window: { type: 'string', default: '4' },
    registrations: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
})
const TERMINALS = Number(values.terminals)
const RATE = Number(values.rate)
const DURATION = Number(values.duration)
const MINUTE_SHARE = Number(values['minute-share'])
const WINDOW = Number(values.window)
const REGISTRATIONS = Number(values.registrations)
const BUS = values.bus as 'inproc' | 'nats'
const JSON_OUT = values.json

const baseConfig = loadConfig(process.env)
const ENGINE: 'pglite' | 'pg' =
  (values.engine as 'pglite' | 'pg' | undefined) ?? (baseConfig.database.kind === 'postgres' ? 'pg' : 'pglite')
if (!['pglite', 'pg'].includes(ENGINE)) throw new Error('--engine pglite|pg')
if (!['inproc', 'nats'].includes(BUS)) throw new Error('--bus inproc|nats')
for (const [name, v] of Object.entries({ TERMINALS, RATE, DURATION, WINDOW })) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name.toLowerCase()} must be a positive number`)
}

const log = (line: string) => {
  if (!JSON_OUT) process.stdout.write(`${line}\n`)
  else process.stderr.write(`${line}\n`)
}

// ── Machine ──────────────────────────────────────────────────────────────

let fdLimit = 'unknown'
try {
  fdLimit = execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()
} catch {}
const machine = { ...machineFacts(), fdLimit }
log('Terminal gateway benchmark')
log(`  machine  : ${machine.cpu} × ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`)
log(`  load avg : ${machine.loadAverage.join(' ')} (1/5/15 min, at start)   open files limit: ${fdLimit}`)
if (Number(fdLimit) < TERMINALS + 500)
  log(`  note     : ${TERMINALS} connections need more open files than ${fdLimit}: raise it (ulimit -n 200000)`)

// ── gc for the memory figures ────────────────────────────────────────────

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const settleMemory = async () => {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((r) => setTimeout(r, 100))
  }
  const m = process.memoryUsage()
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers }
}

// ── Database ─────────────────────────────────────────────────────────────

/** Set once the database is open: drops it and removes the run's temporary directory. */
let dispose: (() => Promise<void>) | undefined

const PHONE_PREFIX = '1990'

/** N active terminals spread over the seeded institutions, numbered for the benchmark. */
async function createBenchTerminals(database: Database, n: number): Promise<BenchTerminal[]> {
  await database.query(
    `INSERT INTO terminal (device_no, phone, imei, terminal_type, institution_id, city_code, county_code,
                           timing_platform_id, status)
     SELECT '3399' || lpad(g::text, 12, '0'), '${PHONE_PREFIX}' || lpad(g::text, 7, '0'), '86' || lpad(g::text, 13, '0'),
            1, t.institution_id, t.city_code, t.county_code, t.timing_platform_id, 'active'
       FROM generate_series(0, $1::int - 1) AS g
       JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM terminal) t
         ON t.k = g % (SELECT count(*) FROM terminal)`,
    [n],
  )
  return (
    await database.query<{ phone: string; device_no: string }>(
      `SELECT phone, device_no FROM terminal WHERE phone LIKE '${PHONE_PREFIX}%' ORDER BY phone`,
    )
  ).map((r) => ({ phone: r.phone, deviceNo: r.device_no }))
}

/** One issued key pair and certificate, stored as the current credential of every bench terminal. */
async function shareOneCredential(database: Database): Promise<string> {
  const issued = await issueTerminalCertificate(await platformCa(database), 'BENCH')
  const { privateKey } = openPkcs12(issued.pkcs12Base64, issued.password)
  await database.query(
    `INSERT INTO terminal_credential (terminal_id, serial_no, cert_pem, public_key_pem)
     SELECT id, $1 || '-' || id, $2, $3 FROM terminal WHERE phone LIKE '${PHONE_PREFIX}%'`,
    [issued.serialNo, issued.certPem, issued.publicKeyPem],
  )
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
}

// Same columns and types as the ingest writer's raw archive (ingestion/persist.ts).
const RAW_COLUMNS: BatchColumn[] = [
  { name: 'received_at', type: 'timestamptz' },
  { name: 'terminal_phone', type: 'text' },
  { name: 'msg_id', type: 'int4' },
  { name: 'serial_no', type: 'int4' },
  { name: 'direction', type: 'text' },
  { name: 'frame', type: 'bytea' },
  { name: 'decode_error', type: 'text' },
  { name: 'gateway_node', type: 'text' },
]

/** Inserts `count` raw_frame rows like the gateway's (real frames of the run) in batches of `batch`. */
async function rawInsertCeiling(database: Database, count: number, batch: number) {
  const sample = await database.query<{ msg_id: number; frame: Uint8Array }>(
    `SELECT msg_id, frame FROM raw_frame WHERE terminal_phone LIKE '${PHONE_PREFIX}%' AND msg_id IN (512, 2304) LIMIT 1000`,
  )
  const base = Date.now()
  const rows = Array.from({ length: count }, (_, i) => {
    const s = sample[i % Math.max(1, sample.length)]
    return [
      new Date(base + i),
      `1880${String(i % TERMINALS).padStart(7, '0')}`,
      s?.msg_id ?? 512,
      i & 0xffff,
      'up',
      Buffer.from(s?.frame ?? new Uint8Array(64)),
      null,
      'bench',
    ]
  })
  await ensurePartitions(database, 'raw_frame', [new Date(base), new Date(base + count)])
  const started = performance.now()
  let written = 0
  for (let at = 0; at < rows.length; at += batch) {
    const chunk = rows.slice(at, at + batch)
    written += await database.transaction((tx) =>
      insertBatch(tx, 'raw_frame', RAW_COLUMNS, chunk, { chunkSize: batch, onConflict: 'DO NOTHING' }),
    )
  }
  const seconds = (performance.now() - started) / 1000
  return { rows: written, seconds, rowsPerSecond: written / seconds }
}

// ── Load generator (child process) ───────────────────────────────────────

const child = fork(path.join(import.meta.dirname, 'lib/gateway-load.ts'), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
const inbox: ChildMessage[] = []
let waiting: ((m: ChildMessage) => void) | undefined
let onProgress: ((m: Extract<ChildMessage, { type: 'progress' }>) => void) | undefined
child.on('message', (m: ChildMessage) => {
  if (m.type === 'progress') return onProgress?.(m)
  if (waiting) {
    const w = waiting
    waiting = undefined
    w(m)
  } else inbox.push(m)
})
child.on('exit', (code) => {
  if (code && code !== 0) {
    console.error(`load generator exited with ${code}`)
    process.exit(1)
  }
})
function ask<T extends ChildMessage['type']>(m: ParentMessage, answer: T): Promise<Extract<ChildMessage, { type: T }>> {
  child.send(m)
  return next(answer)
}
function next<T extends ChildMessage['type']>(answer: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const take = (m: ChildMessage) =>
      m.type === answer ? resolve(m as never) : reject(new Error(`unexpected ${m.type}`))
    const queued = inbox.shift()
    if (queued) take(queued)
    else waiting = take
  })
}

// A failed run still removes its database, its temporary directory and the load generator.
const fail = async (error: unknown) => {
  console.error(error)
  child.kill()
  await dispose?.().catch(() => undefined)
  process.exit(1)
}
// A rejected top-level await arrives as an uncaught exception.
process.on('uncaughtException', fail)
process.on('unhandledRejection', fail)

// ── Run ──────────────────────────────────────────────────────────────────

const started = performance.now()
const opened = await openBenchDatabase(ENGINE, baseConfig, {
  prefix: 'jiapei-bench-gw-',
  pgliteLabel: 'PGlite (on disk, same thread as the gateway)',
})
const { database, label, dir: tmp } = opened
dispose = opened.dispose
log(`  engine   : ${label}`)
log(`  bus      : ${BUS === 'inproc' ? 'in-process (the gateway awaits the group commit)' : 'NATS JetStream'}`)
log('  load gen : separate child process (bench/lib/gateway-load.ts), real TCP on loopback')

log('\n[1/5] seeding the tiny demo province and the benchmark terminals …')
await seedDemo(database, { scale: 'tiny', seed: 1 })
const terminals = await createBenchTerminals(database, TERMINALS)
const privateKeyPem = await shareOneCredential(database)
const [people] = await database.query<{ coach_no: string; id_card: string; stu_no: string; license_type: string }>(
  `SELECT c.coach_no, c.id_card, s.stu_no, s.license_type FROM student s
     JOIN coach c ON c.institution_id = s.institution_id
    WHERE s.license_type = 'C1' ORDER BY s.id LIMIT 1`,
)
const [fieldRow] = await database.query<{ polygon: unknown }>(
  `SELECT polygon FROM training_field WHERE kind = 'site' ORDER BY id LIMIT 1`,
)
const field = (typeof fieldRow?.polygon === 'string' ? JSON.parse(fieldRow.polygon) : fieldRow?.polygon) as never
log(`      ${terminals.length} terminals with a shared credential, ${fmt((performance.now() - started) / 1000, 1)} s`)

const suffix = crypto.randomBytes(4).toString('hex')
const config: Config = loadConfig({
  ...process.env,
  JIAPEI_GATEWAY_PORT: '0',
  JIAPEI_LOG_LEVEL: 'silent',
  JIAPEI_DATA_DIR: tmp,
  JIAPEI_BUS: BUS,
  JIAPEI_ROLES: 'gateway,ingest',
})
let ingestErrors = 0
// Group commits of the ingest writer (frames per transaction), counted during the load phase.
const commits: number[] = []
let countCommits = false
const bus = await openIngestBus({
  config,
  database,
  onIngested: (event) => {
    if (countCommits) commits.push(event.frames)
  },
  ...(BUS === 'nats' ? { stream: `JIAPEI_BENCH_${suffix}`, subjectPrefix: `jiapeibench${suffix}` } : {}),
  onError: () => ingestErrors++,
})
const server = await startGatewayServer({ config, database, sink: bus.sink, host: '127.0.0.1' })
const gateway = server.gateway

// Registration is timed on a few seeded terminals (RSA-2048 key generation and PKCS#12 each).
let registration: { count: number; medianMs: number; failures: string[] } = {
  count: 0,
  medianMs: Number.NaN,
  failures: [],
}
if (REGISTRATIONS > 0) {
  log(`\n[2/5] ${REGISTRATIONS} full registrations (0x0100 → 0x8100 with a new certificate, then 0x0102) …`)
  const profiles = await loadFleetProfiles(database, REGISTRATIONS, 1)
  const r = await ask({ type: 'register', host: '127.0.0.1', port: server.port, profiles }, 'registered')
  const sorted = [...r.ms].sort((a, b) => a - b)
  registration = {
    count: r.ms.length,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    failures: r.failures,
  }
  log(`      ${r.ms.length} registered and authenticated, median ${fmt(registration.medianMs)} ms each`)
  for (const f of r.failures.slice(0, 5)) log(`      failed: ${f}`)
}

const addressCount = Math.max(4, Math.ceil(TERMINALS / 20_000))
const addresses = Array.from({ length: addressCount }, (_, i) => `127.0.0.${i + 2}`)
const idle = await settleMemory()
log(`\n[3/5] connecting and authenticating ${TERMINALS} terminals from ${addresses.join(', ')} …`)
const connected = await ask(
  {
    type: 'connect',
    host: '127.0.0.1',
    port: server.port,
    terminals,
    privateKeyPem,
    addresses,
    concurrency: 200,
  },
  'connected',
)
log(
  `      ${connected.authenticated} terminals authenticated in ${fmt(connected.seconds, 1)} s ` +
    `(${fmt(connected.authenticated / connected.seconds)}/s); refused or failed ${connected.refused}`,
)
if (Object.keys(connected.errors).length > 0) log(`      socket errors: ${JSON.stringify(connected.errors)}`)
if (connected.errors.EMFILE || connected.errors.EADDRNOTAVAIL)
  log('      → out of file descriptors or ports: raise `ulimit -n` (both processes hold one fd per connection)')
await new Promise((r) => setTimeout(r, 2000))
const loaded = await settleMemory()
const online = gateway.stats().online
const perConnection = {
  rssBytes: (loaded.rss - idle.rss) / Math.max(1, online),
  heapBytes: (loaded.heapUsed - idle.heapUsed) / Math.max(1, online),
  externalBytes: (loaded.external - idle.external) / Math.max(1, online),
}
log(
  `      idle connections: ${online} online; per connection RSS ${fmt(perConnection.rssBytes / 1024, 1)} KiB, ` +
    `JS heap ${fmt(perConnection.heapBytes / 1024, 1)} KiB, buffers ${fmt(perConnection.externalBytes / 1024, 1)} KiB`,
)

log(`\n[4/5] ${fmt(RATE)} frames/s for ${DURATION} s (${fmt(MINUTE_SHARE * 100)} % signed minute records) …`)
const loop = monitorEventLoopDelay({ resolution: 10 })
const before = gateway.stats()
loop.enable()
let lastSent = 0
let lastAcked = 0
onProgress = (p) => {
  log(
    `      ${fmt(p.elapsedMs / 1000, 0).padStart(4)} s  sent ${fmt(p.sent).padStart(9)} (+${fmt(p.sent - lastSent)})` +
      `  acked ${fmt(p.acked).padStart(9)} (+${fmt(p.acked - lastAcked)})  in flight ${fmt(p.inflight)}  load ${os
        .loadavg()[0]
        ?.toFixed(2)}`,
  )
  lastSent = p.sent
  lastAcked = p.acked
}
const loadStarted = performance.now()
countCommits = true
child.send({
  type: 'load',
  rate: RATE,
  durationSeconds: DURATION,
  minuteShare: MINUTE_SHARE,
  window: WINDOW,
  drainSeconds: 30,
  people: {
    coachNo: people?.coach_no ?? '',
    idCard: people?.id_card ?? '',
    stuNo: people?.stu_no ?? '',
    licenseType: people?.license_type ?? 'C1',
  },
  field,
} satisfies ParentMessage)
const prepared = await next('prepared')
log(`      prepared: ${fmt(prepared.signatures)} minute records signed in ${fmt(prepared.seconds, 1)} s`)
const result = await next('loaded')
loop.disable()
countCommits = false
const commitFrames = commits.reduce((a, b) => a + b, 0)
const groupCommit = {
  transactions: commits.length,
  meanFrames: commitFrames / Math.max(1, commits.length),
  maxFrames: commits.reduce((a, b) => Math.max(a, b), 0),
}
const loadSeconds = (performance.now() - loadStarted) / 1000 - prepared.seconds
await bus.writer?.flush?.()
const after = gateway.stats()
const lost = result.sent - result.acked - result.rejected
// Acked frames over the time from the first frame sent to the last ack (the backlog drains after the send window).
const durableRate = result.acked / Math.max(result.seconds, result.ackSeconds)

log('\n[5/5] durability and the raw batch-insert ceiling …')
const countStored = async () =>
  (
    await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM raw_frame WHERE terminal_phone LIKE '${PHONE_PREFIX}%' AND msg_id IN (512, 2304)`,
    )
  )[0]
let stored = await countStored()
// With NATS the ack means "in JetStream"; the ingest consumer may still be writing.
for (let waited = 0; BUS === 'nats' && (stored?.n ?? 0) < result.acked + result.rejected && waited < 60; waited++) {
  await new Promise((r) => setTimeout(r, 500))
  await bus.writer?.flush?.()
  stored = await countStored()
}
const [derived] = await database.query<{ positions: number; minutes: number }>(
  `SELECT (SELECT count(*)::int FROM position) AS positions, (SELECT count(*)::int FROM minute_record) AS minutes`,
)
const rawCount = Math.max(result.acked, 10_000)
const ceiling = await rawInsertCeiling(database, rawCount, config.ingest.maxBatch)
log(
  `      raw_frame rows of the run: ${fmt(stored?.n ?? 0)} (acked ${fmt(result.acked)}, refused ${fmt(result.rejected)}); ` +
    `positions ${fmt(derived?.positions ?? 0)}, minute records ${fmt(derived?.minutes ?? 0)}`,
)
log(
  `      insertBatch of ${fmt(ceiling.rows)} raw_frame rows, ${config.ingest.maxBatch} per transaction: ` +
    `${fmt(ceiling.seconds, 2)} s = ${fmt(ceiling.rowsPerSecond)} rows/s`,
)

child.send({ type: 'close' } satisfies ParentMessage)
await next('closed').catch(() => undefined)
await server.close()
await bus.close()
if (BUS === 'nats') {
  const nc = await connectNats({ servers: config.ingest.natsUrl })
  await (await nc.jetstreamManager()).streams.delete(`JIAPEI_BENCH_${suffix}`).catch(() => false)
  await nc.close()
}
await database.close()
await dispose()

// ── Report ───────────────────────────────────────────────────────────────

const report = {
  machine: { ...machine, loadAverageAtEnd: loadAverage() },
  engine: ENGINE,
  engineLabel: label,
  bus: BUS,
  loadGenerator: 'child process',
  terminals: TERMINALS,
  rate: RATE,
  durationSeconds: DURATION,
  minuteShare: MINUTE_SHARE,
  windowPerTerminal: WINDOW,
  registration,
  authentication: {
    authenticated: connected.authenticated,
    refused: connected.refused,
    seconds: connected.seconds,
    perSecond: connected.authenticated / connected.seconds,
  },
  memoryPerConnection: perConnection,
  load: {
    sent: result.sent,
    positions: result.sentPositions,
    minuteRecords: result.sentMinutes,
    acked: result.acked,
    rejected: result.rejected,
    unanswered: result.unanswered,
    lost,
    behindSchedule: result.behind,
    sendSeconds: result.seconds,
    wallSeconds: loadSeconds,
    durableFramesPerSecond: durableRate,
    ackLatencyMs: result.latencyMs,
    groupCommit,
    eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    disconnects: result.disconnects,
    gatewayRejected: after.frameRejected - before.frameRejected,
    sinkFailures: after.sinkFailures - before.sinkFailures,
    ingestErrors,
  },
  durability: { rawFrameRows: stored?.n ?? 0, expected: result.acked + result.rejected },
  rawInsert: ceiling,
  ratio: durableRate / ceiling.rowsPerSecond,
}

if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
} else {
  const ok = (pass: boolean) => (pass ? 'met' : 'not met')
  const rows: [string, string, string, string][] = [
    [
      'connections (authenticated)',
      fmt(connected.authenticated),
      '100,000',
      connected.authenticated >= 100_000 ? 'met' : `run size (fd limit ${fdLimit})`,
    ],
    [
      BUS === 'nats' ? 'durable frames/s (acked after JetStream)' : 'durable frames/s (acked after commit)',
      fmt(durableRate),
      '10,000',
      ok(durableRate >= 10_000),
    ],
    [
      'ack latency p50 / p95 / p99 ms',
      `${fmt(result.latencyMs.p50, 1)} / ${fmt(result.latencyMs.p95, 1)} / ${fmt(result.latencyMs.p99, 1)}`,
      'p99 ≤ 50',
      ok(result.latencyMs.p99 <= 50),
    ],
    ['frames lost (sent − acked − refused)', fmt(lost), '0', ok(lost === 0)],
    [
      'raw_frame rows ≥ acked + refused',
      `${fmt(stored?.n ?? 0)} ≥ ${fmt(result.acked + result.rejected)}`,
      'durable',
      ok((stored?.n ?? 0) >= result.acked + result.rejected),
    ],
    [
      'memory per idle connection (heap+buffers)',
      `${fmt((perConnection.heapBytes + perConnection.externalBytes) / 1024, 1)} KiB`,
      '—',
      '—',
    ],
    [
      '  RSS delta per connection',
      perConnection.rssBytes > 0
        ? `${fmt(perConnection.rssBytes / 1024, 1)} KiB${ENGINE === 'pglite' ? ' (incl. PGlite heap)' : ''}`
        : 'n/a (RSS fell: seeding freed)',
      '—',
      '—',
    ],
    [
      'authentication (0x0102)',
      `${fmt(connected.authenticated / connected.seconds)}/s`,
      '50k in 60 s ≈ 833/s',
      ok(connected.authenticated / connected.seconds >= 833),
    ],
    ['raw insertBatch ceiling, rows/s', fmt(ceiling.rowsPerSecond), '—', '—'],
    ['gateway ÷ raw insert', fmt(durableRate / ceiling.rowsPerSecond, 3), '—', '—'],
  ]
  const w = [44, 30, 22, 12]
  log('')
  log(
    `Result: ${TERMINALS} terminals, offered ${fmt(RATE)} frames/s for ${DURATION} s, ${label}, bus ${BUS}, load generator in a child process`,
  )
  log(
    `${'measure'.padEnd(w[0] as number)}${'figure'.padEnd(w[1] as number)}${'DESIGN §8 target'.padEnd(w[2] as number)}status`,
  )
  log('─'.repeat(110))
  for (const r of rows)
    log(`${r[0].padEnd(w[0] as number)}${r[1].padEnd(w[1] as number)}${r[2].padEnd(w[2] as number)}${r[3]}`)
  log('─'.repeat(110))
  log(
    `sent ${fmt(result.sent)} (${fmt(result.sentPositions)} × 0x0200, ${fmt(result.sentMinutes)} × 0x0900/0x0203), ` +
      `not sent on time because every terminal awaited acks: ${fmt(result.behind)}; unanswered after 30 s: ${fmt(result.unanswered)}`,
  )
  log(
    `gateway event-loop delay p50 ${fmt(report.load.eventLoopDelayMs.p50, 1)} ms, p99 ${fmt(report.load.eventLoopDelayMs.p99, 1)} ms; ` +
      `group commits ${fmt(groupCommit.transactions)} (mean ${fmt(groupCommit.meanFrames, 1)}, max ${fmt(groupCommit.maxFrames)} frames each); ` +
      `disconnects ${result.disconnects}; registration median ${fmt(registration.medianMs)} ms; load average at end ${report.machine.loadAverageAtEnd.join(' ')}`,
  )
}
process.exit(0)
