/**
 * Export of registry lists and import templates, with the same Chinese columns as import so an
 * exported file can be imported again unchanged.
 *
 * Exports walk the caller's scoped, filtered list page by page and stream the file out (CSV rows
 * or a streamed xlsx workbook), so a province-wide list never sits in memory at once. Personal
 * data is masked as in lists unless the caller holds `personal:read`.
 */
import { PassThrough, type Readable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import { inArray } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import type { Scope } from '../../auth/scope.ts'
import type { Db } from '../../db/client.ts'
import { institution, timingPlatform } from '../../db/schema/index.ts'
import { ENTITIES, type EntityName } from '../definitions.ts'
import { maskRow } from '../mask.ts'
import type { Row } from '../prepare.ts'
import { type ListFilters, listRows } from '../repository.ts'
import { type SheetColumn, sheetColumns } from './columns.ts'
import { type FileFormat, writeCsv, writeXlsx } from './format.ts'

/** Rows fetched per page while exporting. */
const EXPORT_PAGE = 2_000

type Cell = string | number | null

/** File name of an export or template, e.g. 学员-20240301.xlsx. */
export function fileName(
  entity: EntityName,
  kind: 'export' | 'template',
  format: FileFormat,
  now = new Date(),
): string {
  const label = ENTITIES[entity].label
  const stamp = now.toISOString().slice(0, 10).replace(/-/g, '')
  return kind === 'template' ? `${label}导入模板.${format}` : `${label}-${stamp}.${format}`
}

/** RFC 6266 Content-Disposition with a UTF-8 file name (and an ASCII fallback). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

// ── cells ───────────────────────────────────────────────────────────────

interface Lookups {
  insCode: Map<number, string>
  platformNo: Map<number, string>
}

function cellOf(column: SheetColumn, row: Row, lookups: Lookups): Cell {
  switch (column.ref) {
    case 'institution':
      return lookups.insCode.get(row.institutionId as number) ?? ''
    case 'platform':
      return row.timingPlatformId ? (lookups.platformNo.get(row.timingPlatformId as number) ?? '') : ''
    case 'vehicle':
      return (row.vehiclePlate as string | null) ?? ''
    case 'student':
      return (row.stuNo as string | null) ?? ''
    case 'county':
      return (row.countyCode as string | null) ?? ''
  }
  if (column.exportOnly) {
    switch (column.header) {
      case '机构名称':
        return (row.institutionName as string | null) ?? ''
      case '所属区县':
        return (row.countyName as string | null) ?? ''
      case '学员姓名':
        return (row.studentName as string | null) ?? ''
    }
  }
  const field = column.field
  if (!field) return ''
  const value = row[field.key]
  if (value === null || value === undefined) return ''
  if (column.yuan) return (Number(value) / 100).toFixed(2)
  switch (field.kind) {
    case 'enum':
      return field.valueLabels?.[String(value)] ?? String(value)
    case 'textArray':
      return Array.isArray(value) ? value.map((v) => field.valueLabels?.[String(v)] ?? String(v)).join('、') : ''
    case 'json':
      return JSON.stringify(value)
    case 'int':
    case 'float':
      return Number(value)
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value)
    default:
      return String(value)
  }
}

async function loadLookups(db: Pick<Db, 'select'>, rows: Row[], lookups: Lookups): Promise<void> {
  const missing = [
    ...new Set(
      rows.map((r) => r.institutionId as number | undefined).filter((id): id is number => typeof id === 'number'),
    ),
  ].filter((id) => !lookups.insCode.has(id))
  if (missing.length > 0) {
    const found = await db
      .select({ id: institution.id, insCode: institution.insCode })
      .from(institution)
      .where(inArray(institution.id, missing))
    for (const r of found) lookups.insCode.set(r.id, r.insCode)
  }
}

// ── export ──────────────────────────────────────────────────────────────

export interface ExportContext {
  db: Pick<Db, 'select'>
  scope: Scope
  /** Caller holds personal:read: ID and phone numbers in full. */
  personal: boolean
  /** Runs after the last row and before the file is closed (the audit entry). */
  beforeEnd?: (count: number) => Promise<void>
}

export interface ExportStream {
  stream: Readable
  /** Resolves with the number of rows written once the file is complete. */
  done: Promise<number>
}

