/**
 * The file formats offices exchange registry lists in: Excel workbooks (.xlsx) and CSV.
 *
 * Reading turns either format into one table of trimmed strings (header row + data rows with
 * their spreadsheet row numbers, header = row 1). CSV may be UTF-8 (with or without BOM) or GBK,
 * which is what Excel on a Chinese Windows writes by default. Writing produces an xlsx with a bold,
 * frozen header row and column widths, or a UTF-8 CSV with BOM so Excel opens it with the right
 * encoding.
 */
import { parse as parseCsv } from 'csv-parse/sync'
import { stringify as stringifyCsv } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { appError } from '../../errors/catalogue.ts'

export type FileFormat = 'xlsx' | 'csv'

export const FILE_FORMATS: readonly FileFormat[] = ['xlsx', 'csv']

export const CONTENT_TYPES: Record<FileFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
}

export interface SheetRow {
  /** Spreadsheet row number (the header is row 1). */
  row: number
  cells: string[]
}

export interface SheetTable {
  headers: string[]
  rows: SheetRow[]
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]
const UTF8_BOM = [0xef, 0xbb, 0xbf]

function startsWith(buffer: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => buffer[i] === b)
}

/** Detects the format from the content (the file name is only a hint). */
export function detectFormat(buffer: Uint8Array, fileName?: string): FileFormat {
  if (startsWith(buffer, ZIP_MAGIC)) return 'xlsx'
  if (startsWith(buffer, OLE_MAGIC)) {
    throw appError('ERR_REG_IMPORT_FORMAT', {
      reason: '不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传',
    })
  }
  if (fileName && /\.xlsx$/i.test(fileName)) {
    throw appError('ERR_REG_IMPORT_FORMAT', { reason: '文件扩展名为 .xlsx，但内容不是有效的 Excel 工作簿' })
  }
  return 'csv'
}

/** Reads an uploaded file (xlsx or CSV) into a table of strings. Throws ERR_REG_IMPORT_FORMAT. */
export async function readTable(buffer: Uint8Array, fileName?: string): Promise<SheetTable> {
  if (buffer.length === 0) throw appError('ERR_REG_IMPORT_FORMAT', { reason: '文件为空' })
  const format = detectFormat(buffer, fileName)
  const raw = format === 'xlsx' ? await readXlsxCells(buffer) : readCsvCells(buffer)
  return toTable(raw)
}

/** Decodes CSV bytes: UTF-8 (BOM or valid UTF-8), otherwise GBK. */
export function decodeText(buffer: Uint8Array): string {
  if (startsWith(buffer, UTF8_BOM)) return new TextDecoder('utf-8').decode(buffer.subarray(3))
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer)
  } catch {
    try {
      return new TextDecoder('gbk', { fatal: true }).decode(buffer)
    } catch {
      throw appError('ERR_REG_IMPORT_FORMAT', { reason: '无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV' })
    }
  }
}

function readCsvCells(buffer: Uint8Array): { row: number; cells: string[] }[] {
  const text = decodeText(buffer)
  if (text.includes('\u0000')) throw appError('ERR_REG_IMPORT_FORMAT', { reason: '文件不是文本格式的 CSV' })
  let records: string[][]
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][]
  } catch (error) {
    throw appError('ERR_REG_IMPORT_FORMAT', { reason: `CSV 格式错误（${(error as Error).message}）` })
  }
  return records.map((cells, i) => ({ row: i + 1, cells }))
}

async function readXlsxCells(buffer: Uint8Array): Promise<{ row: number; cells: string[] }[]> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength) as never)
  } catch (error) {
    throw appError('ERR_REG_IMPORT_FORMAT', {
      reason: `Excel 文件已损坏或不是 .xlsx 格式（${(error as Error).message}）`,
    })
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw appError('ERR_REG_IMPORT_FORMAT', { reason: '工作簿中没有工作表' })
  const rows: { row: number; cells: string[] }[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value)
    })
    for (let i = 0; i < cells.length; i++) cells[i] ??= ''
    rows.push({ row: rowNumber, cells })
  })
  return rows
}

/** The text a user sees in a cell, for every kind of value exceljs returns. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return formatDate(value)
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('')
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as ExcelJS.CellFormulaValue).result
      return result === undefined ? '' : cellText(result as ExcelJS.CellValue)
    }
    if ('hyperlink' in value) return String((value as ExcelJS.CellHyperlinkValue).text ?? '')
    if ('error' in value) return ''
  }
  return String(value)
}

/** Excel stores dates without a zone; exceljs hands them over as UTC midnight. */
function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return ''
  const iso = date.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ')
}

/** First non-empty row is the header; fully empty rows are dropped; cells are trimmed. */
function toTable(raw: { row: number; cells: string[] }[]): SheetTable {
  const cleaned = raw
    .map((r) => ({ row: r.row, cells: r.cells.map((c) => normalizeCell(c)) }))
    .filter((r) => r.cells.some((c) => c !== ''))
  const head = cleaned[0]
  if (!head) throw appError('ERR_REG_IMPORT_FORMAT', { reason: '文件中没有表头行' })
  const headers = head.cells.map((h) => h.replace(/\s+/g, ''))
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop()
  return { headers, rows: cleaned.slice(1) }
}

function normalizeCell(value: string): string {
  // Full-width spaces and non-breaking spaces are common in hand-edited lists.
  return value.replace(/[\u00a0\u3000]/g, ' ').trim()
}

// ── Writing ─────────────────────────────────────────────────────────────

export interface SheetSpec {
  name: string
  headers: string[]
  rows: (string | number | null)[][]
  /** Column widths in characters; defaults from the content. */
  widths?: number[]
  /** Columns (0-based) stored as text so Excel never turns ID numbers into 1.1E+17. */
  textColumns?: number[]
}

/** An xlsx workbook: bold, frozen header row, column widths, text cells for identity numbers. */
export async function writeXlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = '驾培监管服务平台'
  workbook.created = new Date()
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] })
    const widths = spec.widths ?? defaultWidths(spec.headers, spec.rows)
    sheet.columns = spec.headers.map((header, i) => ({ header, width: widths[i] ?? 12 }))
    for (const index of spec.textColumns ?? []) sheet.getColumn(index + 1).numFmt = '@'
    for (const row of spec.rows) sheet.addRow(row.map((v) => (v === null ? '' : v)))
    const head = sheet.getRow(1)
    head.font = { bold: true }
    head.alignment = { vertical: 'middle' }
  }
  const out = await workbook.xlsx.writeBuffer()
  return Buffer.from(out as ArrayBuffer)
}

/** Display width of a string: CJK characters count double. */
function displayWidth(value: string): number {
  let width = 0
  for (const ch of value) width += /[\u1100-\uffff]/.test(ch) ? 2 : 1
  return width
}

function defaultWidths(headers: string[], rows: (string | number | null)[][]): number[] {
  return headers.map((h, i) => {
    let max = displayWidth(h)
    for (const row of rows.slice(0, 200)) max = Math.max(max, displayWidth(String(row[i] ?? '')))
    return Math.min(60, Math.max(8, max + 2))
  })
}

/** A UTF-8 CSV with BOM (Excel needs the BOM to read Chinese text correctly). */
export function writeCsv(headers: string[], rows: (string | number | null)[][]): Buffer {
  const text = stringifyCsv([headers, ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))))], {
    record_delimiter: '\r\n',
  })
  return Buffer.concat([Buffer.from(UTF8_BOM), Buffer.from(text, 'utf8')])
}
