/**
 * A small platform for the simulator's tests, built on the codec: it issues a real PKCS#12 in
 * 0x8100 (RSA key from node:crypto, certificate and container from node-forge), verifies the 0x0102
 * signature and every 校验串 with the certificate's public key, reassembles sub-packages (asking
 * for lost ones with 0x8003), answers the 驾培 logins and photo initialisations, and records what
 * it received.
 */
import { constants, createHash, createPublicKey, generateKeyPair, type KeyObject, publicDecrypt } from 'node:crypto'
import net from 'node:net'
import { promisify } from 'node:util'
import {
  decodeBody,
  decodeFrameContent,
  encodeBody,
  encodeFrame,
  encodePackets,
  type Frame,
  FrameReader,
  type Header,
  type PassThroughBody,
} from '@jiapei/jt808'
import {
  coachLoginReply,
  coachLogoutReply,
  photoQueryResultReply,
  photoUploadInitReply,
  replyEnvelope,
  studentLoginReply,
  studentLogoutReply,
  type TrainingEnvelope,
  type TrainingMessageDefinition,
  verifyChecksum,
} from '@jiapei/jt808-training'
import forge from 'node-forge'

export const CERT_PASSWORD = 'sim-pass-123'

/** One message as the platform saw it (sub-packages reassembled). */
export interface Received {
  header: Header
  msgId: number
  body: unknown
  bodyBytes: Uint8Array
  envelope?: TrainingEnvelope
  signatureOk?: boolean
}

export interface FakePlatformOptions {
  /** Lose this 包序号 of the first sub-packaged message (to test 0x8003). */
  losePacket?: number
  /** Do not acknowledge the first N minute records (to test 补传 after a reconnect). */
  withholdMinuteAcks?: number
}

interface Issued {
  publicKey: KeyObject
  pkcs12: string
  terminalNo: string
}

export class FakePlatform {
  readonly received: Received[] = []
  readonly authResults: boolean[] = []
  readonly sockets = new Set<net.Socket>()
  readonly issued = new Map<string, Issued>()
  private server = net.createServer((socket) => this.accept(socket))
  private lost = false
  private current?: net.Socket
  private keyPem = ''
  private withheld = 0
  private serial = 0
  port = 0

  constructor(readonly options: FakePlatformOptions = {}) {}

