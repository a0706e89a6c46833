import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { buildApp } from '../../src/http/app.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, COUNTS, HANGZHOU, NINGBO, STUDENT_LICENSES, sessions, testApp, XIHU } from './fixture.ts'

const engines = await testEngines()
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0)

for (const engine of engines) {
  describe(`dashboard, regions, audit log, OpenAPI and error envelope [${engine.name}]`, { skip: engine.skip }, () => {
    let database: Database
    let app: FastifyInstance
    let as: (name: string) => { cookie: string }

    before(async () => {
      database = await engine.open()
      await buildFixture(database)
      app = await testApp(database)
      as = await sessions(app, ['sheng', 'hangzhou', 'xihu', 'jigou', 'jiaolian', 'yunying'])
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    const summary = async (who: string) => {
      const res = await app.inject({ url: '/api/dashboard/summary', headers: as(who) })
      assert.equal(res.statusCode, 200, res.body)
      return res.json()
    }

    test('the province summary equals what is on file', async () => {
      const s = await summary('sheng')
      assert.deepEqual(s.totals, {
        institutions: 3,
        fields: sum(COUNTS.fields),
        coaches: sum(COUNTS.coaches),
        vehicles: sum(COUNTS.vehicles),
        terminals: sum(COUNTS.terminals),
        students: sum(COUNTS.students),
        platforms: 2,
      })
      assert.equal(s.byCity.length, 11, 'every city of the province is listed')
      const hz = s.byCity.find((c: { code: string }) => c.code === HANGZHOU)
      assert.deepEqual(hz, {
        code: HANGZHOU,
        name: '杭州市',
        institutions: 2,
        coaches: COUNTS.coaches.xihu + COUNTS.coaches.yuhang,
        vehicles: COUNTS.vehicles.xihu + COUNTS.vehicles.yuhang,
        students: COUNTS.students.xihu + COUNTS.students.yuhang,
      })
      assert.equal(s.byCity.find((c: { code: string }) => c.code === NINGBO).students, COUNTS.students.haishu)
      const licenses = Object.values(STUDENT_LICENSES).flat()
      const expected = [...new Set(licenses)].map((l) => ({
        licenseType: l,
        count: licenses.filter((x) => x === l).length,
      }))
      assert.deepEqual(
        [...s.studentsByLicenseType].sort((a, b) => a.licenseType.localeCompare(b.licenseType)),
        expected.sort((a, b) => a.licenseType.localeCompare(b.licenseType)),
      )
      assert.deepEqual(s.institutionsByClass, [
        { classLevel: 1, count: 2 },
        { classLevel: 2, count: 1 },
      ])
      assert.equal(s.vehiclesInspectionDue, 1)
    })

    test('the summary is scoped: a city, a county, an institution', async () => {
      const city = await summary('hangzhou')
      assert.equal(city.totals.institutions, 2)
      assert.equal(city.totals.students, COUNTS.students.xihu + COUNTS.students.yuhang)
      assert.equal(city.totals.platforms, 1)
      assert.deepEqual(
        city.byCity.map((c: { code: string }) => c.code),
        [HANGZHOU],
      )
      const county = await summary('xihu')
      assert.deepEqual(county.totals, {
        institutions: 1,
        fields: COUNTS.fields.xihu,
        coaches: COUNTS.coaches.xihu,
        vehicles: COUNTS.vehicles.xihu,
        terminals: COUNTS.terminals.xihu,
        students: COUNTS.students.xihu,
        platforms: 1,
      })
      assert.equal(county.byCity[0].students, COUNTS.students.xihu)
      assert.equal(county.vehiclesInspectionDue, 1)
      const inst = await summary('jigou')
      assert.equal(inst.totals.students, COUNTS.students.xihu)
      assert.deepEqual(inst.institutionsByClass, [{ classLevel: 1, count: 1 }])
      const coach = await app.inject({ url: '/api/dashboard/summary', headers: as('jiaolian') })
      assert.equal(coach.statusCode, 403)
      assert.equal(coach.json().code, 'ERR_AUTH_FORBIDDEN')
    })

    test('regions and the city map', async () => {
      const regions = (await app.inject({ url: '/api/regions', headers: as('xihu') })).json()
      assert.equal(regions.length, 102)
      const xihu = regions.find((r: { code: string }) => r.code === XIHU)
      assert.equal(xihu.name, '西湖区')
      assert.equal(xihu.level, 'county')
      assert.equal(xihu.parentCode, HANGZHOU)
      assert.equal(regions.filter((r: { level: string }) => r.level === 'city').length, 11)
      const geo = (await app.inject({ url: '/api/regions/geo', headers: as('xihu') })).json()
      assert.equal(geo.type, 'FeatureCollection')
      assert.equal(geo.features.length, 11)
      const hz = geo.features.find((f: { properties: { code: string } }) => f.properties.code === HANGZHOU)
      assert.equal(hz.properties.name, '杭州市')
      assert.ok(['Polygon', 'MultiPolygon'].includes(hz.geometry.type))
      assert.equal((await app.inject({ url: '/api/regions' })).statusCode, 401)
    })

    test('the audit log is scoped by region and needs audit:read', async () => {
      const county = (await app.inject({ url: '/api/audit?action=login&pageSize=200', headers: as('xihu') })).json()
      assert.ok(county.items.length >= 2, 'logins of xihu and jigou')
      assert.ok(county.items.every((e: { regionCode: string }) => e.regionCode === XIHU))
      const province = (await app.inject({ url: '/api/audit?action=login&pageSize=200', headers: as('sheng') })).json()
      assert.equal(province.total, 6)
      const inst = await app.inject({ url: '/api/audit', headers: as('jigou') })
      assert.equal(inst.json().code, 'ERR_AUTH_FORBIDDEN')
    })

    test('the OpenAPI document lists the registry paths and is titled in Chinese', async () => {
      const res = await app.inject({ url: '/api/openapi.json' })
      assert.equal(res.statusCode, 200)
      const doc = res.json()
      assert.equal(doc.info.title, '驾培监管服务平台 API')
      for (const entity of [
        'institutions',
        'fields',
        'coaches',
        'vehicles',
        'terminals',
        'students',
        'contracts',
        'platforms',
      ]) {
        assert.ok(doc.paths[`/api/registry/${entity}`]?.get, entity)
        assert.ok(doc.paths[`/api/registry/${entity}`]?.post, entity)
        assert.ok(doc.paths[`/api/registry/${entity}/{id}`]?.patch, entity)
      }
      for (const p of ['/api/auth/login', '/api/auth/me', '/api/dashboard/summary', '/api/users', '/api/audit']) {
        assert.ok(doc.paths[p], p)
      }
      const docs = await app.inject({ url: '/api/docs/' })
      assert.equal(docs.statusCode, 200)
      assert.match(docs.headers['content-type'] as string, /text\/html/)
    })

    test('unknown API routes are 404 ERR_HTTP_NOT_FOUND with a request id', async () => {
      const res = await app.inject({ url: '/api/nothing-here', headers: as('xihu') })
      assert.equal(res.statusCode, 404)
      assert.equal(res.json().code, 'ERR_HTTP_NOT_FOUND')
      assert.equal(res.json().requestId, res.headers['x-request-id'])
    })

    test('an unexpected failure is 500 ERR_HTTP_INTERNAL and the server keeps serving', async () => {
      const own = await buildApp({
        config: loadConfig({ JIAPEI_LOG_LEVEL: 'silent' }),
        database,
        webDist: '/nonexistent',
      })
      own.get('/api/boom', async () => {
        throw new TypeError('boom')
      })
      await own.ready()
      try {
        const res = await own.inject({ url: '/api/boom' })
        assert.equal(res.statusCode, 500)
        assert.equal(res.json().code, 'ERR_HTTP_INTERNAL')
        assert.equal(res.json().showType, 'error')
        assert.ok(!res.body.includes('boom'), 'internal details are not leaked')
        const ok = await own.inject({ url: '/api/openapi.json' })
        assert.equal(ok.statusCode, 200)
      } finally {
        await own.close()
      }
    })

    test('the built console is served at / with SPA fallback, never for /api', async () => {
      const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-web-'))
      fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>驾培监管服务平台</title>')
      fs.mkdirSync(path.join(dist, 'assets'))
      fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)')
      const web = await testApp(database, dist)
      try {
        const root = await web.inject({ url: '/' })
        assert.equal(root.statusCode, 200)
        assert.match(root.body, /驾培监管服务平台/)
        const deep = await web.inject({ url: '/registry/students/12' })
        assert.equal(deep.statusCode, 200)
        assert.match(deep.headers['content-type'] as string, /text\/html/)
        const asset = await web.inject({ url: '/assets/app.js' })
        assert.equal(asset.body, 'console.log(1)')
        const api = await web.inject({ url: '/api/missing' })
        assert.equal(api.statusCode, 404)
        assert.equal(api.json().code, 'ERR_HTTP_NOT_FOUND')
      } finally {
        await web.close()
        fs.rmSync(dist, { recursive: true, force: true })
      }
    })
  })
}
