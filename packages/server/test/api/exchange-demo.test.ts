/**
 * The demo's simulated third-party platform: over real HTTP, signed with a credential it issues
 * itself, it reports classroom records that land as exchange sessions with their minutes, which
 * detection and hour accounting then credit like gateway data.
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
import { revokeExchangeCredential } from '../../src/exchange/credentials.ts'
import { DEMO_CREDENTIAL_FILE, runExchangeDemo } from '../../src/exchange/demo.ts'
import { buildApp } from '../../src/http/app.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture } from './fixture.ts'

/** Yesterday 11:00 Beijing time: inside the default training windows. */
const END = new Date(`${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}T03:00:00Z`)

for (const engine of await testEngines()) {
  describe(`exchange demo platform [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let dir: string
    let fixture: Fixture
    let origin: string

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-exchange-demo-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
      origin = await app.listen({ host: '127.0.0.1', port: 0 })
    })
    after(async () => {
      await app?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('reports one classroom record per student of the first platform, accepted, stored and credited', async () => {
      const result = await runExchangeDemo({ database: db, origin, records: 4, now: () => END })
      assert.deepEqual(result.refused, [])
      assert.equal(result.accepted, 4)
      const [credential] = await db.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM exchange_credential WHERE cert_sn = $1',
        [result.certSn],
      )
      assert.equal(credential?.revoked, true)
      const rows = await db.query<{ mode: number; part: number; platform: number; minutes: number }>(
        `SELECT s.mode, s.part, s.source_platform_id AS platform, count(m.*)::int AS minutes
           FROM training_session s JOIN minute_record m ON m.session_id = s.id
          WHERE s.terminal_id IS NULL GROUP BY s.id ORDER BY s.id`,
      )
      assert.deepEqual(
        rows,
        Array.from({ length: 4 }, () => ({ mode: 2, part: 1, platform: fixture.ids.platforms.p1, minutes: 45 })),
      )

      // The same detection and hour accounting as gateway data: every minute valid, 45 minutes credited.
      await runDetectionBatch(db, { from: new Date(END.getTime() - 3 * 3600_000), to: END })
      const credits = await db.query<{ part: number; mode: number; final: number }>(
        `SELECT c.part, c.mode, c.final_minutes AS final FROM session_credit c
           JOIN training_session s ON s.id = c.session_id
          WHERE s.terminal_id IS NULL AND c.superseded_at IS NULL ORDER BY c.session_id`,
      )
      assert.deepEqual(
        credits,
        Array.from({ length: 4 }, () => ({ part: 1, mode: 2, final: 45 })),
      )
    })

    test('with a data directory, restarts reuse one kept credential instead of leaving revoked ones behind', async () => {
      const credentials = () =>
        db.query<{ certSn: string; revoked: boolean }>(
          `SELECT cert_sn AS "certSn", revoked_at IS NOT NULL AS revoked FROM exchange_credential
            WHERE timing_platform_id = $1 ORDER BY id`,
          [fixture.ids.platforms.p1],
        )
      const before = await credentials()
      const keepDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-exchange-demo-keep-'))
      try {
        const first = await runExchangeDemo({ database: db, origin, records: 2, now: () => END, dataDir: keepDir })
        const second = await runExchangeDemo({ database: db, origin, records: 2, now: () => END, dataDir: keepDir })
        assert.deepEqual([first.accepted, second.accepted], [2, 2])
        assert.deepEqual([first.reused, second.reused], [false, true])
        assert.equal(second.certSn, first.certSn)
        const file = path.join(keepDir, DEMO_CREDENTIAL_FILE)
        assert.equal(fs.statSync(file).mode & 0o777, 0o600)
        assert.deepEqual((await credentials()).slice(before.length), [{ certSn: first.certSn, revoked: false }])

        // A kept credential revoked meanwhile is replaced by a new kept one.
        const [row] = await db.query<{ id: number }>('SELECT id FROM exchange_credential WHERE cert_sn = $1', [
          first.certSn,
        ])
        await revokeExchangeCredential(db, fixture.ids.platforms.p1, row!.id)
        const third = await runExchangeDemo({ database: db, origin, records: 2, now: () => END, dataDir: keepDir })
        assert.equal(third.accepted, 2)
        assert.equal(third.reused, false)
        assert.notEqual(third.certSn, first.certSn)
        const fourth = await runExchangeDemo({ database: db, origin, records: 2, now: () => END, dataDir: keepDir })
        assert.equal(fourth.certSn, third.certSn)
        assert.deepEqual((await credentials()).slice(before.length), [
          { certSn: first.certSn, revoked: true },
          { certSn: third.certSn, revoked: false },
        ])
      } finally {
        fs.rmSync(keepDir, { recursive: true, force: true })
      }
    })
  })
}
