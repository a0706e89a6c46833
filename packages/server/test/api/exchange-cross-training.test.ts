/**
 * End to end: a student drives a practical lesson recorded by the terminal gateway while a
 * third-party timing platform reports a classroom classrecord for the same student at overlapping
 * times through the signed exchange API. After the batch detection there is a cross-training
 * finding naming both sessions; a classroom record that overlaps nothing raises none.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { runDetectionBatch } from '../../src/detection/engine/batch.ts'
import { dueSessionIds } from '../../src/detection/engine/due.ts'
import { type ExchangeClient, exchangeClient, openExchangeCredential } from '../../src/exchange/client.ts'
import type { ExchangeReply } from '../../src/exchange/gate.ts'
import { buildApp } from '../../src/http/app.ts'
import { photoStoreOf } from '../../src/ingestion/bus.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { type LessonPeople, lessonEnvelopes, lessonPeople } from '../ingestion/lesson.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, sessions } from './fixture.ts'

/** `YYYYMMDDHHmmss` Beijing time of a UTC instant. */
function bj(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

for (const engine of await testEngines()) {
  describe(`cross-training across the gateway and the exchange API [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let dir: string
    let fixture: Fixture
    let people: LessonPeople
    let client: ExchangeClient
    let inscode: string
    /** The practical lesson: yesterday-ish, on a whole minute, 30 minutes. */
    const start = new Date(Math.floor((Date.now() - 26 * 3600_000) / 60_000) * 60_000)

    const post = async (body: unknown): Promise<ExchangeReply> => {
      const req = client.post('classrecord', body)
      const res = await app.inject({ method: 'POST', url: req.url, headers: req.headers, payload: req.payload })
      return res.json() as ExchangeReply
    }

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-cross-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
      await app.ready()
      people = await lessonPeople(db)
      const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(config) })
      await writer.accept(lessonEnvelopes(people, { start, minutes: 30, classId: 9101 }))
      const [inst] = await db.query<{ insCode: string; platformId: number }>(
        `SELECT i.ins_code AS "insCode", i.timing_platform_id AS "platformId"
           FROM student s JOIN institution i ON i.id = s.institution_id WHERE s.stu_no = $1`,
        [people.studentNo],
      )
      assert.ok(inst)
      inscode = inst.insCode
      const as = await sessions(app, ['sheng'])
      const res = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${inst.platformId}/exchange-credentials`,
        headers: as('sheng'),
      })
      assert.equal(res.statusCode, 201, res.body)
      const issued = res.json() as { pkcs12Base64: string; password: string }
      client = exchangeClient(openExchangeCredential(issued.pkcs12Base64, issued.password))
      assert.ok(fixture.ids.platforms.p1)
    })
    after(async () => {
      await app?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('a classroom record overlapping the practical lesson yields one cross-training finding', async () => {
      const reply = await post({
        inscode,
        stunum: people.studentNo,
        coachnum: people.coachNo,
        recnum: '880001',
        subjcode: '2211010000',
        starttime: bj(new Date(start.getTime() + 5 * 60_000)),
        endtime: bj(new Date(start.getTime() + 25 * 60_000)),
        duration: 20,
      })
      assert.equal(reply.errorcode, 0, reply.message)
      const classroomId = (reply.data as { id: number }).id
      const [practical] = await db.query<{ id: number }>(
        'SELECT id FROM training_session WHERE terminal_id = $1 AND class_id = 9101',
        [people.terminalId],
      )
      assert.ok(practical)
      // Both lessons wait for the streaming detection, whichever way they arrived.
      assert.deepEqual(
        (await dueSessionIds(db, { limit: 10 })).sort((a, b) => a - b),
        [practical.id, classroomId].sort((a, b) => a - b),
      )

      const summary = await runDetectionBatch(db, {
        from: new Date(start.getTime() - 3600_000),
        to: new Date(start.getTime() + 3 * 3600_000),
      })
      assert.equal(summary.byRule['cross-training'], 1, JSON.stringify(summary.byRule))
      const findings = await db.query<{ session_id: number; student_id: number; evidence: { sessions: number[] } }>(
        `SELECT session_id, student_id, evidence FROM finding WHERE rule_id = 'cross-training'`,
      )
      assert.equal(findings.length, 1)
      assert.equal(findings[0]?.session_id, classroomId)
      assert.deepEqual([...(findings[0]?.evidence.sessions ?? [])].sort(), [classroomId, practical.id].sort())
    })

    test('a classroom record of the same student that overlaps nothing raises no further finding', async () => {
      const other = new Date(start.getTime() - 6 * 3600_000)
      const reply = await post({
        inscode,
        stunum: people.studentNo,
        coachnum: people.coachNo,
        recnum: '880002',
        subjcode: '2211010000',
        starttime: bj(other),
        endtime: bj(new Date(other.getTime() + 45 * 60_000)),
        duration: 45,
      })
      assert.equal(reply.errorcode, 0, reply.message)
      await runDetectionBatch(db, {
        from: new Date(other.getTime() - 3600_000),
        to: new Date(start.getTime() + 3 * 3600_000),
      })
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM finding WHERE rule_id = 'cross-training'`,
      )
      assert.equal(row?.n, 1)
    })
  })
}
