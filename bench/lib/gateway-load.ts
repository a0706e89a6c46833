/**
 * The load generator of `npm run bench:gateway`, run as a child process so the gateway's event
 * loop is measured on its own. It speaks the real protocol over TCP: 0x0102 authentication signed
 * with the terminal key, then 0x0200 positions and signed 0x0900/0x0203 minute records, each frame
 * waiting for its 0x8001. Frames are prepared before the clock starts (positions planned by the
 * simulator, minute records signed), so sending costs only the header and the checksum.
 *
 * Messages from the parent: `register` (a few full registrations, timed), `connect`, `load`,
 * `close`. Answers: `registered`, `connected`, `progress`, `loaded`, `closed`.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto'
import net from 'node:net'
import {
  decodeFrameContent,
  encodeFrame,
  encodePackets,
  FrameReader,
  type LocationReportJiapei,
  type PlatformGeneralReply,
} from '../../packages/jt808/src/index.ts'
import {
  encodeEnvelope,
  type MinuteRecord,
  minuteRecord,
  signEnvelope,
  type TrainingEnvelope,
  trainingEnvelope,
} from '../../packages/jt808-training/src/index.ts'
import {
  authCiphertext,
  planLesson,
  type TerminalProfile,
  VirtualTerminal,
} from '../../packages/simulator/src/index.ts'

export interface BenchTerminal {
  phone: string
  deviceNo: string
}

export type ParentMessage =
  | { type: 'register'; host: string; port: number; profiles: TerminalProfile[] }
  | {
      type: 'connect'
      host: string
      port: number
      terminals: BenchTerminal[]
      privateKeyPem: string
      addresses: string[]
      concurrency: number
    }
  | {
      type: 'load'
      rate: number
      durationSeconds: number
      minuteShare: number
      window: number
      drainSeconds: number
      people: { coachNo: string; idCard: string; stuNo: string; licenseType: string }
      field: TerminalProfile['field']
    }
  | { type: 'close' }

export type ChildMessage =
  | { type: 'registered'; ms: number[]; failures: string[] }
  | { type: 'connected'; seconds: number; authenticated: number; refused: number; errors: Record<string, number> }
  | { type: 'prepared'; seconds: number; signatures: number }
  | { type: 'progress'; elapsedMs: number; sent: number; acked: number; rejected: number; inflight: number }
  | {
      type: 'loaded'
      seconds: number
      /** From the first frame sent to the last ack received. */
      ackSeconds: number
      sent: number
      sentPositions: number
      sentMinutes: number
      acked: number
      rejected: number
      unanswered: number
      behind: number
      bytes: number
      latencyMs: { p50: number; p95: number; p99: number; max: number }
      disconnects: number
    }
  | { type: 'closed' }

interface Conn {
  t: BenchTerminal
  socket: net.Socket
  reader: FrameReader
  serial: number
  inflight: Map<number, number>
  open: boolean
  positions: LocationReportJiapei[]
  minutes: Uint8Array[]
  next: number
  nextMinute: number
}

const send = (m: ChildMessage) => process.send?.(m)
const GOLDEN = 0.6180339887498949
const conns: Conn[] = []
let key: KeyObject
let acked = 0
let rejected = 0
let lastAckAt = 0
let disconnects = 0
let latencies = new Float64Array(1 << 16)
let latencyCount = 0
let authWaiters = new Map<Conn, (ok: boolean) => void>()

function recordLatency(ms: number): void {
  if (latencyCount === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2)
    bigger.set(latencies)
    latencies = bigger
  }
  latencies[latencyCount++] = ms
}

function onData(c: Conn, chunk: Buffer): void {
  for (const event of c.reader.push(chunk)) {
    if (!event.ok) continue
    const result = decodeFrameContent(event.frame, { version: 'jiapei' })
    if (!result.ok || result.frame.header.msgId !== 0x8001) continue
    const ack = result.frame.body as PlatformGeneralReply
    if (ack.replyId === 0x0102) {
      authWaiters.get(c)?.(ack.result === 0)
      continue
    }
    const sentAt = c.inflight.get(ack.replySerial)
    if (sentAt === undefined) continue
    c.inflight.delete(ack.replySerial)
    lastAckAt = performance.now()
    recordLatency(lastAckAt - sentAt)
    if (ack.result === 0) acked++
    else rejected++
  }
}

