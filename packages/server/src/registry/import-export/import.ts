/**
 * Bulk import of a registry list (xlsx or CSV), all or nothing.
 *
 * The whole file is read and every row validated first: cell formats and identity numbers (the
 * registry's own validators), references by code (机构编号, 平台编号, 车牌号, 学员编号) resolved
 * inside the caller's jurisdiction, duplicates inside the file, then `prepareCreate` per row, which
 * applies exactly what `POST` applies (regions, jurisdiction, uniqueness against the database).
 * Any error → ERR_REG_IMPORT_INVALID listing every problem by row and column, nothing written.
 * Otherwise all rows go in through the batch writer in one transaction, with one audit entry.
 */
import { and, getTableColumns, inArray } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { AuditActor } from '../../auth/audit.ts'
import type { Scope } from '../../auth/scope.ts'
import { type BatchColumn, insertBatch } from '../../db/batch.ts'
import type { Database, Sql } from '../../db/client.ts'
import { institution, student, timingPlatform, vehicle } from '../../db/schema/index.ts'
import { normalizePlate } from '../../domain/identity.ts'
import { PROVINCE_CODE } from '../../domain/regions.ts'
import { type AppError, appError, isAppError } from '../../errors/catalogue.ts'
import { ENTITIES, type EntityName } from '../definitions.ts'
import {
  bulkLookups,
  duplicateError,
  findTakenValues,
  prepareCreate,
  type RegistryContext,
  type Row,
} from '../prepare.ts'
import { visibleCondition } from '../repository.ts'
import { translateDbError } from '../service.ts'
import { importColumns, type RefKind, resolveCounty, type SheetColumn } from './columns.ts'
import { readTable } from './format.ts'
import { type ImportRowError, mapHeaders, type ParsedRow, parseRows, reasonOf } from './rows.ts'

/** Data rows accepted in one file. */
export const IMPORT_ROW_LIMIT = 10_000
/** Rows validated at the same time. */
const PREPARE_CONCURRENCY = 8
/** Row errors returned in one response (the count is always complete). */
export const IMPORT_ERROR_LIMIT = 1_000

export interface ImportContext {
  database: Database
  scope: Scope
  actor: AuditActor
  ip?: string | null
}

export interface ImportResult {
  imported: number
}

export async function importFile(
  entity: EntityName,
  buffer: Uint8Array,
  fileName: string | undefined,
  ctx: ImportContext,
): Promise<ImportResult> {
  const table = await readTable(buffer, fileName)
  if (table.rows.length === 0) throw appError('ERR_REG_IMPORT_FORMAT', { reason: '文件中只有表头，没有数据行' })
  if (table.rows.length > IMPORT_ROW_LIMIT) {
    throw appError('ERR_REG_IMPORT_TOO_MANY_ROWS', { rows: table.rows.length, limit: IMPORT_ROW_LIMIT })
  }
  const mapping = mapHeaders(entity, table.headers)
  // Without the right columns every row would repeat the same complaint: report the header only.
  if (mapping.errors.length > 0) throw invalid(mapping.errors, entity)

  const { rows, errors } = parseRows(entity, table, mapping.positions)
  await resolveReferences(rows, errors, ctx)
  findDuplicatesInFile(entity, rows, errors)

  const failed = new Set(errors.map((e) => e.row))
  const pending = rows.filter((r) => !failed.has(r.row))
  const prepared: { parsed: ParsedRow; values: Row }[] = []
  // One lookup per referenced institution/platform for the whole file; uniqueness against the
  // database is checked below with one query per unique column instead of one per row.
  const registry: RegistryContext = { db: ctx.database.db, scope: ctx.scope, bulk: bulkLookups() }
  // Rows are independent: validate a few at a time (a PostgreSQL pool serves them in parallel).
  let next = 0
  const worker = async () => {
    while (next < pending.length) {
      const parsed = pending[next++] as ParsedRow
      try {
        prepared.push({ parsed, values: await prepareCreate(entity, parsed.input, registry) })
      } catch (error) {
        if (!isAppError(error)) throw error
        errors.push(rowErrorFrom(entity, parsed, error))
      }
    }
  }
  await Promise.all(Array.from({ length: PREPARE_CONCURRENCY }, worker))
  const def = ENTITIES[entity]
  for (const f of def.fields.filter((x) => x.unique)) {
    const taken = await findTakenValues(
      registry,
      entity,
      f.key,
      prepared.map((p) => p.values[f.key]),
    )
    for (const p of prepared) {
      if (taken.has(p.values[f.key]))
        errors.push(rowErrorFrom(entity, p.parsed, duplicateError(def, f, p.values[f.key])))
    }
  }
  if (errors.length > 0) throw invalid(errors, entity)
  prepared.sort((a, b) => a.parsed.row - b.parsed.row)

  // A row written by someone else between validation and this transaction surfaces as a coded
  // duplicate; the transaction is rolled back, so still nothing is imported.
  const imported = await ctx.database
    .transaction(async (tx) => {
      const written = await insertRows(
        tx,
        entity,
        prepared.map((p) => p.values),
      )
      await tx.query(
        `insert into audit_log (user_id, username, role, action, entity, region_code, detail, ip)
       values ($1, $2, $3, 'import', $4, $5, $6::jsonb, $7)`,
        [
          ctx.actor.id,
          ctx.actor.username,
          ctx.actor.role,
          ENTITIES[entity].table,
          commonRegion(prepared.map((p) => p.values)),
          JSON.stringify({ count: written, fileName: fileName ?? null }),
          ctx.ip ?? null,
        ],
      )
      return written
    })
    .catch((error: unknown) => {
      throw translateDbError(def, error)
    })
  return { imported }
}

