/**
 * The gateway over real TCP on 127.0.0.1 (port 0), against registry rows on both engines, with an
 * in-memory sink. Terminals build their frames with the codec.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { checksum, encodeFrame, wrapFrame } from '@jiapei/jt808'
import {
  coachLogin,
  encodeEnvelope,
  photoData,
  photoNow,
  photoNowReply,
  photoUploadInit,
  signEnvelope,
  studentLogin,
  type TrainingEnvelope,
  type TrainingMessageDefinition,
  trainingEnvelope,
} from '@jiapei/jt808-training'
import forge from 'node-forge'
import type { Database } from '../../src/db/client.ts'
import { isAppError } from '../../src/errors/catalogue.ts'
import { openPkcs12, signAuth, startGatewayServer } from '../../src/gateway/index.ts'
import type { GatewayServer } from '../../src/gateway/tcp-server.ts'
import { testEngines } from '../support/engines.ts'
import { insertTerminal, MemorySink, type TerminalRows, TestTerminal } from './support.ts'

const GNSS = {
  alarm: 0,
  status: 0,
  lat: 30_270_000,
  lng: 120_150_000,
  recorderSpeed: 0,
  gnssSpeed: 0,
  heading: 0,
  timeLocal: '260501083000',
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

function config(port = 0) {
  return {
    gateway: {
      port,
      nodeName: 'test-gw',
      heartbeatTimeoutMs: 60_000,
      authTimeoutMs: 60_000,
      maxFrameSize: 2048,
      subpackageTimeoutMs: 30_000,
      authWindowSeconds: 600,
    },
  }
}

interface Registered {
  privateKeyPem: string
  reply: Record<string, unknown>
}

async function register(t: TestTerminal, rows: TerminalRows): Promise<Registered> {
  const serial = t.send(0x0100, {
    provinceId: 33,
    cityId: 106,
    manufacturerId: 'JPTST',
    model: 'JT-2026',
    terminalId: '0000001',
    imei: rows.imei,
    plateColor: 2,
    plate: rows.plate,
  })
  const f = await t.expect((f) => f.header.msgId === 0x8100, 20_000)
  const reply = f.body as Record<string, unknown>
  assert.equal(reply.replySerial, serial)
  assert.equal(reply.result, 0)
  const { privateKeyPem } = openPkcs12(reply.certificate as string, reply.certPassword as string)
  return { privateKeyPem, reply }
}

async function authenticate(t: TestTerminal, deviceNo: string, privateKeyPem: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000)
  const serial = t.send(0x0102, { timestamp, ciphertext: signAuth(privateKeyPem, deviceNo, timestamp) })
  return (await t.generalReply(serial)).result
}

function trainingFrame<B>(
  t: TestTerminal,
  def: TrainingMessageDefinition<B>,
  body: B,
  deviceNo: string,
  key?: string,
): { serial: number; bytes: Uint8Array } {
  let env: TrainingEnvelope<B> = trainingEnvelope(def, body, { terminalNo: deviceNo, packetSeq: 1 })
  if (key) env = signEnvelope(env, key)
  const serial = t.nextSerial()
  return {
    serial,
    bytes: encodeFrame(
      { msgId: 0x0900, version: 'jiapei', phone: t.phone, serial },
      { type: 0x13, data: new Uint8Array(0), content: env },
    ),
  }
}

for (const engine of await testEngines()) {
  describe(`terminal gateway (${engine.name})`, { skip: engine.skip }, () => {
    let db: Database
    let sink: MemorySink
    let server: GatewayServer
    let rows: TerminalRows
    let key: string
    const open: TestTerminal[] = []

    async function connect(): Promise<TestTerminal> {
      const t = await TestTerminal.connect(server.port, rows.phone)
      open.push(t)
      return t
    }

    async function online(): Promise<TestTerminal> {
      const t = await connect()
      assert.equal(await authenticate(t, rows.deviceNo, key), 0)
      return t
    }

    before(async () => {
      db = await engine.open()
      sink = new MemorySink()
      rows = await insertTerminal(db)
      server = await startGatewayServer({ config: config(), database: db, sink, host: '127.0.0.1' })
    })

    after(async () => {
      for (const t of open) await t.close()
      await server?.close()
      await db?.close()
    })

    it('registration issues a PKCS#12 that opens with its password and whose key signs an accepted auth', async () => {
      const t = await connect()
      const { privateKeyPem, reply } = await register(t, rows)
      assert.equal(reply.platformNo, rows.platformNo)
      assert.equal(reply.institutionNo, rows.insCode)
      assert.equal(reply.terminalNo, rows.deviceNo)
      assert.equal((reply.certPassword as string).length, 12)
      const p12 = forge.pkcs12.pkcs12FromAsn1(
        forge.asn1.fromDer(forge.util.decode64(reply.certificate as string)),
        reply.certPassword as string,
      )
      const certBags = p12.getBags({ bagType: forge.pki.oids.certBag as string })[forge.pki.oids.certBag as string]
      assert.ok(certBags?.some((b) => b.cert?.subject.getField('CN')?.value === rows.deviceNo))
      assert.throws(() =>
        forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(reply.certificate as string)), 'wrong-pass'),
      )
      const [cred] = await db.query<{ public_key_pem: string }>(
        'select public_key_pem from terminal_credential where terminal_id = $1 and revoked_at is null',
        [rows.terminalId],
      )
      assert.equal(
        crypto.createPublicKey(cred?.public_key_pem as string).export({ format: 'pem', type: 'spki' }),
        crypto.createPublicKey(privateKeyPem).export({ format: 'pem', type: 'spki' }),
      )
      key = privateKeyPem
      assert.equal(await authenticate(t, rows.deviceNo, key), 0)
      assert.ok(server.gateway.isOnline(rows.terminalId))
      const raw = sink.envelopes.filter((e) => e.msgId === 0x0100 || e.msgId === 0x0102)
      assert.equal(raw.length, 2)
      assert.equal(raw[0]?.terminalId, undefined)
    })

    it('refuses registration of an unknown or banned terminal with 4 and of a vehicle bound elsewhere with 1', async () => {
      const t = await TestTerminal.connect(server.port, '13000000001')
      open.push(t)
      t.send(0x0100, {
        provinceId: 33,
        cityId: 106,
        manufacturerId: 'JPTST',
        model: 'JT-2026',
        terminalId: '0000001',
        imei: '869999999999999',
        plateColor: 2,
        plate: '浙A00000',
      })
      const f = await t.expect((f) => f.header.msgId === 0x8100)
      assert.equal((f.body as { result: number }).result, 4)
      const other = await insertTerminal(db)
      const t2 = await TestTerminal.connect(server.port, other.phone)
      open.push(t2)
      t2.send(0x0100, {
        provinceId: 33,
        cityId: 106,
        manufacturerId: 'JPTST',
        model: 'JT-2026',
        terminalId: '0000001',
        imei: other.imei,
        plateColor: 2,
        plate: rows.plate,
      })
      const f2 = await t2.expect((f) => f.header.msgId === 0x8100)
      assert.equal((f2.body as { result: number }).result, 1)
      const banned = await insertTerminal(db, { status: 'banned' })
      const t3 = await TestTerminal.connect(server.port, banned.phone)
      open.push(t3)
      t3.send(0x0100, {
        provinceId: 33,
        cityId: 106,
        manufacturerId: 'JPTST',
        model: 'JT-2026',
        terminalId: '0000001',
        imei: banned.imei,
        plateColor: 2,
        plate: banned.plate,
      })
      const f3 = await t3.expect((f) => f.header.msgId === 0x8100)
      assert.equal((f3.body as { result: number }).result, 4)
      assert.ok(server.gateway.stats().registrationsRefused >= 3)
    })

    it('refuses a wrong signature and everything but registration before authentication', async () => {
      const t = await connect()
      const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
      const wrong = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string
      assert.equal(await authenticate(t, rows.deviceNo, wrong), 1)
      const stale = Math.floor(Date.now() / 1000) - 3600
      const s1 = t.send(0x0102, { timestamp: stale, ciphertext: signAuth(key, rows.deviceNo, stale) })
      assert.equal((await t.generalReply(s1)).result, 1)
      const s2 = t.send(0x0002, {})
      assert.equal((await t.generalReply(s2)).result, 1)
      assert.ok((server.gateway.stats().rejectedByCode.ERR_GW_NOT_AUTHENTICATED ?? 0) >= 1)
      assert.equal(t.closed, false)
    })

    it('a garbage or bad-checksum frame does not close the connection and the next good frame is acknowledged', async () => {
      const t = await online()
      const before = server.gateway.stats().frameRejected
      t.write(Uint8Array.from([0x01, 0x02, 0x03, 0x7e, 0x55, 0x7e]))
      const bad = encodeFrame(t.header(0x0002), {})
      const badSerial = (bad[14] as number) * 256 + (bad[15] as number)
      bad[bad.length - 2] = ((bad[bad.length - 2] as number) ^ 0x5a) & 0xff
      if (bad[bad.length - 2] === 0x7e || bad[bad.length - 2] === 0x7d) bad[bad.length - 2] = 0x11
      t.write(bad)
      assert.equal((await t.generalReply(badSerial)).result, 2)
      const good = t.send(0x0002, {})
      assert.equal((await t.generalReply(good)).result, 0)
      assert.equal(t.closed, false)
      assert.ok(server.gateway.stats().frameRejected >= before + 2)
      const kept = sink.envelopes.filter((e) => e.decodeError === 'ERR_CODEC_CHECKSUM')
      assert.ok(kept.length >= 1)
      assert.equal(checksum(Uint8Array.from([1, 2]), 0, 2), 3)
    })

    it('survives split and merged segments and keeps the frames of one chunk in one sink call', async () => {
      const t = await online()
      const one = encodeFrame(t.header(0x0002), {})
      const serialOne = (one[14] as number) * 256 + (one[15] as number)
      for (const byte of one) t.write(Uint8Array.of(byte))
      assert.equal((await t.generalReply(serialOne)).result, 0)
      const location = {
        alarm: 0,
        status: 0,
        lat: 30_270_000,
        lng: 120_150_000,
        recorderSpeed: 0,
        gnssSpeed: 0,
        heading: 0,
        timeLocal: '260501083000',
        items: [],
      }
      const a = encodeFrame(t.header(0x0002), {})
      const b = encodeFrame(t.header(0x0200), location)
      const serialA = (a[14] as number) * 256 + (a[15] as number)
      const serialB = (b[14] as number) * 256 + (b[15] as number)
      const batches = sink.batches.length
      t.write(Buffer.concat([a, b]))
      assert.equal((await t.generalReply(serialA)).result, 0)
      assert.equal((await t.generalReply(serialB)).result, 0)
      assert.equal(sink.batches[batches], 2)
      const kept = sink.envelopes.find((e) => e.msgId === 0x0200 && e.serialNo === serialB)
      assert.equal(kept?.terminalId, rows.terminalId)
      assert.equal(kept?.terminalPhone, rows.phone)
      assert.equal(kept?.gatewayNode, 'test-gw')
      assert.ok(kept?.message)
    })

    it('refuses an uplink whose phone differs from the authenticated one', async () => {
      const t = await online()
      const serial = t.send(0x0002, {}, '13900000000')
      assert.equal((await t.generalReply(serial)).result, 1)
      assert.ok((server.gateway.stats().rejectedByCode.ERR_GW_PHONE_MISMATCH ?? 0) >= 1)
      const ok = t.send(0x0002, {})
      assert.equal((await t.generalReply(ok)).result, 0)
    })

    it('a second login of the same terminal evicts the first connection', async () => {
      const first = await online()
      const evicted = server.gateway.stats().evicted
      const second = await online()
      await first.closedPromise
      assert.equal(server.gateway.stats().evicted, evicted + 1)
      assert.equal(second.closed, false)
      assert.equal(server.gateway.onlineSessions().filter((s) => s.terminalId === rows.terminalId).length, 1)
    })

    it('acknowledges only after the sink resolved, and answers failure when it rejects', async () => {
      const t = await online()
      sink.delayMs = 150
      const sentAt = Date.now()
      const serial = t.send(0x0002, {})
      const reply = await t.generalReply(serial)
      const ackAt = Date.now()
      sink.delayMs = 0
      assert.equal(reply.result, 0)
      assert.ok(ackAt - sentAt >= 140, `ack after ${ackAt - sentAt} ms`)
      assert.ok((sink.resolvedAt.at(-1) ?? Number.POSITIVE_INFINITY) <= ackAt)
      sink.failing = true
      const s2 = t.send(0x0002, {})
      const failed = await t.generalReply(s2)
      assert.equal(failed.result, 1)
      // An authentication that could not be kept is answered 失败 and does not bind the session.
      assert.equal(await authenticate(t, rows.deviceNo, key), 1)
      sink.failing = false
      const s3 = t.send(0x0002, {})
      assert.equal((await t.generalReply(s3)).result, 1)
      assert.equal(await authenticate(t, rows.deviceNo, key), 0)
    })

    it('a split photo upload with one packet lost triggers 0x8003 and completes after the re-send', async () => {
      const t = await online()
      const jpeg = crypto.randomBytes(2300)
      const photoNo = '0000000042'
      const init = trainingFrame(
        t,
        photoUploadInit,
        {
          photoNo,
          personNo: rows.studentNo,
          uploadMode: 129,
          channel: 1,
          size: 1,
          event: 19,
          packetCount: 3,
          photoSize: jpeg.length,
          classId: 7,
          gnss: { ...GNSS, mileage: 0, rpm: 0 },
          faceConfidence: 93,
        },
        rows.deviceNo,
      )
      t.write(init.bytes)
      const initReply = await t.expect((f) => f.header.msgId === 0x8900)
      const content = (initReply.body as { content: TrainingEnvelope }).content
      assert.equal(content.messageId, 0x8305)
      assert.equal((content.body as { answer: number }).answer, 0)

      const env = signEnvelope(
        trainingEnvelope(
          photoData,
          { photoNo, data: new Uint8Array(jpeg) },
          { terminalNo: rows.deviceNo, packetSeq: 2 },
        ),
        key,
      )
      const packets = t.packets(0x0900, encodeEnvelope(env, 'up'), 1000)
      assert.equal(packets.length, 3)
      t.write(packets[0] as Uint8Array)
      t.write(packets[2] as Uint8Array)
      const resend = await t.expect((f) => f.header.msgId === 0x8003)
      const request = resend.body as { originalSerial: number; packetIds: number[] }
      assert.deepEqual(request.packetIds, [2])
      assert.equal(sink.photos.length, 0)
      t.write(packets[1] as Uint8Array)
      const deadline = Date.now() + 5000
      while (sink.photos.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      const photo = sink.photos[0]
      assert.ok(photo)
      assert.equal(photo.photoNo, photoNo)
      assert.equal(photo.terminalId, rows.terminalId)
      assert.equal(Buffer.from(photo.bytes).toString('hex'), jpeg.toString('hex'))
      assert.equal(photo.init.sha256, crypto.createHash('sha256').update(jpeg).digest('hex'))
      assert.equal(photo.init.faceConfidence, 93)
      assert.equal(server.gateway.stats().photosAssembled, 1)
    })

    it('refuses an extension message whose 校验串 does not verify, and keeps it', async () => {
      const t = await online()
      const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
      const other = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string
      const f = trainingFrame(
        t,
        coachLogin,
        { coachNo: rows.coachNo, coachIdCard: '330106198001010000', teachPermitted: 'C1', gnss: GNSS },
        rows.deviceNo,
        other,
      )
      t.write(f.bytes)
      assert.equal((await t.generalReply(f.serial)).result, 1)
      assert.ok(sink.envelopes.some((e) => e.serialNo === f.serial && e.decodeError === 'ERR_GW_SIGNATURE'))
    })

    it('answers coach and student logins with the result decided from the registry', async () => {
      const t = await online()
      const loginResult = async (body: Parameters<typeof coachLogin.encode>[0]) => {
        t.write(trainingFrame(t, coachLogin, body, rows.deviceNo, key).bytes)
        const f = await t.expect(
          (f) => f.header.msgId === 0x8900 && (f.body as { content: TrainingEnvelope }).content.messageId === 0x8101,
        )
        return ((f.body as { content: TrainingEnvelope }).content.body as { result: number }).result
      }
      const coach = { coachNo: rows.coachNo, coachIdCard: '330106198001010000', teachPermitted: 'C1', gnss: GNSS }
      assert.equal(await loginResult(coach), 1)
      assert.equal(await loginResult({ ...coach, teachPermitted: 'B2' }), 3)
      assert.equal(await loginResult({ ...coach, coachNo: 'C000000000000999' }), 2)

      const studentResult = async (studentNo: string, courseCode: string) => {
        t.write(
          trainingFrame(
            t,
            studentLogin,
            { studentNo, coachNo: rows.coachNo, courseCode, classId: 1, gnss: GNSS },
            rows.deviceNo,
            key,
          ).bytes,
        )
        const f = await t.expect(
          (f) => f.header.msgId === 0x8900 && (f.body as { content: TrainingEnvelope }).content.messageId === 0x8201,
        )
        return ((f.body as { content: TrainingEnvelope }).content.body as { result: number }).result
      }
      assert.equal(await studentResult(rows.studentNo, '1212110000'), 1)
      assert.equal(await studentResult(rows.studentNo, '1222110000'), 5)
      assert.equal(await studentResult('S000000000000999', '1212110000'), 2)
      await db.query(`update student set status = 'withdrawn' where stu_no = $1`, [rows.studentNo])
      assert.equal(await studentResult(rows.studentNo, '1212110000'), 3)
    })

    it('sends a command and resolves with the terminal answer; times out and refuses offline terminals', async () => {
      const t = await online()
      const pending = server.gateway.command(
        rows.terminalId,
        { training: photoNow as never, body: { uploadMode: 1, channel: 0, size: 1 } },
        { timeoutMs: 3000 },
      )
      const cmd = await t.expect((f) => f.header.msgId === 0x8900)
      const env = (cmd.body as { content: TrainingEnvelope }).content
      assert.equal(env.messageId, 0x8301)
      const answer = trainingFrame(
        t,
        photoNowReply,
        { result: 1, uploadMode: 1, channel: 0, size: 1, extra: new Uint8Array(0) },
        rows.deviceNo,
      )
      t.write(answer.bytes)
      assert.deepEqual(await pending, { result: 1, uploadMode: 1, channel: 0, size: 1, extra: new Uint8Array(0) })
      assert.equal((await t.generalReply(answer.serial)).result, 0)
      assert.ok(sink.envelopes.some((e) => e.direction === 'down' && e.msgId === 0x8900))

      await assert.rejects(
        server.gateway.command(
          rows.terminalId,
          { training: photoNow as never, body: { uploadMode: 1, channel: 0, size: 1 } },
          { timeoutMs: 100 },
        ),
        (e: unknown) => isAppError(e) && e.code === 'ERR_GW_COMMAND_TIMEOUT',
      )
      await assert.rejects(
        server.gateway.command(999_999, { msgId: 0x8104, body: {} }),
        (e: unknown) => isAppError(e) && e.code === 'ERR_GW_TERMINAL_OFFLINE',
      )
    })
  })
}

describe('terminal gateway sessions', () => {
  it('reaps idle sessions and leaks no session across many connections', async () => {
    const sink = new MemorySink()
    const server = await startGatewayServer({
      config: { gateway: { ...config().gateway, heartbeatTimeoutMs: 300, authTimeoutMs: 300 } },
      database: undefined as never,
      sink,
      host: '127.0.0.1',
    })
    try {
      const terminals = await Promise.all(
        Array.from({ length: 50 }, () => TestTerminal.connect(server.port, '13900000001')),
      )
      await until(() => server.gateway.stats().sessions === 50)
      await Promise.all(terminals.slice(0, 25).map((t) => t.close()))
      const idle = terminals.slice(25)
      await Promise.all(idle.map((t) => t.closedPromise))
      const stats = server.gateway.stats()
      assert.equal(stats.sessions, 0)
      assert.equal(stats.sessionOpened, 50)
      assert.equal(stats.sessionClosed, 50)
      assert.ok(stats.authTimeout + stats.heartbeatTimeout >= 25)
      for (let round = 0; round < 5; round++) {
        const batch = await Promise.all(Array.from({ length: 40 }, () => TestTerminal.connect(server.port, '1')))
        await Promise.all(batch.map((t) => t.close()))
      }
      await until(() => server.gateway.stats().sessionClosed === 250)
      assert.equal(server.gateway.stats().sessions, 0)
      assert.equal(server.gateway.stats().online, 0)
    } finally {
      await server.close()
    }
  })

  it('keeps a bad frame before authentication and answers 消息有误 without closing', async () => {
    const sink = new MemorySink()
    const server = await startGatewayServer({ config: config(), database: undefined as never, sink, host: '127.0.0.1' })
    try {
      const t = await TestTerminal.connect(server.port, '13900000001')
      const frame = encodeFrame(t.header(0x0002, 77), {})
      frame[frame.length - 2] = 0x00
      t.write(wrapFrame(Uint8Array.from([0x01])))
      t.write(frame)
      assert.equal((await t.generalReply(77)).result, 2)
      assert.equal(t.closed, false)
      await t.close()
    } finally {
      await server.close()
    }
  })
})
