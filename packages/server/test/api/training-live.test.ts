/**
 * 实时监控 (GET /api/training/live): the online terminals the gateway reports, limited to the
 * caller's jurisdiction, with plate, institution, last fix and the running session; the header
 * counts; filters and paging; a coded error where no gateway runs.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import type { Gateway, OnlineSession } from '../../src/gateway/gateway.ts'
import { buildApp } from '../../src/http/app.ts'
import { photoStoreOf } from '../../src/ingestion/bus.ts'
import { beijingDay } from '../../src/ingestion/read.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { type LessonPeople, lessonEnvelopes, lessonPeople } from '../ingestion/lesson.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, sessions } from './fixture.ts'

interface LiveBody {
  counts: { online: number; training: number; sessionsToday: number; minutesToday: number }
  points: { terminalId: number; state: string; lng: number; lat: number }[]
  items: {
    terminalId: number
    plate: string | null
    institutionName: string | null
    state: 'training' | 'idle'
    connectedAt: string
    lastSeenAt: string
    position: { lng: number; lat: number; speedKmh: number | null; fixedAt: string } | null
    session: {
      id: number
      studentName: string | null
      coachName: string | null
      courseCode: string | null
      part: number | null
      minuteCount: number
      startedAt: string
    } | null
  }[]
  total: number
  page: number
  updatedAt: string
}

for (const engine of await testEngines()) {
  describe(`training live view [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let bare: FastifyInstance
    let dir: string
    let fixture: Fixture
    let people: LessonPeople
    let xihuPlate: string
    let haishuPlate: string
    let as: (name: string) => { cookie: string }
    const connectedAt = new Date(Date.now() - 600_000)
    const oldFix = new Date(Math.floor(Date.now() / 1000) * 1000 - 21 * 86_400_000)
    const lastSeenAt = new Date(Date.now() - 5_000)
    // The lesson runs now (and inside today's Beijing day, whatever the hour the test runs at).
    const now = Date.now()
    // Whole minutes: terminals report times to the second.
    const start = new Date(
      Math.max(beijingDay(new Date(now)).from.getTime() + 60_000, Math.floor(now / 60_000) * 60_000 - 30 * 60_000),
    )

    const live = async (who: string, query = '') => {
      const res = await app.inject({ url: `/api/training/live?${query}`, headers: as(who) })
      assert.equal(res.statusCode, 200, `${who} ${query}: ${res.body}`)
      return res.json() as LiveBody
    }

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-live-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      people = await lessonPeople(db)
      const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(config) })
      // 西湖's terminal: a lesson of 5 minutes still running (no logout). 海曙's: online, idle, its last
      // fix three weeks old.
      await writer.accept(lessonEnvelopes(people, { start, minutes: 5, classId: 7001 }).slice(0, -1))
      await writer.close()
      await db.query(
        `INSERT INTO position (fixed_at, terminal_id, lng, lat, speed_kmh, is_backfill, arrived_at)
         VALUES ($1, $2, 121.55, 29.87, 0, false, $1)`,
        [oldFix, fixture.ids.terminals.haishu[0]],
      )
      const plates = await db.query<{ id: number; plate: string }>(
        'SELECT t.id, v.plate FROM terminal t JOIN vehicle v ON v.id = t.vehicle_id',
      )
      xihuPlate = plates.find((p) => p.id === fixture.ids.terminals.xihu[0])?.plate ?? ''
      haishuPlate = plates.find((p) => p.id === fixture.ids.terminals.haishu[0])?.plate ?? ''
      const online: OnlineSession[] = [fixture.ids.terminals.xihu[0], fixture.ids.terminals.haishu[0]].map(
        (terminalId, i) => ({
          terminalId: terminalId as number,
          deviceNo: '',
          phone: `1470000000${i + 1}`,
          institutionId: 0,
          remote: '127.0.0.1:1',
          connectedAt,
          authenticatedAt: connectedAt,
          lastSeenAt,
        }),
      )
      // The gateway's own list of online terminals is all this view takes from it.
      const gateway = { onlineSessions: () => online } as unknown as Gateway
      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist', gateway })
      await app.ready()
      bare = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
      await bare.ready()
      as = await sessions(app, ['sheng', 'hangzhou', 'ningbo', 'xihu', 'jigou', 'yunying', 'xueyuan'])
    })
    after(async () => {
      await app?.close()
      await bare?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('an online terminal comes with its plate, institution, last fix and running session', async () => {
      const body = await live('hangzhou')
      assert.deepEqual(body.counts, { online: 1, training: 1, sessionsToday: 1, minutesToday: 5 })
      assert.equal(body.total, 1)
      const [row] = body.items
      assert.ok(row)
      assert.equal(row.terminalId, fixture.ids.terminals.xihu[0])
      assert.equal(row.plate, xihuPlate)
      assert.ok(row.institutionName)
      assert.equal(row.state, 'training')
      assert.equal(row.connectedAt, connectedAt.toISOString())
      assert.equal(row.lastSeenAt, lastSeenAt.toISOString())
      // The last of 15 fixes, 20 s apart: step 14 of the lesson's track.
      assert.ok(row.position)
      assert.equal(new Date(row.position.fixedAt).getTime(), start.getTime() + 4 * 60_000 + 40_000)
      assert.ok(Math.abs(row.position.lng - (120.123456 + 14 * 0.0001)) < 1e-6)
      assert.ok(row.session)
      assert.equal(row.session.minuteCount, 5)
      assert.equal(row.session.courseCode, '1212110000')
      assert.equal(row.session.part, 2)
      assert.equal(new Date(row.session.startedAt).getTime(), start.getTime())
      assert.ok(row.session.studentName && row.session.coachName)
      assert.deepEqual(
        body.points.map((p) => [p.terminalId, p.state]),
        [[row.terminalId, 'training']],
      )
      assert.ok(!Number.isNaN(Date.parse(body.updatedAt)))
    })

    test('each account sees the online terminals of its own jurisdiction only', async () => {
      const seen = async (who: string) => (await live(who)).items.map((i) => i.terminalId)
      const { xihu, haishu } = fixture.ids.terminals
      assert.deepEqual((await seen('sheng')).sort(), [xihu[0], haishu[0]].sort())
      assert.deepEqual(await seen('hangzhou'), [xihu[0]])
      assert.deepEqual(await seen('xihu'), [xihu[0]])
      assert.deepEqual(await seen('jigou'), [xihu[0]])
      assert.deepEqual(await seen('yunying'), [xihu[0]])
      assert.deepEqual(await seen('ningbo'), [haishu[0]])
      assert.deepEqual(await seen('xueyuan'), [])
      const ningbo = await live('ningbo')
      assert.deepEqual(ningbo.counts, { online: 1, training: 0, sessionsToday: 0, minutesToday: 0 })
      assert.deepEqual(ningbo.items[0]?.position, {
        lng: 121.55,
        lat: 29.87,
        speedKmh: 0,
        fixedAt: oldFix.toISOString(),
      })
      assert.equal(ningbo.items[0]?.session, null)
    })

    test('filters by state, region, institution and plate; pages; counts ignore the filters', async () => {
      const { xihu, haishu } = fixture.ids.terminals
      const ids = async (query: string) => (await live('sheng', query)).items.map((i) => i.terminalId)
      assert.deepEqual(await ids('state=training'), [xihu[0]])
      assert.deepEqual(await ids('state=idle'), [haishu[0]])
      assert.deepEqual(await ids('regionCode=330200'), [haishu[0]])
      assert.deepEqual(await ids('regionCode=330106'), [xihu[0]])
      assert.deepEqual(await ids(`institutionId=${fixture.ids.institutions.haishu}`), [haishu[0]])
      assert.deepEqual(await ids(`q=${encodeURIComponent(haishuPlate.slice(-4))}`), [haishu[0]])
      assert.deepEqual(await ids('q=DEV0000000000001'), [xihu[0]])
      const paged = await live('sheng', 'pageSize=1&page=2')
      assert.equal(paged.total, 2)
      // Training terminals come first, so page 2 holds the idle one; the map still gets every located terminal.
      assert.deepEqual(
        paged.items.map((i) => i.terminalId),
        [haishu[0]],
      )
      assert.equal(paged.points.length, 2)
      // A point clicked on the map opens the page that holds its row.
      const focused = await live('sheng', `pageSize=1&page=2&focus=${xihu[0]}`)
      assert.equal(focused.page, 1)
      assert.deepEqual(
        focused.items.map((i) => i.terminalId),
        [xihu[0]],
      )
      assert.deepEqual((await live('sheng', 'state=idle')).counts, {
        online: 2,
        training: 1,
        sessionsToday: 1,
        minutesToday: 5,
      })
    })

    test('bad parameters and a process without gateway get coded errors', async () => {
      for (const query of ['state=busy', 'regionCode=33', 'pageSize=500']) {
        const res = await app.inject({ url: `/api/training/live?${query}`, headers: as('sheng') })
        assert.equal(res.statusCode, 400, query)
        assert.equal(res.json().code, 'ERR_HTTP_VALIDATION', query)
      }
      const cookie = as('sheng')
      const res = await bare.inject({ url: '/api/training/live', headers: cookie })
      assert.equal(res.statusCode, 503)
      assert.equal(res.json().code, 'ERR_GW_LIVE_UNAVAILABLE')
      const anonymous = await app.inject({ url: '/api/training/live' })
      assert.equal(anonymous.statusCode, 401)
    })
  })
}
