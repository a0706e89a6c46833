import assert from 'node:assert/strict'
import net from 'node:net'
import { after, describe, it } from 'node:test'
import type { BatchLocation } from '@jiapei/jt808'
import {
  type MinuteRecord,
  type PhotoUploadInit,
  photoNow,
  photoQuery,
  photoUploadRequest,
  recordQuery,
  trainingBanSet,
  trainingEnvelope,
} from '@jiapei/jt808-training'
import { generateJpeg, type Lesson, planLesson, pointInPolygon, VirtualTerminal } from '../src/index.ts'
import { FakePlatform } from './fake-platform.ts'
import { FIELD, profile, START } from './fixtures.ts'

const platforms: FakePlatform[] = []
const terminals: VirtualTerminal[] = []
after(async () => {
  for (const t of terminals) await t.stop()
  for (const p of platforms) await p.stop()
})

async function setup(options: ConstructorParameters<typeof FakePlatform>[0] = {}, replyTimeoutMs = 10_000) {
  const platform = new FakePlatform(options)
  platforms.push(platform)
  const port = await platform.start()
  const terminal = new VirtualTerminal({
    profile: profile(),
    connect: () => net.connect({ host: '127.0.0.1', port }),
    speedup: 2000,
    seed: 11,
    replyTimeoutMs,
    backoff: { initialMs: 20, maxMs: 100 },
  })
  terminals.push(terminal)
  return { platform, terminal }
}

function lesson(seed = 11, minutes = 3): Lesson {
  return planLesson(profile(), { part: 2, minutes, startTime: START, seed, photoIntervalMinutes: 2 })
}

