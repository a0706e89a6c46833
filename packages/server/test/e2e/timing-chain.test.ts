/**
 * The whole timing chain end to end: simulated terminals from the demo registry connect over real
 * TCP to the terminal gateway, their frames go through the ingest bus (in process, or NATS
 * JetStream) into the database, and the API shows the sessions, minute records, track, photos and
 * raw frames — each limited to the caller's jurisdiction.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { decodeFrameContent } from '@jiapei/jt808'
import '@jiapei/jt808-training'
import { runFleet } from '@jiapei/simulator'
import { eq, notInArray } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { connect } from 'nats'
import { hashPassword } from '../../src/auth/passwords.ts'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { appUser, region } from '../../src/db/schema/index.ts'
import { type GatewayServer, startGatewayServer } from '../../src/gateway/index.ts'
import { buildApp } from '../../src/http/app.ts'
import { type IngestBus, openIngestBus } from '../../src/ingestion/bus.ts'
import { DEMO_PASSWORD } from '../../src/seed/accounts.ts'
import { seedDemo } from '../../src/seed/seed.ts'
import { openTestPglite, type TestEngine, testEngines } from '../support/engines.ts'
import { NATS_URL, natsSkip } from '../support/nats.ts'

const TERMINALS = 2
const LESSON_MINUTES = 3

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

interface ChainCase {
  label: string
  skip: string | false
  open: TestEngine['open']
  bus: 'inproc' | 'nats'
}

const cases: ChainCase[] = [
  ...(await testEngines()).map((e) => ({ label: e.name, skip: e.skip, open: e.open, bus: 'inproc' as const })),
  { label: 'pglite, NATS JetStream bus', skip: await natsSkip(), open: openTestPglite, bus: 'nats' },
]

interface SessionItem {
  id: number
  terminalId: number | null
  deviceNo: string | null
  countyCode: string
  studentId: number | null
  studentName: string | null
  coachId: number | null
  coachName: string | null
  plate: string | null
  startedAt: string
  endedAt: string | null
  minuteCount: number
}

for (const c of cases) {
  describe(`timing chain: simulator → TCP gateway → ingestion → API [${c.label}]`, { skip: c.skip }, () => {
    let database: Database
    let dir: string
    let bus: IngestBus
    let gateway: GatewayServer
    let app: FastifyInstance
    const suffix = crypto.randomBytes(4).toString('hex')
    const stream = `JIAPEI_TEST_CHAIN_${suffix}`
    const subjectPrefix = `jiapeichain${suffix}`
    const cookies = new Map<string, string>()

    const login = async (username: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      })
      assert.equal(res.statusCode, 200, res.body)
      const cookie = res.cookies.find((k) => k.name === 'jiapei_session')
      assert.ok(cookie, 'a session cookie')
      cookies.set(username, `jiapei_session=${cookie.value}`)
    }
    const get = (username: string, url: string) => app.inject({ url, headers: { cookie: cookies.get(username) ?? '' } })
    const listAs = async (username: string): Promise<SessionItem[]> => {
      const res = await get(username, '/api/training/sessions?pageSize=100')
      assert.equal(res.statusCode, 200, res.body)
      return res.json().items as SessionItem[]
    }

    before(async () => {
      database = await c.open()
      await seedDemo(database, { scale: 'tiny', seed: 11 })
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-chain-'))
      const config = loadConfig({
        JIAPEI_GATEWAY_PORT: '0',
        JIAPEI_LOG_LEVEL: 'silent',
        JIAPEI_DATA_DIR: dir,
        JIAPEI_BUS: c.bus,
        JIAPEI_ROLES: 'api,gateway,ingest',
        NATS_URL,
      })
      bus = await openIngestBus({
        config,
        database,
        ...(c.bus === 'nats' ? { stream, subjectPrefix } : {}),
        onError: (error) => console.error('ingest error', error),
      })
      gateway = await startGatewayServer({ config, database, sink: bus.sink, host: '127.0.0.1' })
      app = await buildApp({ config, database, gateway: gateway.gateway, webDist: '/nonexistent-web-dist' })
      await app.ready()
    })

    after(async () => {
      await gateway?.close()
      await app?.close()
      await bus?.close()
      if (c.bus === 'nats') {
        const nc = await connect({ servers: NATS_URL })
        const jsm = await nc.jetstreamManager()
        await jsm.streams.delete(stream).catch(() => false)
        await nc.close()
      }
      await database?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('a compressed lesson on two terminals reaches the API with its records, track, photos and raw frames', async () => {
      const summary = await runFleet({
        host: '127.0.0.1',
        port: gateway.port,
        terminals: TERMINALS,
        speedup: 3000,
        seed: 11,
        database,
        lessonMinutes: LESSON_MINUTES,
        replyTimeoutMs: 15_000,
      })
      assert.deepEqual(summary.failures, [])
      assert.equal(summary.stats.lessonsCompleted, TERMINALS)
      assert.equal(summary.stats.errors, 0)
      assert.equal(summary.stats.timeouts, 0)
      assert.equal(summary.online, 0)
      const expectedPhotos = summary.stats.photos

      // Wait until ingestion has committed everything the terminals sent.
      await bus.writer?.flush()
      await login('sheng')
      await until('the sessions, their minute records and photos', async () => {
        const items = await listAs('sheng')
        if (items.length !== TERMINALS) return false
        if (!items.every((s) => s.endedAt !== null && s.minuteCount >= LESSON_MINUTES)) return false
        // Student login and logout photos belong to the session; the coach's belong to the coach.
        const [stored] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM photo')
        if (stored?.n !== expectedPhotos) return false
        for (const s of items) {
          if ((await get('sheng', `/api/training/sessions/${s.id}`)).json().photos.length < 2) return false
        }
        return true
      })

      const items = await listAs('sheng')
      assert.equal(items.length, TERMINALS)
      assert.equal(new Set(items.map((s) => s.deviceNo)).size, TERMINALS)
      for (const s of items) {
        assert.ok(s.terminalId && s.deviceNo, 'the session has its terminal')
        assert.ok(s.studentId && s.studentName, 'the session has its student')
        assert.ok(s.coachId && s.coachName, 'the session has its coach')
        assert.ok(s.plate, 'the session has its vehicle plate')
        assert.equal(s.minuteCount, LESSON_MINUTES)
      }

      for (const s of items) {
        const detail = await get('sheng', `/api/training/sessions/${s.id}`)
        assert.equal(detail.statusCode, 200, detail.body)
        const { minutes, positions, photos } = detail.json() as {
          minutes: { recordNo: string; sessionId: number }[]
          positions: { lng: number; lat: number }[]
          photos: { id: number; sha256: string; sizeBytes: number }[]
        }
        // Minute records: one a minute, numbered by the terminal and consecutive minutes of the day.
        assert.ok(minutes.length >= LESSON_MINUTES)
        const minuteOfDay = minutes.map((m) => {
          assert.ok(m.recordNo.startsWith(s.deviceNo as string), m.recordNo)
          assert.equal(m.sessionId, s.id)
          return Number(m.recordNo.slice(-4))
        })
        for (let i = 1; i < minuteOfDay.length; i++) {
          assert.equal(((minuteOfDay[i] as number) - (minuteOfDay[i - 1] as number) + 1440) % 1440, 1)
        }
        // Track.
        assert.ok(positions.length > 0, 'the session has a track')
        for (const p of positions) assert.ok(p.lng > 118 && p.lng < 123 && p.lat > 27 && p.lat < 31.5)
        // Photos: JPEG bytes whose hash is the stored one.
        assert.ok(photos.length >= 2)
        for (const p of photos) {
          const content = await get('sheng', `/api/photos/${p.id}/content`)
          assert.equal(content.statusCode, 200, content.body)
          assert.equal(content.headers['content-type'], 'image/jpeg')
          const bytes = content.rawPayload
          assert.equal(bytes[0], 0xff)
          assert.equal(bytes[1], 0xd8)
          assert.equal(bytes.length, p.sizeBytes)
          assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), p.sha256)
        }
        // Raw frames: the stored (unescaped) frames decode again.
        const raw = await get('sheng', `/api/training/sessions/${s.id}/frames`)
        assert.equal(raw.statusCode, 200, raw.body)
        const frames = raw.json().frames as { msgId: number; hex: string; decodeError: string | null }[]
        assert.ok(frames.length > 0)
        const ids = new Set<number>()
        for (const f of frames) {
          assert.equal(f.decodeError, null)
          const decoded = decodeFrameContent(new Uint8Array(Buffer.from(f.hex, 'hex')))
          assert.ok(decoded.ok, `frame ${f.hex} decodes: ${decoded.ok ? '' : decoded.message}`)
          assert.equal(decoded.frame.header.msgId, f.msgId)
          ids.add(f.msgId)
        }
        assert.ok(ids.has(0x0200), 'position reports among the frames')
        assert.ok(ids.has(0x0900), 'training pass-through among the frames')
      }

      // A county outside the sessions' counties sees none of them.
      const counties = new Set(items.map((s) => s.countyCode))
      let outsider = ['xihu', 'yuhang'].find((u) => !counties.has(u === 'xihu' ? '330106' : '330110'))
      if (!outsider) {
        const [other] = await database.db
          .select({ code: region.code })
          .from(region)
          .where(notInArray(region.code, [...counties]))
          .limit(1)
        assert.ok(other)
        outsider = 'quxian-e2e'
        await database.db.insert(appUser).values({
          username: outsider,
          displayName: 'county outside',
          passwordHash: await hashPassword(DEMO_PASSWORD),
          role: 'county',
          regionCode: other.code,
        })
      }
      await login(outsider)
      assert.deepEqual(await listAs(outsider), [])
      for (const s of items) {
        assert.equal((await get(outsider, `/api/training/sessions/${s.id}`)).statusCode, 404)
        assert.equal((await get(outsider, `/api/training/sessions/${s.id}/frames`)).statusCode, 404)
      }
      const [any] = items
      const detail = (await get('sheng', `/api/training/sessions/${any?.id}`)).json()
      const photoId = detail.photos[0]?.id as number
      assert.equal((await get(outsider, `/api/photos/${photoId}/content`)).statusCode, 404)
      // …while the account of an institution sees its own sessions only.
      const [jigou] = await database.db
        .select({ institutionId: appUser.institutionId })
        .from(appUser)
        .where(eq(appUser.username, 'jigou'))
      await login('jigou')
      const own = await listAs('jigou')
      assert.ok(own.every((s) => items.some((i) => i.id === s.id)))
      const mine = (await database.query<{ id: number }>(
        'SELECT id::int FROM training_session WHERE institution_id = $1',
        [jigou?.institutionId],
      )) as { id: number }[]
      assert.deepEqual(own.map((s) => s.id).sort(), mine.map((r) => r.id).sort())
    })
  })
}
