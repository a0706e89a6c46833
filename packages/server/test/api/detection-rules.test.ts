/**
 * GET /api/detection/rules: the catalogue of every registered rule with the parameter values of
 * the detection policy in force; a newly published policy version shows its overrides; signing in
 * is required.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/client.ts'
import { RULES } from '../../src/detection/rules/index.ts'
import { DETECTION_DEFAULT } from '../../src/policy/detection.ts'
import { publishPolicy } from '../../src/policy/store.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, sessions, testApp } from './fixture.ts'

const root = path.resolve(import.meta.dirname, '../../../..')

interface Entry {
  id: string
  scope: string
  enabled: boolean
  doc: string
  params: { name: string; default: unknown; value: unknown; uncertain: boolean }[]
}

for (const engine of await testEngines()) {
  describe(`detection rule catalogue [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let as: (name: string) => { cookie: string }

    const catalogue = async (who: string) => {
      const res = await app.inject({ url: '/api/detection/rules', headers: as(who) })
      assert.equal(res.statusCode, 200, res.body)
      return res.json() as { policy: { version: number }; rules: Entry[] }
    }

    before(async () => {
      db = await engine.open()
      await buildFixture(db)
      app = await testApp(db)
      as = await sessions(app, ['sheng', 'jigou'])
    })
    after(async () => {
      await app?.close()
      await db?.close()
    })

    test('lists every registered rule with defaults as values under the built-in policy', async () => {
      const body = await catalogue('jigou')
      assert.equal(body.policy.version, 1)
      assert.deepEqual(
        body.rules.map((r) => r.id),
        RULES.map((r) => r.id),
      )
      const cross = body.rules.find((r) => r.id === 'cross-training')
      assert.equal(cross?.scope, 'cross')
      assert.equal(cross?.enabled, true)
      assert.deepEqual(cross?.params, [
        {
          name: 'minOverlapMinutes',
          default: 1,
          value: 1,
          unit: '分钟',
          description: '理论与实操两段培训时间重叠不少于此分钟数才认定',
          uncertain: true,
        },
      ])
      for (const rule of body.rules) assert.ok(fs.existsSync(path.join(root, rule.doc)), rule.doc)
    })

    test('a published policy version shows its values and disabled rules', async () => {
      await publishPolicy(
        db,
        'detection',
        {
          ...DETECTION_DEFAULT,
          rules: {
            'photo-near-duplicate': { enabled: true, params: { maxDistance: 4 } },
            'exam-city-audit': { enabled: false, params: {} },
          },
        },
        { effectiveFrom: new Date(Date.now() - 1000), note: '收紧照片比对' },
      )
      const body = await catalogue('sheng')
      assert.equal(body.policy.version, 2)
      const near = body.rules.find((r) => r.id === 'photo-near-duplicate')
      assert.deepEqual(
        near?.params.map((p) => [p.name, p.default, p.value]),
        [
          ['maxDistance', 6, 4],
          ['minLumaStddev', 8, 8],
        ],
      )
      assert.equal(body.rules.find((r) => r.id === 'exam-city-audit')?.enabled, false)
    })

    test('signing in is required', async () => {
      const res = await app.inject({ url: '/api/detection/rules' })
      assert.equal(res.statusCode, 401)
      assert.equal(res.json().code, 'ERR_AUTH_REQUIRED')
    })
  })
}