  async start(): Promise<number> {
    // One RSA key for every certificate of this platform: generating it is the slow part.
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })
    this.keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as net.AddressInfo).port
    return this.port
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** The 驾培 messages received, in order, as [messageId, body, backfill]. */
  training(): { messageId: number; body: unknown; backfill: boolean; signatureOk: boolean | undefined }[] {
    return this.received
      .filter((r) => r.envelope)
      .map((r) => ({
        messageId: (r.envelope as TrainingEnvelope).messageId,
        body: (r.envelope as TrainingEnvelope).body,
        backfill: (r.envelope as TrainingEnvelope).attributes.backfill,
        signatureOk: r.signatureOk,
      }))
  }

  /** The serial of the last frame this platform sent. */
  get lastSentSerial(): number {
    return this.serial
  }

  /** Sends a frame to every connected terminal. */
  broadcast(msgId: number, body: unknown, phone: string): void {
    const bytes = encodeFrame({ msgId, version: 'jiapei', phone, serial: this.nextSerial() }, body)
    for (const s of this.sockets) s.write(bytes)
  }

  private nextSerial(): number {
    this.serial = (this.serial + 1) & 0xffff
    return this.serial
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
    socket.on('error', () => {})
    const reader = new FrameReader()
    const parts = new Map<string, { total: number; packets: Map<number, Uint8Array>; header: Header }>()
    let phone = ''
    const send = (msgId: number, body: unknown) =>
      socket.write(encodeFrame({ msgId, version: 'jiapei', phone, serial: this.nextSerial() }, body))
    const ack = (h: Header, result = 0) => send(0x8001, { replySerial: h.serial, replyId: h.msgId, result })
    socket.on('data', (chunk) => {
      for (const ev of reader.push(chunk)) {
        if (!ev.ok) continue
        const r = decodeFrameContent(ev.frame, { version: 'jiapei' })
        if (!r.ok) continue
        const frame: Frame = r.frame
        phone = frame.header.phone
        this.current = socket
        const sp = frame.header.subpackage
        if (!sp) {
          this.handle(frame.header, frame.body, frame.bodyBytes, send, ack)
          continue
        }
        if (this.options.losePacket === sp.index && !this.lost) {
          this.lost = true
          continue
        }
        const first = (frame.header.serial - sp.index + 1 + 0x10000) & 0xffff
        const key = `${frame.header.msgId}:${first}`
        const entry = parts.get(key) ?? { total: sp.total, packets: new Map(), header: frame.header }
        parts.set(key, entry)
        entry.packets.set(sp.index, new Uint8Array(frame.bodyBytes))
        if (entry.packets.size === sp.total) {
          parts.delete(key)
          const whole = Buffer.concat([...Array(sp.total).keys()].map((i) => entry.packets.get(i + 1) as Uint8Array))
          const body = decodeBody(frame.header.msgId, whole, { version: 'jiapei' })
          if (body.ok) this.handle(frame.header, body.value, new Uint8Array(whole), send, ack)
        } else if (sp.index === sp.total) {
          const missing = [...Array(sp.total).keys()].map((i) => i + 1).filter((i) => !entry.packets.has(i))
          send(0x8003, { originalSerial: first, packetIds: missing })
        }
      }
    })
  }

  private handle(
    header: Header,
    body: unknown,
    bodyBytes: Uint8Array,
    send: (msgId: number, body: unknown) => void,
    ack: (h: Header, result?: number) => void,
  ): unknown {
    const socket = this.current as net.Socket
    const entry: Received = { header, msgId: header.msgId, body, bodyBytes }
    this.received.push(entry)
    switch (header.msgId) {
      case 0x0100: {
        const issued = this.issue(header.phone)
        // The certificate makes 0x8100 longer than one packet: it goes out in sub-packages.
        const body = encodeBody(0x8100, {
          replySerial: header.serial,
          result: 0,
          platformNo: 'A0107',
          institutionNo: '3301000000000001',
          terminalNo: issued.terminalNo,
          certPassword: CERT_PASSWORD,
          certificate: issued.pkcs12,
        })
        const first = this.nextSerial()
        const frames = encodePackets(
          { msgId: 0x8100, version: 'jiapei', phone: header.phone, serial: first },
          body,
          1000,
        )
        this.serial = (first + frames.length - 1) & 0xffff
        for (const f of frames) socket.write(f)
        return
      }
      case 0x0102: {
        const { timestamp, ciphertext } = body as { timestamp: number; ciphertext: Uint8Array }
        const issued = this.issued.get(header.phone)
        let ok = false
        if (issued) {
          const input = Buffer.alloc(20)
          input.write(issued.terminalNo, 0, 'latin1')
          input.writeUInt32BE(timestamp, 16)
          const expected = createHash('sha256').update(input).digest()
          try {
            const got = publicDecrypt({ key: issued.publicKey, padding: constants.RSA_PKCS1_PADDING }, ciphertext)
            ok = got.equals(expected)
          } catch {
            ok = false
          }
        }
        this.authResults.push(ok)
        ack(header, ok ? 0 : 1)
        return
      }
      case 0x0900: {
        const env = (body as PassThroughBody).content as TrainingEnvelope
        entry.envelope = env
        const issued = this.issued.get(header.phone)
        entry.signatureOk = issued ? verifyChecksum(bodyBytes, issued.publicKey).ok : false
        const reply = <B>(def: TrainingMessageDefinition<B>, value: B): void => {
          send(0x8900, { type: 0x13, data: new Uint8Array(0), content: replyEnvelope(env, def, value) })
        }
        const b = env.body as Record<string, unknown>
        switch (env.messageId) {
          case 0x0101:
            return reply(coachLoginReply, { result: 1, coachNo: b.coachNo as string, readAloud: 2, message: '' })
          case 0x0102:
            return reply(coachLogoutReply, { result: 1, coachNo: b.coachNo as string })
          case 0x0201:
            return reply(studentLoginReply, {
              result: 1,
              studentNo: b.studentNo as string,
              totalMinutes: 0,
              partMinutes: 0,
              totalMileage: 0,
              partMileage: 0,
              readAloud: 0,
              message: '',
            })
          case 0x0202:
            return reply(studentLogoutReply, { result: 1, studentNo: b.studentNo as string })
          case 0x0305:
            return reply(photoUploadInitReply, { answer: 0, extra: new Uint8Array(0) })
          case 0x0303:
            return reply(photoQueryResultReply, { answer: 0 })
          case 0x0203:
            if (this.withheld < (this.options.withholdMinuteAcks ?? 0)) {
              this.withheld++
              return
            }
            return ack(header)
          default:
            return ack(header)
        }
      }
      default:
        ack(header)
    }
  }

  /** A fresh RSA-2048 key and a certificate for the terminal, in a PKCS#12 protected by the password. */
  private issue(phone: string): Issued {
    const existing = this.issued.get(phone)
    if (existing) return existing
    const key = forge.pki.privateKeyFromPem(this.keyPem)
    const cert = forge.pki.createCertificate()
    cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e)
    cert.serialNumber = '01'
    cert.validity.notBefore = new Date(Date.UTC(2024, 0, 1))
    cert.validity.notAfter = new Date(Date.UTC(2034, 0, 1))
    const terminalNo = `T${phone.slice(-15).padStart(15, '0')}`
    const attrs = [{ name: 'commonName', value: terminalNo }]
    cert.setSubject(attrs)
    cert.setIssuer(attrs)
    cert.sign(key, forge.md.sha256.create())
    const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], CERT_PASSWORD, { algorithm: '3des' })
    const issued: Issued = {
      publicKey: createPublicKey(forge.pki.publicKeyToPem(cert.publicKey)),
      pkcs12: forge.util.encode64(forge.asn1.toDer(p12).getBytes()),
      terminalNo,
    }
    this.issued.set(phone, issued)
    return issued
  }
}
