import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { connect } from 'nats'
import type { Database } from '../../src/db/client.ts'
import { type IngestBus, openIngestBus } from '../../src/ingestion/bus.ts'
import { buildFixture } from '../api/fixture.ts'
import { testEngines } from '../support/engines.ts'
import { NATS_URL, natsSkip } from '../support/nats.ts'
import { counts, type LessonPeople, lessonEnvelopes, lessonPeople } from './lesson.ts'

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

const natsSkipReason = await natsSkip()

for (const engine of await testEngines()) {
  const skip = engine.skip || natsSkipReason
  describe(`NATS JetStream bus [${engine.name}]`, { skip }, () => {
    let db: Database
    let people: LessonPeople
    let bus: IngestBus
    let dir: string
    const suffix = crypto.randomBytes(4).toString('hex')
    const stream = `JIAPEI_TEST_${suffix}`
    const subjectPrefix = `jiapeitest${suffix}`

    before(async () => {
      db = await engine.open()
      await buildFixture(db)
      people = await lessonPeople(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-nats-'))
      bus = await openIngestBus({
        config: {
          dataDir: dir,
          roles: ['gateway', 'ingest'],
          ingest: { bus: 'nats', natsUrl: NATS_URL, windowMs: 5, maxBatch: 500, concurrency: 1 },
        },
        database: db,
        stream,
        subjectPrefix,
        onError: (error) => console.error('bus error', error),
      })
    })
    after(async () => {
      await bus?.close()
      const nc = await connect({ servers: NATS_URL })
      const jsm = await nc.jetstreamManager()
      await jsm.streams.delete(stream).catch(() => false)
      await nc.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('the lesson round-trips: published (acked by JetStream), consumed, committed, acked', async () => {
      assert.ok(bus.consumer && bus.writer)
      const envelopes = lessonEnvelopes(people, { start: new Date('2026-04-01T02:00:00Z'), minutes: 4, classId: 8101 })
      await Promise.all(envelopes.map((e) => bus.sink.accept([e])))
      const photo = {
        terminalId: people.terminalId,
        terminalPhone: people.phone,
        photoNo: '0000000101',
        receivedAt: new Date('2026-04-01T02:01:00Z'),
        bytes: crypto.randomBytes(3000),
        init: { photoNo: '0000000101', personNo: people.studentNo, event: 17, classId: 8101, faceConfidence: 88 },
      }
      await bus.sink.acceptPhoto(photo)
      await until(async () => (await counts(db)).positions === 12 && (await counts(db)).photos === 1)
      assert.deepEqual(await counts(db), { raw: 18, sessions: 1, minutes: 4, positions: 12, photos: 1 })
      const [session] = await db.query<{ ended_at: Date; course_code: string }>(
        'SELECT ended_at, course_code FROM training_session WHERE class_id = 8101',
      )
      assert.deepEqual(session?.ended_at, new Date('2026-04-01T02:04:10Z'))
      // Decoded bodies crossed the bus intact: the frame bytes and arrival times are the originals.
      const [raw] = await db.query<{ frame: Uint8Array; received_at: Date }>(
        'SELECT frame, received_at FROM raw_frame ORDER BY received_at, serial_no LIMIT 1',
      )
      assert.deepEqual(Buffer.from(raw!.frame), Buffer.from(envelopes[0]!.frame))
      assert.deepEqual(raw!.received_at, envelopes[0]!.receivedAt)
    })

    test('a replay over the bus creates no duplicates', async () => {
      const before = await counts(db)
      const consumed = bus.consumer!.stats.messages
      const envelopes = lessonEnvelopes(people, {
        start: new Date('2026-04-01T02:00:00Z'),
        minutes: 4,
        classId: 8101,
        backfill: true,
        receivedAt: new Date('2026-04-01T05:00:00Z'),
      })
      await bus.sink.accept(envelopes)
      await until(async () => bus.consumer!.stats.messages >= consumed + envelopes.length)
      const after = await counts(db)
      assert.deepEqual({ ...after, raw: 0 }, { ...before, raw: 0 })
      const backfilled = await db.query('SELECT 1 FROM minute_record WHERE is_backfill')
      assert.equal(backfilled.length, 0)
    })
  })
}