function header(c: Conn, msgId: number) {
  const serial = c.serial
  c.serial = (c.serial + 1) & 0xffff
  return { msgId, version: 'jiapei' as const, phone: c.t.phone, serial }
}

async function connectOne(
  t: BenchTerminal,
  host: string,
  port: number,
  localAddress: string,
  errors: Record<string, number>,
): Promise<boolean> {
  const socket = net.connect({ host, port, localAddress, noDelay: true })
  const c: Conn = {
    t,
    socket,
    reader: new FrameReader(),
    serial: 0,
    inflight: new Map(),
    open: false,
    positions: [],
    minutes: [],
    next: 0,
    nextMinute: 0,
  }
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR'
    errors[code] = (errors[code] ?? 0) + 1
    socket.destroy()
    return false
  }
  socket.on('data', (chunk: Buffer) => onData(c, chunk))
  socket.on('error', (error: NodeJS.ErrnoException) => {
    const code = error.code ?? 'ERROR'
    errors[code] = (errors[code] ?? 0) + 1
  })
  socket.on('close', () => {
    if (c.open) disconnects++
    c.open = false
    authWaiters.get(c)?.(false)
  })
  const timestamp = Math.floor(Date.now() / 1000)
  const ok = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 30_000)
    authWaiters.set(c, (v) => {
      clearTimeout(timer)
      resolve(v)
    })
    socket.write(encodeFrame(header(c, 0x0102), { timestamp, ciphertext: authCiphertext(t.deviceNo, timestamp, key) }))
  })
  authWaiters.delete(c)
  if (!ok) {
    socket.destroy()
    return false
  }
  c.open = true
  conns.push(c)
  return true
}

async function connectAll(m: Extract<ParentMessage, { type: 'connect' }>): Promise<void> {
  key = createPrivateKey(m.privateKeyPem)
  const started = performance.now()
  const errors: Record<string, number> = {}
  let authenticated = 0
  let refused = 0
  let cursor = 0
  const worker = async () => {
    while (cursor < m.terminals.length) {
      const i = cursor++
      const address = m.addresses[i % m.addresses.length] as string
      if (await connectOne(m.terminals[i] as BenchTerminal, m.host, m.port, address, errors)) authenticated++
      else refused++
    }
  }
  await Promise.all(Array.from({ length: m.concurrency }, worker))
  send({ type: 'connected', seconds: (performance.now() - started) / 1000, authenticated, refused, errors })
}

async function registerSample(m: Extract<ParentMessage, { type: 'register' }>): Promise<void> {
  const ms: number[] = []
  const failures: string[] = []
  for (const profile of m.profiles) {
    const terminal = new VirtualTerminal({
      profile,
      connect: () => net.connect({ host: m.host, port: m.port }),
      reconnect: false,
      replyTimeoutMs: 30_000,
    })
    const started = performance.now()
    try {
      await terminal.start()
      ms.push(performance.now() - started)
    } catch (error) {
      failures.push(`${profile.deviceNo}: ${(error as Error).message}`)
    }
    await terminal.stop()
  }
  send({ type: 'registered', ms, failures })
}