const ids = (platform: FakePlatform) => platform.training().map((t) => t.messageId)

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('virtual terminal against a codec platform', () => {
  it('registers, opens the PKCS#12 and authenticates with a signature the platform verifies', async () => {
    const { platform, terminal } = await setup()
    await terminal.start()
    assert.equal(terminal.state, 'online')
    assert.deepEqual(
      platform.received.map((r) => r.msgId),
      [0x0100, 0x0102],
    )
    const reg = platform.received[0]?.body as { imei: string; plate: string; terminalId: string }
    assert.equal(reg.imei, '860000000000123')
    assert.equal(reg.plate, '浙A1234学')
    assert.deepEqual(platform.authResults, [true])
    assert.equal(terminal.terminalNo, platform.issued.get('0000013800138000')?.terminalNo)
    await terminal.stop()
  })

  it('runs a compressed lesson: the expected messages, signed, with photos that reassemble', async () => {
    const { platform, terminal } = await setup()
    await terminal.start()
    const plan = lesson()
    const result = await terminal.runLesson(plan)
    assert.deepEqual(result, { ok: true, minuteRecords: 3, photos: 5 })
    await until(() => platform.training().filter((t) => t.messageId === 0x0203).length === 3)
    const seq = ids(platform).filter((id) => id !== 0x0306 && id !== 0x0305)
    assert.deepEqual(seq, [0x0101, 0x0201, 0x0203, 0x0203, 0x0203, 0x0202, 0x0102])
    assert.ok(
      platform.training().every((t) => t.signatureOk),
      'every 校验串 verifies',
    )

    const records = platform
      .training()
      .filter((t) => t.messageId === 0x0203)
      .map((t) => t.body as MinuteRecord)
    const numbers = records.map((r) => Number(r.recordNo.slice(22)))
    assert.deepEqual(numbers, [numbers[0], (numbers[0] as number) + 1, (numbers[0] as number) + 2])
    for (const r of records) assert.ok(r.mileage <= Math.ceil(r.maxSpeed / 60) + 1)

    const positions = platform.received.filter((r) => r.msgId === 0x0200)
    assert.ok(positions.length >= 8)
    for (const p of positions) {
      const b = p.body as { lat: number; lng: number }
      assert.ok(pointInPolygon([b.lng / 1e6, b.lat / 1e6], FIELD))
    }

    const inits = platform
      .training()
      .filter((t) => t.messageId === 0x0305)
      .map((t) => t.body as PhotoUploadInit)
    const data = platform
      .training()
      .filter((t) => t.messageId === 0x0306)
      .map((t) => t.body as { photoNo: string; data: Uint8Array })
    assert.deepEqual(
      inits.map((i) => i.event),
      [20, 17, 19, 18, 21],
    )
    assert.equal(data.length, 5)
    const planned = plan.events.filter((e) => e.kind === 'photo')
    for (const [i, init] of inits.entries()) {
      const photo = data[i]
      assert.equal(photo?.photoNo, init.photoNo)
      assert.equal(photo?.data.length, init.photoSize)
      assert.ok(init.packetCount > 1, 'sent in sub-packages')
      assert.ok(init.faceConfidence >= 72 && init.faceConfidence <= 99)
      const p = planned[i]
      assert.ok(p?.kind === 'photo')
      assert.deepEqual(photo?.data, await generateJpeg(p.photo.imageSeed, p.photo.size))
      assert.equal(photo?.data[0], 0xff)
      assert.equal(photo?.data[1], 0xd8)
    }
    assert.equal(terminal.stats.lessonsCompleted, 1)
    assert.equal(terminal.stats.timeouts, 0)
    await terminal.stop()
  })

  it('is deterministic for a seed: two runs send the same 驾培 messages', async () => {
    const runs = []
    for (let i = 0; i < 2; i++) {
      const { platform, terminal } = await setup()
      await terminal.start()
      await terminal.runLesson(lesson(42, 2))
      await until(() => platform.training().filter((t) => t.messageId === 0x0203).length === 2)
      runs.push(platform.training().map((t) => [t.messageId, t.body]))
      await terminal.stop()
    }
    assert.deepEqual(runs[0], runs[1])
  })

  it('re-sends the packets a 0x8003 asks for, and the photo completes', async () => {
    const { platform, terminal } = await setup({ losePacket: 2 })
    await terminal.start()
    const photo = lesson().events.find((e) => e.kind === 'photo')
    assert.ok(photo?.kind === 'photo')
    assert.equal(await terminal.uploadPhoto(photo.photo), true)
    assert.ok(platform.received.some((r) => r.msgId === 0x0900))
    assert.equal(terminal.stats.resentPackets, 1)
    const data = platform.training().find((t) => t.messageId === 0x0306)?.body as { data: Uint8Array }
    assert.deepEqual(data.data, await generateJpeg(photo.photo.imageSeed, photo.photo.size))
    await terminal.stop()
  })

  it('keeps unacknowledged minute records and re-sends them as 补传 after a reconnect', async () => {
    const { platform, terminal } = await setup({ withholdMinuteAcks: 1 })
    await terminal.start()
    await terminal.runLesson(lesson(11, 2))
    // Only the withheld ack is still awaited when the connection drops.
    await until(() => terminal.awaiting === 1)
    terminal.dropConnection()
    await until(() => platform.training().filter((t) => t.messageId === 0x0203).length === 3)
    const records = platform.training().filter((t) => t.messageId === 0x0203)
    assert.deepEqual(
      records.map((r) => r.backfill),
      [false, false, true],
    )
    assert.equal(
      (records[2]?.body as MinuteRecord | undefined)?.recordNo,
      (records[0]?.body as MinuteRecord | undefined)?.recordNo,
    )
    // reconnected with the kept certificate: one registration, two authentications
    assert.equal(platform.received.filter((r) => r.msgId === 0x0100).length, 1)
    assert.deepEqual(platform.authResults, [true, true])
    assert.equal(terminal.stats.reconnects, 1)
    assert.equal(terminal.stats.backfilled, 1)
    await terminal.stop()
  })

  it('sends the positions recorded offline as 0x0704 盲区补报 batches after the reconnect', async () => {
    const platform = new FakePlatform()
    platforms.push(platform)
    const port = await platform.start()
    // A port nothing listens on: while "offline", every reconnect attempt is refused.
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const closedPort = (closed.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    let offline = false
    const terminal = new VirtualTerminal({
      profile: profile(),
      connect: () => net.connect({ host: '127.0.0.1', port: offline ? closedPort : port }),
      speedup: 2000,
      seed: 11,
      backoff: { initialMs: 20, maxMs: 50 },
    })
    terminals.push(terminal)
    await terminal.start()
    offline = true
    terminal.dropConnection()
    await until(() => !terminal.online)
    const mark = platform.received.length

    // Two minutes of fixes every second while the connection is down: more than one packet holds.
    const plan = planLesson(profile(), {
      part: 2,
      minutes: 2,
      startTime: START,
      seed: 3,
      positionIntervalSeconds: [1, 1],
    })
    const positions = plan.events.flatMap((e) => (e.kind === 'position' ? [{ ...e, at: 0 }] : []))
    await terminal.runLesson({ ...plan, events: positions })
    assert.equal(terminal.offlinePositionCount, positions.length)
    assert.equal(platform.received.length, mark, 'nothing sent while offline')

    offline = false
    await terminal.waitOnline()
    await until(() => terminal.offlinePositionCount === 0 && terminal.awaiting === 0)
    const after = platform.received.slice(mark)
    assert.ok(!after.some((r) => r.msgId === 0x0200), 'no position sent one by one')
    const batches = after.filter((r) => r.msgId === 0x0704)
    assert.ok(batches.length > 1, `${positions.length} positions need several packets`)
    for (const b of batches) {
      assert.equal((b.body as BatchLocation).type, 1, '位置数据类型 1 盲区补报')
      assert.ok(b.bodyBytes.length <= 1000, 'each batch fits in one packet')
      assert.equal(b.header.subpackage, undefined)
    }
    assert.deepEqual(
      batches.flatMap((b) => (b.body as BatchLocation).locations),
      positions.map((e) => e.body),
      'every offline position, oldest first',
    )
    assert.equal(terminal.stats.positionsBackfilled, positions.length)
    assert.equal(terminal.stats.dropped, 0)
    await terminal.stop()
  })

  it('answers 提问下发 with 0x0302, 信息服务 with 0x0001 and 位置信息查询 with 0x0201', async () => {
    const { platform, terminal } = await setup()
    await terminal.start()
    const phone = '13800138000'
    const mark = platform.received.length
    platform.broadcast(
      0x8302,
      {
        flags: 0x09,
        question: '今天训练是否正常？',
        answers: [
          { id: 3, text: '正常' },
          { id: 4, text: '异常' },
        ],
      },
      phone,
    )
    const questionSerial = platform.lastSentSerial
    await until(() => platform.received.slice(mark).some((r) => r.msgId === 0x0302))
    const answer = platform.received.slice(mark).find((r) => r.msgId === 0x0302)
    assert.deepEqual(answer?.body, { replySerial: questionSerial, answerId: 3 })

    platform.broadcast(0x8304, { infoType: 1, content: '前方施工，请减速' }, phone)
    const infoSerial = platform.lastSentSerial
    await until(() => platform.received.slice(mark).some((r) => r.msgId === 0x0001))
    assert.deepEqual(platform.received.slice(mark).find((r) => r.msgId === 0x0001)?.body, {
      replySerial: infoSerial,
      replyId: 0x8304,
      result: 0,
    })

    platform.broadcast(0x8201, {}, phone)
    const querySerial = platform.lastSentSerial
    await until(() => platform.received.slice(mark).some((r) => r.msgId === 0x0201))
    const location = platform.received.slice(mark).find((r) => r.msgId === 0x0201)?.body as {
      replySerial: number
      location: { lat: number; lng: number }
    }
    assert.equal(location.replySerial, querySerial)
    // No lesson yet: the terminal reports where it stands, at the field (the fixture field's first corner, 120.1, 30.25).
    assert.deepEqual([location.location.lng, location.location.lat], [120_100_000, 30_250_000])
    assert.equal(terminal.stats.errors, 0)
    await terminal.stop()
  })

  it('answers 查询照片 with the numbers of its photos and 上传指定照片 by uploading that photo again', async () => {
    const { platform, terminal } = await setup()
    await terminal.start()
    await terminal.runLesson(lesson(7, 2))
    const taken = platform
      .training()
      .filter((t) => t.messageId === 0x0305)
      .map((t) => (t.body as PhotoUploadInit).photoNo)
    assert.ok(taken.length >= 4)
    const phone = '13800138000'
    const down = <B>(def: Parameters<typeof trainingEnvelope<B>>[0], body: B, packetSeq: number) =>
      platform.broadcast(
        0x8900,
        {
          type: 0x13,
          data: new Uint8Array(0),
          content: trainingEnvelope(def, body, { terminalNo: terminal.terminalNo, packetSeq }),
        },
        phone,
      )

    // The lesson's photos were taken on 2026-03-02 (Beijing time); none on the day before.
    let mark = platform.training().length
    down(photoQuery, { mode: 1, startTimeLocal: '260302000000', endTimeLocal: '260302235959' }, 801)
    await until(() =>
      platform
        .training()
        .slice(mark)
        .some((t) => t.messageId === 0x0303),
    )
    let answered = platform.training().slice(mark)
    assert.equal(answered[0]?.messageId, 0x0302)
    assert.equal((answered[0]?.body as { result: number } | undefined)?.result, 1, '1 开始查询')
    assert.deepEqual(answered[1]?.body, { isEnd: 1, total: taken.length, photoNos: taken })

    mark = platform.training().length
    down(photoQuery, { mode: 1, startTimeLocal: '260301000000', endTimeLocal: '260301235959' }, 802)
    await until(() =>
      platform
        .training()
        .slice(mark)
        .some((t) => t.messageId === 0x0303),
    )
    answered = platform.training().slice(mark)
    assert.deepEqual(answered[1]?.body, { isEnd: 1, total: 0, photoNos: [] })

    const wanted = taken[1] as string
    mark = platform.training().length
    down(photoUploadRequest, { photoNo: wanted }, 803)
    await until(() =>
      platform
        .training()
        .slice(mark)
        .some((t) => t.messageId === 0x0306),
    )
    answered = platform.training().slice(mark)
    assert.equal(answered[0]?.messageId, 0x0304)
    assert.equal((answered[0]?.body as { result: number } | undefined)?.result, 0, '0 找到照片，稍候上传')
    assert.equal((answered.find((t) => t.messageId === 0x0305)?.body as PhotoUploadInit | undefined)?.photoNo, wanted)
    const again = answered.find((t) => t.messageId === 0x0306)?.body as { data: Uint8Array } | undefined
    const first = platform
      .training()
      .slice(0, mark)
      .find((t) => t.messageId === 0x0306 && (t.body as { photoNo: string }).photoNo === wanted)
    assert.ok(again && first)
    assert.deepEqual(again.data, (first.body as { data: Uint8Array }).data, 'the same JPEG')

    mark = platform.training().length
    down(photoUploadRequest, { photoNo: '9999999999' }, 804)
    await until(() =>
      platform
        .training()
        .slice(mark)
        .some((t) => t.messageId === 0x0304),
    )
    assert.equal((platform.training()[mark]?.body as { result: number } | undefined)?.result, 1, '1 没有该照片')
    assert.equal(terminal.stats.errors, 0)
    await terminal.stop()
  })

  it('answers photo-now, 禁训 and minute-record requests', async () => {
    const { platform, terminal } = await setup()
    await terminal.start()
    await terminal.runLesson(lesson(5, 2))
    const phone = '13800138000'
    const down = <B>(def: Parameters<typeof trainingEnvelope<B>>[0], body: B, packetSeq: number) =>
      platform.broadcast(
        0x8900,
        {
          type: 0x13,
          data: new Uint8Array(0),
          content: trainingEnvelope(def, body, { terminalNo: terminal.terminalNo, packetSeq }),
        },
        phone,
      )
    const before = platform.training().length
    down(photoNow, { uploadMode: 1, channel: 0, size: 5 }, 901)
    await until(() =>
      platform
        .training()
        .slice(before)
        .some((t) => t.messageId === 0x0306),
    )
    const now = platform.training().slice(before)
    assert.equal(now[0]?.messageId, 0x0301)
    assert.equal((now[0]?.body as { result: number } | undefined)?.result, 1)
    assert.equal((now.find((t) => t.messageId === 0x0305)?.body as PhotoUploadInit | undefined)?.event, 0)

    const mark = platform.training().length
    down(recordQuery, { mode: 2, startTimeLocal: '000000000000', endTimeLocal: '000000000000', count: 2 }, 902)
    await until(
      () =>
        platform
          .training()
          .slice(mark)
          .filter((t) => t.messageId === 0x0203).length === 2,
    )
    const answered = platform.training().slice(mark)
    assert.equal(answered[0]?.messageId, 0x0205)
    assert.equal((answered[0]?.body as { result: number } | undefined)?.result, 1)
    assert.deepEqual(
      answered.filter((t) => t.messageId === 0x0203).map((t) => (t.body as MinuteRecord).reportType),
      [2, 2],
    )

    const banMark = platform.training().length
    down(trainingBanSet, { state: 2, message: '停训整顿', extra: new Uint8Array(0) }, 903)
    await until(() =>
      platform
        .training()
        .slice(banMark)
        .some((t) => t.messageId === 0x0502),
    )
    assert.equal(terminal.trainingBan.state, 2)
    const refused = await terminal.runLesson(lesson(6, 1))
    assert.equal(refused.ok, false)
    assert.match(refused.reason ?? '', /禁训/)
    await terminal.stop()
  })
})
