import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { testEngines } from '../support/engines.ts'

const BIN = path.resolve(import.meta.dirname, '../../bin/jiapei.js')

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

test('help exits 0 and lists the commands', async () => {
  const { code, stdout } = await run(['help'])
  assert.equal(code, 0)
  for (const command of ['start', 'migrate', 'seed']) assert.match(stdout, new RegExp(`\\b${command}\\b`))
})

test('unknown commands, unknown options and bad values exit 1 with ERR_CLI_USAGE', async () => {
  const cases = [
    ['frobnicate'],
    ['seed', '--sclae', 'small'],
    ['seed', '--scale', 'tiny'],
    ['seed', '--seed', 'x'],
    ['seed', '--history-days', '-1'],
    ['migrate', '--reset'],
    ['migrate', '--history-days', '3'],
  ]
  const results = await Promise.all(cases.map((args) => run(args)))
  results.forEach(({ code, stderr }, i) => {
    const args = (cases[i] as string[]).join(' ')
    assert.equal(code, 1, args)
    assert.match(stderr, /^ERR_CLI_USAGE /, args)
  })
})

test('a configuration error reports every problem at once', async () => {
  const { code, stderr } = await run(['migrate'], { JIAPEI_HTTP_PORT: 'abc', JIAPEI_DEMO_SCALE: 'huge' })
  assert.equal(code, 1)
  assert.match(stderr, /^ERR_CONFIG_INVALID /)
  assert.match(stderr, /JIAPEI_HTTP_PORT/)
  assert.match(stderr, /JIAPEI_DEMO_SCALE/)
})

test('an unreachable database exits 1 with ERR_DB_UNAVAILABLE', async () => {
  const { code, stderr } = await run(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/jiapei' })
  assert.equal(code, 1)
  assert.match(stderr, /^ERR_DB_UNAVAILABLE /)
})

/**
 * The database for the start test: a fresh database on the PostgreSQL test server when there is
 * one (fast), otherwise a new PGlite directory.
 */
async function startDatabase(dataDir: string): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const [, postgres] = await testEngines()
  if (postgres?.skip !== false) return { env: {}, drop: async () => {} }
  const server = process.env.JIAPEI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `jiapei_cli_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(server)
  url.pathname = `/${name}`
  return {
    env: { DATABASE_URL: url.toString(), JIAPEI_DATA_DIR: dataDir },
    async drop() {
      const c = new pg.Client({ connectionString: server })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

test('start migrates, serves the API and the terminal gateway, and stops cleanly on SIGTERM', {
  timeout: 120_000,
}, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-cli-'))
  const database = await startDatabase(dataDir)
  let child: ChildProcess | undefined
  try {
    child = spawn(process.execPath, [BIN, 'start'], {
      env: {
        ...process.env,
        JIAPEI_DATA_DIR: dataDir,
        JIAPEI_HTTP_PORT: '0',
        JIAPEI_GATEWAY_PORT: '0',
        JIAPEI_DEMO: 'false',
        JIAPEI_LOG_LEVEL: 'silent',
        ...database.env,
      },
    })
    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)))
    let stdout = ''
    const [base, gatewayPort] = await new Promise<[string, number]>((resolve, reject) => {
      child?.stdout?.on('data', (d) => {
        stdout += d
        const m = /(http:\/\/[\d.]+:\d+)\/api\/docs/.exec(stdout)
        const g = /tcp:\/\/[\d.]+:(\d+)/.exec(stdout)
        if (m && g) resolve([m[1] as string, Number(g[1])])
      })
      child?.on('exit', () => reject(new Error(`start exited early: ${stdout}`)))
    })
    const docs = await fetch(`${base}/api/openapi.json`)
    assert.equal(docs.status, 200)
    // The terminal gateway of the same process accepts connections.
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(gatewayPort, '127.0.0.1', () => socket.end(resolve))
      socket.on('error', reject)
    })
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL')
    await database.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
