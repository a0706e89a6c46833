import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/client.ts'
import { testEngines } from '../support/engines.ts'
import {
  buildFixture,
  type Fixture,
  HANGZHOU,
  idCard,
  imei,
  NINGBO,
  regNo,
  sessions,
  testApp,
  XIHU,
  YUHANG,
} from './fixture.ts'

const engines = await testEngines()

for (const engine of engines) {
  describe(`registry validation, personal data and changes [${engine.name}]`, { skip: engine.skip }, () => {
    let database: Database
    let app: FastifyInstance
    let fx: Fixture
    let as: (name: string) => { cookie: string }

    before(async () => {
      database = await engine.open()
      fx = await buildFixture(database)
      app = await testApp(database)
      as = await sessions(app, ['sheng', 'hangzhou', 'xihu', 'jigou', 'zhifa', 'yunying'])
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    const post = (who: string, entity: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/api/registry/${entity}`, headers: as(who), payload })
    const audit = (action: string, entity?: string) =>
      database.query<{
        username: string
        entity_id: string
        region_code: string | null
        detail: Record<string, unknown>
      }>(
        `select username, entity_id, region_code, detail from audit_log where action = $1 ${entity ? 'and entity = $2' : ''} order by id`,
        entity ? [action, entity] : [action],
      )
    const student = (seq: number, extra: Record<string, unknown> = {}) => ({
      stuNo: regNo('NEWST', seq),
      institutionId: fx.ids.institutions.xihu,
      name: `新学员${seq}`,
      idCard: idCard(XIHU, '20010203', 100 + seq),
      phone: '13700001111',
      licenseType: 'C1',
      enrolledOn: '2026-04-01',
      ...extra,
    })

    test('a bad ID card check digit is ERR_REG_INVALID_FIELD on field idCard', async () => {
      const good = idCard(XIHU, '20010203', 150)
      const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
      const res = await post('xihu', 'students', student(1, { idCard: wrong }))
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(res.json().details.field, 'idCard')
      assert.equal(res.json().showType, 'warning')
    })

    test('a bad plate, a bad 16-character number, a bad IMEI and an unknown license type are refused per field', async () => {
      const vehicle = {
        carNo: regNo('NEWCAR', 1),
        institutionId: fx.ids.institutions.xihu,
        plate: '浙A·1234学',
        plateColor: 2,
        vehicleType: 'C1',
      }
      const plate = await post('xihu', 'vehicles', { ...vehicle, plate: '浙1A234学' })
      assert.equal(plate.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(plate.json().details.field, 'plate')
      const carNo = await post('xihu', 'vehicles', { ...vehicle, carNo: 'ABC123' })
      assert.equal(carNo.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(carNo.json().details.field, 'carNo')
      const stuNo = await post('xihu', 'students', student(2, { stuNo: 'abc-def-ghi-jkl-' }))
      assert.equal(stuNo.json().details.field, 'stuNo')
      const ok = await post('xihu', 'vehicles', vehicle)
      assert.equal(ok.statusCode, 201, ok.body)
      assert.equal(ok.json().plate, '浙A1234学', 'plate stored without separator')

      const terminal = {
        deviceNo: regNo('NEWDEV', 1),
        phone: '14700009999',
        imei: imei(77),
        institutionId: fx.ids.institutions.xihu,
        timingPlatformId: fx.ids.platforms.p1,
      }
      const badImei = await post('xihu', 'terminals', {
        ...terminal,
        imei: `${imei(77).slice(0, 14)}${(Number(imei(77)[14]) + 1) % 10}`,
      })
      assert.equal(badImei.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(badImei.json().details.field, 'imei')
      const lic = await post('xihu', 'students', student(3, { licenseType: 'Z9' }))
      assert.equal(lic.statusCode, 400)
      assert.ok(['ERR_REG_INVALID_FIELD', 'ERR_HTTP_VALIDATION'].includes(lic.json().code))
      assert.equal(lic.json().details.field, 'licenseType')
    })

    test('a missing required field is ERR_HTTP_VALIDATION naming the field', async () => {
      const { name: _name, ...withoutName } = student(4)
      const res = await post('xihu', 'students', withoutName)
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().code, 'ERR_HTTP_VALIDATION')
      assert.equal(res.json().details.field, 'name')
      const query = await app.inject({ url: '/api/registry/students?pageSize=9999', headers: as('xihu') })
      assert.equal(query.json().code, 'ERR_HTTP_VALIDATION')
      assert.equal(query.json().details.field, 'pageSize')
    })

    test('duplicates are ERR_REG_DUPLICATE (409) naming the field', async () => {
      const created = await post('xihu', 'students', student(5))
      assert.equal(created.statusCode, 201, created.body)
      const again = await post('xihu', 'students', student(6, { stuNo: regNo('NEWST', 5) }))
      assert.equal(again.statusCode, 409)
      assert.equal(again.json().code, 'ERR_REG_DUPLICATE')
      assert.equal(again.json().details.field, 'stuNo')
      const plate = await post('xihu', 'vehicles', {
        carNo: regNo('NEWCAR', 9),
        institutionId: fx.ids.institutions.xihu,
        plate: '浙A0006学',
        plateColor: 2,
        vehicleType: 'C1',
      })
      assert.equal(plate.json().code, 'ERR_REG_DUPLICATE', 'plate 浙A0006学 belongs to the fixture')
      assert.equal(plate.json().details.field, 'plate')
    })

    test('lists mask ID cards and phone numbers', async () => {
      const list = (await app.inject({ url: '/api/registry/students?pageSize=200', headers: as('hangzhou') })).json()
      assert.ok(list.items.length > 0)
      for (const s of list.items) {
        assert.match(s.idCard, /^\d{4}\*{10}[\dX*]{4}$/)
        assert.match(s.phone, /^\d{3}\*{4}\d{4}$/)
        assert.ok(s.institutionName)
        assert.ok(s.countyName)
      }
      const coaches = (await app.inject({ url: '/api/registry/coaches', headers: as('hangzhou') })).json()
      assert.ok(coaches.items.every((c: { mobile: string }) => /^\d{3}\*{4}\d{4}$/.test(c.mobile)))
    })

    test('reading one record with personal:read returns it in full and is audit-logged', async () => {
      const id = fx.ids.students.xihu[1]
      const res = await app.inject({ url: `/api/registry/students/${id}`, headers: as('zhifa') })
      assert.equal(res.statusCode, 200)
      assert.match(res.json().idCard, /^\d{17}[\dX]$/)
      assert.match(res.json().phone, /^\d{11}$/)
      const reads = await audit('read_personal', 'student')
      const last = reads.at(-1)
      assert.equal(last?.username, 'zhifa')
      assert.equal(last?.entity_id, String(id))
      assert.equal(last?.region_code, XIHU)
      // An operator has no personal:read: the same kind of record comes back masked, and nothing is logged.
      const before = (await audit('read_personal')).length
      const terminal = await app.inject({
        url: `/api/registry/terminals/${fx.ids.terminals.xihu[0]}`,
        headers: as('yunying'),
      })
      assert.equal(terminal.statusCode, 200)
      assert.equal(terminal.json().vehiclePlate, '浙A0006学')
      assert.equal(terminal.json().platformName, '之江计时平台')
      assert.equal((await audit('read_personal')).length, before)
    })

    test('create, update and delete write audit rows with the changed fields and region', async () => {
      const created = await post('xihu', 'students', student(7))
      assert.equal(created.statusCode, 201)
      const id = created.json().id
      assert.equal(created.json().countyCode, XIHU)
      assert.equal(created.json().cityCode, HANGZHOU)
      assert.equal(created.json().sex, idCard(XIHU, '20010203', 107)[16] === '1' ? 'M' : created.json().sex)

      const patched = await app.inject({
        method: 'PATCH',
        url: `/api/registry/students/${id}`,
        headers: as('xihu'),
        payload: { status: 'training', name: '新学员七' },
      })
      assert.equal(patched.statusCode, 200, patched.body)
      assert.equal(patched.json().status, 'training')
      const badPatch = await app.inject({
        method: 'PATCH',
        url: `/api/registry/students/${id}`,
        headers: as('xihu'),
        payload: { phone: '12345' },
      })
      assert.equal(badPatch.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(badPatch.json().details.field, 'phone')

      const deleted = await app.inject({ method: 'DELETE', url: `/api/registry/students/${id}`, headers: as('xihu') })
      assert.equal(deleted.statusCode, 204)
      assert.equal((await app.inject({ url: `/api/registry/students/${id}`, headers: as('xihu') })).statusCode, 404)

      const rows = await database.query<{ action: string; region_code: string; detail: { changed?: string[] } }>(
        "select action, region_code, detail from audit_log where entity = 'student' and entity_id = $1 order by id",
        [String(id)],
      )
      assert.deepEqual(
        rows.map((r) => r.action),
        ['create', 'update', 'delete'],
      )
      assert.ok(rows.every((r) => r.region_code === XIHU))
      assert.deepEqual(rows[1]?.detail.changed?.sort(), ['name', 'status'])
    })

    test('deleting an institution that still has people is refused with ERR_REG_IN_USE', async () => {
      const res = await app.inject({
        method: 'DELETE',
        url: `/api/registry/institutions/${fx.ids.institutions.yuhang}`,
        headers: as('hangzhou'),
      })
      assert.equal(res.statusCode, 409)
      assert.equal(res.json().code, 'ERR_REG_IN_USE')
      const still = await database.query('select id from institution where id = $1', [fx.ids.institutions.yuhang])
      assert.equal(still.length, 1)
    })

    test("an institution's county must be a real county of its city; new rows derive their placement", async () => {
      const base = { insCode: regNo('NEWINS', 2), name: '新驾校', classLevel: 2, businessScope: ['C1', 'C2'] }
      const mismatch = await post('hangzhou', 'institutions', { ...base, cityCode: HANGZHOU, countyCode: '330203' })
      assert.equal(mismatch.statusCode, 400)
      assert.equal(mismatch.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(mismatch.json().details.field, 'countyCode')
      const unknown = await post('hangzhou', 'institutions', { ...base, countyCode: '330199' })
      assert.equal(unknown.json().code, 'ERR_REG_REGION_UNKNOWN')
      const city = await post('hangzhou', 'institutions', { ...base, countyCode: HANGZHOU })
      assert.equal(city.json().code, 'ERR_REG_INVALID_FIELD')
      const ok = await post('hangzhou', 'institutions', { ...base, countyCode: YUHANG })
      assert.equal(ok.statusCode, 201, ok.body)
      assert.equal(ok.json().cityCode, HANGZHOU)
      assert.deepEqual(ok.json().businessScope, ['C1', 'C2'])
      const inOtherCity = await post('hangzhou', 'institutions', {
        ...base,
        insCode: regNo('NEWINS', 3),
        countyCode: '330203',
      })
      assert.equal(inOtherCity.json().code, 'ERR_AUTH_OUT_OF_SCOPE')

      // Moving the institution to another county moves its rows along.
      const inst = ok.json().id
      const coach = await post('hangzhou', 'coaches', {
        coachNo: regNo('MVCO', 1),
        institutionId: inst,
        name: '随迁教练',
        idCard: idCard(YUHANG, '19770707', 31),
        teachPermitted: 'C1',
      })
      assert.equal(coach.json().countyCode, YUHANG)
      const moved = await app.inject({
        method: 'PATCH',
        url: `/api/registry/institutions/${inst}`,
        headers: as('hangzhou'),
        payload: { countyCode: XIHU },
      })
      assert.equal(moved.statusCode, 200, moved.body)
      const after = (
        await app.inject({ url: `/api/registry/coaches/${coach.json().id}`, headers: as('hangzhou') })
      ).json()
      assert.equal(after.countyCode, XIHU)
    })

    test('a training field gets its area from the GeoJSON polygon', async () => {
      // About 100 m × 100 m near 杭州.
      const polygon = {
        type: 'Polygon',
        coordinates: [
          [
            [120.1, 30.2],
            [120.101037, 30.2],
            [120.101037, 30.200899],
            [120.1, 30.200899],
            [120.1, 30.2],
          ],
        ],
      }
      const res = await post('jigou', 'fields', {
        institutionId: fx.ids.institutions.xihu,
        name: '科目二场地',
        polygon,
      })
      assert.equal(res.statusCode, 201, res.body)
      assert.ok(Math.abs(res.json().areaM2 - 10_000) < 200, `area ${res.json().areaM2}`)
      const bad = await post('jigou', 'fields', {
        institutionId: fx.ids.institutions.xihu,
        name: '坏场地',
        polygon: { type: 'Point', coordinates: [120, 30] },
      })
      assert.equal(bad.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(bad.json().details.field, 'polygon')
    })

    test('list filters, search and sorting', async () => {
      const q = (query: string) =>
        app.inject({ url: `/api/registry/students?${query}`, headers: as('sheng') }).then((r) => r.json())
      const c2 = await q('licenseType=C2&pageSize=200')
      assert.ok(c2.items.length > 0 && c2.items.every((s: { licenseType: string }) => s.licenseType === 'C2'))
      const ningbo = await q(`cityCode=${NINGBO}`)
      assert.equal(ningbo.total, 1)
      const search = await q('q=学员1')
      assert.ok(search.items.every((s: { name: string }) => s.name.includes('学员1')))
      const sorted = await q('sort=name&order=desc&pageSize=200')
      const names = sorted.items.map((s: { name: string }) => s.name)
      assert.deepEqual(names, [...names].sort().reverse())
      const page2 = await q('pageSize=2&page=2')
      assert.equal(page2.items.length, 2)
      assert.equal(page2.page, 2)
      const badSort = await app.inject({ url: '/api/registry/students?sort=idCard', headers: as('sheng') })
      assert.equal(badSort.json().code, 'ERR_HTTP_VALIDATION')
      const plate = (await app.inject({ url: '/api/registry/vehicles?q=0006', headers: as('sheng') })).json()
      assert.equal(plate.total, 1)
    })

    test('a contract takes its institution and region from its student', async () => {
      const res = await post('jigou', 'contracts', {
        contractNo: 'HT2026-0001',
        studentId: fx.ids.students.xihu[0],
        licenseType: 'C1',
        payMode: 'train_first',
        totalAmountFen: 480_000,
        signedOn: '2026-04-02',
      })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().institutionId, fx.ids.institutions.xihu)
      assert.equal(res.json().countyCode, XIHU)
      assert.equal(res.json().studentName, '学员3')
      const foreign = await post('jigou', 'contracts', {
        contractNo: 'HT2026-0002',
        studentId: fx.ids.students.yuhang[0],
        licenseType: 'C1',
        payMode: 'lump_sum',
        totalAmountFen: 500_000,
        signedOn: '2026-04-02',
      })
      assert.equal(foreign.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      const badDate = await post('jigou', 'contracts', {
        contractNo: 'HT2026-0003',
        studentId: fx.ids.students.xihu[0],
        licenseType: 'C1',
        payMode: 'lump_sum',
        totalAmountFen: 500_000,
        signedOn: '2026-02-30',
      })
      assert.equal(badDate.json().code, 'ERR_REG_INVALID_FIELD')
      assert.equal(badDate.json().details.field, 'signedOn')
    })

    test('an operator files terminals on its own platform only', async () => {
      const terminal = {
        deviceNo: regNo('OPDEV', 1),
        phone: '14700008888',
        imei: imei(88),
        institutionId: fx.ids.institutions.yuhang,
        timingPlatformId: fx.ids.platforms.p1,
      }
      const ok = await post('yunying', 'terminals', terminal)
      assert.equal(ok.statusCode, 201, ok.body)
      assert.equal(ok.json().platformName, '之江计时平台')
      assert.equal(ok.json().countyCode, YUHANG)
      const other = await post('yunying', 'terminals', {
        ...terminal,
        deviceNo: regNo('OPDEV', 2),
        phone: '14700008889',
        imei: imei(89),
        timingPlatformId: fx.ids.platforms.p2,
      })
      assert.equal(other.statusCode, 403)
      assert.equal(other.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      const institution = await post('yunying', 'institutions', {
        insCode: regNo('OPINS', 1),
        name: '运营商建的驾校',
        countyCode: XIHU,
        classLevel: 3,
        businessScope: ['C1'],
      })
      assert.equal(institution.json().code, 'ERR_AUTH_FORBIDDEN')
    })

    test('a student transfer moves the student, its region, and is recorded', async () => {
      const id = fx.ids.students.xihu[2]
      const res = await app.inject({
        method: 'POST',
        url: `/api/registry/students/${id}/transfer`,
        headers: as('hangzhou'),
        payload: { toInstitutionId: fx.ids.institutions.yuhang, reason: '搬家' },
      })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().student.countyCode, YUHANG)
      const history = await database.query<{ from_institution_id: number; to_institution_id: number }>(
        'select from_institution_id, to_institution_id from student_transfer where student_id = $1',
        [id],
      )
      assert.deepEqual(history, [
        { from_institution_id: fx.ids.institutions.xihu, to_institution_id: fx.ids.institutions.yuhang },
      ])
      assert.equal((await audit('transfer')).at(-1)?.region_code, YUHANG)
      // A county may not transfer into another county.
      const out = await app.inject({
        method: 'POST',
        url: `/api/registry/students/${fx.ids.students.xihu[0]}/transfer`,
        headers: as('xihu'),
        payload: { toInstitutionId: fx.ids.institutions.yuhang },
      })
      assert.equal(out.statusCode, 403)
      assert.equal(out.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
    })
  })
}
