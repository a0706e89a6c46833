/**
 * From a table of strings to input objects: header mapping (aliases, spaces, unknown and missing
 * columns) and cell conversion (dates as offices write them, amounts in yuan), then the
 * registry's own `coerceField` for enum labels, lists, identity numbers and ranges. Errors are
 * collected, never thrown, so one upload reports everything that is wrong with it.
 */
import { type AppError, isAppError } from '../../errors/catalogue.ts'
import type { EntityName, FieldDef } from '../definitions.ts'
import { coerceField } from '../prepare.ts'
import { headerKey, importColumns, type RefKind, type SheetColumn, sheetColumns } from './columns.ts'
import type { SheetTable } from './format.ts'

export interface ImportRowError {
  /** Spreadsheet row number (header = row 1). */
  row: number
  /** Chinese header of the column, or '' for a whole-row problem. */
  column: string
  /** Input key of the field (definition key), or null. */
  field: string | null
  message: string
}

export interface ParsedRow {
  row: number
  /** Input for prepareCreate, references still unresolved. */
  input: Record<string, unknown>
  /** Codes of referenced rows, resolved to ids by the importer. */
  refs: { column: SheetColumn; kind: RefKind; code: string }[]
}

/** Headers a list may carry without meaning anything (row numbers, remarks). */
const IGNORED_HEADERS = new Set(['序号', '备注', '说明', 'NO', 'NO.'])

export interface HeaderMapping {
  positions: Map<SheetColumn, number>
  errors: ImportRowError[]
}

export function mapHeaders(entity: EntityName, headers: string[]): HeaderMapping {
  const lookup = new Map<string, SheetColumn>()
  for (const column of sheetColumns(entity)) {
    for (const name of [column.header, ...column.aliases]) {
      const key = headerKey(name)
      if (!lookup.has(key)) lookup.set(key, column)
    }
  }
  const positions = new Map<SheetColumn, number>()
  const errors: ImportRowError[] = []
  headers.forEach((header, index) => {
    if (header === '') return
    const key = headerKey(header)
    if (IGNORED_HEADERS.has(key)) return
    const column = lookup.get(key)
    if (!column) {
      errors.push({ row: 1, column: header, field: null, message: `无法识别的列“${header}”，请使用导入模板中的表头` })
      return
    }
    if (positions.has(column)) {
      errors.push({ row: 1, column: header, field: column.key, message: `列“${column.header}”重复出现` })
      return
    }
    positions.set(column, index)
  })
  for (const column of importColumns(entity)) {
    if (column.required && !positions.has(column)) {
      errors.push({ row: 1, column: column.header, field: column.key, message: `缺少必填列“${column.header}”` })
    }
  }
  return { positions, errors }
}

export interface ParseResult {
  rows: ParsedRow[]
  errors: ImportRowError[]
}

/** Converts every data row; rows with cell errors are still returned (their errors listed). */
export function parseRows(entity: EntityName, table: SheetTable, positions: Map<SheetColumn, number>): ParseResult {
  const rows: ParsedRow[] = []
  const errors: ImportRowError[] = []
  for (const sheetRow of table.rows) {
    const parsed: ParsedRow = { row: sheetRow.row, input: {}, refs: [] }
    for (const column of importColumns(entity)) {
      const index = positions.get(column)
      const raw = index === undefined ? '' : (sheetRow.cells[index] ?? '')
      const fail = (message: string) =>
        errors.push({ row: sheetRow.row, column: column.header, field: column.key, message })
      if (raw === '') {
        if (column.required) fail(`${column.header}为必填项`)
        continue
      }
      if (column.ref) {
        parsed.refs.push({ column, kind: column.ref, code: raw })
        continue
      }
      if (column.yuan) {
        const fen = parseYuan(raw)
        if (fen === null) fail(`${column.header}应为金额（元），最多两位小数`)
        else parsed.input[column.key as string] = fen
        continue
      }
      const field = column.field
      if (!field) continue
      const result = convertCell(field, raw)
      if ('error' in result) fail(result.error)
      else parsed.input[field.key] = result.value
    }
    rows.push(parsed)
  }
  return { rows, errors }
}

/** One cell → the stored value of the field, converted and validated by the registry itself. */
export function convertCell(field: FieldDef, raw: string): { value: unknown } | { error: string } {
  const cell = field.kind === 'date' ? (parseDate(raw) ?? raw) : raw
  try {
    return { value: coerceField(field, cell) }
  } catch (error) {
    if (isAppError(error)) return { error: reasonOf(error) }
    throw error
  }
}

/** The human reason of a registry validation error (without the field label prefix). */
export function reasonOf(error: AppError): string {
  const details = error.details as { reason?: unknown } | undefined
  return typeof details?.reason === 'string' ? details.reason : error.message
}

/** 2024-03-01, 2024/3/1, 2024.3.1, 20240301, 2024年3月1日 → '2024-03-01'; null if not a real date. */
export function parseDate(raw: string): string | null {
  const v = raw.trim().replace(/\s.*$/, '')
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  return date.toISOString().slice(0, 10)
}

/** '4,800.50' / '¥4800.5' → 480050 fen; null when not an amount with at most two decimals. */
export function parseYuan(raw: string): number | null {
  const v = raw.replace(/[,，¥￥元\s]/g, '')
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return null
  const [whole, frac = ''] = v.split('.')
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
}
