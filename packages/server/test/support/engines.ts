/**
 * The two engines every database test runs on: embedded PGlite and a PostgreSQL server.
 *
 * Each `open()` returns a fresh, migrated database: PGlite in memory, or a new database created on
 * the server (dropped again by `close()`). The server comes from `JIAPEI_TEST_DATABASE_URL`
 * (default: the local server as user postgres). Without a reachable server the PostgreSQL cases
 * are skipped with a reason, except under CI or `JIAPEI_TEST_REQUIRE_POSTGRES=1`, where that is
 * a failure.
 */
import crypto from 'node:crypto'
import pg from 'pg'
import { type Database, openPglite, openPostgres } from '../../src/db/client.ts'

export interface TestEngine {
  name: 'pglite' | 'postgres'
  /** A reason to skip, or false. */
  skip: string | false
  open(): Promise<Database>
}

const serverUrl = process.env.JIAPEI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const requirePostgres = process.env.CI === 'true' || process.env.JIAPEI_TEST_REQUIRE_POSTGRES === '1'

let serverProbe: Promise<string | false> | undefined

function probeServer(): Promise<string | false> {
  serverProbe ??= (async () => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 })
    try {
      await client.connect()
      await client.query('select 1')
      return false
    } catch (error) {
      if (requirePostgres) throw new Error(`PostgreSQL test server unreachable at ${serverUrl}: ${(error as Error).message}`)
      return `PostgreSQL server unreachable (${(error as Error).message}); set JIAPEI_TEST_DATABASE_URL`
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return serverProbe
}

/** Opens a throw-away migrated PGlite database. */
export async function openTestPglite(): Promise<Database> {
  const db = await openPglite('memory://')
  await db.migrate()
  return db
}

/** Creates a fresh database on the server, migrates it and drops it on close. */
export async function openTestPostgres(): Promise<Database> {
  const name = `jiapei_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const db = await openPostgres(url.toString())
  await db.migrate()
  const close = db.close.bind(db)
  return Object.assign(db, {
    async close() {
      await close()
      const dropper = new pg.Client({ connectionString: serverUrl })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  })
}

/** Both engines, PostgreSQL marked skipped when no server is reachable outside CI. */
export async function testEngines(): Promise<TestEngine[]> {
  const skip = await probeServer()
  return [
    { name: 'pglite', skip: false, open: openTestPglite },
    { name: 'postgres', skip, open: openTestPostgres },
  ]
}
