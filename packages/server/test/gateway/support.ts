/**
 * Test support for the gateway: an in-memory sink that records what it got and can be told to
 * fail or delay, registry rows for a terminal, and a scripted terminal over real TCP that builds
 * its frames with the codec.
 */
import net from 'node:net'
import {
  decodeBody,
  decodeFrame,
  decodeFrameContent,
  encodeFrame,
  encodePackets,
  type Frame,
  FrameReader,
  type HeaderInit,
} from '@jiapei/jt808'
import '@jiapei/jt808-training'
import type { Database } from '../../src/db/client.ts'
import type { AssembledPhoto, FrameEnvelope, IngestSink } from '../../src/ingestion/envelope.ts'

export class MemorySink implements IngestSink {
  readonly envelopes: FrameEnvelope[] = []
  readonly batches: number[] = []
  readonly photos: AssembledPhoto[] = []
  /** Reject every call while true. */
  failing = false
  /** Delay before resolving, ms. */
  delayMs = 0
  /** Time each accepted batch resolved. */
  readonly resolvedAt: number[] = []

  async accept(envelopes: readonly FrameEnvelope[]): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs))
    if (this.failing) throw new Error('sink unavailable')
    this.envelopes.push(...envelopes)
    this.batches.push(envelopes.length)
    this.resolvedAt.push(Date.now())
  }

  async acceptPhoto(photo: AssembledPhoto): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs))
    if (this.failing) throw new Error('sink unavailable')
    this.photos.push(photo)
  }

  async close(): Promise<void> {}
}

export interface TerminalRows {
  platformId: number
  institutionId: number
  insCode: string
  platformNo: string
  vehicleId: number
  plate: string
  terminalId: number
  deviceNo: string
  phone: string
  imei: string
  coachNo: string
  studentNo: string
}

let seq = 0

/** Inserts a timing platform, an institution, a C1 vehicle, a terminal, a coach and a student. */
export async function insertTerminal(db: Database, overrides: { status?: string } = {}): Promise<TerminalRows> {
  const n = ++seq + Math.floor(Math.random() * 1000) * 100
  const pad = (prefix: string) => `${prefix}${String(n).padStart(16 - prefix.length, '0')}`
  const platformNo = `P${String(n % 10000).padStart(4, '0')}`
  const [platform] = await db.query<{ id: number }>(
    `insert into timing_platform (platform_no, name, operator_name) values ($1, $2, $3) returning id`,
    [platformNo, `计时平台${n}`, '运营商'],
  )
  const insCode = pad('3301')
  const [inst] = await db.query<{ id: number }>(
    `insert into institution (ins_code, name, city_code, county_code, class_level, business_scope, timing_platform_id)
     values ($1, $2, '330100', '330106', 1, '{C1,C2}', $3) returning id`,
    [insCode, `驾校${n}`, platform?.id],
  )
  const plate = `浙A${String(n).padStart(5, '0')}学`
  const [veh] = await db.query<{ id: number }>(
    `insert into vehicle (car_no, institution_id, city_code, county_code, plate, plate_color, vehicle_type)
     values ($1, $2, '330100', '330106', $3, 2, 'C1') returning id`,
    [pad('V'), inst?.id, plate],
  )
  const deviceNo = pad('T')
  const phone = `139${String(n).padStart(8, '0')}`
  const imei = `86${String(n).padStart(13, '0')}`
  const [term] = await db.query<{ id: number }>(
    `insert into terminal (device_no, phone, imei, institution_id, city_code, county_code, vehicle_id, timing_platform_id, status)
     values ($1, $2, $3, $4, '330100', '330106', $5, $6, $7) returning id`,
    [deviceNo, phone, imei, inst?.id, veh?.id, platform?.id, overrides.status ?? 'active'],
  )
  const coachNo = pad('C')
  await db.query(
    `insert into coach (coach_no, institution_id, city_code, county_code, name, sex, id_card, teach_permitted)
     values ($1, $2, '330100', '330106', '张教练', 'male', $3, 'C1')`,
    [coachNo, inst?.id, `33010619800101${String(n).padStart(4, '0')}`],
  )
  const studentNo = pad('S')
  await db.query(
    `insert into student (stu_no, institution_id, city_code, county_code, name, sex, id_card, license_type, enrolled_on)
     values ($1, $2, '330100', '330106', '李学员', 'female', $3, 'C1', '2026-01-01')`,
    [studentNo, inst?.id, `33010620000101${String(n).padStart(4, '0')}`],
  )
  return {
    platformId: platform?.id as number,
    institutionId: inst?.id as number,
    insCode,
    platformNo,
    vehicleId: veh?.id as number,
    plate,
    terminalId: term?.id as number,
    deviceNo,
    phone,
    imei,
    coachNo,
    studentNo,
  }
}

