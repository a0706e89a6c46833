/**
 * Opens the system of record: embedded PGlite (default) or a PostgreSQL server (`DATABASE_URL`).
 *
 * Both engines get the same Drizzle schema, the same migration folder and the same raw-SQL
 * helper, and return values of the same JS types (int8 → number, date → 'YYYY-MM-DD' string,
 * timestamptz → Date; on the server read by the fast parser of timestamptz.ts), so nothing above
 * this module knows which engine it talks to.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import type { Config } from '../config/load.ts'
import * as schema from './schema/index.ts'
import { parseTimestamptz, TIMESTAMPTZ_OID } from './timestamptz.ts'

export type Schema = typeof schema
/** The Drizzle database; typed as node-postgres, the PGlite driver exposes the same query API. */
export type Db = NodePgDatabase<Schema>

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Raw parameterised SQL on whichever engine is open. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres'
  readonly db: Db
  /** Runs `fn` in one transaction; the `Sql` passed in is bound to it. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>
  migrate(): Promise<void>
  close(): Promise<void>
  /** PGlite only: the whole data directory as a gzip tarball (see `openPglite`'s `loadDataDir`). */
  dump?: () => Promise<Blob>
}

const INT8 = 20
const DATE = 1082

export async function openDatabase(target: Config['database']): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target.url) : openPglite(target.dataDir)
}

/**
 * `dataDir` of `memory://` opens a throw-away in-memory database (tests); `loadDataDir` starts it
 * from a tarball made by `dumpPglite` (tests reuse one migrated template instead of re-running
 * initdb and every migration).
 */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<Database> {
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true })
  const client = await PGlite.create(dataDir, {
    parsers: { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  })
  const db = drizzlePglite({ client, schema }) as unknown as Db
  const query = async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows
  return {
    kind: 'pglite',
    dump: () => client.dumpDataDir('gzip'),
    db,
    query,
    async transaction(fn) {
      return client.transaction((tx) =>
        fn({ query: async (text, params) => (await tx.query(text, params)).rows as never }),
      )
    },
    async migrate() {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: MIGRATIONS_DIR })
      await prepareRollingPartitions({ query })
    },
    async close() {
      await client.close()
    },
  }
}

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return (v: string) => Number(v)
        if (oid === DATE) return (v: string) => v
        if (oid === TIMESTAMPTZ_OID && format !== 'binary') return parseTimestamptz
        return pg.types.getTypeParser(oid, format)
      }) as typeof pg.types.getTypeParser,
    },
  })
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {})
  try {
    await pool.query('select 1')
  } catch (error) {
    await pool.end()
    throw new Error(
      `无法连接 PostgreSQL / cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
  const db = drizzleNodePg({ client: pool, schema })
  const query = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[]
  return {
    kind: 'postgres',
    db,
    query,
    async transaction(fn) {
      const conn = await pool.connect()
      try {
        await conn.query('BEGIN')
        const result = await fn({ query: async (text, params) => (await conn.query(text, params)).rows as never })
        await conn.query('COMMIT')
        return result
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        conn.release()
      }
    },
    async migrate() {
      // Serialise concurrent migrators (several processes starting at once) with an advisory lock.
      const conn = await pool.connect()
      try {
        await conn.query('select pg_advisory_lock(7611001)')
        await migrateNodePg(drizzleNodePg({ client: conn }), { migrationsFolder: MIGRATIONS_DIR })
        await prepareRollingPartitions({ query: async (t, p) => (await conn.query(t, p)).rows as never })
      } finally {
        await conn.query('select pg_advisory_unlock(7611001)').catch(() => {})
        conn.release()
      }
    },
    async close() {
      await pool.end()
    },
  }
}

/** The month-partitioned tables and their partition key (see migration 0001). */
export const PARTITIONED_TABLES = {
  raw_frame: 'received_at',
  minute_record: 'minute_at',
  position: 'fixed_at',
} as const

/** Prepares partitions from 12 months back to 3 months ahead; idempotent. */
export async function prepareRollingPartitions(q: Sql, now = new Date()): Promise<void> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1)).toISOString().slice(0, 10)
  for (const [table, key] of Object.entries(PARTITIONED_TABLES)) {
    await q.query('select jiapei_ensure_month_partitions($1, $2, $3::date, 16)', [table, key, from])
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(invalid url)'
  }
}
