import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../test/support/engines.ts'
import { type BatchColumn, ensurePartitions, insertBatch } from './batch.ts'
import type { Database } from './client.ts'

const POSITION_COLUMNS: BatchColumn[] = [
  { name: 'fixed_at', type: 'timestamptz' },
  { name: 'terminal_id', type: 'int4' },
  { name: 'lng', type: 'float8' },
  { name: 'lat', type: 'float8' },
  { name: 'speed_kmh', type: 'float4' },
]

const position = (iso: string, terminal: number) => [new Date(iso), terminal, 120.1 + terminal / 1000, 30.2, 36.5]

for (const engine of await testEngines()) {
  describe(`batch writer and month partitions [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database

    before(async () => {
      db = await engine.open()
    })
    after(async () => {
      await db?.close()
    })

    /** Rows per physical table for the given terminals. */
    async function placement(terminals: number[]) {
      return db.query<{ part: string; n: number }>(
        `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM position
          WHERE terminal_id = ANY($1::int[]) GROUP BY 1 ORDER BY 1`,
        [terminals],
      )
    }

    test('rows land in the partition of their month, in chunks, and a replay writes nothing', async () => {
      const times = ['2020-01-03T08:00:00Z', '2020-01-31T12:00:00Z', '2020-02-01T00:00:00Z', '2020-02-14T09:30:00Z']
      await ensurePartitions(
        db,
        'position',
        times.map((t) => new Date(t)),
      )
      const rows = times.flatMap((t) => [position(t, 1), position(t, 2), position(t, 3)])
      const progress: number[] = []
      const written = await insertBatch(db, 'position', POSITION_COLUMNS, rows, {
        chunkSize: 5,
        onProgress: (done) => progress.push(done),
      })
      assert.equal(written, 12)
      assert.deepEqual(progress, [5, 10, 12])
      assert.deepEqual(await placement([1, 2, 3]), [
        { part: 'position_202001', n: 6 },
        { part: 'position_202002', n: 6 },
      ])
      const replay = await insertBatch(db, 'position', POSITION_COLUMNS, rows, { onConflict: 'DO NOTHING' })
      assert.equal(replay, 0)
      await assert.rejects(insertBatch(db, 'position', POSITION_COLUMNS, rows.slice(0, 1)), { code: '23505' })
    })

    test('rows that fell into the DEFAULT partition move when their month partition is created', async () => {
      const rows = [
        position('2019-03-10T10:00:00Z', 11),
        position('2019-03-20T10:00:00Z', 12),
        position('2019-04-02T10:00:00Z', 13),
      ]
      assert.equal(await insertBatch(db, 'position', POSITION_COLUMNS, rows), 3)
      assert.deepEqual(await placement([11, 12, 13]), [{ part: 'position_default', n: 3 }])
      await ensurePartitions(db, 'position', [new Date('2019-03-15T00:00:00Z')])
      assert.deepEqual(await placement([11, 12, 13]), [
        { part: 'position_201903', n: 2 },
        { part: 'position_default', n: 1 },
      ])
      // Creating it again (another process, a cold cache) changes nothing.
      const [again] = await db.query<{ created: number }>(
        "SELECT jiapei_ensure_month_partitions('position', 'fixed_at', '2019-03-01', 1) AS created",
      )
      assert.equal(again?.created, 0)
    })

    test('array, jsonb, date and null values survive the round trip', async () => {
      await db.query('CREATE TABLE batch_probe (id int PRIMARY KEY, tags text[], doc jsonb, on_day date, note text)')
      const rows = [
        [1, ['C1', 'C2'], { fee: 4500, items: ['倒车入库'] }, '2025-06-15', 'plain'],
        [2, ['带"引号"', 'back\\slash', null, ''], [1, 2], '2024-02-29', null],
        [3, [], null, null, '逗号,与{括号}'],
        [4, null, 'a string', '2025-01-01', 'x'],
      ]
      const columns: BatchColumn[] = [
        { name: 'id', type: 'int4' },
        { name: 'tags', type: 'text[]' },
        { name: 'doc', type: 'jsonb' },
        { name: 'on_day', type: 'date' },
        { name: 'note', type: 'text' },
      ]
      assert.equal(await insertBatch(db, 'batch_probe', columns, rows, { chunkSize: 3 }), 4)
      const back = await db.query<Record<string, unknown>>(
        'SELECT id, tags, doc, on_day, note FROM batch_probe ORDER BY id',
      )
      assert.deepEqual(
        back.map((r) => [r.id, r.tags, r.doc, r.on_day, r.note]),
        rows,
      )
    })

    test('unsafe identifiers are refused before any SQL runs', async () => {
      await assert.rejects(
        insertBatch(db, 'position; drop table x', POSITION_COLUMNS, [position('2020-01-05T00:00:00Z', 9)]),
      )
    })

    test('migrate() a second time is a no-op', async () => {
      const state = async () => ({
        migrations: await db.query('SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id'),
        partitions: await db.query(
          `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid ORDER BY 1`,
        ),
        rows: await db.query('SELECT count(*)::int AS n FROM position'),
      })
      const before = await state()
      assert.ok(before.migrations.length >= 2)
      await db.migrate()
      assert.deepEqual(await state(), before)
    })
  })
}