/** Positions from planned lessons, minute records of each terminal signed with its key. */
function prepare(m: Extract<ParentMessage, { type: 'load' }>): void {
  const started = performance.now()
  const startTime = Date.now() - 10 * 60_000
  const totalMinuteFrames = m.rate * m.durationSeconds * m.minuteShare
  const minutesEach = Math.max(1, Math.min(10, Math.ceil(totalMinuteFrames / Math.max(1, conns.length))))
  const templates = Array.from({ length: 16 }, (_, i) =>
    planLesson(
      {
        phone: '0',
        deviceNo: `BENCHTEMPLATE${String(i).padStart(3, '0')}`,
        imei: '0',
        provinceId: 33,
        cityId: 100,
        plate: '浙A0000学',
        plateColor: 2,
        institutionNo: '0000000000000000',
        coach: { coachNo: m.people.coachNo, idCard: m.people.idCard, teachPermitted: m.people.licenseType },
        students: [{ stuNo: m.people.stuNo, licenseType: m.people.licenseType }],
        field: m.field,
      },
      { part: 2, minutes: minutesEach, startTime, seed: i + 1, positionIntervalSeconds: [1, 3] },
    ),
  )
  const positionsOf = templates.map((l) =>
    l.events.flatMap((e) => (e.kind === 'position' ? [e.body as LocationReportJiapei] : [])),
  )
  const minutesOf = templates.map((l) =>
    l.events.flatMap((e) => (e.kind === 'minuteRecord' ? [e.body as MinuteRecord] : [])),
  )
  let signatures = 0
  conns.forEach((c, i) => {
    c.positions = positionsOf[i % 16] as LocationReportJiapei[]
    c.minutes = (minutesOf[i % 16] as MinuteRecord[]).map((record, seq) => {
      const body = { ...record, recordNo: c.t.deviceNo + record.recordNo.slice(16) }
      signatures++
      const env = signEnvelope(
        trainingEnvelope(minuteRecord, body, { terminalNo: c.t.deviceNo, packetSeq: seq + 1 }),
        key,
      )
      return encodeEnvelope(env as TrainingEnvelope, 'up')
    })
  })
  send({ type: 'prepared', seconds: (performance.now() - started) / 1000, signatures })
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

async function load(m: Extract<ParentMessage, { type: 'load' }>): Promise<void> {
  prepare(m)
  acked = 0
  rejected = 0
  latencyCount = 0
  let sent = 0
  let sentPositions = 0
  let sentMinutes = 0
  let bytes = 0
  let behind = 0
  let cursor = 0
  const started = performance.now()
  const end = started + m.durationSeconds * 1000

  const sendOne = (): boolean => {
    for (let tries = 0; tries < conns.length; tries++) {
      const c = conns[cursor] as Conn
      cursor = (cursor + 1) % conns.length
      if (!c.open || c.inflight.size >= m.window) continue
      const n = c.next++
      let frame: Uint8Array
      // A golden-ratio sequence spreads the minute records evenly over frames and terminals.
      if ((sent * GOLDEN) % 1 < m.minuteShare) {
        const minute = c.minutes[c.nextMinute++ % c.minutes.length] as Uint8Array
        frame = encodePackets(header(c, 0x0900), minute, 1023)[0] as Uint8Array
        sentMinutes++
      } else {
        frame = encodeFrame(header(c, 0x0200), c.positions[n % c.positions.length])
        sentPositions++
      }
      c.inflight.set((c.serial - 1) & 0xffff, performance.now())
      c.socket.write(frame)
      sent++
      bytes += frame.length
      return true
    }
    return false
  }

  const progress = setInterval(() => {
    let inflight = 0
    for (const c of conns) inflight += c.inflight.size
    send({ type: 'progress', elapsedMs: performance.now() - started, sent, acked, rejected, inflight })
  }, 1000)

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      const due = Math.floor(((Math.min(now, end) - started) / 1000) * m.rate)
      while (sent + behind < due) {
        if (!sendOne()) {
          // Every terminal is waiting for acks: the platform is not keeping up with the rate.
          behind += due - sent - behind
          break
        }
      }
      if (now >= end) resolve()
      else setTimeout(tick, 2)
    }
    tick()
  })
  const sendSeconds = (performance.now() - started) / 1000
  const drainUntil = performance.now() + m.drainSeconds * 1000
  for (;;) {
    let inflight = 0
    for (const c of conns) inflight += c.inflight.size
    if (inflight === 0 || performance.now() > drainUntil) break
    await new Promise((r) => setTimeout(r, 20))
  }
  clearInterval(progress)
  let unanswered = 0
  for (const c of conns) unanswered += c.inflight.size
  const sorted = latencies.slice(0, latencyCount).sort()
  send({
    type: 'loaded',
    seconds: sendSeconds,
    ackSeconds: (lastAckAt - started) / 1000,
    sent,
    sentPositions,
    sentMinutes,
    acked,
    rejected,
    unanswered,
    behind,
    bytes,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    },
    disconnects,
  })
}

// The benchmark is gone (finished or crashed): nothing left to measure.
process.on('disconnect', () => process.exit(0))

process.on('message', (m: ParentMessage) => {
  const fail = (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
  if (m.type === 'register') registerSample(m).catch(fail)
  else if (m.type === 'connect') connectAll(m).catch(fail)
  else if (m.type === 'load') load(m).catch(fail)
  else if (m.type === 'close') {
    for (const c of conns) {
      c.open = false
      c.socket.destroy()
    }
    authWaiters = new Map()
    send({ type: 'closed' })
    process.disconnect?.()
  }
})
