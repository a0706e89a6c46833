import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Database } from '../../src/db/client.ts'
import { buildFixture } from '../api/fixture.ts'
import { testEngines } from '../support/engines.ts'
import { lessonPeople } from './lesson.ts'

const postgres = (await testEngines()).find((e) => e.name === 'postgres')!

describe('a killed ingest process loses no acknowledged frame [postgres]', { skip: postgres.skip }, () => {
  let db: Database
  before(async () => {
    db = await postgres.open()
    await buildFixture(db)
  })
  after(async () => {
    await db?.close()
  })

  test('SIGKILL after acks: every acked frame is in the database, with its derived rows', async () => {
    const people = await lessonPeople(db)
    const [{ url } = { url: '' }] = await db.query<{ url: string }>('SELECT current_database() AS url')
    const server = new URL(process.env.JIAPEI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
    server.pathname = `/${url}`
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'crash-child.ts'), server.toString(), JSON.stringify(people)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const acked: string[] = []
    let buffer = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString()
        const lines = buffer.split('\n')
        buffer = lines.pop() ?? ''
        for (const line of lines) if (line.startsWith('acked ')) acked.push(line.slice(6))
        if (acked.length >= 300 && !child.killed) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited early: ${code}`))
      })
    })
    await new Promise((r) => child.once('close', r))
    const stored = new Set(
      (
        await db.query<{ k: string }>(
          `SELECT terminal_phone || ' ' || (extract(epoch from received_at) * 1000)::bigint || ' ' || serial_no AS k FROM raw_frame`,
        )
      ).map((r) => r.k),
    )
    const lost = acked.filter((k) => !stored.has(k))
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged frames missing`)
    // Derived rows are in the same transactions: every stored minute record belongs to a stored session.
    const [orphans] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM minute_record m LEFT JOIN training_session s ON s.id = m.session_id WHERE s.id IS NULL',
    )
    assert.equal(orphans?.n, 0)
  })
})
