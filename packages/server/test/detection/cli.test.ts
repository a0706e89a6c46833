/**
 * `jiapei detect`: coded refusals of bad windows and cities before any work, and runs (full and
 * cross rules only) over an empty database that record their detection_run and print the summary.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { openPglite } from '../../src/db/client.ts'

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

test('bad windows and cities are refused with their codes; detect options belong to detect', async () => {
  const cases: [string[], RegExp][] = [
    [['detect', '--from', '2026-05-01'], /^ERR_DETECT_WINDOW_INVALID /],
    [['detect', '--from', '2026-02-30', '--to', '2026-03-01'], /^ERR_DETECT_WINDOW_INVALID /],
    [
      ['detect', '--from', '2026-05-03', '--to', '2026-05-02'],
      /^ERR_DETECT_WINDOW_INVALID .*2026-05-03 晚于 2026-05-02/,
    ],
    [['detect', '--from', '2026-05-01', '--to', '2026-05-02', '--city', '33010'], /^ERR_DETECT_CITY_UNKNOWN /],
    [['migrate', '--from', '2026-05-01'], /^ERR_CLI_USAGE .*--from 只用于 detect/],
    [['migrate', '--cross-only'], /^ERR_CLI_USAGE .*--cross-only 只用于 detect/],
  ]
  const results = await Promise.all(cases.map(([args]) => run(args)))
  results.forEach(({ code, stderr }, i) => {
    const [args, pattern] = cases[i] as [string[], RegExp]
    assert.equal(code, 1, args.join(' '))
    assert.match(stderr, pattern, args.join(' '))
  })
})

test('a run over an empty database records a detection_run; a city outside the registry is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-detect-cli-'))
  try {
    const env = { JIAPEI_DATA_DIR: dir, JIAPEI_LOG_LEVEL: 'silent' }
    const ok = await run(['detect', '--from', '2026-05-01', '--to', '2026-05-02'], env)
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /检测完成 \/ done \(run 1, 检测政策 v1\)/)
    assert.match(ok.stdout, /课堂 sessions 0/)
    const cross = await run(['detect', '--from', '2026-05-01', '--to', '2026-05-01', '--cross-only'], env)
    assert.equal(cross.code, 0, cross.stderr)
    assert.match(cross.stdout, /只运行跨课堂规则/)
    const unknown = await run(['detect', '--from', '2026-05-01', '--to', '2026-05-01', '--city', '3301'], env)
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /^ERR_DETECT_CITY_UNKNOWN /, 'the empty registry has no 杭州')
    const db = await openPglite(path.join(dir, 'pglite'))
    try {
      const runs = await db.query<{ kind: string; window_from: Date; window_to: Date; finished_at: Date | null }>(
        'SELECT kind, window_from, window_to, finished_at FROM detection_run ORDER BY id',
      )
      assert.equal(runs.length, 2)
      assert.equal(runs[1]?.kind, 'cross', 'a cross-only run is recorded as such')
      assert.equal(runs[0]?.kind, 'batch')
      assert.equal(runs[0]?.window_from.toISOString(), '2026-04-30T16:00:00.000Z')
      assert.equal(runs[0]?.window_to.toISOString(), '2026-05-02T16:00:00.000Z', 'both days included')
      assert.ok(runs[0]?.finished_at)
    } finally {
      await db.close()
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
