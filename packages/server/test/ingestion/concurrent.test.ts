import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Database } from '../../src/db/client.ts'
import type { FrameEnvelope } from '../../src/ingestion/envelope.ts'
import { createPhotoStore, type PhotoStore } from '../../src/ingestion/photo-store.ts'
import { dedupeStep, normalizeStep, type PipelineStep, persistStep, publishStep } from '../../src/ingestion/pipeline.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { buildFixture } from '../api/fixture.ts'
import { testEngines } from '../support/engines.ts'
import { counts, type LessonPeople, lessonEnvelopes, lessonPeople } from './lesson.ts'

const START = new Date('2026-03-09T01:00:00Z')

/** A step inside the transaction that the test opens and holds. */
function gate() {
  const entered: string[][] = []
  const waiters: (() => void)[] = []
  let hold: Promise<void> | null = null
  let release = () => {}
  const step: PipelineStep = {
    name: 'gate',
    phase: 'transaction',
    async run(state) {
      entered.push([...new Set(state.envelopes.map((e) => e.terminalPhone))])
      for (const w of waiters.splice(0)) w()
      if (hold) await hold
    },
  }
  return {
    step,
    entered,
    /** The next transactions wait in the step until `open()`. */
    close() {
      hold = new Promise((resolve) => {
        release = resolve
      })
    },
    open() {
      hold = null
      release()
    },
    /** Resolves once `n` transactions have reached the step. */
    async reached(n: number) {
      while (entered.length < n) await new Promise<void>((resolve) => waiters.push(resolve))
    },
  }
}

/** Resolves once `n` callers have arrived, so that concurrent transactions meet inside. */
function barrier(n: number): PipelineStep {
  let arrived = 0
  let open = () => {}
  const all = new Promise<void>((resolve) => {
    open = resolve
  })
  return {
    name: 'barrier',
    phase: 'transaction',
    async run() {
      if (++arrived >= n) open()
      await all
    },
  }
}

const settled = (p: Promise<unknown>) => {
  const state = { done: false }
  p.then(
    () => {
      state.done = true
    },
    () => {
      state.done = true
    },
  )
  return state
}

for (const engine of await testEngines()) {
  describe(`concurrent group commits [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let people: LessonPeople
    let other: LessonPeople
    let store: PhotoStore
    let dir: string

    before(async () => {
      db = await engine.open()
      await buildFixture(db)
      people = await lessonPeople(db)
      const [t] = await db.query<{ id: number; phone: string; deviceNo: string }>(
        'SELECT id, phone, device_no AS "deviceNo" FROM terminal WHERE id <> $1 ORDER BY id LIMIT 1',
        [people.terminalId],
      )
      assert.ok(t)
      other = { ...people, terminalId: t.id, phone: t.phone, deviceNo: t.deviceNo }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-photos-'))
      store = createPhotoStore(dir)
    })
    after(async () => {
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test("a terminal's frames wait for its running commit; another terminal's commit beside it (PostgreSQL)", async () => {
      const g = gate()
      const writer = createIngestWriter({
        database: db,
        photoStore: store,
        windowMs: 1,
        concurrency: 2,
        steps: [normalizeStep, dedupeStep, g.step, persistStep, publishStep],
      })
      const lesson = lessonEnvelopes(people, { start: START, minutes: 5, classId: 8101 })
      const half = Math.floor(lesson.length / 2)
      const otherLesson = lessonEnvelopes(other, { start: START, minutes: 5, classId: 8102 })

      g.close()
      const first = writer.accept(lesson.slice(0, half)) // opens the session
      await g.reached(1)
      const firstState = settled(first)
      const second = writer.accept(lesson.slice(half)) // positions of that session
      const secondState = settled(second)
      const beside = writer.accept(otherLesson)
      if (db.kind === 'postgres') {
        // The other terminal commits while the first transaction is still open; the same terminal waits.
        await g.reached(2)
        assert.deepEqual(g.entered[1], [other.phone])
        g.open()
        await beside
      } else {
        g.open()
      }
      await Promise.all([first, second, beside])
      assert.ok(firstState.done && secondState.done)
      await writer.close()
      // The first terminal's second half never shared a transaction with, nor overtook, its first half.
      const groups = g.entered.map((phones) => phones.join(','))
      assert.equal(groups.filter((p) => p.includes(people.phone)).length, 2)
      assert.deepEqual(g.entered[0], [people.phone])

      assert.deepEqual(await counts(db), { raw: 44, sessions: 2, minutes: 10, positions: 30, photos: 0 })
      const detached = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM position WHERE session_id IS NULL')
      assert.equal(detached[0]?.n, 0, 'every position found the session its terminal opened before')
    })

    test('two writers storing the same session at once keep one session row and write every row once', async () => {
      const before = await counts(db)
      const lesson = lessonEnvelopes(people, { start: new Date(START.getTime() + 3600_000), minutes: 5, classId: 8103 })
      // Two ingest processes given the same frames (a redelivery), in opposite orders; on PostgreSQL
      // both transactions are open together before either writes.
      const meet = db.kind === 'postgres' ? [barrier(2)] : []
      const steps = [normalizeStep, dedupeStep, ...meet, persistStep, publishStep]
      const a = createIngestWriter({ database: db, photoStore: store, windowMs: 1, concurrency: 2, steps })
      const b = createIngestWriter({ database: db, photoStore: store, windowMs: 1, concurrency: 2, steps })
      const reversed: FrameEnvelope[] = [...lesson].reverse()
      await Promise.all([a.accept(lesson), b.accept(reversed)])
      await Promise.all([a.close(), b.close()])
      const after = await counts(db)
      assert.deepEqual(
        {
          raw: after.raw - before.raw,
          sessions: after.sessions - before.sessions,
          minutes: after.minutes - before.minutes,
          positions: after.positions - before.positions,
        },
        { raw: 22, sessions: 1, minutes: 5, positions: 15 },
      )
      const [session] = await db.query<{ id: number; student_id: number | null; ended_at: Date | null }>(
        'SELECT id, student_id, ended_at FROM training_session WHERE class_id = 8103',
      )
      assert.ok(session?.student_id && session.ended_at)
      const minutes = await db.query<{ session_id: number }>(
        'SELECT session_id FROM minute_record WHERE minute_at >= $1',
        [new Date(START.getTime() + 3600_000)],
      )
      assert.ok(minutes.every((m) => m.session_id === session.id))
    })
  })
}
