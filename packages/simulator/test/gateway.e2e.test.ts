/**
 * End to end over real TCP: the simulator's fleet → the terminal gateway → an in-memory sink, with
 * the registry on PGlite. The gateway issues the certificates, verifies the signatures and decides
 * the logins; the sink sees the minute records, positions and reassembled photos.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { PassThroughBody } from '@jiapei/jt808'
import type { MinuteRecord, TrainingEnvelope } from '@jiapei/jt808-training'
import type { Database } from '../../server/src/db/client.ts'
import { type GatewayServer, startGatewayServer } from '../../server/src/gateway/index.ts'
import { MemorySink } from '../../server/test/gateway/support.ts'
import { openTestPglite } from '../../server/test/support/engines.ts'
import { pointInPolygon, runFleet } from '../src/index.ts'
import { FIELD } from './fixtures.ts'
import { insertRegistry } from './registry-rows.ts'

const GATEWAY = {
  gateway: {
    port: 0,
    nodeName: 'sim-e2e',
    heartbeatTimeoutMs: 60_000,
    authTimeoutMs: 60_000,
    maxFrameSize: 2048,
    subpackageTimeoutMs: 30_000,
    authWindowSeconds: 600,
  },
}

describe('simulator → gateway → sink over TCP', () => {
  let db: Database
  let sink: MemorySink
  let server: GatewayServer

  before(async () => {
    db = await openTestPglite()
    await insertRegistry(db)
    sink = new MemorySink()
    server = await startGatewayServer({ config: GATEWAY, database: db, sink, host: '127.0.0.1' })
  })

  after(async () => {
    await server?.close()
    await db?.close()
  })

  it('registers, authenticates and trains a lesson on every terminal; the sink gets the records and photos', async () => {
    const summary = await runFleet({
      host: '127.0.0.1',
      port: server.port,
      terminals: 2,
      speedup: 3000,
      seed: 21,
      database: db,
      lessonMinutes: 3,
      replyTimeoutMs: 15_000,
    })
    assert.deepEqual(summary.failures, [])
    assert.equal(summary.stats.lessonsCompleted, 2)
    assert.equal(summary.stats.timeouts, 0)
    assert.equal(summary.stats.errors, 0)

    const training = sink.envelopes
      .filter((e) => e.msgId === 0x0900 && e.message)
      .map((e) => (e.message as PassThroughBody).content as TrainingEnvelope)
    const count = (id: number) => training.filter((t) => t.messageId === id).length
    assert.equal(count(0x0101), 2)
    assert.equal(count(0x0201), 2)
    assert.equal(count(0x0203), 6)
    assert.equal(count(0x0202), 2)
    assert.equal(count(0x0102), 2)
    const records = training.filter((t) => t.messageId === 0x0203).map((t) => t.body as MinuteRecord)
    assert.equal(new Set(records.map((r) => r.recordNo)).size, 6)

    // 科目二 lessons (course code digit 4 = 2) keep every fix inside the training field.
    const partOf = new Map<string, string>()
    for (const e of sink.envelopes) {
      const env =
        e.msgId === 0x0900 ? ((e.message as PassThroughBody | undefined)?.content as TrainingEnvelope) : undefined
      if (env?.messageId === 0x0201)
        partOf.set(e.terminalPhone, (env.body as { courseCode: string }).courseCode[3] as string)
    }
    assert.equal(partOf.size, 2)
    assert.ok([...partOf.values()].includes('2'), 'the seed gives at least one 科目二 lesson')
    const positions = sink.envelopes.filter((e) => e.msgId === 0x0200)
    assert.ok(positions.length > 10)
    for (const p of positions.filter((e) => partOf.get(e.terminalPhone) === '2')) {
      const b = p.message as { lat: number; lng: number }
      assert.ok(pointInPolygon([b.lng / 1e6, b.lat / 1e6], FIELD))
    }

    // coach login, student login, student logout, coach logout: four photos per 3-minute lesson
    assert.equal(sink.photos.length, 8)
    for (const photo of sink.photos) {
      assert.equal(photo.bytes[0], 0xff)
      assert.equal(photo.bytes[1], 0xd8)
      assert.equal(photo.bytes.length, photo.init.photoSize)
    }
  })
})
