import assert from 'node:assert/strict'
import crypto from 'node:crypto'
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
import { listSessions } from '../../src/ingestion/read.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { buildFixture, type Fixture, sessions } from '../api/fixture.ts'
import { testEngines } from '../support/engines.ts'
import { lessonEnvelopes, lessonPeople } from './lesson.ts'

for (const engine of await testEngines()) {
  describe(`training sessions API [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let dir: string
    let fixture: Fixture
    let as: (name: string) => { cookie: string }
    const photoBytes = crypto.randomBytes(4096)

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-read-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      const people = await lessonPeople(db)
      const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(config) })
      await writer.accept(
        lessonEnvelopes(people, { start: new Date('2026-05-06T00:30:00Z'), minutes: 5, classId: 9001 }),
      )
      await writer.acceptPhoto({
        terminalId: people.terminalId,
        terminalPhone: people.phone,
        photoNo: '0000000017',
        receivedAt: new Date('2026-05-06T00:30:05Z'),
        bytes: photoBytes,
        init: { personNo: people.studentNo, event: 17, classId: 9001, faceConfidence: 97 },
      })
      await writer.close()
      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
      await app.ready()
      as = await sessions(app, ['hangzhou', 'ningbo', 'xueyuan', 'jiaolian', 'yunying', 'jigou'])
    })
    after(async () => {
      await app?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('the session list follows jurisdiction', async () => {
      for (const [who, expected] of [
        ['hangzhou', 1],
        ['jigou', 1],
        ['xueyuan', 1],
        ['jiaolian', 1],
        ['yunying', 1],
        ['ningbo', 0],
      ] as const) {
        const res = await app.inject({ url: '/api/training/sessions', headers: as(who) })
        assert.equal(res.statusCode, 200, `${who}: ${res.body}`)
        assert.equal(res.json().total, expected, who)
      }
      const body = (await app.inject({ url: '/api/training/sessions?open=false', headers: as('hangzhou') })).json()
      assert.equal(body.items[0].classId, 9001)
      assert.equal(body.items[0].minuteCount, 5)
      assert.equal(body.items[0].institutionId, fixture.ids.institutions.xihu)
      const none = await listSessions(db, { kind: 'institution', institutionId: fixture.ids.institutions.haishu })
      assert.equal(none.total, 0)
    })

    test('a session comes with its minutes, track and photos; out of scope reads as absent', async () => {
      const list = (await app.inject({ url: '/api/training/sessions', headers: as('hangzhou') })).json()
      const id = list.items[0].id
      const res = await app.inject({ url: `/api/training/sessions/${id}`, headers: as('jigou') })
      assert.equal(res.statusCode, 200, res.body)
      const detail = res.json()
      assert.equal(detail.minutes.length, 5)
      assert.equal(detail.positions.length, 15)
      assert.equal(detail.photos.length, 1)
      assert.equal(detail.photos[0].faceConfidence, 97)
      const hidden = await app.inject({ url: `/api/training/sessions/${id}`, headers: as('ningbo') })
      assert.equal(hidden.statusCode, 404)
      assert.equal(hidden.json().code, 'ERR_INGEST_SESSION_NOT_FOUND')

      const photo = await app.inject({ url: `/api/photos/${detail.photos[0].id}/content`, headers: as('xueyuan') })
      assert.equal(photo.statusCode, 200)
      assert.equal(photo.headers['content-type'], 'image/jpeg')
      assert.deepEqual(photo.rawPayload, photoBytes)
      const denied = await app.inject({ url: `/api/photos/${detail.photos[0].id}/content`, headers: as('ningbo') })
      assert.equal(denied.statusCode, 404)
    })

    test('the raw frames of a session replay through the codec', async () => {
      const list = (await app.inject({ url: '/api/training/sessions', headers: as('hangzhou') })).json()
      const res = await app.inject({
        url: `/api/training/sessions/${list.items[0].id}/frames`,
        headers: as('hangzhou'),
      })
      assert.equal(res.statusCode, 200, res.body)
      const { frames } = res.json() as { frames: { hex: string; msgId: number }[] }
      assert.equal(frames.length, 22)
      for (const f of frames) {
        const decoded = decodeFrameContent(hex(f.hex))
        assert.ok(decoded.ok)
        assert.equal(decoded.frame.header.msgId, f.msgId)
      }
    })
  })
}
