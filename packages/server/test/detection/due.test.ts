/**
 * The due queue of the streaming detection (detection/engine/due.ts), on both engines: a claim
 * leases its sessions, a session marked again during its evaluation stays due, a failed evaluation
 * gives its sessions back, a lease that runs out frees them; and on the PostgreSQL server, where
 * writers and the stream are separate connections, a session whose writer has not committed yet
 * is never claimed (so the evaluation cannot miss what that writer is adding).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import type { Database } from '../../src/db/client.ts'
import { claimDue, dueSessionIds, markDue, releaseDue, settleDue } from '../../src/detection/engine/due.ts'
import { testEngines } from '../support/engines.ts'

for (const engine of await testEngines()) {
  describe(`detection due queue [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    before(async () => {
      db = await engine.open()
    })
    after(async () => {
      await db?.close()
    })
    beforeEach(async () => {
      await db.query('DELETE FROM detection_due')
    })
    const ids = (claims: { sessionId: number }[]) => claims.map((c) => c.sessionId)

    test('a claim leases its sessions; once evaluated with nothing new they leave the queue', async () => {
      await markDue(db, [3, 1, 2, 2])
      assert.deepEqual((await dueSessionIds(db, { limit: 10 })).sort(), [1, 2, 3])
      const first = await claimDue(db, { limit: 2 })
      assert.equal(first.length, 2)
      const second = await claimDue(db, { limit: 10 })
      assert.deepEqual(
        ids(second),
        [1, 2, 3].filter((id) => !ids(first).includes(id)),
        'a leased session is not claimed twice',
      )
      await settleDue(db, first)
      assert.deepEqual(await dueSessionIds(db, { limit: 10 }), [], 'the rest is still leased')
      await settleDue(db, second)
      assert.deepEqual(await db.query('SELECT session_id FROM detection_due'), [])
    })

    test('a session marked again during its evaluation stays due and is claimed again', async () => {
      await markDue(db, [7])
      const [claim] = await claimDue(db, { limit: 10 })
      assert.ok(claim)
      await markDue(db, [7]) // a minute arrives while the session is being evaluated
      assert.deepEqual(await claimDue(db, { limit: 10 }), [], 'still leased')
      await settleDue(db, [claim])
      const again = await claimDue(db, { limit: 10 })
      assert.deepEqual(ids(again), [7])
      assert.ok((again[0]?.generation ?? 0) > claim.generation)
      await settleDue(db, again)
      assert.deepEqual(await dueSessionIds(db, { limit: 10 }), [])
    })

    test('a failed evaluation gives its sessions back; a lease that ran out frees them', async () => {
      await markDue(db, [11, 12])
      const claims = await claimDue(db, { limit: 10 })
      assert.deepEqual(ids(claims).sort(), [11, 12])
      await releaseDue(db, [11])
      assert.deepEqual(ids(await claimDue(db, { limit: 10 })), [11])
      await db.query(`UPDATE detection_due SET claimed_until = now() - interval '1 second' WHERE session_id = 12`)
      assert.deepEqual(ids(await claimDue(db, { limit: 10 })), [12], 'a process that died with its claim')
    })

    test('a settle period holds back what was marked just now; excluded sessions stay', async () => {
      await markDue(db, [21, 22])
      assert.deepEqual(await claimDue(db, { limit: 10, settleMs: 3_600_000 }), [])
      assert.deepEqual(ids(await claimDue(db, { limit: 10, exclude: [21] })), [22])
    })

    // PGlite has one connection: a writer and the stream never overlap there.
    if (engine.name === 'postgres')
      test('a session whose writer has not committed is not claimed until it commits', async () => {
        await markDue(db, [31])
        let releaseWriter: () => void = () => {}
        const writerHolds = new Promise<void>((resolve) => {
          releaseWriter = resolve
        })
        let marked: () => void = () => {}
        const markedInWriter = new Promise<void>((resolve) => {
          marked = resolve
        })
        // The writer: marks session 31 (already waiting) and holds its transaction open.
        const writer = db.transaction(async (tx) => {
          await markDue(tx, [31, 32])
          marked()
          await writerHolds
        })
        await markedInWriter
        assert.deepEqual(await claimDue(db, { limit: 10 }), [], 'the writer still holds 31, and 32 is not committed')
        releaseWriter()
        await writer
        assert.deepEqual(ids(await claimDue(db, { limit: 10 })).sort(), [31, 32])
      })
  })
}