/** Streams every row the scope and filters allow as xlsx or CSV. */
export function exportStream(
  entity: EntityName,
  format: FileFormat,
  filters: ListFilters,
  ctx: ExportContext,
): ExportStream {
  const def = ENTITIES[entity]
  const columns = sheetColumns(entity)
  const headers = columns.map((c) => c.header)
  const out = new PassThrough()
  const writer = format === 'csv' ? csvWriter(out, headers) : xlsxWriter(out, def.label, columns)
  const done = (async () => {
    const platforms = await ctx.db.select({ id: timingPlatform.id, no: timingPlatform.platformNo }).from(timingPlatform)
    const lookups: Lookups = { insCode: new Map(), platformNo: new Map(platforms.map((p) => [p.id, p.no])) }
    let written = 0
    for (let page = 1; ; page++) {
      const { items } = await listRows(
        ctx.db,
        entity,
        ctx.scope,
        { ...filters, sort: 'id', order: 'asc' },
        {
          page,
          pageSize: EXPORT_PAGE,
        },
      )
      await loadLookups(ctx.db, items, lookups)
      const rows = items.map((item) => {
        const row = ctx.personal ? item : maskRow(def, item)
        return columns.map((c) => cellOf(c, row, lookups))
      })
      await writer.write(rows)
      written += rows.length
      if (items.length < EXPORT_PAGE) break
    }
    await ctx.beforeEnd?.(written)
    await writer.end()
    return written
  })()
  done.catch((error) => out.destroy(error as Error))
  return { stream: out, done }
}

interface TableWriter {
  write(rows: Cell[][]): Promise<void>
  end(): Promise<void>
}

function waitDrain(out: PassThrough): Promise<void> {
  return out.writableNeedDrain ? new Promise((resolve) => out.once('drain', () => resolve())) : Promise.resolve()
}

function csvWriter(out: PassThrough, headers: string[]): TableWriter {
  out.write(Buffer.from([0xef, 0xbb, 0xbf]))
  out.write(stringify([headers], { record_delimiter: '\r\n' }))
  return {
    async write(rows) {
      if (rows.length === 0) return
      out.write(
        stringify(
          rows.map((r) => r.map((v) => (v === null ? '' : String(v)))),
          { record_delimiter: '\r\n' },
        ),
      )
      await waitDrain(out)
    },
    async end() {
      out.end()
    },
  }
}

function xlsxWriter(out: PassThrough, sheetName: string, columns: SheetColumn[]): TableWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = '驾培监管服务平台'
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.header, width: columnWidth(c) }))
  columns.forEach((c, i) => {
    if (c.text) sheet.getColumn(i + 1).numFmt = '@'
  })
  const head = sheet.getRow(1)
  head.font = { bold: true }
  head.commit()
  return {
    async write(rows) {
      for (const cells of rows) sheet.addRow(cells.map((v) => (v === null ? '' : v))).commit()
      await waitDrain(out)
    },
    async end() {
      sheet.commit()
      await workbook.commit()
    },
  }
}

function columnWidth(column: SheetColumn): number {
  let width = 0
  for (const ch of column.header) width += /[\u1100-\uffff]/.test(ch) ? 2 : 1
  const example = String(column.example ?? '')
  let exampleWidth = 0
  for (const ch of example) exampleWidth += /[\u1100-\uffff]/.test(ch) ? 2 : 1
  return Math.min(50, Math.max(10, width + 2, exampleWidth + 2))
}

// ── template ────────────────────────────────────────────────────────────

/** The import template: headers and one example row; in xlsx a second sheet 填写说明. */
export async function templateFile(entity: EntityName, format: FileFormat): Promise<Buffer> {
  const columns = sheetColumns(entity)
  const headers = columns.map((c) => c.header)
  const example = columns.map((c) => c.example)
  if (format === 'csv') return writeCsv(headers, [example])
  const textColumns = columns.flatMap((c, i) => (c.text ? [i] : []))
  return writeXlsx([
    {
      name: ENTITIES[entity].label,
      headers,
      rows: [example],
      widths: columns.map(columnWidth),
      textColumns,
    },
    {
      name: '填写说明',
      headers: ['列名', '是否必填', '填写说明', '示例'],
      rows: [
        ...columns.map((c) => [
          c.header,
          c.exportOnly ? '导入时忽略' : c.required ? '必填' : '选填',
          c.note,
          c.example,
        ]),
        [],
        ['说明', '', '第 1 行为表头，请勿修改表头文字；从第 2 行起每行一条记录（示例行请删除或替换）。', ''],
        ['', '', '导入时逐行校验全部数据：只要有一处错误，整个文件都不会导入，并返回错误所在的行号和列名。', ''],
        ['', '', '身份证号、编号等请设置为文本格式，避免 Excel 把长数字改成科学计数法。', ''],
      ],
      widths: [22, 12, 80, 28],
    },
  ])
}
