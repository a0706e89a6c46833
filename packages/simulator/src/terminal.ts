/**
 * A virtual 驾培 timing terminal over any duplex stream (a net.Socket in practice): it registers
 * (0x0100 → 0x8100 with the PKCS#12), authenticates (0x0102 signed timestamp), sends heartbeats,
 * runs lessons (see lesson.ts) with every 驾培 uplink signed, answers the platform's commands and
 * reconnects with backoff. Minute records that were not acknowledged are kept and re-sent as 补传
 * after the next authentication.
 */
import { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'
import {
  decodeBody,
  decodeFrameContent,
  encodeFrame,
  encodePackets,
  type Frame,
  FrameReader,
  type GnssBasic,
  type HeaderInit,
  type LocationReportJiapei,
  locationReport,
  type PassThroughBody,
  type PlatformGeneralReply,
  type Question,
  type RegisterReply,
  type ResendRequest,
} from '@jiapei/jt808'
import {
  type AppParams,
  appParamsQueryReply,
  appParamsSetReply,
  type CoachLogin,
  type CoachLoginReply,
  type CoachLogout,
  coachLogin,
  coachLogout,
  DEFAULT_APP_PARAMS,
  encodeEnvelope,
  type MinuteRecord,
  minuteRecord,
  type PhotoNow,
  type PhotoQuery,
  type PhotoQueryResultReply,
  type PhotoUploadInitReply,
  type PhotoUploadRequest,
  photoData,
  photoNowReply,
  photoQueryReply,
  photoQueryResult,
  photoUploadInit,
  photoUploadRequestReply,
  type RecordQuery,
  recordQueryReply,
  type StudentLogin,
  type StudentLoginReply,
  type StudentLogout,
  signEnvelope,
  studentLogin,
  studentLogout,
  type TrainingBanSet,
  type TrainingEnvelope,
  type TrainingMessageDefinition,
  trainingBanSetReply,
  trainingEnvelope,
} from '@jiapei/jt808-training'
import { authCiphertext, openPkcs12, type TerminalCredentials } from './credentials.ts'
import { type Lesson, type LessonEvent, PHOTO_EVENTS, type PhotoPlan } from './lesson.ts'
import { generatedPhotos, type PhotoSource } from './photo.ts'
import type { TerminalProfile } from './profile.ts'
import { hashSeed, Rng } from './random.ts'
import { bcdDateTime, parseBcdDateTime } from './time.ts'

export interface VirtualTerminalOptions {
  profile: TerminalProfile
  /** Opens a new connection to the platform (called again on every reconnect). */
  connect: () => Duplex
  /** Simulated seconds per real second (default 1). */
  speedup?: number
  seed?: number
  /** How long to wait for an answer, real ms (default 10 000). */
  replyTimeoutMs?: number
  /** Heartbeat interval, simulated seconds (default 30); never more often than once a real second. */
  heartbeatSeconds?: number
  /** Sub-package size of photo data (default 1000 bytes). */
  packetSize?: number
  /** Reconnect backoff, real ms (default 500 doubling up to 30 000, with jitter from the seed). */
  backoff?: { initialMs: number; maxMs: number }
  /** Reconnect after the connection drops (default true). */
  reconnect?: boolean
  /** Where photo bytes come from (default: generated pictures; see faces.ts for real faces). */
  photoSource?: PhotoSource
}

export interface TerminalStats {
  framesSent: number
  bytesSent: number
  framesReceived: number
  /** 0x8001 received */
  acks: number
  /** 驾培 answers (0x8900) received */
  replies: number
  /** answers not received in time */
  timeouts: number
  /** refusals and failures (registration, auth, logins, negative acks) */
  errors: number
  reconnects: number
  photos: number
  minuteRecords: number
  /** minute records re-sent as 补传 */
  backfilled: number
  /** packets re-sent on 0x8003 */
  resentPackets: number
  /** positions recorded while offline and sent later in 0x0704 盲区补报 batches */
  positionsBackfilled: number
  /** positions lost because the offline buffer was full */
  dropped: number
  lessonsCompleted: number
  lessonsFailed: number
}

/** The outcome of a lesson. */
export interface LessonResult {
  ok: boolean
  /** Why it stopped, when not ok. */
  reason?: string
  minuteRecords: number
  photos: number
}

export type TerminalState = 'idle' | 'connecting' | 'registering' | 'authenticating' | 'online' | 'closed'

/** A 驾培 message value in its envelope, with the frame serials it went out with. */
interface Pending {
  resolve: (frame: Frame | null) => void
  timer: NodeJS.Timeout
}

/** Minute records kept for 0x8205 and 补传. */
const RECORD_MEMORY = 2000
/** Photos kept for 0x8302 查询照片 and 0x8304 上传指定照片. */
const PHOTO_MEMORY = 200
/** 照片编号 per 0x0303 上报照片查询结果. */
const PHOTO_NOS_PER_RESULT = 50
/** Positions kept while offline for 0x0704 盲区补报 (about 14 hours at one fix every 10 s); older ones are dropped. */
const OFFLINE_POSITION_MEMORY = 5000
/** 位置数据类型 of 0x0704 (BATCH_TYPES): 1 盲区补报. */
const BLIND_AREA_BACKFILL = 1
/** 0x8003 answers need the packets of recent sub-packaged messages. */
const PACKET_MEMORY = 32

export class TerminalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code} ${message}`)
  }
}

/** All counters at zero. */
export function emptyStats(): TerminalStats {
  return {
    framesSent: 0,
    bytesSent: 0,
    framesReceived: 0,
    acks: 0,
    replies: 0,
    timeouts: 0,
    errors: 0,
    reconnects: 0,
    photos: 0,
    minuteRecords: 0,
    backfilled: 0,
    resentPackets: 0,
    positionsBackfilled: 0,
    dropped: 0,
    lessonsCompleted: 0,
    lessonsFailed: 0,
  }
}

export class VirtualTerminal extends EventEmitter {
  readonly profile: TerminalProfile
  readonly stats: TerminalStats = emptyStats()
  state: TerminalState = 'idle'
  credentials?: TerminalCredentials
  /** 禁训状态 set by 0x8502 (1 可训, 2 禁训) */
  trainingBan = { state: 1, message: '' }
  appParams: AppParams = { ...DEFAULT_APP_PARAMS }

  private readonly options: Required<Omit<VirtualTerminalOptions, 'seed'>> & { seed: number }
  private readonly rng: Rng
  private socket?: Duplex
  private reader = new FrameReader()
  private serial = 0
  private packetSeq = 0
  private readonly pending = new Map<string, Pending>()
  private readonly sentPackets = new Map<number, Uint8Array[]>()
  private readonly downlinkParts = new Map<string, Map<number, Uint8Array>>()
  private readonly records: MinuteRecord[] = []
  private readonly backlog: MinuteRecord[] = []
  private readonly offlinePositions: LocationReportJiapei[] = []
  private readonly photos: PhotoPlan[] = []
  private lastPosition?: LocationReportJiapei
  private heartbeat?: NodeJS.Timeout
  private reconnectTimer?: NodeJS.Timeout
  private attempts = 0
  private stopping = false
  private onlineWaiters: (() => void)[] = []
  private readonly background = new Set<Promise<unknown>>()

  constructor(options: VirtualTerminalOptions) {
    super()
    this.profile = options.profile
    this.options = {
      speedup: 1,
      replyTimeoutMs: 10_000,
      heartbeatSeconds: 30,
      packetSize: 1000,
      backoff: { initialMs: 500, maxMs: 30_000 },
      reconnect: true,
      photoSource: generatedPhotos,
      ...options,
      seed: options.seed ?? 1,
    }
    this.rng = new Rng(hashSeed(this.profile.deviceNo, this.options.seed ^ 0x2545f491))
  }

  get speedup(): number {
    return this.options.speedup
  }

  /** 计时终端编号 as confirmed by the platform (the profile's until registered). */
  get terminalNo(): string {
    return this.credentials?.terminalNo || this.profile.deviceNo
  }

  /** Answers being waited for (acks and 驾培 replies). */
  get awaiting(): number {
    return new Set([...this.pending.values()].map((p) => p.resolve)).size
  }

  /** Minute records waiting to be re-sent as 补传. */
  get backlogSize(): number {
    return this.backlog.length
  }

  /** Positions recorded offline, waiting to be sent in 0x0704. */
  get offlinePositionCount(): number {
    return this.offlinePositions.length
  }

  get online(): boolean {
    return this.state === 'online'
  }

  /** Connects, registers when it holds no certificate, and authenticates. Rejects on refusal. */
  async start(): Promise<void> {
    this.stopping = false
    await this.connectOnce()
  }

  /** Closes the connection and stops reconnecting; waits for answers in flight to settle. */
  async stop(): Promise<void> {
    this.stopping = true
    clearTimeout(this.reconnectTimer)
    this.stopHeartbeat()
    await Promise.allSettled([...this.background])
    this.socket?.end()
    this.socket?.destroy()
    this.socket = undefined
    this.setState('closed')
    this.failPending()
    for (const w of this.onlineWaiters.splice(0)) w()
  }

  /** Resolves when the terminal is online (or stopped). */
  waitOnline(): Promise<void> {
    if (this.online || this.stopping) return Promise.resolve()
    return new Promise((resolve) => this.onlineWaiters.push(resolve))
  }

  /** Drops the connection as a network fault would (the terminal reconnects). */
  dropConnection(): void {
    this.socket?.destroy()
  }

  // ── Connection ────────────────────────────────────────────────────────────

  private async connectOnce(): Promise<void> {
    this.setState('connecting')
    this.reader = new FrameReader()
    const socket = this.options.connect()
    this.socket = socket
    await new Promise<void>((resolve, reject) => {
      const ready = () => {
        socket.off('error', failed)
        resolve()
      }
      const failed = (error: Error) => {
        socket.off('connect', ready)
        reject(error)
      }
      if ((socket as { connecting?: boolean }).connecting === false || !('connecting' in socket)) resolve()
      else {
        socket.once('connect', ready)
        socket.once('error', failed)
      }
    }).catch((error: Error) => {
      this.socket = undefined
      throw new TerminalError('ERR_SIM_CONNECT', error.message)
    })
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (error) => this.emit('socket-error', error))
    socket.on('close', () => this.closed(socket))
    try {
      await this.handshake()
    } catch (error) {
      this.socket = undefined
      socket.destroy()
      this.failPending()
      throw error
    }
    this.attempts = 0
    this.setState('online')
    this.startHeartbeat()
    for (const w of this.onlineWaiters.splice(0)) w()
    if (this.backlog.length > 0 || this.offlinePositions.length > 0) this.track(this.flushBacklog())
  }

  /**
   * Connects like {@link start}, retrying with backoff until it succeeds or the terminal is
   * stopped. Resolves false when stopped first.
   */
  async startWithRetry(): Promise<boolean> {
    this.stopping = false
    for (;;) {
      try {
        await this.connectOnce()
        return true
      } catch (error) {
        this.emit('socket-error', error)
        if (this.stopping) return false
        const { initialMs, maxMs } = this.options.backoff
        await sleep(Math.min(maxMs, initialMs * 2 ** this.attempts++) * this.rng.float(0.5, 1))
        if (this.stopping) return false
        this.stats.reconnects++
      }
    }
  }

  private async handshake(): Promise<void> {
    if (!this.credentials) {
      this.setState('registering')
      await this.register()
    }
    this.setState('authenticating')
    const auth = await this.authenticate()
    if (!auth) {
      // A refused signature usually means the platform issued a new certificate: register again.
      this.credentials = undefined
      this.setState('registering')
      await this.register()
      this.setState('authenticating')
      if (!(await this.authenticate())) {
        this.stats.errors++
        throw new TerminalError('ERR_SIM_AUTH', `鉴权被拒绝 / authentication refused for ${this.terminalNo}`)
      }
    }
  }

  private closed(socket: Duplex): void {
    if (socket !== this.socket) return
    this.socket = undefined
    this.stopHeartbeat()
    this.failPending()
    if (this.stopping || !this.options.reconnect) {
      this.setState('closed')
      return
    }
    this.setState('connecting')
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    const { initialMs, maxMs } = this.options.backoff
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempts) * this.rng.float(0.5, 1)
    this.attempts++
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = setTimeout(() => {
      if (this.stopping) return
      this.stats.reconnects++
      this.connectOnce().catch((error: Error) => {
        this.emit('socket-error', error)
        if (!this.stopping) this.scheduleReconnect()
      })
    }, delay)
  }

  private setState(state: TerminalState): void {
    if (this.state === state) return
    this.state = state
    this.emit('state', state)
  }

  private startHeartbeat(): void {
    this.stopHeartbeat()
    const every = Math.max(1000, (this.options.heartbeatSeconds * 1000) / this.options.speedup)
    this.heartbeat = setInterval(() => {
      if (this.online) this.sendFrame(0x0002, new Uint8Array(0))
    }, every)
    this.heartbeat.unref?.()
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat)
    this.heartbeat = undefined
  }

  private track<T>(p: Promise<T>): void {
    const tracked = p.catch((error: Error) => {
      this.stats.errors++
      this.emit('socket-error', error)
    })
    this.background.add(tracked)
    void tracked.finally(() => this.background.delete(tracked))
  }

  // ── Registration and authentication ───────────────────────────────────────

  /** 0x0100 → 0x8100; opens the PKCS#12 and keeps the key. Throws on a refusal. */
  async register(): Promise<TerminalCredentials> {
    const p = this.profile
    const serial = this.sendFrame(0x0100, {
      provinceId: p.provinceId,
      cityId: p.cityId,
      manufacturerId: p.manufacturerId ?? 'JPSIM',
      model: p.model ?? 'JP-SIM-1',
      terminalId: p.serialNo ?? p.deviceNo.slice(-7),
      imei: p.imei,
      plateColor: p.plateColor,
      plate: p.plate,
    })
    const frame = await this.waitFor(`8100:${serial}`)
    if (!frame) throw new TerminalError('ERR_SIM_REGISTER', `注册无应答 / no answer to 0x0100 from ${p.phone}`)
    const reply = frame.body as RegisterReply
    if (reply.result !== 0 || !reply.certificate || reply.certPassword === undefined) {
      this.stats.errors++
      throw new TerminalError('ERR_SIM_REGISTER', `注册被拒绝 / registration refused, result ${reply.result}`)
    }
    const { privateKey, certificate } = openPkcs12(reply.certificate, reply.certPassword)
    this.credentials = {
      privateKey,
      certificate,
      terminalNo: reply.terminalNo || p.deviceNo,
      platformNo: reply.platformNo ?? '',
      institutionNo: reply.institutionNo ?? p.institutionNo,
    }
    this.emit('registered', this.credentials)
    return this.credentials
  }

  /** 0x0102 with the signed timestamp (real time, the platform checks it); true when accepted. */
  async authenticate(): Promise<boolean> {
    const credentials = this.credentials
    if (!credentials) throw new TerminalError('ERR_SIM_AUTH', '未注册 / not registered')
    const timestamp = Math.floor(Date.now() / 1000)
    const serial = this.sendFrame(0x0102, {
      timestamp,
      ciphertext: authCiphertext(credentials.terminalNo, timestamp, credentials.privateKey),
    })
    const ack = await this.waitAck(serial)
    return ack?.result === 0
  }

  // ── Sending ───────────────────────────────────────────────────────────────

  private header(msgId: number, serial: number): HeaderInit {
    return { msgId, version: 'jiapei', phone: this.profile.phone, serial }
  }

  private nextSerial(count = 1): number {
    const first = this.serial
    this.serial = (this.serial + count) & 0xffff
    return first
  }

  private write(bytes: Uint8Array): void {
    if (!this.socket || this.socket.destroyed) return
    this.socket.write(bytes)
    this.stats.framesSent++
    this.stats.bytesSent += bytes.length
  }

  /** Sends one frame; returns its serial. */
  sendFrame(msgId: number, body: unknown): number {
    const serial = this.nextSerial()
    const bytes = encodeFrame(this.header(msgId, serial), body)
    this.write(bytes)
    this.emit('sent', { msgId, serial, bytes })
    return serial
  }

  /**
   * Sends a signed 驾培 uplink in 0x0900 (split into sub-packages when longer than one packet).
   * Returns the serials and the 驾培包序号.
   */
  sendTraining<B>(
    def: TrainingMessageDefinition<B>,
    body: B,
    options: { backfill?: boolean; packetSeq?: number } = {},
  ): { serials: number[]; packetSeq: number } {
    const credentials = this.credentials
    if (!credentials) throw new TerminalError('ERR_SIM_AUTH', '未注册 / not registered')
    if (options.packetSeq === undefined) this.packetSeq = (this.packetSeq % 0xffff) + 1
    const packetSeq = options.packetSeq ?? this.packetSeq
    const envelope = signEnvelope(
      trainingEnvelope(def, body, {
        terminalNo: credentials.terminalNo,
        packetSeq,
        backfill: options.backfill ?? false,
      }),
      credentials.privateKey,
    )
    const bodyBytes = encodeEnvelope(envelope as TrainingEnvelope, 'up')
    const count = Math.ceil(bodyBytes.length / this.options.packetSize)
    const first = this.nextSerial(count)
    const frames = encodePackets(this.header(0x0900, first), bodyBytes, this.options.packetSize)
    if (frames.length > 1) {
      this.sentPackets.set(first, frames)
      if (this.sentPackets.size > PACKET_MEMORY) this.sentPackets.delete(this.sentPackets.keys().next().value as number)
    }
    const serials = frames.map((_, i) => (first + i) & 0xffff)
    for (const f of frames) this.write(f)
    this.emit('sent-training', { messageId: def.id, packetSeq, serials, body, backfill: options.backfill ?? false })
    return { serials, packetSeq }
  }

  /** Sends a 驾培 request and waits for its 0x8900 answer (null on timeout or disconnect). */
  async requestTraining<B, R>(def: TrainingMessageDefinition<B>, body: B, replyId: number): Promise<R | null> {
    const { packetSeq } = this.sendTraining(def, body)
    const frame = await this.waitFor(`t:${replyId.toString(16)}:${packetSeq}`)
    return frame ? (((frame.body as PassThroughBody).content as TrainingEnvelope).body as R) : null
  }

  /** Sends a 驾培 uplink answered by 0x8001 and waits for the ack of any of its packets. */
  async sendTrainingAcked<B>(
    def: TrainingMessageDefinition<B>,
    body: B,
    options: { backfill?: boolean } = {},
  ): Promise<PlatformGeneralReply | null> {
    const { serials } = this.sendTraining(def, body, options)
    return this.waitAck(...serials)
  }

  private waitAck(...serials: number[]): Promise<PlatformGeneralReply | null> {
    const keys = serials.map((s) => `8001:${s}`)
    return this.waitAny(keys).then((frame) => (frame ? (frame.body as PlatformGeneralReply) : null))
  }

  private waitFor(key: string): Promise<Frame | null> {
    return this.waitAny([key])
  }

  private waitAny(keys: string[]): Promise<Frame | null> {
    if (!this.socket) return Promise.resolve(null)
    return new Promise((resolve) => {
      const done = (frame: Frame | null) => {
        clearTimeout(timer)
        for (const k of keys) if (this.pending.get(k)?.resolve === done) this.pending.delete(k)
        if (!frame) this.stats.timeouts++
        resolve(frame)
      }
      const timer = setTimeout(() => done(null), this.options.replyTimeoutMs)
      for (const k of keys) this.pending.set(k, { resolve: done, timer })
    })
  }

  private settle(key: string, frame: Frame): boolean {
    const p = this.pending.get(key)
    if (!p) return false
    p.resolve(frame)
    return true
  }

  private failPending(): void {
    const all = new Set([...this.pending.values()].map((p) => p.resolve))
    this.pending.clear()
    for (const resolve of all) resolve(null)
  }

  // ── Receiving ─────────────────────────────────────────────────────────────

  private receive(chunk: Uint8Array): void {
    for (const event of this.reader.push(chunk)) {
      if (!event.ok) {
        this.stats.errors++
        continue
      }
      const result = decodeFrameContent(event.frame, { version: 'jiapei' })
      if (!result.ok) {
        this.stats.errors++
        this.emit('bad-frame', result)
        continue
      }
      this.stats.framesReceived++
      this.emit('received', result.frame)
      const frame = result.frame.header.subpackage ? this.reassemble(result.frame) : result.frame
      if (!frame) continue
      try {
        this.handle(frame)
      } catch (error) {
        this.stats.errors++
        this.emit('socket-error', error)
      }
    }
  }

  /**
   * Collects a sub-packaged downlink (0x8100 with its certificate is longer than one packet);
   * returns the whole message when its last packet arrives.
   */
  private reassemble(frame: Frame): Frame | undefined {
    const { msgId, serial, subpackage } = frame.header
    if (!subpackage) return frame
    const first = (serial - subpackage.index + 1 + 0x10000) & 0xffff
    const key = `${msgId}:${first}`
    let parts = this.downlinkParts.get(key)
    if (!parts) {
      parts = new Map()
      this.downlinkParts.set(key, parts)
      if (this.downlinkParts.size > PACKET_MEMORY)
        this.downlinkParts.delete(this.downlinkParts.keys().next().value as string)
    }
    parts.set(subpackage.index, frame.bodyBytes)
    if (parts.size < subpackage.total) return undefined
    this.downlinkParts.delete(key)
    const chunks: Uint8Array[] = []
    for (let i = 1; i <= subpackage.total; i++) {
      const part = parts.get(i)
      if (!part) return undefined
      chunks.push(part)
    }
    const whole = new Uint8Array(Buffer.concat(chunks))
    const body = decodeBody(msgId, whole, { version: 'jiapei' })
    if (!body.ok) {
      this.stats.errors++
      return undefined
    }
    return { ...frame, body: body.value, decoded: true, bodyBytes: whole }
  }

  private handle(frame: Frame): void {
    const { msgId, serial } = frame.header
    switch (msgId) {
      case 0x8001: {
        const ack = frame.body as PlatformGeneralReply
        this.stats.acks++
        if (ack.result !== 0 && ack.replyId !== 0x0102) this.stats.errors++
        this.settle(`8001:${ack.replySerial}`, frame)
        return
      }
      case 0x8100:
        this.settle(`8100:${(frame.body as RegisterReply).replySerial}`, frame)
        return
      case 0x8003:
        this.resend(frame.body as ResendRequest)
        return
      case 0x8900:
        this.handleTraining(frame)
        return
      case 0x8201:
        this.sendFrame(0x0201, { replySerial: serial, location: this.lastPosition ?? this.idlePosition() })
        return
      case 0x8302: {
        // 提问下发: the driver picks the first candidate answer (答案ID 0 when none is offered).
        const q = frame.body as Question
        this.sendFrame(0x0302, { replySerial: serial, answerId: q.answers[0]?.id ?? 0 })
        this.emit('question', q)
        return
      }
      default:
        // 0x8103 设置参数, 0x8105 终端控制, 0x8304 信息服务 are acknowledged; anything else is 不支持 (3).
        this.sendFrame(0x0001, {
          replySerial: serial,
          replyId: msgId,
          result: [0x8103, 0x8105, 0x8304].includes(msgId) ? 0 : 3,
        })
    }
  }

  private resend(request: ResendRequest): void {
    const frames = this.sentPackets.get(request.originalSerial)
    if (!frames) return
    const ids = request.packetIds.length > 0 ? request.packetIds : frames.map((_, i) => i + 1)
    for (const id of ids) {
      const f = frames[id - 1]
      if (!f) continue
      this.write(f)
      this.stats.resentPackets++
    }
  }

  private handleTraining(frame: Frame): void {
    const env = (frame.body as PassThroughBody).content as TrainingEnvelope | undefined
    if (!env || typeof env !== 'object' || !('messageId' in env)) return
    this.stats.replies++
    const id = env.messageId
    if (this.settle(`t:${id.toString(16)}:${env.packetSeq}`, frame)) return
    const reply = { packetSeq: env.packetSeq }
    switch (id) {
      case 0x8301: {
        const req = env.body as PhotoNow
        this.sendTraining(
          photoNowReply,
          { result: 1, uploadMode: req.uploadMode, channel: req.channel, size: req.size, extra: new Uint8Array(0) },
          reply,
        )
        this.track(this.uploadPhoto(this.adHocPhoto(PHOTO_EVENTS.platformRequest, req.size || 1)))
        return
      }
      case 0x8302: {
        // 查询照片 by time (查询方式 1): 0x0302 开始查询, then the 照片编号 in 0x0303 packets.
        const req = env.body as PhotoQuery
        if (req.mode !== 1) {
          this.sendTraining(photoQueryReply, { result: 2, extra: new Uint8Array(0) }, reply)
          return
        }
        this.sendTraining(photoQueryReply, { result: 1, extra: new Uint8Array(0) }, reply)
        this.track(this.reportPhotoQuery(req))
        return
      }
      case 0x8304: {
        // 上传指定照片: 0 找到照片稍候上传 (then 0x0305/0x0306 with the same 照片编号), or 1 没有该照片.
        const photo = this.photos.find((p) => p.photoNo === (env.body as PhotoUploadRequest).photoNo)
        this.sendTraining(photoUploadRequestReply, { result: photo ? 0 : 1, extra: new Uint8Array(0) }, reply)
        if (photo) this.track(this.uploadPhoto(photo))
        return
      }
      case 0x8502: {
        const req = env.body as TrainingBanSet
        this.trainingBan = { state: req.state, message: req.message }
        this.sendTraining(
          trainingBanSetReply,
          { result: 0, state: req.state, message: req.message, extra: new Uint8Array(0) },
          reply,
        )
        this.emit('training-ban', this.trainingBan)
        return
      }
      case 0x8205: {
        const found = this.queryRecords(env.body as RecordQuery)
        this.sendTraining(recordQueryReply, { result: found.length > 0 ? 1 : 3, extra: new Uint8Array(0) }, reply)
        if (found.length > 0) {
          this.track(
            (async () => {
              for (const r of found)
                await this.sendTrainingAcked(minuteRecord, { ...r, reportType: 2 }, { backfill: true })
            })(),
          )
        }
        return
      }
      case 0x8501: {
        const req = env.body as { paramNo: number; params: AppParams }
        this.appParams = { ...req.params }
        this.sendTraining(appParamsSetReply, { result: 0 }, reply)
        return
      }
      case 0x8503:
        this.sendTraining(appParamsQueryReply, { result: 0, params: this.appParams, extra: new Uint8Array(0) }, reply)
        return
      default:
        // An answer that came too late, or a command this terminal does not implement.
        return
    }
  }

  /** The photos whose capture time lies in the query's range, in 0x0303 packets each awaiting its 0x8303. */
  private async reportPhotoQuery(q: PhotoQuery): Promise<void> {
    const from = parseBcdDateTime(q.startTimeLocal)
    const to = parseBcdDateTime(q.endTimeLocal)
    const found = this.photos
      .filter((p) => {
        const at = parseBcdDateTime(p.gnss.timeLocal)
        return at >= from && at <= to
      })
      .map((p) => p.photoNo)
    const total = Math.min(found.length, 0xff)
    let sent = 0
    do {
      const photoNos = found.slice(sent, Math.min(total, sent + PHOTO_NOS_PER_RESULT))
      sent += photoNos.length
      const isEnd = sent >= total ? 1 : 0
      const answer = await this.requestTraining<Parameters<typeof photoQueryResult.encode>[0], PhotoQueryResultReply>(
        photoQueryResult,
        { isEnd, total, photoNos },
        0x8303,
      )
      // No answer, or 1 停止上报: stop here.
      if (answer?.answer !== 0) return
    } while (sent < total)
  }

  private rememberPhoto(photo: PhotoPlan): void {
    if (this.photos.some((p) => p.photoNo === photo.photoNo)) return
    this.photos.push(photo)
    if (this.photos.length > PHOTO_MEMORY) this.photos.shift()
  }

  private queryRecords(q: RecordQuery): MinuteRecord[] {
    if (q.mode === 2) return this.records.slice(-Math.max(0, q.count))
    const from = parseBcdDateTime(q.startTimeLocal)
    const to = parseBcdDateTime(q.endTimeLocal)
    return this.records.filter((r) => {
      const at = parseBcdDateTime(r.gnss.timeLocal)
      return at >= from && at <= to
    })
  }

  // ── Lessons ───────────────────────────────────────────────────────────────

  /**
   * Runs a planned lesson in compressed time: each event is sent when its simulated time comes
   * (`at / speedup` real ms after the start). Resolves when the coach has logged out.
   */
  async runLesson(lesson: Lesson): Promise<LessonResult> {
    const started = performance.now()
    const result: LessonResult = { ok: true, minuteRecords: 0, photos: 0 }
    const fail = (reason: string) => {
      result.ok = false
      result.reason = reason
      this.stats.lessonsFailed++
      this.emit('lesson-failed', { lesson, reason })
      return result
    }
    for (const event of lesson.events) {
      const due = started + event.at / this.options.speedup
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      if (this.stopping) return fail('stopped')
      const outcome = await this.runEvent(event, result)
      if (outcome) return fail(outcome)
    }
    this.stats.lessonsCompleted++
    this.emit('lesson-completed', { lesson, result })
    return result
  }

  /** Sends one lesson event; returns a reason when the lesson cannot go on. */
  private async runEvent(event: LessonEvent, result: LessonResult): Promise<string | undefined> {
    if (event.kind === 'position') {
      this.lastPosition = event.body
      if (!this.online) {
        this.offlinePositions.push(event.body)
        if (this.offlinePositions.length > OFFLINE_POSITION_MEMORY) {
          this.offlinePositions.shift()
          this.stats.dropped++
        }
        return
      }
      this.sendFrame(0x0200, event.body)
      return
    }
    if (event.kind === 'minuteRecord') {
      this.rememberRecord(event.body)
      this.stats.minuteRecords++
      result.minuteRecords++
      if (!this.online) {
        this.backlog.push(event.body)
        return
      }
      this.track(
        this.sendTrainingAcked(minuteRecord, event.body).then((ack) => {
          if (!ack) this.backlog.push(event.body)
        }),
      )
      return
    }
    await this.waitOnline()
    if (this.stopping) return 'stopped'
    switch (event.kind) {
      case 'coachLogin': {
        const r = await this.requestTraining<CoachLogin, CoachLoginReply>(coachLogin, event.body, 0x8101)
        if (r?.result !== 1) return this.refused('coach login', r?.result)
        return
      }
      case 'studentLogin': {
        if (this.trainingBan.state === 2) return `禁训 / training banned: ${this.trainingBan.message}`
        const r = await this.requestTraining<StudentLogin, StudentLoginReply>(studentLogin, event.body, 0x8201)
        // 4 区域外教学提醒 is a warning, the lesson goes on.
        if (r?.result !== 1 && r?.result !== 4) return this.refused('student login', r?.result)
        return
      }
      case 'photo':
        if (await this.uploadPhoto(event.photo)) result.photos++
        return
      case 'studentLogout': {
        const r = await this.requestTraining<StudentLogout, { result: number }>(studentLogout, event.body, 0x8202)
        if (r?.result !== 1) return this.refused('student logout', r?.result)
        return
      }
      case 'coachLogout': {
        const r = await this.requestTraining<CoachLogout, { result: number }>(coachLogout, event.body, 0x8102)
        if (r?.result !== 1) return this.refused('coach logout', r?.result)
        return
      }
    }
  }

  private refused(what: string, result: number | undefined): string {
    this.stats.errors++
    return result === undefined ? `${what}: no answer` : `${what}: result ${result}`
  }

  private rememberRecord(record: MinuteRecord): void {
    this.records.push(record)
    if (this.records.length > RECORD_MEMORY) this.records.shift()
  }

  /**
   * After a reconnect: the positions recorded offline go out as 0x0704 盲区补报 batches (each fits in
   * one packet, sent when the previous one is acknowledged), then the unacknowledged minute records
   * are re-sent as 补传, oldest first.
   */
  private async flushBacklog(): Promise<void> {
    while (this.offlinePositions.length > 0 && this.online) {
      const batch = this.nextPositionBatch()
      const serial = this.sendFrame(0x0704, { type: BLIND_AREA_BACKFILL, locations: batch })
      const ack = await this.waitAck(serial)
      if (!ack) {
        this.offlinePositions.unshift(...batch)
        return
      }
      this.stats.positionsBackfilled += batch.length
    }
    while (this.backlog.length > 0 && this.online) {
      const record = this.backlog.shift() as MinuteRecord
      const ack = await this.sendTrainingAcked(minuteRecord, record, { backfill: true })
      this.stats.backfilled++
      if (!ack) {
        this.backlog.unshift(record)
        return
      }
    }
  }

  /** Takes the oldest offline positions that fit in one 0x0704 body of `packetSize` bytes (at least one). */
  private nextPositionBatch(): LocationReportJiapei[] {
    let size = 3 // 数据项个数 WORD + 位置数据类型 BYTE
    let count = 0
    for (const p of this.offlinePositions) {
      const item = 2 + locationReport.encode(p, { version: 'jiapei' }).length
      if (count > 0 && size + item > this.options.packetSize) break
      size += item
      count++
    }
    return this.offlinePositions.splice(0, count)
  }

  private idlePosition(): LocationReportJiapei {
    const [lng, lat] = this.profile.field.coordinates[0]?.[0] ?? [0, 0]
    return {
      alarm: 0,
      status: 0b10,
      lat: Math.round((lat as number) * 1e6),
      lng: Math.round((lng as number) * 1e6),
      recorderSpeed: 0,
      gnssSpeed: 0,
      heading: 0,
      timeLocal: bcdDateTime(Date.now()),
      items: [],
    }
  }

  private adHocPhoto(event: number, size: number): PhotoPlan {
    const p = this.lastPosition ?? this.idlePosition()
    const gnss: GnssBasic = { ...p }
    delete (gnss as Partial<LocationReportJiapei>).items
    const mileage = p.items.find((i) => i.id === 1 && 'value' in i)
    return {
      photoNo: String(this.rng.int(0, 2_000_000_000)).padStart(10, '0'),
      personNo: '',
      event,
      classId: 0,
      gnss: { ...gnss, mileage: mileage && 'value' in mileage ? mileage.value : 0, rpm: 0 },
      faceConfidence: 0,
      imageSeed: this.rng.int(1, 0x7fffffff),
      size: size >= 1 && size <= 8 ? size : 1,
    }
  }

  /** 0x0305 → 0x8305 → 0x0306 packets → 0x8001. True when the platform acknowledged the data. */
  async uploadPhoto(photo: PhotoPlan): Promise<boolean> {
    const credentials = this.credentials
    if (!credentials) return false
    const jpeg = await this.options.photoSource(photo)
    const env = signEnvelope(
      trainingEnvelope(
        photoData,
        { photoNo: photo.photoNo, data: jpeg },
        { terminalNo: credentials.terminalNo, packetSeq: 0 },
      ),
      credentials.privateKey,
    )
    const length = encodeEnvelope(env as TrainingEnvelope, 'up').length
    const packetCount = Math.ceil(length / this.options.packetSize)
    const answer = await this.requestTraining<Parameters<typeof photoUploadInit.encode>[0], PhotoUploadInitReply>(
      photoUploadInit,
      {
        photoNo: photo.photoNo,
        personNo: photo.personNo,
        uploadMode: 129,
        channel: 1,
        size: photo.size,
        event: photo.event,
        packetCount,
        photoSize: jpeg.length,
        classId: photo.classId,
        gnss: photo.gnss,
        faceConfidence: photo.faceConfidence,
      },
      0x8305,
    )
    if (answer?.answer !== 0) {
      if (answer) this.stats.errors++
      return false
    }
    const ack = await this.sendTrainingAcked(photoData, { photoNo: photo.photoNo, data: jpeg })
    if (ack?.result === 0) {
      this.rememberPhoto(photo)
      this.stats.photos++
      this.emit('photo', { photo, jpeg })
      return true
    }
    return false
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