/** A terminal over real TCP: sends codec-built frames, collects decoded downlink frames. */
export class TestTerminal {
  readonly frames: Frame[] = []
  private readonly reader = new FrameReader()
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void; reject: (e: Error) => void }[] = []
  private serial = 0
  closed = false
  readonly closedPromise: Promise<void>

  private constructor(
    readonly socket: net.Socket,
    public phone: string,
  ) {
    socket.on('data', (chunk) => {
      for (const event of this.reader.push(chunk)) {
        if (!event.ok) continue
        const r = decodeFrameContent(event.frame)
        if (!r.ok) continue
        const frame = this.reassemble(r.frame)
        if (!frame) continue
        this.frames.push(frame)
        this.waiters = this.waiters.filter((w) => {
          if (!w.match(frame)) return true
          w.resolve(frame)
          return false
        })
      }
    })
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true
        for (const w of this.waiters) w.reject(new Error('connection closed'))
        this.waiters = []
        resolve()
      }),
    )
  }

  private readonly parts = new Map<string, Map<number, Uint8Array>>()

  /** Downlink sub-packages (a long 0x8100) are put back together before matching. */
  private reassemble(frame: Frame): Frame | undefined {
    const sp = frame.header.subpackage
    if (!sp) return frame
    const key = `${frame.header.msgId}:${(frame.header.serial - sp.index + 1) & 0xffff}`
    const parts = this.parts.get(key) ?? new Map<number, Uint8Array>()
    parts.set(sp.index, frame.bodyBytes)
    this.parts.set(key, parts)
    if (parts.size < sp.total) return undefined
    this.parts.delete(key)
    const whole = Buffer.concat([...parts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]))
    const body = decodeBody(frame.header.msgId, whole, { version: frame.header.version })
    if (!body.ok) return undefined
    return { ...frame, body: body.value, bodyBytes: whole, decoded: true }
  }

  static async connect(port: number, phone: string): Promise<TestTerminal> {
    const socket = net.connect(port, '127.0.0.1')
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    socket.on('error', () => {})
    return new TestTerminal(socket, phone)
  }

  nextSerial(): number {
    this.serial = (this.serial + 1) & 0xffff
    return this.serial
  }

  header(msgId: number, serial = this.nextSerial()): HeaderInit {
    return { msgId, version: 'jiapei', phone: this.phone, serial }
  }

  /** Encodes and sends one message; returns its serial. */
  send(msgId: number, body: unknown, phone = this.phone): number {
    const serial = this.nextSerial()
    this.socket.write(encodeFrame({ msgId, version: 'jiapei', phone, serial }, body))
    return serial
  }

  /** Splits an encoded body into sub-packages; returns the frames (not sent). */
  packets(msgId: number, body: Uint8Array, size: number): Uint8Array[] {
    const serial = this.serial + 1
    const frames = encodePackets({ msgId, version: 'jiapei', phone: this.phone, serial }, body, size)
    this.serial = (this.serial + frames.length) & 0xffff
    return frames
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes)
  }

  /** The next downlink frame matching (already received ones count). */
  expect(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(match)
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1)
      return Promise.resolve(seen)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching downlink frame')), timeoutMs)
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer)
          this.frames.splice(this.frames.indexOf(f), 1)
          resolve(f)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
    })
  }

  /** The 0x8001 answering `serial`. */
  async generalReply(
    serial: number,
    timeoutMs = 5000,
  ): Promise<{ replySerial: number; replyId: number; result: number }> {
    const f = await this.expect(
      (f) => f.header.msgId === 0x8001 && (f.body as { replySerial: number }).replySerial === serial,
      timeoutMs,
    )
    return f.body as { replySerial: number; replyId: number; result: number }
  }

  close(): Promise<void> {
    this.socket.end()
    this.socket.destroy()
    return this.closedPromise
  }
}

export { decodeFrame }
