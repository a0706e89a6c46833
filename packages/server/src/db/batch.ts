/**
 * The batch write path for high-volume tables: one multi-row statement per chunk, built as
 * `INSERT … SELECT * FROM unnest($1::type[], $2::type[], …)` so it is the same SQL on PGlite and on
 * PostgreSQL and costs one round trip per few thousand rows (DESIGN §3). Never row by row.
 */
import type { Sql } from './client.ts'
import { PARTITIONED_TABLES } from './client.ts'

export interface BatchColumn {
  name: string
  /**
   * PostgreSQL element type of the unnest array, e.g. text, int4, int8, float8, bool, date, timestamptz, jsonb.
   * Array columns (`text[]`, `int4[]`) are accepted too: each value is a JS array, sent as an array literal and
   * cast per row, because `unnest` would flatten a two-dimensional array.
   */
  type: string
}

export interface BatchOptions {
  /** Rows per statement. */
  chunkSize?: number
  /** `ON CONFLICT …` clause, e.g. 'DO NOTHING' for idempotent replays. */
  onConflict?: string
  /** Called after every chunk with the running total (progress bars). */
  onProgress?: (done: number) => void
}

/** Inserts `rows` (each an array in column order) and returns how many were written. */
export async function insertBatch(
  q: Sql,
  table: string,
  columns: readonly BatchColumn[],
  rows: readonly (readonly unknown[])[],
  options: BatchOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 5000
  const names = columns.map((c) => quoteIdent(c.name)).join(', ')
  const isArray = columns.map((c) => c.type.endsWith('[]'))
  const arrays = columns.map((c, i) => (isArray[i] ? `$${i + 1}::text[]` : `$${i + 1}::${c.type}[]`)).join(', ')
  const aliases = columns.map((_, i) => `c${i}`)
  const select = columns.map((c, i) => (isArray[i] ? `c${i}::${c.type}` : `c${i}`)).join(', ')
  const conflict = options.onConflict ? ` ON CONFLICT ${options.onConflict}` : ''
  const text = `INSERT INTO ${quoteIdent(table)} (${names}) SELECT ${select} FROM unnest(${arrays}) AS u(${aliases.join(', ')})${conflict}`
  let written = 0
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize)
    const params = columns.map((c, col) =>
      chunk.map((row) => {
        const v = row[col]
        if (v === null || v === undefined) return null
        // jsonb values are passed as text and cast element-wise by PostgreSQL.
        if (c.type === 'jsonb') return JSON.stringify(v)
        if (isArray[col]) return arrayLiteral(v as readonly unknown[])
        return v
      }),
    )
    const result = await q.query<{ n: number }>(
      `WITH ins AS (${text} RETURNING 1) SELECT count(*)::int AS n FROM ins`,
      params,
    )
    written += result[0]?.n ?? 0
    options.onProgress?.(start + chunk.length)
  }
  return written
}

const preparedBy = new WeakMap<Sql, Set<string>>()

/**
 * Makes sure the month partitions for every instant in `times` exist before a batch lands in a
 * partitioned table. Cached per process; the DEFAULT partition catches anything created between.
 */
export async function ensurePartitions(q: Sql, table: keyof typeof PARTITIONED_TABLES, times: Iterable<Date>) {
  const prepared = preparedBy.get(q) ?? new Set<string>()
  preparedBy.set(q, prepared)
  const months = new Set<string>()
  for (const t of times) months.add(t.toISOString().slice(0, 7))
  for (const month of months) {
    const key = `${table}:${month}`
    if (prepared.has(key)) continue
    await q.query('select jiapei_ensure_month_partitions($1, $2, $3::date, 1)', [
      table,
      PARTITIONED_TABLES[table],
      `${month}-01`,
    ])
    prepared.add(key)
  }
}

/** PostgreSQL array literal of a one-dimensional array: ['a', null, 'b"c'] → {"a",NULL,"b\\"c"}. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) =>
    v === null || v === undefined ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  )
  return `{${items.join(',')}}`
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier ${name}`)
  return `"${name}"`
}
