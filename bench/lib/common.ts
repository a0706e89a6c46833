/**
 * What the database benchmarks share: the machine line they print, number formatting, and a
 * throwaway database — PGlite in a temporary directory, or a new database on the PostgreSQL
 * server (dropped by `dispose`).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { Config } from '../../packages/server/src/config/load.ts'
import { type Database, openPglite, openPostgres, redact } from '../../packages/server/src/db/client.ts'

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  node: string
  loadAverage: number[]
}

export const loadAverage = (): number[] => os.loadavg().map((l) => Number(l.toFixed(2)))

export function machineFacts(): Machine {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadAverage(),
  }
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—'

export interface BenchDatabase {
  database: Database
  /** How the database is described in the report. */
  label: string
  /** A temporary directory for the run (PGlite lives in it). */
  dir: string
  /** Where the data lives, for a run that keeps it: the PGlite directory or the server database's URL. */
  location: string
  /** Closes nothing; drops the server database (if any) and removes the directory. */
  dispose: () => Promise<void>
}

/** A fresh, migrated database for one benchmark run. */
export async function openBenchDatabase(
  engine: 'pglite' | 'pg',
  config: Config,
  options: { prefix: string; pgliteLabel: string },
): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix))
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true })
  if (engine === 'pglite') {
    const database = await openPglite(path.join(dir, 'pglite'))
    await database.migrate()
    return {
      database,
      label: options.pgliteLabel,
      dir,
      location: path.join(dir, 'pglite'),
      dispose: async () => removeDir(),
    }
  }
  const serverUrl =
    config.database.kind === 'postgres' ? config.database.url : 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `jiapei_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openPostgres(url.toString())
  await database.migrate()
  const version = (await database.query<{ v: string }>("select current_setting('server_version') as v"))[0]?.v
  return {
    database,
    label: `PostgreSQL ${version} at ${redact(serverUrl)} (new database ${name})`,
    dir,
    location: redact(url.toString()),
    dispose: async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      removeDir()
    },
  }
}
