/**
 * The terminal gateway: sessions over any duplex stream (`handle`), framing, authentication state,
 * sub-package reassembly, dispatch to the per-message handlers, acknowledgement after durability,
 * and downlink commands. It does no business logic and writes nothing but credentials: every
 * accepted (and every refused) uplink leaves through the {@link IngestSink}.
 *
 * Per connection, chunks are processed in order. The envelopes of all frames completed by one
 * chunk go to `sink.accept` in one call; only when it resolves are the answers sent (0x8001 成功 or
 * the message's own answer); if it rejects, every frame of the chunk is answered 失败. A frame that
 * cannot be decoded or is refused never closes the connection: it is counted, kept (envelope with
 * `decodeError`) and answered 0x8001 2 消息有误 / 1 失败 when its header can be read.
 *
 * Events (EventEmitter): `sessionOpened` (session), `sessionClosed` (session, reason),
 * `frameRejected` ({ session, code }), `heartbeatTimeout` (session).
 */
import { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'
import {
  checksum,
  decodeBody,
  decodeFrameContent,
  encodeBody,
  encodeFrame,
  encodePackets,
  type Frame,
  type Header,
  parseHex,
} from '@jiapei/jt808'
import '@jiapei/jt808-training'
import { type TrainingEnvelope, type TrainingMessageDefinition, trainingEnvelope } from '@jiapei/jt808-training'
import { appError } from '../errors/catalogue.ts'
import type { FrameEnvelope } from '../ingestion/envelope.ts'
import { BEFORE_AUTH, HANDLERS, handleDefault } from './handlers/index.ts'
import type { Answer, CounterName, HandlerContext, Outcome, Uplink } from './handlers/types.ts'
import { defaultOptions, type GatewayLimits, type GatewayOptions, silentLogger } from './options.ts'
import { normalizePhone } from './registry.ts'
import type { FrameRejection } from './rejections.ts'
import { type BoundTerminal, type PendingCommand, Session } from './session.ts'
import { missingOf, type PartialMessage } from './subpackages.ts'

export interface GatewayStats {
  sessionOpened: number
  sessionClosed: number
  frameRejected: number
  heartbeatTimeout: number
  authTimeout: number
  evicted: number
  framesAccepted: number
  sinkFailures: number
  resendRequests: number
  subpackagesExpired: number
  commandsSent: number
  commandsTimedOut: number
  registrations: number
  registrationsRefused: number
  authentications: number
  authenticationsRefused: number
  signatureFailures: number
  photosAssembled: number
  /** Photo uploads forgotten after `photoTimeoutMs`. */
  photosExpired: number
  /** Open connections now. */
  sessions: number
  /** Authenticated terminals now. */
  online: number
  /** Rejections by code. */
  rejectedByCode: Record<string, number>
}

export interface OnlineSession {
  terminalId: number
  deviceNo: string
  phone: string
  institutionId: number
  remote: string
  connectedAt: Date
  authenticatedAt: Date
  lastSeenAt: Date
}

/** A platform → terminal message: an 808 message by ID, or a 驾培 message (sent inside 0x8900). */
export type CommandMessage =
  | { msgId: number; body: unknown }
  | { training: TrainingMessageDefinition<never>; body: unknown }

/** Body bytes per downlink sub-package. */
const DOWNLINK_PACKET_SIZE = 1000

interface Item {
  envelope: FrameEnvelope
  outcome: Outcome
  header?: Header
}

export class Gateway extends EventEmitter {
  readonly limits: GatewayLimits
  private readonly sessions = new Set<Session>()
  private readonly online = new Map<number, Session>()
  private readonly authenticatedAt = new WeakMap<Session, Date>()
  private readonly counters: Omit<GatewayStats, 'sessions' | 'online' | 'rejectedByCode'> = {
    sessionOpened: 0,
    sessionClosed: 0,
    frameRejected: 0,
    heartbeatTimeout: 0,
    authTimeout: 0,
    evicted: 0,
    framesAccepted: 0,
    sinkFailures: 0,
    resendRequests: 0,
    subpackagesExpired: 0,
    commandsSent: 0,
    commandsTimedOut: 0,
    registrations: 0,
    registrationsRefused: 0,
    authentications: 0,
    authenticationsRefused: 0,
    signatureFailures: 0,
    photosAssembled: 0,
    photosExpired: 0,
  }
  private readonly rejectedByCode: Record<string, number> = {}
  private readonly sweeper: NodeJS.Timeout
  private readonly nodeName: string
  private readonly logger
  private readonly clock: () => Date
  private closing = false

  constructor(private readonly options: GatewayOptions) {
    super()
    const limits: GatewayLimits = { ...defaultOptions }
    for (const key of Object.keys(defaultOptions) as (keyof GatewayLimits)[]) {
      const value = options[key]
      if (value !== undefined) limits[key] = value
    }
    this.limits = Object.freeze(limits)
    this.nodeName = options.nodeName ?? 'gateway'
    this.logger = options.logger ?? silentLogger
    this.clock = options.now ?? (() => new Date())
    const shortest = Math.min(limits.heartbeatTimeoutMs, limits.authTimeoutMs, limits.subpackageResendAfterMs)
    const period = limits.sweepIntervalMs || Math.max(10, Math.min(1000, Math.floor(shortest / 4)))
    this.sweeper = setInterval(() => this.sweep(), period)
    this.sweeper.unref()
  }

  /** Serves one connection (a TCP socket or any duplex stream). */
  handle(stream: Duplex, remote = ''): Session | undefined {
    if (this.closing || this.sessions.size >= this.limits.maxSessions) {
      stream.destroy()
      return undefined
    }
    const session = new Session(stream, this.limits.maxFrameSize, this.clock(), remote)
    this.sessions.add(session)
    this.counters.sessionOpened++
    this.emit('sessionOpened', session)
    stream.on('data', (chunk: Uint8Array) => this.receive(session, chunk))
    stream.on('error', (error) => {
      this.logger.debug({ session: session.id, err: error.message }, '连接出错')
      this.close(session, 'error')
    })
    stream.on('end', () => this.close(session, 'end'))
    stream.on('close', () => this.close(session, 'close'))
    return session
  }

  /** Counters and current sizes. */
  stats(): GatewayStats {
    return {
      ...this.counters,
      sessions: this.sessions.size,
      online: this.online.size,
      rejectedByCode: { ...this.rejectedByCode },
    }
  }

  /** Authenticated terminals now connected to this gateway. */
  onlineSessions(): OnlineSession[] {
    const out: OnlineSession[] = []
    for (const [terminalId, s] of this.online) {
      const t = s.terminal as BoundTerminal
      out.push({
        terminalId,
        deviceNo: t.deviceNo,
        phone: s.phone ?? t.phone,
        institutionId: t.institutionId,
        remote: s.remote,
        connectedAt: s.connectedAt,
        authenticatedAt: this.authenticatedAt.get(s) ?? s.connectedAt,
        lastSeenAt: new Date(s.lastSeen),
      })
    }
    return out
  }

  isOnline(terminalId: number): boolean {
    return this.online.has(terminalId)
  }

  /**
   * Sends a platform → terminal message and resolves with the terminal's answer: the decoded 驾培
   * answer (0x8301 → 0x0301 …) or the 0x0001/0x0104/0x0201 of an 808 command. Rejects with
   * ERR_GW_TERMINAL_OFFLINE, ERR_GW_COMMAND_TIMEOUT or ERR_GW_SESSION_CLOSED.
   *
   * @example
   * const reply = await gateway.command(terminalId, { training: photoNow, body: { uploadMode: 1, channel: 0, size: 1 } })
   */
  async command(terminalId: number, message: CommandMessage, options: { timeoutMs?: number } = {}): Promise<unknown> {
    const session = this.online.get(terminalId)
    if (!session?.terminal || session.closed) throw appError('ERR_GW_TERMINAL_OFFLINE', { terminalId })
    const timeoutMs = options.timeoutMs ?? this.limits.commandTimeoutMs
    const serial = session.nextSerial()
    const phone = session.phone ?? session.terminal.phone
    let msgId: number
    let body: unknown
    let key: string
    let label: string
    if ('training' in message) {
      const env: TrainingEnvelope = trainingEnvelope(
        message.training as TrainingMessageDefinition<unknown>,
        message.body,
        { terminalNo: session.terminal.deviceNo, packetSeq: session.nextPacketSeq(), ackRequired: true },
      )
      msgId = 0x8900
      body = { type: 0x13, data: new Uint8Array(0), content: env }
      key = `t:${message.training.id & 0x7fff}`
      label = `0x8900/${hex4(message.training.id)}`
    } else {
      msgId = message.msgId
      body = message.body
      // 808 commands are answered by 0x0001 / 0x0104 / 0x0201 carrying our serial as 应答流水号.
      key = `s:${serial}`
      label = hex4(msgId)
    }
    const frame = encodeFrame({ msgId, version: session.version ?? 'jiapei', phone, serial }, body)
    const raw = unwrap(frame)
    await this.options.sink.accept([
      {
        receivedAt: this.clock(),
        terminalPhone: normalizePhone(phone),
        terminalId,
        msgId,
        serialNo: serial,
        layout: session.version ?? 'jiapei',
        direction: 'down',
        frame: raw,
        message: body,
        gatewayNode: this.nodeName,
      },
    ])
    return new Promise((resolve, reject) => {
      const pending: PendingCommand = {
        resolve,
        reject,
        timer: setTimeout(() => {
          session.removePending(key, pending)
          this.counters.commandsTimedOut++
          reject(appError('ERR_GW_COMMAND_TIMEOUT', { terminalId, timeoutMs, msgId: label }))
        }, timeoutMs),
      }
      pending.timer.unref()
      session.addPending(key, pending)
      this.counters.commandsSent++
      session.write(frame)
    })
  }

  /** Stops the sweep and closes every session. */
  async close(): Promise<void>
  close(session: Session, reason: string): void
  close(session?: Session, reason?: string): void | Promise<void> {
    if (!session) {
      this.closing = true
      clearInterval(this.sweeper)
      for (const s of [...this.sessions]) this.close(s, 'shutdown')
      return Promise.resolve()
    }
    if (session.closed) return
    session.closed = true
    this.sessions.delete(session)
    if (session.terminal && this.online.get(session.terminal.id) === session) this.online.delete(session.terminal.id)
    for (const [, list] of session.pending) {
      for (const p of list) {
        clearTimeout(p.timer)
        p.reject(appError('ERR_GW_SESSION_CLOSED', { terminalId: session.terminal?.id, msgId: 'command' }))
      }
    }
    session.pending.clear()
    session.reassembler.clear()
    session.photos.clear()
    if (!session.stream.destroyed) session.stream.destroy()
    this.counters.sessionClosed++
    this.emit('sessionClosed', session, reason)
  }

  // ── receiving ─────────────────────────────────────────────────────────

  private receive(session: Session, chunk: Uint8Array): void {
    if (session.closed) return
    session.lastSeen = this.clock().getTime()
    session.queued++
    if (session.queued >= 4) session.stream.pause()
    session.queue = session.queue
      .then(() => this.process(session, chunk))
      .catch((error: unknown) => {
        this.logger.error({ session: session.id, err: error }, '处理上行数据失败')
        this.close(session, 'internal error')
      })
      .finally(() => {
        session.queued--
        if (session.queued < 4 && !session.closed) session.stream.resume()
      })
  }

  private async process(session: Session, chunk: Uint8Array): Promise<void> {
    // Bytes received before a close are still kept (nothing is silently lost); answers are dropped.
    const receivedAt = this.clock()
    const items: Item[] = []
    for (const event of session.reader.push(chunk)) {
      if (!event.ok) {
        // Stream-level fault (garbage before a frame, bad escape, oversize): no header to answer.
        items.push({
          envelope: this.envelope(session, receivedAt, {
            frame: parseHex(event.rawHex) ?? new Uint8Array(0),
            decodeError: event.code,
          }),
          outcome: {},
        })
        this.reject(session, event.code)
        continue
      }
      const result = decodeFrameContent(event.frame)
      if (!result.ok) {
        const header = result.header ?? peekHeader(event.frame)
        items.push({
          envelope: this.envelope(session, receivedAt, { frame: event.frame, decodeError: result.code, header }),
          outcome: header ? { reply: () => [generalAnswer(header, 2)] } : {},
          ...(header ? { header } : {}),
        })
        this.reject(session, result.code)
        continue
      }
      items.push(await this.accept(session, result.frame, receivedAt))
    }
    if (items.length === 0) return
    let durable = true
    try {
      await this.options.sink.accept(items.map((i) => i.envelope))
    } catch (error) {
      durable = false
      this.counters.sinkFailures++
      this.logger.warn({ session: session.id, err: (error as Error).message }, '入库失败，应答失败')
    }
    for (const item of items) {
      let ok = durable && !item.outcome.rejected
      if (ok && item.outcome.photo) {
        try {
          await this.options.sink.acceptPhoto(item.outcome.photo)
        } catch (error) {
          ok = false
          this.counters.sinkFailures++
          this.logger.warn({ session: session.id, err: (error as Error).message }, '照片入库失败')
        }
      }
      if (ok) this.counters.framesAccepted++
      const answers = item.outcome.reply?.(ok) ?? []
      for (const answer of answers) this.send(session, item.header ?? item.envelope, answer)
    }
  }

  /** One decoded frame: authorization, sub-packages, then its handler. */
  private async accept(session: Session, frame: Frame, receivedAt: Date): Promise<Item> {
    const header = frame.header
    const base = { frame: frame.raw, header }
    const refuse = (code: FrameRejection, result = 1): Item => {
      this.reject(session, code)
      return {
        envelope: this.envelope(session, receivedAt, { ...base, decodeError: code }),
        outcome: { rejected: code, reply: () => [generalAnswer(header, result)] },
        header,
      }
    }
    if (!BEFORE_AUTH.has(header.msgId)) {
      if (!session.terminal) return refuse('ERR_GW_NOT_AUTHENTICATED')
      if (normalizePhone(header.phone) !== session.phone) return refuse('ERR_GW_PHONE_MISMATCH')
    }
    session.version ??= header.version
    let up: Uplink = { header, body: frame.body, bodyBytes: frame.bodyBytes, receivedAt, reassembled: false }
    if (header.subpackage) {
      const { total, index } = header.subpackage
      const added = session.reassembler.add(
        header.msgId,
        header.serial,
        total,
        index,
        frame.bodyBytes,
        receivedAt.getTime(),
      )
      if (added.status === 'invalid') return refuse('ERR_GW_SUBPACKAGE', 2)
      if (added.status === 'partial') {
        const answers: Answer[] = []
        if (added.lastSeen && added.missing.length > 0) {
          added.message.resendAt = receivedAt.getTime()
          this.counters.resendRequests++
          answers.push(resendAnswer(added.message, added.missing))
        }
        return {
          envelope: this.envelope(session, receivedAt, base),
          outcome: { reply: (ok) => [generalAnswer(header, ok ? 0 : 1), ...answers] },
          header,
        }
      }
      const decoded = decodeBody(header.msgId, added.body, { version: header.version, header })
      if (!decoded.ok) {
        this.reject(session, decoded.code)
        return {
          envelope: this.envelope(session, receivedAt, { ...base, decodeError: decoded.code }),
          outcome: { reply: () => [generalAnswer(header, 2)] },
          header,
        }
      }
      up = { header, body: decoded.value, bodyBytes: added.body, receivedAt, reassembled: true }
    }
    const handler = HANDLERS.get(header.msgId) ?? handleDefault
    const outcome = await handler(this.context(session), up)
    if (outcome.rejected) this.reject(session, outcome.rejected)
    const message = outcome.rejected ? undefined : 'message' in outcome ? outcome.message : up.body
    return {
      envelope: this.envelope(session, receivedAt, {
        ...base,
        ...(outcome.rejected ? { decodeError: outcome.rejected } : { message }),
      }),
      outcome,
      header,
    }
  }

  private context(session: Session): HandlerContext {
    return {
      session,
      database: this.options.database,
      limits: this.limits,
      logger: this.logger,
      now: () => this.clock().getTime(),
      bind: (terminal, phone) => this.bind(session, terminal, phone),
      unbind: () => {
        if (session.terminal && this.online.get(session.terminal.id) === session)
          this.online.delete(session.terminal.id)
        session.terminal = undefined
        session.phone = undefined
      },
      settle: (key, reply) => session.settle(key, reply),
      count: (name: CounterName) => {
        this.counters[name]++
      },
    }
  }

  private bind(session: Session, terminal: BoundTerminal, phone: string): void {
    if (session.closed) return
    const previous = this.online.get(terminal.id)
    if (session.terminal && session.terminal.id !== terminal.id && this.online.get(session.terminal.id) === session) {
      this.online.delete(session.terminal.id)
    }
    session.terminal = terminal
    session.phone = phone
    this.online.set(terminal.id, session)
    this.authenticatedAt.set(session, this.clock())
    if (previous && previous !== session) {
      // A second login of the same terminal: the newer connection wins.
      this.counters.evicted++
      this.logger.info({ terminalId: terminal.id, old: previous.id, new: session.id }, '同一终端再次登录，断开旧连接')
      this.close(previous, 'evicted')
    }
  }

  private reject(session: Session, code: string): void {
    this.counters.frameRejected++
    this.rejectedByCode[code] = (this.rejectedByCode[code] ?? 0) + 1
    this.emit('frameRejected', { session, code })
    this.logger.debug({ session: session.id, code }, '帧被拒绝')
  }

  private envelope(
    session: Session,
    receivedAt: Date,
    part: { frame: Uint8Array; header?: Header | undefined; decodeError?: string; message?: unknown },
  ): FrameEnvelope {
    const h = part.header
    const env: FrameEnvelope = {
      receivedAt,
      terminalPhone: h ? normalizePhone(h.phone) : (session.phone ?? ''),
      msgId: h?.msgId ?? 0,
      serialNo: h?.serial ?? 0,
      layout: h?.version ?? session.version ?? 'unknown',
      direction: 'up',
      frame: part.frame,
      gatewayNode: this.nodeName,
    }
    if (session.terminal && (!h || normalizePhone(h.phone) === session.phone)) env.terminalId = session.terminal.id
    if (part.message !== undefined) env.message = part.message
    if (part.decodeError) env.decodeError = part.decodeError
    return env
  }

  private send(
    session: Session,
    to: { msgId?: number; phone?: string; version?: string } | Header,
    answer: Answer,
  ): void {
    const header = to as Header
    const version = header.version ?? session.version ?? 'jiapei'
    const phone = header.phone ?? session.phone ?? '0'
    try {
      // A long answer (0x8100 with its PKCS#12) is split into sub-packages with consecutive serials.
      const bodyBytes = encodeBody(answer.msgId, answer.body, { version })
      const count = Math.max(1, Math.ceil(bodyBytes.length / DOWNLINK_PACKET_SIZE))
      const serial = session.reserveSerials(count)
      for (const frame of encodePackets(
        { msgId: answer.msgId, version, phone, serial },
        bodyBytes,
        DOWNLINK_PACKET_SIZE,
      )) {
        session.write(frame)
      }
    } catch (error) {
      this.logger.error({ session: session.id, msgId: answer.msgId, err: error }, '应答编码失败')
    }
  }

  // ── timers ────────────────────────────────────────────────────────────

  private sweep(): void {
    const now = this.clock().getTime()
    for (const session of [...this.sessions]) {
      if (!session.terminal && now - session.connectedAt.getTime() >= this.limits.authTimeoutMs) {
        this.counters.authTimeout++
        this.close(session, 'authTimeout')
        continue
      }
      if (now - session.lastSeen >= this.limits.heartbeatTimeoutMs) {
        this.counters.heartbeatTimeout++
        this.emit('heartbeatTimeout', session)
        this.close(session, 'heartbeatTimeout')
        continue
      }
      for (const [photoNo, upload] of session.photos) {
        if (now - upload.startedAt >= this.limits.photoTimeoutMs) {
          session.photos.delete(photoNo)
          this.counters.photosExpired++
        }
      }
      if (session.reassembler.size === 0) continue
      const { resend, expired } = session.reassembler.sweep(
        now,
        this.limits.subpackageResendAfterMs,
        this.limits.subpackageTimeoutMs,
      )
      this.counters.subpackagesExpired += expired.length
      for (const m of resend) {
        m.resendAt = now
        this.counters.resendRequests++
        this.send(session, { phone: session.phone ?? '0' } as Header, resendAnswer(m, missingOf(m)))
      }
    }
  }
}

/** 0x8001 to a header: result 0 成功, 1 失败, 2 消息有误, 3 不支持. */
function generalAnswer(header: Header, result: number): Answer {
  return { msgId: 0x8001, body: { replySerial: header.serial, replyId: header.msgId, result } }
}

/** 0x8003 补传分包请求 for the missing packets of a message. */
function resendAnswer(m: PartialMessage, missing: number[]): Answer {
  return { msgId: 0x8003, body: { originalSerial: m.firstSerial, packetIds: missing } }
}

/** The header of a frame whose checksum is wrong (so that it can be answered 消息有误). */
function peekHeader(raw: Uint8Array): Header | undefined {
  if (raw.length < 13) return undefined
  const copy = new Uint8Array(raw)
  copy[copy.length - 1] = checksum(copy, 0, copy.length - 1)
  const r = decodeFrameContent(copy)
  return r.ok ? r.frame.header : r.header
}

/** Escaped frame → unescaped content (what envelopes keep). */
function unwrap(frame: Uint8Array): Uint8Array {
  const out: number[] = []
  for (let i = 1; i < frame.length - 1; i++) {
    const b = frame[i] as number
    if (b === 0x7d) {
      out.push(frame[i + 1] === 0x01 ? 0x7d : 0x7e)
      i++
    } else out.push(b)
  }
  return Uint8Array.from(out)
}

function hex4(v: number): string {
  return `0x${v.toString(16).padStart(4, '0').toUpperCase()}`
}

/** Creates a gateway; serve connections with `gateway.handle(stream)`. */
export function createGateway(options: GatewayOptions): Gateway {
  return new Gateway(options)
}
