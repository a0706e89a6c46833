import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/client.ts'
import { testEngines } from '../support/engines.ts'
import {
  buildFixture,
  COUNTS,
  type Fixture,
  HANGZHOU,
  idCard,
  regNo,
  sessions,
  testApp,
  XIHU,
  YUHANG,
} from './fixture.ts'

const engines = await testEngines()
const ACCOUNTS = [
  'sheng',
  'hangzhou',
  'ningbo',
  'xihu',
  'yuhang',
  'jigou',
  'jiaolian',
  'xueyuan',
  'yunying',
  'jiaojing',
]

for (const engine of engines) {
  describe(`jurisdiction of every role [${engine.name}]`, { skip: engine.skip }, () => {
    let database: Database
    let app: FastifyInstance
    let fx: Fixture
    let as: (name: string) => { cookie: string }

    before(async () => {
      database = await engine.open()
      fx = await buildFixture(database)
      app = await testApp(database)
      as = await sessions(app, ACCOUNTS)
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    const get = (who: string, url: string) => app.inject({ url, headers: as(who) })
    const ids = async (who: string, entity: string, query = '') => {
      const res = await get(who, `/api/registry/${entity}?pageSize=200${query}`)
      assert.equal(res.statusCode, 200, res.body)
      return (res.json().items as { id: number }[]).map((r) => r.id).sort((a, b) => a - b)
    }
    const sorted = (...lists: number[][]) => lists.flat().sort((a, b) => a - b)

    test('a county reads only its own county: lists and details', async () => {
      const { institutions, students, coaches } = fx.ids
      assert.deepEqual(await ids('xihu', 'institutions'), [institutions.xihu])
      assert.deepEqual(await ids('xihu', 'students'), sorted(students.xihu))
      assert.deepEqual(await ids('xihu', 'coaches'), sorted(coaches.xihu))
      for (const url of [
        `/api/registry/institutions/${institutions.yuhang}`,
        `/api/registry/students/${students.yuhang[0]}`,
        `/api/registry/coaches/${coaches.yuhang[0]}`,
      ]) {
        const res = await get('xihu', url)
        assert.equal(res.statusCode, 404, url)
        assert.equal(res.json().code, 'ERR_REG_NOT_FOUND')
      }
      assert.equal((await get('xihu', `/api/registry/students/${students.xihu[0]}`)).statusCode, 200)
    })

    test("a county can neither update nor delete another county's rows (404, no existence leak)", async () => {
      const { institutions, students, coaches } = fx.ids
      for (const [entity, id] of [
        ['institutions', institutions.yuhang],
        ['students', students.yuhang[0]],
        ['coaches', coaches.yuhang[0]],
      ] as const) {
        const patch = await app.inject({
          method: 'PATCH',
          url: `/api/registry/${entity}/${id}`,
          headers: as('xihu'),
          payload: { name: '改名' },
        })
        assert.equal(patch.statusCode, 404, entity)
        assert.equal(patch.json().code, 'ERR_REG_NOT_FOUND')
        const del = await app.inject({ method: 'DELETE', url: `/api/registry/${entity}/${id}`, headers: as('xihu') })
        assert.equal(del.statusCode, 404, entity)
        assert.equal(del.json().code, 'ERR_REG_NOT_FOUND')
      }
      const rows = await database.query<{ name: string }>('select name from institution where id = $1', [
        institutions.yuhang,
      ])
      assert.equal(rows[0]?.name, '余杭驾驶员培训有限公司')
    })

    test('a county cannot create rows in another county (403 ERR_AUTH_OUT_OF_SCOPE)', async () => {
      const coach = await app.inject({
        method: 'POST',
        url: '/api/registry/coaches',
        headers: as('xihu'),
        payload: {
          coachNo: regNo('NEWCO', 1),
          institutionId: fx.ids.institutions.yuhang,
          name: '越界教练',
          idCard: idCard(YUHANG, '19850505', 11),
          teachPermitted: 'C1',
        },
      })
      assert.equal(coach.statusCode, 403)
      assert.equal(coach.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      const inst = await app.inject({
        method: 'POST',
        url: '/api/registry/institutions',
        headers: as('xihu'),
        payload: {
          insCode: regNo('NEWINS', 1),
          name: '越界驾校',
          countyCode: YUHANG,
          classLevel: 3,
          businessScope: ['C1'],
        },
      })
      assert.equal(inst.statusCode, 403)
      assert.equal(inst.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      const count = await database.query<{ n: number }>("select count(*)::int as n from coach where name = '越界教练'")
      assert.equal(count[0]?.n, 0)
    })

    test('a city sees all of its counties and nothing of another city', async () => {
      const { institutions, students } = fx.ids
      assert.deepEqual(await ids('hangzhou', 'institutions'), sorted([institutions.xihu, institutions.yuhang]))
      assert.deepEqual(await ids('hangzhou', 'students'), sorted(students.xihu, students.yuhang))
      assert.deepEqual(await ids('hangzhou', 'students', `&countyCode=${YUHANG}`), sorted(students.yuhang))
      assert.equal((await get('hangzhou', `/api/registry/institutions/${institutions.haishu}`)).statusCode, 404)
      assert.deepEqual(await ids('ningbo', 'institutions'), [institutions.haishu])
      assert.deepEqual(
        await ids('sheng', 'institutions'),
        sorted([institutions.xihu, institutions.yuhang, institutions.haishu]),
      )
      assert.deepEqual(await ids('jiaojing', 'students'), sorted(students.xihu, students.yuhang, students.haishu))
    })

    test('an institution sees only itself and its own people', async () => {
      const { institutions, students, coaches, vehicles, terminals, fields } = fx.ids
      assert.deepEqual(await ids('jigou', 'institutions'), [institutions.xihu])
      assert.deepEqual(await ids('jigou', 'students'), sorted(students.xihu))
      assert.deepEqual(await ids('jigou', 'coaches'), sorted(coaches.xihu))
      assert.deepEqual(await ids('jigou', 'vehicles'), sorted(vehicles.xihu))
      assert.deepEqual(await ids('jigou', 'terminals'), terminals.xihu)
      assert.deepEqual(await ids('jigou', 'fields'), [fields.xihu])
      const list = (await get('jigou', '/api/registry/students?pageSize=200')).json()
      assert.equal(list.total, COUNTS.students.xihu)
      assert.ok(list.items.every((s: { institutionId: number }) => s.institutionId === institutions.xihu))
      assert.equal((await get('jigou', `/api/registry/students/${students.yuhang[0]}`)).statusCode, 404)
    })

    test('an institution files its own coach (placement derived) but not one for another institution', async () => {
      const payload = {
        coachNo: regNo('JGCO', 1),
        institutionId: fx.ids.institutions.xihu,
        name: '新教练',
        idCard: idCard(XIHU, '19900909', 22),
        mobile: '13912345678',
        teachPermitted: 'C2',
      }
      const ok = await app.inject({ method: 'POST', url: '/api/registry/coaches', headers: as('jigou'), payload })
      assert.equal(ok.statusCode, 201, ok.body)
      assert.equal(ok.json().cityCode, HANGZHOU)
      assert.equal(ok.json().countyCode, XIHU)
      assert.equal(ok.json().institutionName, '西湖驾驶员培训学校')
      assert.equal(ok.json().sex, 'F', 'sex derived from the ID card (17th digit even)')
      const other = await app.inject({
        method: 'POST',
        url: '/api/registry/coaches',
        headers: as('jigou'),
        payload: {
          ...payload,
          coachNo: regNo('JGCO', 2),
          idCard: idCard(XIHU, '19900909', 23),
          institutionId: fx.ids.institutions.yuhang,
        },
      })
      assert.equal(other.statusCode, 403)
      assert.equal(other.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      // An institution may maintain its disclosure, not its filing data.
      const own = fx.ids.institutions.xihu
      const disclosure = await app.inject({
        method: 'PATCH',
        url: `/api/registry/institutions/${own}`,
        headers: as('jigou'),
        payload: { disclosure: { serviceHours: '08:00-18:00' } },
      })
      assert.equal(disclosure.statusCode, 200)
      assert.deepEqual(disclosure.json().disclosure, { serviceHours: '08:00-18:00' })
      const filing = await app.inject({
        method: 'PATCH',
        url: `/api/registry/institutions/${own}`,
        headers: as('jigou'),
        payload: { classLevel: 1, filingStatus: 'filed', name: '自封一级' },
      })
      assert.equal(filing.statusCode, 403)
      assert.equal(filing.json().code, 'ERR_AUTH_FORBIDDEN')
    })

    test('coaches and students see only themselves', async () => {
      const { coaches, students } = fx.ids
      assert.deepEqual(await ids('jiaolian', 'coaches'), [coaches.xihu[0]])
      assert.deepEqual(await ids('jiaolian', 'students'), [])
      assert.deepEqual(await ids('jiaolian', 'institutions'), [])
      assert.deepEqual(await ids('jiaolian', 'platforms'), [])
      assert.equal((await get('jiaolian', `/api/registry/coaches/${coaches.xihu[1]}`)).statusCode, 404)
      assert.deepEqual(await ids('xueyuan', 'students'), [students.xihu[0]])
      assert.deepEqual(await ids('xueyuan', 'coaches'), [])
      const own = (await get('xueyuan', `/api/registry/students/${students.xihu[0]}`)).json()
      assert.match(own.idCard, /^\d{17}[\dX]$/, 'a student reads their own record unmasked')
      const write = await app.inject({
        method: 'PATCH',
        url: `/api/registry/students/${students.xihu[0]}`,
        headers: as('xueyuan'),
        payload: { name: '改名' },
      })
      assert.equal(write.statusCode, 403)
      assert.equal(write.json().code, 'ERR_AUTH_FORBIDDEN')
    })

    test('an operator sees the terminals of its own platform only; every staff account reads platforms', async () => {
      const { terminals, institutions, platforms } = fx.ids
      assert.deepEqual(await ids('yunying', 'terminals'), terminals.xihu)
      assert.equal((await get('yunying', `/api/registry/terminals/${terminals.haishu[0]}`)).statusCode, 404)
      assert.deepEqual(await ids('yunying', 'institutions'), sorted([institutions.xihu, institutions.yuhang]))
      assert.deepEqual(await ids('yunying', 'students'), [])
      assert.deepEqual(await ids('yunying', 'platforms'), sorted([platforms.p1, platforms.p2]))
      assert.deepEqual(await ids('xihu', 'platforms'), sorted([platforms.p1, platforms.p2]))
      // Platforms are written only with platform:write (the province).
      const patch = (who: string) =>
        app.inject({
          method: 'PATCH',
          url: `/api/registry/platforms/${platforms.p1}`,
          headers: as(who),
          payload: { contactName: '张三' },
        })
      assert.equal((await patch('hangzhou')).json().code, 'ERR_AUTH_FORBIDDEN')
      assert.equal((await patch('yunying')).json().code, 'ERR_AUTH_FORBIDDEN')
      assert.equal((await patch('sheng')).statusCode, 200)
    })
  })
}
