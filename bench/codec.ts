/**
 * JT/T 808 codec benchmark: frames/s for decodeFrame, encodeFrame and the streaming FrameReader
 * over a realistic uplink mix — 70 % 0x0200 location reports with additional items, 20 %
 * heartbeats, 10 % 0x0900 驾培 pass-through (a 0x0203 学时记录 envelope with its 256-byte 校验串).
 * Prints the machine and the median of several runs.
 *
 *   npm run bench:codec [-- --frames 200000 --runs 5]
 *
 * The 驾培 extension is loaded when installed, so 0x0900 bodies are decoded down to the minute
 * record; without it they stay raw bytes (the output says which).
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import {
  decodeFrame,
  decodeFrameContent,
  encodeFrame,
  FrameReader,
  type HeaderInit,
  headerInit,
  hex,
} from '../packages/jt808/src/index.ts'

const { values } = parseArgs({
  options: { frames: { type: 'string', default: '200000' }, runs: { type: 'string', default: '5' } },
})
const FRAMES = Number(values.frames)
const RUNS = Number(values.runs)

let extension = 'not installed: 0x0900 bodies stay raw'
try {
  await import('@jiapei/jt808-training' as string)
  extension = 'loaded: 0x0900 type 0x13 decoded to the message'
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error
}

// ── The mix ──────────────────────────────────────────────────────────────

const GNSS = '00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000'
const ascii = (s: string, n: number) => Buffer.from(s.padEnd(n, '\0'), 'latin1').toString('hex')

function location(serial: number, phone: string): Uint8Array {
  const header: HeaderInit = { msgId: 0x0200, version: 'jiapei', phone, serial }
  return encodeFrame(header, hex(`${GNSS} 01 04 00001e61 02 02 0190 03 02 0020 05 02 0898`))
}

function heartbeat(serial: number, phone: string): Uint8Array {
  return encodeFrame({ msgId: 0x0002, version: 'jiapei', phone, serial }, {})
}

/** 0x0900 → 0x13 envelope → 0x0203 上报学时记录 (STANDARDS §2.5, §2.7; 114-byte record). */
function minuteRecord(serial: number, phone: string): Uint8Array {
  const terminalNo = '3301000000000099'
  const record =
    ascii(`${terminalNo}2405010510`, 26) +
    '01' +
    ascii('3301000000012345', 16) +
    ascii('3301000000000777', 16) +
    '00000457' +
    '083059' +
    '1212110000' +
    '00' +
    '0190' +
    '0007' +
    `${GNSS} 01 04 00001e61 05 02 0898`
  const data = hex(record)
  const envelope = hex(
    `0203 0022 ${(serial & 0xffff).toString(16).padStart(4, '0')} ${ascii(terminalNo, 16)} ${data.length.toString(16).padStart(8, '0')}`,
  )
  const signature = new Uint8Array(256).map((_, i) => (i * 7) & 0xff)
  const body = Buffer.concat([envelope, data, signature])
  return encodeFrame({ msgId: 0x0900, version: 'jiapei', phone, serial }, { type: 0x13, data: new Uint8Array(body) })
}

const frames: Uint8Array[] = []
for (let i = 0; i < 1000; i++) {
  const phone = String(13800000000 + (i % 97))
  const pick = i % 10
  frames.push(pick < 7 ? location(i, phone) : pick < 9 ? heartbeat(i, phone) : minuteRecord(i, phone))
}
const decoded = frames.map((f) => {
  const r = decodeFrame(f)
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.frame
})
const bytesPerFrame = frames.reduce((s, f) => s + f.length, 0) / frames.length

// One TCP stream of the mix, cut into 1460-byte segments.
const stream = Buffer.concat(frames)
const segments: Uint8Array[] = []
for (let at = 0; at < stream.length; at += 1460) segments.push(stream.subarray(at, at + 1460))

// ── Runs ─────────────────────────────────────────────────────────────────

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

function measure(name: string, perPass: number, pass: () => void): { name: string; rate: number } {
  const passes = Math.max(1, Math.round(FRAMES / perPass))
  for (let i = 0; i < Math.min(passes, 20); i++) pass() // warm-up
  const rates: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint()
    for (let i = 0; i < passes; i++) pass()
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    rates.push((passes * perPass) / seconds)
  }
  return { name, rate: median(rates) }
}

let sink = 0
const results = [
  measure('decodeFrame', frames.length, () => {
    for (const f of frames) if (decodeFrame(f).ok) sink++
  }),
  measure('encodeFrame', decoded.length, () => {
    for (const d of decoded) sink += encodeFrame(headerInit(d.header), d.body).length
  }),
  measure('FrameReader (boundaries + unescape)', frames.length, () => {
    const reader = new FrameReader()
    for (const s of segments) sink += reader.push(s).length
  }),
  measure('FrameReader + decodeFrameContent', frames.length, () => {
    const reader = new FrameReader()
    for (const s of segments) for (const e of reader.push(s)) if (e.ok && decodeFrameContent(e.frame).ok) sink++
  }),
]

const cpus = os.cpus()
process.stdout.write(
  `JT/T 808 codec benchmark\n` +
    `  machine : ${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}\n` +
    `  mix     : 70 % 0x0200 with 4 items, 20 % 0x0002, 10 % 0x0900 驾培 0x0203 (${bytesPerFrame.toFixed(0)} bytes/frame on average)\n` +
    `  驾培扩展 : ${extension}\n` +
    `  runs    : median of ${RUNS} runs of ≈${FRAMES.toLocaleString('en-US')} frames each\n\n`,
)
for (const r of results) {
  process.stdout.write(`  ${r.name.padEnd(40)} ${Math.round(r.rate).toLocaleString('en-US').padStart(12)} frames/s\n`)
}
if (sink === -1) process.stdout.write('\n')
