import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import ExcelJS from 'exceljs'
import { isAppError } from '../../errors/catalogue.ts'
import { ENTITY_NAMES } from '../definitions.ts'
import { importColumns, resolveCounty, sheetColumns } from './columns.ts'
import { readTable, writeCsv, writeXlsx } from './format.ts'
import { convertCell, mapHeaders, parseDate, parseRows, parseYuan } from './rows.ts'

async function rejectsWith(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (error) => isAppError(error) && error.code === code)
}

describe('spreadsheet formats', () => {
  test('xlsx round trip keeps long identity numbers as text, header bold and frozen', async () => {
    const buffer = await writeXlsx([
      {
        name: '学员',
        headers: ['学员编号', '身份证号'],
        rows: [['3301060000400001', '33010619900101123X']],
        textColumns: [0, 1],
      },
    ])
    const table = await readTable(buffer, 'x.xlsx')
    assert.deepEqual(table.headers, ['学员编号', '身份证号'])
    assert.deepEqual(table.rows, [{ row: 2, cells: ['3301060000400001', '33010619900101123X'] }])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(buffer as never)
    const sheet = workbook.worksheets[0]!
    assert.equal(sheet.getRow(1).font?.bold, true)
    assert.equal(sheet.views[0]?.state, 'frozen')
    assert.equal(sheet.views[0]?.ySplit, 1)
  })

  test('xlsx row numbers follow the sheet: empty rows are skipped, not renumbered', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('s')
    sheet.getCell('A1').value = ' 姓名 '
    sheet.getCell('A2').value = '张三'
    sheet.getCell('A4').value = '李四'
    sheet.getCell('B4').value = new Date(Date.UTC(2024, 2, 1))
    const table = await readTable(Buffer.from(await workbook.xlsx.writeBuffer()))
    assert.deepEqual(table.headers, ['姓名'])
    assert.deepEqual(
      table.rows.map((r) => [r.row, r.cells]),
      [
        [2, ['张三']],
        [4, ['李四', '2024-03-01']],
      ],
    )
  })

  test('CSV export starts with a UTF-8 BOM and reads back', async () => {
    const buffer = writeCsv(['机构名称', '备注'], [['杭州"西湖"驾校, 有限公司', null]])
    assert.deepEqual([...buffer.subarray(0, 3)], [0xef, 0xbb, 0xbf])
    const table = await readTable(buffer, 'x.csv')
    assert.deepEqual(table.headers, ['机构名称', '备注'])
    assert.deepEqual(table.rows[0]?.cells, ['杭州"西湖"驾校, 有限公司', ''])
  })

  test('GBK-encoded CSV (Excel on Chinese Windows) is decoded', async () => {
    // "姓名,区县\r\n张三,西湖区\r\n" in GBK.
    const gbk = Buffer.from('d0d5c3fb2cc7f8cfd80d0ad5c5c8fd2ccef7bafec7f80d0a', 'hex')
    const table = await readTable(gbk, 'x.csv')
    assert.deepEqual(table.headers, ['姓名', '区县'])
    assert.deepEqual(table.rows[0]?.cells, ['张三', '西湖区'])
  })

  test('unreadable files are refused with ERR_REG_IMPORT_FORMAT', async () => {
    await rejectsWith(readTable(Buffer.alloc(0)), 'ERR_REG_IMPORT_FORMAT')
    await rejectsWith(readTable(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])), 'ERR_REG_IMPORT_FORMAT')
    await rejectsWith(readTable(Buffer.from('not a workbook'), 'list.xlsx'), 'ERR_REG_IMPORT_FORMAT')
    await rejectsWith(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])), 'ERR_REG_IMPORT_FORMAT')
    await rejectsWith(readTable(Buffer.from('a,"b\n1,2')), 'ERR_REG_IMPORT_FORMAT')
  })
})

