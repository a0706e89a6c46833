/**
 * Registry import benchmark: seeds the `small` demo province, exports its students as CSV, deletes
 * them, and times the all-or-nothing import of the first N rows (default 10,000, the import's row
 * limit) on PGlite and, when reachable, on the PostgreSQL server (`JIAPEI_TEST_DATABASE_URL`).
 * Prints the machine, rows/s per engine and, for reference, the raw batch-insert rate of the same
 * rows on the same database (the ceiling an import could reach without any validation).
 *
 *   npm run bench:import [-- --rows 10000]
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { loadConfig } from '../packages/server/src/config/load.ts'
import type { Database } from '../packages/server/src/db/client.ts'
import { buildApp } from '../packages/server/src/http/app.ts'
import { seedDemo } from '../packages/server/src/seed/seed.ts'
import { testEngines } from '../packages/server/test/support/engines.ts'

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' } } })
const rows = Number(values.rows)

function multipart(fileName: string, content: Buffer) {
  const boundary = `----jiapei${Date.now().toString(16)}`
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

async function run(database: Database) {
  await seedDemo(database, { scale: 'small', seed: 1 })
  const app = await buildApp({ config: loadConfig({ JIAPEI_LOG_LEVEL: 'silent' }), database })
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'sheng', password: 'Jiapei@2021' },
  })
  const cookie = String(login.headers['set-cookie'])
  const exported = await app.inject({
    method: 'GET',
    url: '/api/registry/students/export?format=csv',
    headers: { cookie },
  })
  const csv = Buffer.from(
    exported.body
      .split('\n')
      .slice(0, rows + 1)
      .join('\n'),
  )
  const snapshot =
    'create temp table bench_students as select * from student where id in (select id from student order by id limit $1)'
  await database.query(snapshot, [rows])
  await database.query('delete from contract')
  await database.query('delete from student_transfer')
  await database.query('delete from student')

  const body = multipart('students.csv', csv)
  const started = performance.now()
  const res = await app.inject({
    method: 'POST',
    url: '/api/registry/students/import',
    headers: { cookie, ...body.headers },
    payload: body.payload,
  })
  const importMs = performance.now() - started
  if (res.statusCode !== 200) throw new Error(`import failed: ${res.statusCode} ${res.body.slice(0, 300)}`)

  await database.query('delete from student')
  const rawStarted = performance.now()
  await database.query('insert into student select * from bench_students')
  const rawMs = performance.now() - rawStarted
  await app.close()
  return { importMs, rawMs }
}

console.log(
  `机器 / machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
)
console.log(`导入 ${rows} 名学员（CSV，含全部校验）/ importing ${rows} students (CSV, fully validated)\n`)
for (const engine of await testEngines()) {
  if (engine.skip) {
    console.log(`${engine.name}: skipped (${engine.skip})`)
    continue
  }
  const database = await engine.open()
  try {
    const { importMs, rawMs } = await run(database)
    const perSec = (ms: number) => Math.round((rows / ms) * 1000).toLocaleString('en-US')
    console.log(
      `${engine.name.padEnd(9)} import ${(importMs / 1000).toFixed(2)} s = ${perSec(importMs)} rows/s | ` +
        `raw INSERT…SELECT of the same rows ${perSec(rawMs)} rows/s | import/raw ${(rawMs / importMs).toFixed(3)}`,
    )
  } finally {
    await database.close()
  }
}
