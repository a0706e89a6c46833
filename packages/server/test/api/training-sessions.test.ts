/**
 * The 培训记录 list's filters (date range, institution, person, course part, status, 补传) and the
 * raw-frame window of replay, which must include 补传 frames that arrived long after the session.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { decodeFrameContent, hex } from '@jiapei/jt808'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { buildApp } from '../../src/http/app.ts'
import { photoStoreOf } from '../../src/ingestion/bus.ts'
import { utcToBeijing } from '../../src/ingestion/normalize/time.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { envelopeOf, type LessonPeople, lessonEnvelopes, lessonPeople } from '../ingestion/lesson.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, sessions } from './fixture.ts'

/** When the 补传 of lesson B reached the platform: hours after it ended. */
const LATE = new Date('2026-05-07T05:00:00Z')

/** A fix of another day that happened to arrive in the same instant as lesson B's 补传. */
function strayFix(p: LessonPeople) {
  const at = new Date('2026-05-01T03:00:00Z')
  return envelopeOf(
    { msgId: 0x0200, version: 'jiapei', phone: p.phone, serial: 900 },
    {
      alarm: 0,
      status: 0x3,
      lat: 30_300_000,
      lng: 120_200_000,
      recorderSpeed: 0,
      gnssSpeed: 0,
      heading: 0,
      timeLocal: utcToBeijing(at),
      items: [],
    },
    LATE,
    p.terminalId,
  )
}

for (const engine of await testEngines()) {
  describe(`training session filters and replay window [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let dir: string
    let fixture: Fixture
    let people: LessonPeople
    let studentName: string
    let as: (name: string) => { cookie: string }

    const list = async (query: string, who = 'hangzhou') => {
      const res = await app.inject({ url: `/api/training/sessions?${query}`, headers: as(who) })
      assert.equal(res.statusCode, 200, `${query}: ${res.body}`)
      const body = res.json() as { total: number; items: { classId: number }[] }
      return { total: body.total, classes: body.items.map((i) => i.classId).sort() }
    }

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-filters-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      people = await lessonPeople(db)
      const [s] = await db.query<{ name: string }>('SELECT name FROM student WHERE stu_no = $1', [people.studentNo])
      studentName = s?.name ?? ''
      const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(config) })
      // A: realtime, ended. B: ended, every frame 补传 hours later. C: still open (no logout yet).
      await writer.accept(
        lessonEnvelopes(people, { start: new Date('2026-05-06T00:30:00Z'), minutes: 5, classId: 9001 }),
      )
      await writer.accept([
        ...lessonEnvelopes(people, {
          start: new Date('2026-05-07T01:00:00Z'),
          minutes: 5,
          classId: 9002,
          backfill: true,
          receivedAt: LATE,
        }),
        strayFix(people),
      ])
      await writer.accept(
        lessonEnvelopes(people, { start: new Date('2026-05-08T02:00:00Z'), minutes: 3, classId: 9003 }).slice(0, -1),
      )
      await writer.close()
      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
      await app.ready()
      as = await sessions(app, ['hangzhou', 'ningbo', 'jigou'])
    })
    after(async () => {
      await app?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('date range, status and 补传 narrow the list', async () => {
      assert.deepEqual(await list(''), { total: 3, classes: [9001, 9002, 9003] })
      assert.deepEqual((await list('from=2026-05-07T00:00:00Z')).classes, [9002, 9003])
      assert.deepEqual((await list('to=2026-05-07T00:00:00Z')).classes, [9001])
      assert.deepEqual((await list('from=2026-05-07T00:00:00Z&to=2026-05-08T00:00:00Z')).classes, [9002])
      assert.deepEqual((await list('status=open')).classes, [9003])
      assert.deepEqual((await list('status=ended')).classes, [9001, 9002])
      assert.deepEqual((await list('backfill=true')).classes, [9002])
      const rows = (await app.inject({ url: '/api/training/sessions', headers: as('hangzhou') })).json().items as {
        classId: number
        backfillMinuteCount: number
      }[]
      assert.deepEqual(rows.map((r) => [r.classId, r.backfillMinuteCount]).sort(), [
        [9001, 0],
        [9002, 5],
        [9003, 0],
      ])
      assert.deepEqual((await list('backfill=false')).classes, [9001, 9003])
      assert.deepEqual((await list('status=ended&backfill=false')).classes, [9001])
    })

    test('person, course part and institution; the jurisdiction still applies', async () => {
      assert.equal((await list(`person=${encodeURIComponent(studentName)}`)).total, 3)
      assert.equal((await list(`person=${encodeURIComponent(people.coachNo.slice(-6))}`)).total, 3)
      assert.equal((await list('person=%E6%97%A0%E6%AD%A4%E4%BA%BA')).total, 0)
      // The lesson's course code 1212110000 is 第二部分.
      assert.equal((await list('part=2')).total, 3)
      assert.equal((await list('part=3')).total, 0)
      assert.equal((await list(`institutionId=${fixture.ids.institutions.xihu}`, 'jigou')).total, 3)
      assert.equal((await list(`institutionId=${fixture.ids.institutions.haishu}`)).total, 0)
      assert.equal((await list(`person=${encodeURIComponent(studentName)}`, 'ningbo')).total, 0)
    })

    test('bad filter values get coded errors', async () => {
      for (const query of ['part=5', 'status=running', 'backfill=maybe', 'from=yesterday']) {
        const res = await app.inject({ url: `/api/training/sessions?${query}`, headers: as('hangzhou') })
        assert.equal(res.statusCode, 400, query)
        assert.equal(res.json().code, 'ERR_HTTP_VALIDATION', query)
      }
      const reversed = await app.inject({
        url: '/api/training/sessions?from=2026-05-08T00:00:00Z&to=2026-05-07T00:00:00Z',
        headers: as('hangzhou'),
      })
      assert.equal(reversed.statusCode, 400)
      assert.equal(reversed.json().code, 'ERR_INGEST_RANGE_INVALID')
    })

    test('replay of a session includes its 补传 frames that arrived after it ended, and nothing else of that arrival', async () => {
      const frames = async (classId: number) => {
        const { items } = (
          await app.inject({ url: '/api/training/sessions?pageSize=10', headers: as('hangzhou') })
        ).json() as { items: { id: number; classId: number }[] }
        const id = items.find((i) => i.classId === classId)?.id
        const res = await app.inject({ url: `/api/training/sessions/${id}/frames`, headers: as('hangzhou') })
        assert.equal(res.statusCode, 200, res.body)
        return (res.json() as { frames: { hex: string; receivedAt: string; serialNo: number }[] }).frames
      }
      const late = await frames(9002)
      // login + 5 × (3 fixes + 1 minute record) + logout, all arrived at LATE; not the stray fix.
      assert.equal(late.length, 22)
      assert.ok(late.every((f) => new Date(f.receivedAt).getTime() === LATE.getTime()))
      assert.ok(!late.some((f) => f.serialNo === 900))
      for (const f of late) assert.ok(decodeFrameContent(hex(f.hex)).ok)
      // The realtime lesson keeps exactly its own frames.
      const own = await frames(9001)
      assert.equal(own.length, 22)
      assert.ok(own.every((f) => new Date(f.receivedAt) < new Date('2026-05-06T01:00:00Z')))
    })
  })
}