describe('columns and header mapping', () => {
  test('every entity has Chinese headers, unique after normalisation, and the required ones', () => {
    for (const entity of [
      'institutions',
      'fields',
      'coaches',
      'vehicles',
      'terminals',
      'students',
      'contracts',
      'platforms',
    ] as const) {
      const headers = sheetColumns(entity).map((c) => c.header)
      assert.equal(new Set(headers).size, headers.length, `${entity}: duplicate header`)
      for (const h of headers) assert.match(h, /[\u4e00-\u9fa5]|IMEI/, `${entity}: ${h}`)
    }
    const students = sheetColumns('students').map((c) => c.header)
    for (const h of ['学员编号', '机构编号', '姓名', '身份证号', '培训车型', '报名日期'])
      assert.ok(students.includes(h), h)
    assert.ok(sheetColumns('vehicles').some((c) => c.header === '车牌号'))
    assert.ok(sheetColumns('coaches').some((c) => c.header === '准教车型'))
    assert.ok(sheetColumns('institutions').some((c) => c.header === '所属区县代码'))
  })

  test('the example row of every template passes the registry validators', () => {
    for (const entity of ENTITY_NAMES) {
      for (const column of importColumns(entity)) {
        if (column.required) assert.notEqual(column.example, '', `${entity}: ${column.header}`)
        if (column.ref || !column.field || column.example === '') continue
        const result = convertCell(column.field, column.example)
        assert.ok(!('error' in result), `${entity}: ${column.header} ${column.example}`)
      }
    }
  })

  test('aliases and stray spaces are accepted; unknown, duplicate and missing required columns are reported', () => {
    const ok = mapHeaders('students', ['序号', '学员 编号', '所属机构编号', '姓名', '身份证号', '培训车型', '报名日期'])
    assert.deepEqual(ok.errors, [])
    const bad = mapHeaders('students', ['学员编号', '学员编号', '姓名', '身份证', '培训车型', '报名日期'])
    assert.deepEqual(
      bad.errors.map((e) => [e.row, e.column]),
      [
        [1, '学员编号'],
        [1, '身份证'],
        [1, '机构编号'],
        [1, '身份证号'],
      ],
    )
  })

  test('cells are converted and checked by the registry validators, all errors collected', () => {
    const headers = ['学员编号', '机构编号', '姓名', '性别', '身份证号', '培训车型', '报名日期', '状态']
    const { positions } = mapHeaders('students', headers)
    const { rows, errors } = parseRows(
      'students',
      {
        headers,
        rows: [
          {
            row: 2,
            cells: [
              '3301060000400001',
              '3301060000000001',
              '李明',
              '男',
              '33010619900101123X',
              'C1',
              '2024/3/1',
              '培训中',
            ],
          },
          {
            row: 3,
            cells: ['33010600004', '3301060000000001', '', '男', '330106199001011234', 'Z9', '2024-02-30', '毕业'],
          },
        ],
      },
      positions,
    )
    assert.deepEqual(rows[0]?.input, {
      stuNo: '3301060000400001',
      name: '李明',
      sex: 'M',
      idCard: '33010619900101123X',
      licenseType: 'C1',
      enrolledOn: '2024-03-01',
      status: 'training',
    })
    assert.deepEqual(
      rows[0]?.refs.map((r) => [r.kind, r.code]),
      [['institution', '3301060000000001']],
    )
    assert.deepEqual(
      errors.map((e) => [e.row, e.column, e.field]),
      [
        [3, '学员编号', 'stuNo'],
        [3, '姓名', 'name'],
        [3, '身份证号', 'idCard'],
        [3, '培训车型', 'licenseType'],
        [3, '报名日期', 'enrolledOn'],
        [3, '状态', 'status'],
      ],
    )
  })

  test('dates, yuan amounts and county names as offices write them', () => {
    assert.equal(parseDate('2024年3月1日'), '2024-03-01')
    assert.equal(parseDate('20240301'), '2024-03-01')
    assert.equal(parseDate('2023-02-29'), null)
    assert.equal(parseYuan('4,800.5'), 480050)
    assert.equal(parseYuan('¥120'), 12000)
    assert.equal(parseYuan('1.234'), null)
    assert.deepEqual(resolveCounty('西湖区'), ['330106'])
    assert.deepEqual(resolveCounty('杭州市 西湖区'), ['330106'])
    assert.deepEqual(resolveCounty('330106'), ['330106'])
    assert.deepEqual(resolveCounty('不存在区'), [])
    assert.ok(importColumns('contracts').some((c) => c.header === '合同金额（元）' && c.yuan))
  })
})