function invalid(errors: ImportRowError[], entity: EntityName) {
  const order = new Map(importColumns(entity).map((c, i) => [c.header, i]))
  const sorted = [...errors].sort(
    (a, b) => a.row - b.row || (order.get(a.column) ?? 999) - (order.get(b.column) ?? 999),
  )
  const details: { errors: ImportRowError[]; total: number; truncated?: boolean } = {
    errors: sorted.slice(0, IMPORT_ERROR_LIMIT),
    total: sorted.length,
  }
  if (sorted.length > IMPORT_ERROR_LIMIT) details.truncated = true
  return appError('ERR_REG_IMPORT_INVALID', { count: sorted.length }, details)
}

// ── references ──────────────────────────────────────────────────────────

const REF_LABEL: Record<RefKind, string> = {
  institution: '机构编号',
  platform: '计时平台编号',
  vehicle: '车牌号',
  student: '学员编号',
  county: '区县',
}

function normalizeCode(kind: RefKind, code: string): string {
  if (kind === 'vehicle') return normalizePlate(code)
  return code.replace(/\s+/g, '').toUpperCase()
}

/** Resolves every code of the file with one query per kind, inside the caller's jurisdiction. */
async function resolveReferences(rows: ParsedRow[], errors: ImportRowError[], ctx: ImportContext) {
  const wanted = new Map<RefKind, Set<string>>()
  for (const row of rows) {
    for (const ref of row.refs) {
      const set = wanted.get(ref.kind) ?? new Set<string>()
      set.add(normalizeCode(ref.kind, ref.code))
      wanted.set(ref.kind, set)
    }
  }
  const found = new Map<RefKind, Map<string, number>>()
  for (const [kind, codes] of wanted) {
    if (kind !== 'county') found.set(kind, await lookup(ctx, kind, [...codes]))
  }
  for (const row of rows) {
    for (const ref of row.refs) {
      const fail = (message: string) =>
        errors.push({ row: row.row, column: ref.column.header, field: ref.column.key, message })
      const code = normalizeCode(ref.kind, ref.code)
      if (ref.kind === 'county') {
        const codes = resolveCounty(ref.code)
        if (codes.length === 1) row.input[ref.column.key as string] = codes[0]
        else if (codes.length === 0) fail(`未知的区县“${ref.code}”，请填写 6 位区县代码或区县名称`)
        else fail(`区县名称“${ref.code}”有重名，请写成“某某市${ref.code}”或填写区县代码`)
        continue
      }
      const id = found.get(ref.kind)?.get(code)
      if (id === undefined) fail(`${REF_LABEL[ref.kind]} ${ref.code} 不存在或不在您的管辖范围内`)
      else row.input[ref.column.key as string] = id
    }
  }
}

async function lookup(
  ctx: ImportContext,
  kind: Exclude<RefKind, 'county'>,
  codes: string[],
): Promise<Map<string, number>> {
  const db = ctx.database.db
  const result = new Map<string, number>()
  // Large files: keep each IN list to a reasonable size.
  for (let i = 0; i < codes.length; i += 1000) {
    const chunk = codes.slice(i, i + 1000)
    let rows: { id: number; code: string }[]
    switch (kind) {
      case 'institution':
        rows = await db
          .select({ id: institution.id, code: institution.insCode })
          .from(institution)
          .where(and(inArray(institution.insCode, chunk), visibleCondition(ENTITIES.institutions, ctx.scope)))
        break
      case 'platform':
        // The platform list is public to every account that may import; terminals check the
        // operator's own platform in prepareCreate.
        rows = await db
          .select({ id: timingPlatform.id, code: timingPlatform.platformNo })
          .from(timingPlatform)
          .where(inArray(timingPlatform.platformNo, chunk))
        break
      case 'vehicle':
        rows = await db
          .select({ id: vehicle.id, code: vehicle.plate })
          .from(vehicle)
          .where(and(inArray(vehicle.plate, chunk), visibleCondition(ENTITIES.vehicles, ctx.scope)))
        break
      case 'student':
        rows = await db
          .select({ id: student.id, code: student.stuNo })
          .from(student)
          .where(and(inArray(student.stuNo, chunk), visibleCondition(ENTITIES.students, ctx.scope)))
        break
    }
    for (const r of rows) result.set(r.code, r.id)
  }
  return result
}

