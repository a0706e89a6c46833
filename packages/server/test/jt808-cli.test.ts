import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'

const BIN = path.resolve(import.meta.dirname, '../bin/jiapei.js')
// 驾培 heartbeat (STANDARDS §2.2): 0x80 version, 0x0002, BCD[8] phone, serial 1, reserved 0.
const HEARTBEAT = '7E 80 00 02 00 00 00 00 01 38 00 13 80 00 00 01 00 29 7E'

function run(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args])
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

test('decode prints the header and body as JSON, with or without delimiters and spaces', async () => {
  const results = await Promise.all([
    run(['decode', HEARTBEAT]),
    run(['decode', ...HEARTBEAT.split(' ')]),
    run(['decode', HEARTBEAT.replaceAll(' ', '').slice(2, -2)]),
  ])
  for (const { code, stdout } of results) {
    assert.equal(code, 0)
    const out = JSON.parse(stdout)
    assert.equal(out.header.msgId, '0x0002')
    assert.equal(out.header.version, 'jiapei')
    assert.equal(out.header.phone, '0000013800138000')
    assert.equal(out.header.serial, 1)
    assert.equal(out.header.subpackage, null)
    assert.deepEqual(out.body, {})
  }
})

test('explain prints the annotated dump', async () => {
  const { code, stdout } = await run(['explain', HEARTBEAT])
  assert.equal(code, 0)
  assert.match(stdout, /终端心跳/)
  assert.match(stdout, /终端手机号 \[BCD\[8\]\]/)
  assert.match(stdout, /校验码/)
})

test('bad frames print the coded error and exit 1', async () => {
  const cases: [string[], RegExp][] = [
    [['decode', HEARTBEAT.replace('29 7E', '28 7E')], /^ERR_CODEC_CHECKSUM /],
    [['decode', 'zz'], /^ERR_CODEC_HEX /],
    [['explain', '7e 80 00 7d 03 7e'], /ERR_CODEC_ESCAPE/],
    [['decode'], /^ERR_CLI_USAGE /],
    [['decode', HEARTBEAT, '--protocol', '2020'], /^ERR_CLI_USAGE /],
    [['migrate', '--protocol', '2013'], /^ERR_CLI_USAGE /],
  ]
  const results = await Promise.all(cases.map(([args]) => run(args)))
  results.forEach(({ code, stdout, stderr }, i) => {
    const [args, pattern] = cases[i] as [string[], RegExp]
    assert.equal(code, 1, args.join(' '))
    assert.match(args[0] === 'explain' ? stdout : stderr, pattern, args.join(' '))
  })
})

test('--protocol forces the header layout', async () => {
  const { code, stderr } = await run(['decode', HEARTBEAT, '--protocol', '2013'])
  assert.equal(code, 1)
  assert.match(stderr, /^ERR_CODEC_/)
})
