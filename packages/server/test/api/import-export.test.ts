import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import ExcelJS from 'exceljs'
import type { FastifyInstance } from 'fastify'
import { hashPassword } from '../../src/auth/passwords.ts'
import { loadConfig } from '../../src/config/load.ts'
import { insertBatch } from '../../src/db/batch.ts'
import type { Database } from '../../src/db/client.ts'
import { idCardCheckChar } from '../../src/domain/identity.ts'
import { zhejiangRegions } from '../../src/domain/regions.ts'
import { buildApp } from '../../src/http/app.ts'
import importExportRoutes from '../../src/http/routes/import-export.routes.ts'
import { sheetColumns } from '../../src/registry/import-export/columns.ts'
import { exportStream } from '../../src/registry/import-export/export.ts'
import { IMPORT_ROW_LIMIT } from '../../src/registry/import-export/import.ts'
import { testEngines } from '../support/engines.ts'

const engines = await testEngines()
const PASSWORD = 'Jiapei@2021'
const XIHU_INS = '3301060000000001'
const YUHANG_INS = '3301100000000001'

/** A valid ID card number: first 17 digits plus the computed check character. */
function idCard(first17: string): string {
  return first17 + idCardCheckChar(first17)
}

/** A wrong check character for `first17`. */
function badIdCard(first17: string): string {
  const good = idCardCheckChar(first17)
  return first17 + (good === '1' ? '2' : '1')
}

async function prepareDatabase(database: Database, passwordHash: string) {
  const regions = zhejiangRegions()
  await insertBatch(
    database,
    'region',
    [
      { name: 'code', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'level', type: 'text' },
      { name: 'parent_code', type: 'text' },
    ],
    regions.map((r) => [r.code, r.name, r.level, r.parentCode]),
  )
  const [platform] = await database.query<{ id: number }>(
    `insert into timing_platform (platform_no, name, operator_name) values ('33001', '浙江驾培计时平台', '浙江某科技有限公司') returning id`,
  )
  const institutions = await database.query<{ id: number; ins_code: string }>(
    `insert into institution (ins_code, name, city_code, county_code, class_level, business_scope, timing_platform_id)
     values ($1, '杭州西湖驾驶员培训有限公司', '330100', '330106', 1, '{C1,C2}', $3),
            ($2, '杭州余杭驾驶员培训有限公司', '330100', '330110', 2, '{C1}', $3)
     returning id, ins_code`,
    [XIHU_INS, YUHANG_INS, platform!.id],
  )
  const users: [string, string, string | null][] = [
    ['xihu', 'county', '330106'],
    ['yuhang', 'county', '330110'],
    ['sheng', 'province', '330000'],
    ['coach1', 'coach', null],
  ]
  for (const [username, role, regionCode] of users) {
    await database.query(
      `insert into app_user (username, display_name, password_hash, role, region_code) values ($1, $1, $2, $3, $4)`,
      [username, passwordHash, role, regionCode],
    )
  }
  return { institutionIds: Object.fromEntries(institutions.map((r) => [r.ins_code, r.id])) as Record<string, number> }
}

async function openApp(database: Database): Promise<FastifyInstance> {
  const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent' })
  const app = await buildApp({ config, database, webDist: '/nonexistent' })
  if (!app.hasRoute({ method: 'POST', url: '/api/registry/students/import' })) await app.register(importExportRoutes)
  return app
}

async function loginCookie(app: FastifyInstance, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } })
  assert.equal(res.statusCode, 200, res.body)
  const cookie = res.cookies.find((c) => c.name === 'jiapei_session')
  assert.ok(cookie)
  return `jiapei_session=${cookie.value}`
}