// ── duplicates inside the file ─────────────────────────────────────────

function findDuplicatesInFile(entity: EntityName, rows: ParsedRow[], errors: ImportRowError[]) {
  const columns = importColumns(entity)
  for (const field of ENTITIES[entity].fields) {
    if (!field.unique) continue
    const column = columns.find((c) => c.key === field.key)
    if (!column) continue
    const seen = new Map<string, number>()
    for (const row of rows) {
      const value = row.input[field.key]
      if (value === undefined || value === null) continue
      const key = String(value)
      const first = seen.get(key)
      if (first === undefined) seen.set(key, row.row)
      else {
        errors.push({
          row: row.row,
          column: column.header,
          field: field.key,
          message: `${column.header}与第 ${first} 行重复`,
        })
      }
    }
  }
}

// ── prepareCreate errors → row errors ──────────────────────────────────

/** The column an error about `field` belongs to; jurisdiction errors land on the placing column. */
function columnFor(entity: EntityName, field: string | undefined): SheetColumn | undefined {
  const columns = importColumns(entity)
  if (field) {
    const direct = columns.find((c) => c.key === field)
    if (direct) return direct
  }
  const placing = ['institutionId', 'studentId', 'countyCode', 'timingPlatformId']
  for (const key of placing) {
    const column = columns.find((c) => c.key === key)
    if (column) return column
  }
  return undefined
}

function rowErrorFrom(entity: EntityName, parsed: ParsedRow, error: AppError): ImportRowError {
  const details = (error.details ?? {}) as { field?: unknown }
  const field = typeof details.field === 'string' ? details.field : undefined
  const column = columnFor(entity, field)
  let message: string
  switch (error.code) {
    case 'ERR_REG_DUPLICATE':
      message = `${column?.header ?? '记录'}已存在于系统中`
      break
    case 'ERR_AUTH_OUT_OF_SCOPE':
      message = `不在您的管辖范围内：${String(error.params.detail ?? '')}`
      break
    default:
      message = reasonOf(error)
  }
  return { row: parsed.row, column: column?.header ?? '', field: field ?? column?.key ?? null, message }
}

// ── writing ─────────────────────────────────────────────────────────────

const SQL_TYPES: Record<string, string> = {
  serial: 'int4',
  integer: 'int4',
  bigserial: 'int8',
  bigint: 'int8',
  'double precision': 'float8',
  'timestamp with time zone': 'timestamptz',
}

function batchColumn(col: PgColumn): BatchColumn {
  const type = col.getSQLType()
  return { name: col.name, type: SQL_TYPES[type] ?? type }
}

/** Inserts prepared rows with the batch writer; rows with the same keys share one statement. */
async function insertRows(tx: Sql, entity: EntityName, rows: Row[]): Promise<number> {
  const def = ENTITIES[entity]
  const tableColumns = getTableColumns(def.drizzle) as Record<string, PgColumn>
  const groups = new Map<string, Row[]>()
  for (const row of rows) {
    const keys = Object.keys(row)
      .filter((k) => row[k] !== undefined && tableColumns[k])
      .sort()
      .join(',')
    const group = groups.get(keys)
    if (group) group.push(row)
    else groups.set(keys, [row])
  }
  let written = 0
  for (const [keyList, group] of groups) {
    const keys = keyList.split(',')
    const columns = keys.map((k) => batchColumn(tableColumns[k] as PgColumn))
    written += await insertBatch(
      tx,
      def.table,
      columns,
      group.map((row) => keys.map((k) => row[k])),
    )
  }
  return written
}

/** The narrowest region that contains every imported row (audit scoping). */
function commonRegion(rows: Row[]): string {
  const counties = new Set(rows.map((r) => r.countyCode as string | undefined))
  if (counties.size === 1) {
    const [only] = counties
    if (only) return only
  }
  const cities = new Set(rows.map((r) => r.cityCode as string | undefined))
  if (cities.size === 1) {
    const [only] = cities
    if (only) return only
  }
  return PROVINCE_CODE
}
