import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Database } from '../../src/db/client.ts'
import type { FrameEnvelope } from '../../src/ingestion/envelope.ts'
import { createPhotoStore, type PhotoStore } from '../../src/ingestion/photo-store.ts'
import { INGEST_PIPELINE, type PipelineStep } from '../../src/ingestion/pipeline.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { buildFixture } from '../api/fixture.ts'
import { testEngines } from '../support/engines.ts'
import { counts, type LessonPeople, lessonEnvelopes, lessonPeople } from './lesson.ts'

const START = new Date('2026-03-02T01:00:00Z') // 09:00 Beijing

for (const engine of await testEngines()) {
  describe(`durable ingestion [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let people: LessonPeople
    let store: PhotoStore
    let dir: string

    before(async () => {
      db = await engine.open()
      await buildFixture(db)
      people = await lessonPeople(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-photos-'))
      store = createPhotoStore(dir)
    })
    after(async () => {
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('a full lesson becomes one session with its minutes and positions, in one group commit', async () => {
      const writer = createIngestWriter({ database: db, photoStore: store, windowMs: 20, maxBatch: 1000 })
      const envelopes = lessonEnvelopes(people, { start: START, minutes: 5, classId: 7001 })
      // The gateway hands frames over one by one; they are committed together.
      await Promise.all(envelopes.map((e) => writer.accept([e])))
      assert.equal(writer.stats.batches, 1)
      await writer.close()
      assert.deepEqual(await counts(db), { raw: 22, sessions: 1, minutes: 5, positions: 15, photos: 0 })
      const [session] = await db.query<Record<string, unknown>>(
        `SELECT s.*, st.stu_no, co.coach_no FROM training_session s
           JOIN student st ON st.id = s.student_id JOIN coach co ON co.id = s.coach_id`,
      )
      assert.ok(session)
      assert.equal(session.class_id, 7001)
      assert.equal(session.stu_no, people.studentNo)
      assert.equal(session.coach_no, people.coachNo)
      assert.equal(session.course_code, '1212110000')
      assert.deepEqual(session.started_at, START) // Beijing 09:00 → 01:00 UTC
      assert.deepEqual(session.ended_at, new Date('2026-03-02T01:05:10Z'))
      const minutes = await db.query<{ minute_at: Date; session_id: number; is_backfill: boolean; record_no: string }>(
        'SELECT minute_at, session_id, is_backfill, record_no FROM minute_record ORDER BY minute_at',
      )
      assert.deepEqual(
        minutes.map((m) => m.minute_at.toISOString()),
        [0, 1, 2, 3, 4].map((m) => new Date(START.getTime() + m * 60_000).toISOString()),
      )
      assert.ok(minutes.every((m) => m.session_id === session.id && !m.is_backfill && m.record_no.length === 26))
      assert.equal(minutes[0]?.record_no, `${people.deviceNo}2603020540`)
      const positions = await db.query<{ session_id: number; lng: number; speed_kmh: number; mileage_m: number }>(
        'SELECT session_id, lng, speed_kmh, mileage_m FROM position ORDER BY fixed_at',
      )
      assert.ok(positions.every((p) => p.session_id === session.id))
      assert.equal(positions[0]?.lng, 120.123456)
      assert.equal(positions[0]?.speed_kmh, 24.8)
      assert.equal(positions[0]?.mileage_m, 100_000)
    })

    test('replaying the lesson and a 补传 batch changes nothing; arrival time and 补传 flag are kept', async () => {
      const before = await counts(db)
      const [original] = await db.query<{ arrived_at: Date; is_backfill: boolean }>(
        'SELECT arrived_at, is_backfill FROM minute_record ORDER BY minute_at LIMIT 1',
      )
      const writer = createIngestWriter({ database: db, photoStore: store, windowMs: 1 })
      // The same frames again (a redelivery), then the same lesson resent later as 补传.
      await writer.accept(lessonEnvelopes(people, { start: START, minutes: 5, classId: 7001 }))
      const later = new Date(START.getTime() + 3 * 3600_000)
      await writer.accept(
        lessonEnvelopes(people, { start: START, minutes: 5, classId: 7001, backfill: true, receivedAt: later }),
      )
      const after = await counts(db)
      // Derived rows are untouched; the raw archive records the 补传 frames as new receptions.
      assert.deepEqual({ ...after, raw: 0 }, { ...before, raw: 0 })
      assert.equal(after.raw, before.raw + 22)
      const [kept] = await db.query<{ arrived_at: Date; is_backfill: boolean }>(
        'SELECT arrived_at, is_backfill FROM minute_record ORDER BY minute_at LIMIT 1',
      )
      assert.deepEqual(kept, original)

      // A 补传 batch of minutes never seen before is stored with its flag and its own arrival time.
      const next = new Date(START.getTime() + 3600_000)
      const backfill = lessonEnvelopes(people, {
        start: next,
        minutes: 2,
        classId: 7002,
        backfill: true,
        receivedAt: later,
      })
      await writer.accept(backfill)
      await writer.accept(backfill)
      await writer.close()
      const stored = await db.query<{ arrived_at: Date; is_backfill: boolean }>(
        'SELECT arrived_at, is_backfill FROM minute_record WHERE minute_at >= $1',
        [next],
      )
      assert.equal(stored.length, 2)
      assert.ok(stored.every((m) => m.is_backfill && m.arrived_at.getTime() === later.getTime()))
      assert.equal((await counts(db)).sessions, 2)
    })

    test('an undecodable frame is archived with its decode error', async () => {
      const writer = createIngestWriter({ database: db, photoStore: store, windowMs: 1 })
      const bad: FrameEnvelope = {
        receivedAt: new Date('2026-03-05T02:00:00Z'),
        terminalPhone: people.phone,
        msgId: 0x0200,
        serialNo: 99,
        layout: 'jiapei',
        direction: 'up',
        frame: Uint8Array.from([0x80, 0x02, 0x00, 0x00, 0x03, 0xde, 0xad, 0xbe]),
        decodeError: 'ERR_CODEC_TRUNCATED',
        gatewayNode: 'gw-test',
      }
      await writer.accept([bad])
      await writer.close()
      const rows = await db.query<{ decode_error: string; frame: Uint8Array; msg_id: number }>(
        'SELECT decode_error, frame, msg_id FROM raw_frame WHERE serial_no = 99',
      )
      assert.equal(rows.length, 1)
      assert.equal(rows[0]?.decode_error, 'ERR_CODEC_TRUNCATED')
      assert.deepEqual(Buffer.from(rows[0]!.frame), Buffer.from(bad.frame))
    })

    test('callers resolve only after COMMIT; a failed transaction rejects every caller and writes nothing', async () => {
      const before = await counts(db)
      const failAfterPersist: PipelineStep = {
        name: 'fail',
        phase: 'transaction',
        run() {
          throw new Error('disk full')
        },
      }
      const writer = createIngestWriter({
        database: db,
        photoStore: store,
        windowMs: 20,
        steps: [...INGEST_PIPELINE.slice(0, 3), failAfterPersist, ...INGEST_PIPELINE.slice(3)],
      })
      const envelopes = lessonEnvelopes(people, { start: new Date('2026-03-09T01:00:00Z'), minutes: 2, classId: 7003 })
      const results = await Promise.allSettled(envelopes.map((e) => writer.accept([e])))
      assert.ok(results.every((r) => r.status === 'rejected'))
      assert.equal((results[0] as PromiseRejectedResult).reason.code, 'ERR_INGEST_COMMIT_FAILED')
      assert.deepEqual(await counts(db), before)

      // With a working pipeline, a caller's promise settles only once its rows are visible.
      const ok = createIngestWriter({ database: db, photoStore: store, windowMs: 20 })
      let settled = false
      const pending = ok.accept(envelopes).then(() => {
        settled = true
      })
      assert.equal(settled, false)
      assert.equal((await counts(db)).raw, before.raw)
      await pending
      assert.equal((await counts(db)).raw, before.raw + envelopes.length)
      await ok.close()
      await assert.rejects(ok.accept(envelopes), { code: 'ERR_INGEST_CLOSED' })
    })

    test('a caller whose frames cannot be written does not refuse the others of its batch', async () => {
      const before = await counts(db)
      const writer = createIngestWriter({ database: db, photoStore: store, windowMs: 20 })
      const good = lessonEnvelopes(people, { start: new Date('2026-03-12T01:00:00Z'), minutes: 1, classId: 7004 })
      // PostgreSQL text cannot hold NUL: this envelope fails inside the transaction.
      const poison = { ...(good[0] as FrameEnvelope), terminalPhone: 'bad\u0000phone' }
      const results = await Promise.allSettled([poison, ...good].map((e) => writer.accept([e])))
      await writer.close()
      assert.equal(results[0]?.status, 'rejected')
      assert.ok(results.slice(1).every((r) => r.status === 'fulfilled'))
      const after = await counts(db)
      assert.equal(after.raw, before.raw + good.length)
      assert.equal(after.minutes, before.minutes + 1)
    })

    test('a photo is stored once by its hash, with one row per (terminal, 照片编号)', async () => {
      const writer = createIngestWriter({ database: db, photoStore: store })
      const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff)
      const photo = {
        terminalId: people.terminalId,
        terminalPhone: people.phone,
        photoNo: '0000000001',
        receivedAt: new Date('2026-03-02T01:02:00Z'),
        bytes,
        init: {
          photoNo: '0000000001',
          personNo: people.studentNo,
          uploadMode: 129,
          channel: 1,
          size: 2,
          event: 19,
          packetCount: 5,
          photoSize: bytes.length,
          classId: 7001,
          gnss: { alarm: 0, status: 3, lat: 30234567, lng: 120123456, timeLocal: '260302090200' },
          faceConfidence: 93,
        },
      }
      await writer.acceptPhoto(photo)
      await writer.acceptPhoto(photo)
      await writer.acceptPhoto({ ...photo, photoNo: '0000000002' })
      await writer.close()
      const rows = await db.query<Record<string, unknown>>('SELECT * FROM photo ORDER BY photo_no')
      assert.equal(rows.length, 2)
      assert.equal(rows[0]?.sha256, rows[1]?.sha256)
      assert.equal(rows[0]?.face_confidence, 93)
      assert.equal(rows[0]?.event_type, 19)
      assert.deepEqual(rows[0]?.taken_at, new Date('2026-03-02T01:02:00Z'))
      const [session] = await db.query<{ id: number; student_id: number }>(
        'SELECT id, student_id FROM training_session WHERE class_id = 7001',
      )
      assert.equal(rows[0]?.session_id, session?.id)
      assert.equal(rows[0]?.student_id, session?.student_id)
      const files = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.jpg'))
      assert.equal(files.length, 1)
      const sha = rows[0]?.sha256 as string
      assert.equal(String(files[0]), path.join(sha.slice(0, 2), sha.slice(2, 4), `${sha}.jpg`))
      assert.deepEqual(await store.get(sha), bytes)
    })
  })
}