function multipart(fileName: string, content: Buffer, field = 'file') {
  const boundary = `----jiapei${Math.random().toString(16).slice(2)}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

async function xlsx(headers: string[], rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('名单')
  sheet.addRow(headers)
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

async function upload(app: FastifyInstance, cookie: string, entity: string, fileName: string, content: Buffer) {
  const body = multipart(fileName, content)
  return app.inject({
    method: 'POST',
    url: `/api/registry/${entity}/import`,
    headers: { ...body.headers, cookie },
    payload: body.payload,
  })
}

async function count(database: Database, table: string): Promise<number> {
  const [row] = await database.query<{ n: number }>(`select count(*)::int as n from ${table}`)
  return row!.n
}

const STUDENT_HEADERS = ['学员编号', '机构编号', '姓名', '身份证号', '手机号', '培训车型', '报名日期', '状态']

function studentRow(n: number, institution = XIHU_INS, name = `学员${n}`): string[] {
  const serial = String(n).padStart(3, '0')
  return [
    `${institution.slice(0, 6)}0000400${serial}`,
    institution,
    name,
    idCard(`33010619950101${serial}`),
    `1380013${String(n).padStart(4, '0')}`,
    'C1',
    '2024-03-01',
    '培训中',
  ]
}

async function readXlsx(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(buffer as never)
  return workbook
}

for (const engine of engines) {
  describe(`registry import and export [${engine.name}]`, { skip: engine.skip }, () => {
    let database: Database
    let app: FastifyInstance
    let xihu: string
    let yuhang: string
    let passwordHash: string

    before(async () => {
      passwordHash = await hashPassword(PASSWORD)
      database = await engine.open()
      await prepareDatabase(database, passwordHash)
      app = await openApp(database)
      xihu = await loginCookie(app, 'xihu')
      yuhang = await loginCookie(app, 'yuhang')
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    test('a valid xlsx of students is imported in one go and the students appear in the list', async () => {
      const file = await xlsx(STUDENT_HEADERS, [studentRow(1), studentRow(2), studentRow(3)])
      const res = await upload(app, xihu, 'students', '学员名单.xlsx', file)
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual(res.json(), { imported: 3 })

      const list = await app.inject({ method: 'GET', url: '/api/registry/students?q=学员', headers: { cookie: xihu } })
      assert.equal(list.statusCode, 200)
      const body = list.json() as { total: number; items: { stuNo: string; countyCode: string; sex: string }[] }
      assert.equal(body.total, 3)
      assert.deepEqual(body.items.map((s) => s.stuNo).sort(), [1, 2, 3].map((n) => studentRow(n)[0]).sort())
      // Placement derived from the institution, sex from the ID card (as POST does).
      assert.ok(body.items.every((s) => s.countyCode === '330106' && (s.sex === 'M' || s.sex === 'F')))

      const audit = await database.query<{ action: string; entity: string; detail: { count: number } }>(
        `select action, entity, detail from audit_log where action = 'import'`,
      )
      assert.deepEqual(
        audit.map((a) => [a.action, a.entity, a.detail.count]),
        [['import', 'student', 3]],
      )
    })

    test('a malformed spreadsheet gives 422 with every row error and imports nothing', async () => {
      const before = await count(database, 'student')
      const rows = [
        studentRow(11),
        // row 3: ID card with a wrong check digit
        [...studentRow(12).slice(0, 3), badIdCard('33010619950101012'), ...studentRow(12).slice(4)],
        studentRow(13),
        // row 5: institution number that does not exist
        [studentRow(14)[0]!, '3301069999999999', ...studentRow(14).slice(2)],
        // row 6: required value missing (姓名)
        [...studentRow(15).slice(0, 2), '', ...studentRow(15).slice(3)],
      ] as string[][]
      const res = await upload(app, xihu, 'students', 'bad.xlsx', await xlsx(STUDENT_HEADERS, rows))
      assert.equal(res.statusCode, 422, res.body)
      const body = res.json() as { code: string; details: { errors: { row: number; column: string; field: string }[] } }
      assert.equal(body.code, 'ERR_REG_IMPORT_INVALID')
      assert.deepEqual(
        body.details.errors.map((e) => [e.row, e.column, e.field]),
        [
          [3, '身份证号', 'idCard'],
          [5, '机构编号', 'institutionId'],
          [6, '姓名', 'name'],
        ],
      )
      assert.ok(body.details.errors.every((e) => typeof (e as { message?: unknown }).message === 'string'))
      assert.equal(await count(database, 'student'), before)
    })

    test('a plate twice in one file is reported on the second row; nothing imported', async () => {
      const headers = ['教练车编号', '机构编号', '车牌号', '车牌颜色', '培训车型', '品牌']
      const rows = [
        ['3301060000200001', XIHU_INS, '浙A1001学', '黄', 'C1', '大众'],
        ['3301060000200002', XIHU_INS, '浙A1002学', '黄', 'C1', '大众'],
        ['3301060000200003', XIHU_INS, '浙A·1001学', '黄', 'C1', '大众'],
      ]
      const res = await upload(app, xihu, 'vehicles', 'cars.xlsx', await xlsx(headers, rows))
      assert.equal(res.statusCode, 422, res.body)
      const errors = (res.json() as { details: { errors: { row: number; column: string; field: string }[] } }).details
        .errors
      assert.deepEqual(
        errors.map((e) => [e.row, e.column, e.field]),
        [[4, '车牌号', 'plate']],
      )
      assert.equal(await count(database, 'vehicle'), 0)
    })

    test('rows already in the database are duplicates, reported per row', async () => {
      const res = await upload(app, xihu, 'students', 'again.xlsx', await xlsx(STUDENT_HEADERS, [studentRow(1)]))
      assert.equal(res.statusCode, 422, res.body)
      const errors = (res.json() as { details: { errors: { row: number; field: string }[] } }).details.errors
      assert.deepEqual(
        errors.map((e) => [e.row, e.field]),
        [[2, 'stuNo']],
      )
    })

    test('a county account cannot import into another county: row errors, nothing imported', async () => {
      const before = await count(database, 'student')
      const file = await xlsx(STUDENT_HEADERS, [studentRow(21, XIHU_INS), studentRow(22, XIHU_INS)])
      const res = await upload(app, yuhang, 'students', 'other.xlsx', file)
      assert.equal(res.statusCode, 422, res.body)
      const errors = (res.json() as { details: { errors: { row: number; column: string }[] } }).details.errors
      assert.deepEqual(
        errors.map((e) => [e.row, e.column]),
        [
          [2, '机构编号'],
          [3, '机构编号'],
        ],
      )
      assert.equal(await count(database, 'student'), before)

      // Institutions are placed by county code: 西湖区 is outside 余杭区.
      const institutions = await xlsx(
        ['机构编号', '机构名称', '所属区县', '机构等级', '经营范围'],
        [
          ['3301100000000009', '余杭新驾校', '余杭区', '二级', 'C1、C2'],
          ['3301060000000009', '西湖新驾校', '杭州市西湖区', '二级', 'C1'],
        ],
      )
      const inst = await upload(app, yuhang, 'institutions', 'ins.xlsx', institutions)
      assert.equal(inst.statusCode, 422, inst.body)
      const instErrors = (inst.json() as { details: { errors: { row: number; column: string }[] } }).details.errors
      assert.deepEqual(
        instErrors.map((e) => [e.row, e.column]),
        [[3, '所属区县代码']],
      )
      assert.equal(await count(database, 'institution'), 2)
    })

    test('unreadable files, missing permission, no login and oversized uploads are refused', async () => {
      const garbage = await upload(app, xihu, 'students', 'x.xlsx', Buffer.from('definitely not a workbook'))
      assert.equal(garbage.statusCode, 400)
      assert.equal(garbage.json().code, 'ERR_REG_IMPORT_FORMAT')

      const unknownColumn = await upload(
        app,
        xihu,
        'students',
        'x.csv',
        Buffer.from(`${STUDENT_HEADERS.join(',')},籍贯\r\n${studentRow(31).join(',')},浙江\r\n`),
      )
      assert.equal(unknownColumn.statusCode, 422)
      assert.deepEqual(
        (unknownColumn.json() as { details: { errors: { row: number; column: string }[] } }).details.errors.map((e) => [
          e.row,
          e.column,
        ]),
        [[1, '籍贯']],
      )

      const coach = await loginCookie(app, 'coach1')
      const forbidden = await upload(app, coach, 'students', 'x.csv', Buffer.from('a\r\n1\r\n'))
      assert.equal(forbidden.statusCode, 403)
      assert.equal(forbidden.json().code, 'ERR_AUTH_FORBIDDEN')
      const anonymous = await app.inject({ method: 'GET', url: '/api/registry/students/export' })
      assert.equal(anonymous.statusCode, 401)
      assert.equal(anonymous.json().code, 'ERR_AUTH_REQUIRED')

      const big = Buffer.alloc(21 * 1024 * 1024, 0x41)
      const tooLarge = await upload(app, xihu, 'students', 'big.csv', big)
      assert.equal(tooLarge.statusCode, 413)
      assert.equal(tooLarge.json().code, 'ERR_HTTP_PAYLOAD_TOO_LARGE')
    })

    test('every entity imports from its own columns and exports again with the same columns', async () => {
      const sheng = await loginCookie(app, 'sheng')
      const files: [string, string[], string[][]][] = [
        [
          'platforms',
          ['平台编号', '平台名称', '运营单位', '联系电话', '状态'],
          [['33002', '第二计时平台', '某公司', '13900000000', '运营中']],
        ],
        [
          'institutions',
          ['机构编号', '机构名称', '所属区县代码', '机构等级', '经营范围', '备案状态', '许可有效期至', '计时平台编号'],
          [['3301060000000002', '西湖第二驾校', '330106', '三级', 'C1,C2', '已备案', '2027/12/31', '33002']],
        ],
        [
          'fields',
          ['机构编号', '场地名称', '场地类型', '场地范围（GeoJSON）', '设施', '适用车型'],
          [
            [
              '3301060000000002',
              '一号训练场',
              '训练场',
              JSON.stringify({
                type: 'Polygon',
                coordinates: [
                  [
                    [120.1, 30.2],
                    [120.101, 30.2],
                    [120.101, 30.201],
                    [120.1, 30.201],
                    [120.1, 30.2],
                  ],
                ],
              }),
              '倒车入库、侧方停车',
              'C1、C2',
            ],
          ],
        ],
        [
          'coaches',
          ['教练员编号', '机构编号', '姓名', '身份证号', '准教车型', '职业技能等级', '入职日期', '供职状态'],
          [
            [
              '3301060000100001',
              '3301060000000002',
              '王教练',
              idCard('33010619800101001'),
              'C1',
              '3',
              '2020-01-01',
              '在职',
            ],
          ],
        ],
        [
          'vehicles',
          ['教练车编号', '机构编号', '车牌号', '车牌颜色', '培训车型', '车架号', '年审有效期至'],
          [['3301060000200009', '3301060000000002', '浙A·2001学', '黄', 'C1', 'LSVNV2182E2100001', '2026-06-30']],
        ],
        [
          'terminals',
          ['终端编号', 'SIM 卡号', 'IMEI', '终端类型', '机构编号', '安装车辆车牌号', '计时平台编号'],
          [
            [
              '3301060000300001',
              '13912345678',
              '860000000000009',
              '车载计程计时终端',
              '3301060000000002',
              '浙A2001学',
              '33002',
            ],
          ],
        ],
        [
          'contracts',
          ['合同编号', '学员编号', '培训车型', '收费方式', '合同金额（元）', '学时单价（元）', '签订日期'],
          [['HT2024000001', studentRow(1)[0]!, 'C1', '计时收费', '4,800.50', '120', '2024-03-01']],
        ],
      ]
      for (const [entity, headers, rows] of files) {
        const res = await upload(app, sheng, entity, `${entity}.xlsx`, await xlsx(headers, rows))
        assert.equal(res.statusCode, 200, `${entity}: ${res.body}`)
        assert.deepEqual(res.json(), { imported: 1 }, entity)
        const out = await app.inject({
          method: 'GET',
          url: `/api/registry/${entity}/export?format=csv`,
          headers: { cookie: sheng },
        })
        assert.equal(out.statusCode, 200, entity)
        const header = out.rawPayload.subarray(3).toString('utf8').split('\r\n')[0]
        assert.equal(
          header,
          sheetColumns(entity as 'students')
            .map((c) => c.header)
            .join(','),
          entity,
        )
      }
      const [field] = await database.query<{ area_m2: number; facilities: string[] }>(
        `select area_m2, facilities from training_field`,
      )
      assert.ok(field!.area_m2 > 10_000 && field!.area_m2 < 12_000, String(field!.area_m2))
      assert.deepEqual(field!.facilities, ['倒车入库', '侧方停车'])
      const [contract] = await database.query<{
        total_amount_fen: number
        unit_price_fen: number
        county_code: string
      }>(`select total_amount_fen, unit_price_fen, county_code from contract`)
      assert.deepEqual(contract, { total_amount_fen: 480050, unit_price_fen: 12000, county_code: '330106' })
      const [term] = await database.query<{ plate: string }>(
        `select v.plate from terminal t join vehicle v on v.id = t.vehicle_id`,
      )
      assert.equal(term!.plate, '浙A2001学')
    })

    test('without personal:read an export masks ID and phone numbers as lists do', async () => {
      const { stream, done } = exportStream(
        'students',
        'csv',
        {},
        { db: database.db, scope: { kind: 'region', regionCode: '330106' }, personal: false },
      )
      const chunks: Buffer[] = []
      for await (const chunk of stream) chunks.push(chunk as Buffer)
      assert.equal(await done, 3)
      const text = Buffer.concat(chunks).subarray(3).toString('utf8')
      const full = studentRow(1)[3]!
      assert.ok(!text.includes(full))
      assert.ok(text.includes(`${full.slice(0, 4)}**********${full.slice(-4)}`))
      assert.ok(!text.includes(studentRow(1)[4]!))
    })

    test('a file above the row limit is refused as a whole', async () => {
      const lines = [STUDENT_HEADERS.join(',')]
      for (let i = 0; i < IMPORT_ROW_LIMIT + 1; i++) lines.push(studentRow(1).join(','))
      const res = await upload(app, xihu, 'students', 'many.csv', Buffer.from(lines.join('\r\n')))
      assert.equal(res.statusCode, 413)
      assert.equal(res.json().code, 'ERR_REG_IMPORT_TOO_MANY_ROWS')
    })

    test('templates carry the headers, an example row and (xlsx) the 填写说明 sheet', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/registry/coaches/import-template?format=xlsx',
        headers: { cookie: xihu },
      })
      assert.equal(res.statusCode, 200)
      assert.match(String(res.headers['content-disposition']), /attachment/)
      const workbook = await readXlsx(res.rawPayload)
      const headers = (workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)
      assert.deepEqual(
        headers,
        sheetColumns('coaches').map((c) => c.header),
      )
      for (const h of ['教练员编号', '机构编号', '姓名', '身份证号', '准教车型']) assert.ok(headers.includes(h), h)
      assert.equal(workbook.worksheets[0]!.rowCount, 2)
      const help = workbook.getWorksheet('填写说明')
      assert.ok(help)
      assert.ok(help.rowCount >= headers.length + 1)

      const csv = await app.inject({
        method: 'GET',
        url: '/api/registry/vehicles/import-template?format=csv',
        headers: { cookie: xihu },
      })
      assert.equal(csv.statusCode, 200)
      assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf])
      const firstLine = csv.rawPayload.subarray(3).toString('utf8').split('\r\n')[0]!
      assert.deepEqual(
        firstLine.split(','),
        sheetColumns('vehicles').map((c) => c.header),
      )
    })

    test('export returns only the caller’s rows, as xlsx and CSV, and re-imports into a fresh database', async () => {
      // 余杭 gets students of its own; 西湖 must not see them in its export.
      const own = await upload(
        app,
        yuhang,
        'students',
        'yh.xlsx',
        await xlsx(STUDENT_HEADERS, [studentRow(41, YUHANG_INS), studentRow(42, YUHANG_INS)]),
      )
      assert.equal(own.statusCode, 200, own.body)

      const xres = await app.inject({
        method: 'GET',
        url: '/api/registry/students/export?format=xlsx',
        headers: { cookie: xihu },
      })
      assert.equal(xres.statusCode, 200)
      const sheet = (await readXlsx(xres.rawPayload)).worksheets[0]!
      assert.equal(sheet.views[0]?.state, 'frozen')
      const stuNoCol = sheetColumns('students').findIndex((c) => c.header === '学员编号') + 1
      const exported: string[] = []
      sheet.eachRow((row, n) => {
        if (n > 1) exported.push(String(row.getCell(stuNoCol).value))
      })
      assert.deepEqual(exported.sort(), [1, 2, 3].map((n) => studentRow(n)[0]).sort())

      const cres = await app.inject({
        method: 'GET',
        url: '/api/registry/students/export?format=csv&licenseType=C1',
        headers: { cookie: yuhang },
      })
      assert.equal(cres.statusCode, 200)
      assert.match(String(cres.headers['content-type']), /text\/csv/)
      const csvText = cres.rawPayload.subarray(3).toString('utf8')
      assert.equal(csvText.trim().split('\r\n').length, 3)
      assert.ok(csvText.includes(studentRow(41)[3]!), 'ID cards in full for personal:read')

      const audit = await database.query<{ n: number }>(
        `select count(*)::int as n from audit_log where action = 'export' and username in ('xihu', 'yuhang')`,
      )
      assert.equal(audit[0]!.n, 2)

      // Round trip: both files into a fresh database with the same institutions.
      const fresh = await engine.open()
      try {
        await prepareDatabase(fresh, passwordHash)
        const freshApp = await openApp(fresh)
        try {
          const cookie = await loginCookie(freshApp, 'xihu')
          const again = await upload(freshApp, cookie, 'students', '学员-导出.xlsx', xres.rawPayload)
          assert.equal(again.statusCode, 200, again.body)
          assert.deepEqual(again.json(), { imported: 3 })
          const cookieYh = await loginCookie(freshApp, 'yuhang')
          const againCsv = await upload(freshApp, cookieYh, 'students', '学员-导出.csv', cres.rawPayload)
          assert.equal(againCsv.statusCode, 200, againCsv.body)
          assert.deepEqual(againCsv.json(), { imported: 2 })
          const cols = 'stu_no, name, sex, id_card, phone, license_type, enrolled_on, status, county_code'
          const original = await database.query(`select ${cols} from student order by stu_no`)
          const copied = await fresh.query(`select ${cols} from student order by stu_no`)
          assert.deepEqual(copied, original)
        } finally {
          await freshApp.close()
        }
      } finally {
        await fresh.close()
      }
    })
  })
}
