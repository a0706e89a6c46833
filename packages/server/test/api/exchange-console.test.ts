/**
 * The console's 计时平台接入 helpers: the meaning of every exchange errorcode and the validity of
 * each 接入证书, with the same access rule as the credential routes (the province any platform, an
 * operator its own, nobody else).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { EXCHANGE_CODES } from '../../src/exchange/codes.ts'
import { buildApp } from '../../src/http/app.ts'
import { errorcodeTable, validityOf } from '../../src/http/routes/exchange-console.routes.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, sessions } from './fixture.ts'

test('every errorcode has a meaning in Chinese without template slots; catalogue codes are listed under their number', () => {
  const table = errorcodeTable()
  const numbers = new Set(table.map((e) => e.errorcode))
  for (const [code, n] of Object.entries(EXCHANGE_CODES)) {
    assert.ok(numbers.has(n as number), `${code} → ${n}`)
    assert.ok(table.find((e) => e.errorcode === n)?.codes.includes(code), `${code} listed under ${n}`)
  }
  for (const e of table) {
    assert.ok(e.meaning.length > 1, `${e.errorcode} has a meaning`)
    assert.doesNotMatch(e.meaning, /[{}]/, `${e.errorcode}: ${e.meaning}`)
  }
  assert.equal(table.find((e) => e.errorcode === 0)?.meaning, '成功')
  assert.match(table.find((e) => e.errorcode === 1102)?.meaning ?? '', /吊销/)
  assert.deepEqual(
    table.map((e) => e.errorcode),
    [...numbers].sort((a, b) => a - b),
  )
})

test('validity of a certificate that does not parse, or of none, is unknown', () => {
  assert.deepEqual(validityOf(null), { notBefore: null, notAfter: null })
  assert.deepEqual(validityOf('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), {
    notBefore: null,
    notAfter: null,
  })
})

for (const engine of await testEngines()) {
  describe(`计时平台接入 console routes [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let fixture: Fixture
    let as: (name: string) => { cookie: string }

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      app = await buildApp({
        config: loadConfig({ JIAPEI_LOG_LEVEL: 'silent' }),
        database: db,
        webDist: '/nonexistent-web-dist',
      })
      await app.ready()
      as = await sessions(app, ['sheng', 'yunying', 'hangzhou', 'jiaolian'])
    })
    after(async () => {
      await app?.close()
      await db?.close()
    })

    test('the errorcode table for any signed-in account; none without a login', async () => {
      const res = await app.inject({ url: '/api/exchange/errorcodes', headers: as('jiaolian') })
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual((res.json() as { items: unknown[] }).items, JSON.parse(JSON.stringify(errorcodeTable())))
      assert.equal((await app.inject({ url: '/api/exchange/errorcodes' })).statusCode, 401)
    })

    test('validity of issued credentials: five years from issue; the operator of the platform reads it, others are refused', async () => {
      const { p1, p2 } = fixture.ids.platforms
      const issued = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${p1}/exchange-credentials`,
        headers: as('sheng'),
      })
      assert.equal(issued.statusCode, 201, issued.body)
      const { id, issuedAt } = issued.json() as { id: number; issuedAt: string }

      const res = await app.inject({
        url: `/api/timing-platforms/${p1}/exchange-credential-validity`,
        headers: as('yunying'),
      })
      assert.equal(res.statusCode, 200, res.body)
      const items = (res.json() as { items: { id: number; notBefore: string; notAfter: string }[] }).items
      const v = items.find((x) => x.id === id)
      assert.ok(v, 'the new credential is listed')
      const years = (new Date(v.notAfter).getTime() - new Date(issuedAt).getTime()) / (365 * 86_400_000)
      assert.ok(Math.abs(years - 5) < 0.01, `valid for ${years} years`)
      assert.ok(new Date(v.notBefore).getTime() <= new Date(issuedAt).getTime())

      for (const [who, platform] of [
        ['yunying', p2],
        ['hangzhou', p1],
        ['jiaolian', p1],
      ] as const) {
        const refused = await app.inject({
          url: `/api/timing-platforms/${platform}/exchange-credential-validity`,
          headers: as(who),
        })
        assert.equal(refused.statusCode, 403, `${who} on platform ${platform}: ${refused.body}`)
      }
    })
  })
}
