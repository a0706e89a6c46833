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
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { type Database, MIGRATIONS_DIR, openPglite, openPostgres } from '../../src/db/client.ts'

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
      if (requirePostgres)
        throw new Error(`PostgreSQL test server unreachable at ${serverUrl}: ${(error as Error).message}`)
      return `PostgreSQL server unreachable (${(error as Error).message}); set JIAPEI_TEST_DATABASE_URL`
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return serverProbe
}

const templateDir = path.resolve(import.meta.dirname, '../../../../node_modules/.cache/jiapei')

/** A fingerprint of the migration folder: a changed migration invalidates the cached template. */
function migrationsFingerprint(): string {
  const hash = crypto.createHash('sha256')
  for (const file of fs.readdirSync(MIGRATIONS_DIR, { recursive: true }).map(String).sort()) {
    const full = path.join(MIGRATIONS_DIR, file)
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full))
  }
  return hash.digest('hex').slice(0, 16)
}

/**
 * Opens a throw-away migrated PGlite database. The first call on a machine migrates a fresh
 * database and caches its data directory as a template; later calls start from the template
 * (≈ 1.5 s instead of ≈ 5 s) and still run `migrate()`, which then finds nothing to do.
 */
export async function openTestPglite(): Promise<Database> {
  const template = path.join(templateDir, `pglite-template-${migrationsFingerprint()}.tar.gz`)
  if (fs.existsSync(template)) {
    const db = await openPglite('memory://', { loadDataDir: new Blob([fs.readFileSync(template)]) })
    await db.migrate()
    return db
  }
  const db = await openPglite('memory://')
  await db.migrate()
  const dump = await db.dump!()
  fs.mkdirSync(templateDir, { recursive: true })
  const tmp = `${template}.${process.pid}.tmp`
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()))
  fs.renameSync(tmp, template)
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
