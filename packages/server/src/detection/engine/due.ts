/**
 * The queue of sessions due for streaming detection (table `detection_due`, migration 0006).
 *
 * Writers mark the sessions whose minutes, start or end they wrote, in the same transaction as the
 * data: a new row, or the existing row's generation + 1. The update also locks the row until the
 * writer commits, so a claim (`FOR UPDATE SKIP LOCKED`) never takes a session whose data is still
 * being written. A claim leases its rows for a while instead of deleting them; after the
 * evaluation commits, `settleDue` deletes the rows whose generation did not move and releases the
 * others (something arrived during the evaluation: judge again). A failed evaluation releases its
 * rows; a process that dies leaves rows whose lease runs out and are claimed again. Nothing that
 * was written is left unjudged; at worst a session is evaluated once more.
 *
 * A row keeps the time it was first marked while it waits, so a settle period (claim only what was
 * marked a while ago) bounds how often an open session is judged, however many minutes arrive.
 */
import type { Sql } from '../../db/client.ts'

/** Marks sessions due (a session already waiting keeps its place in the queue). */
export async function markDue(q: Sql, sessionIds: Iterable<number>): Promise<void> {
  // Sorted, so concurrent writers take the rows' locks in one order.
  const ids = [...new Set(sessionIds)].sort((a, b) => a - b)
  if (ids.length === 0) return
  await q.query(
    `INSERT INTO detection_due AS d (session_id) SELECT unnest($1::bigint[]) ORDER BY 1
     ON CONFLICT (session_id) DO UPDATE SET generation = d.generation + 1`,
    [ids],
  )
}

export interface ClaimOptions {
  limit: number
  /** Sessions to leave waiting (they failed before). */
  exclude?: readonly number[]
  /**
   * Only sessions marked at least this many ms ago by the database clock (a settle period: open
   * sessions are judged less often). Default 0.
   */
  settleMs?: number
}

/** A claimed session and the generation it was claimed at. */
export interface Claim {
  sessionId: number
  generation: number
}

/** How long a claim holds its rows before another process may take them (ms). */
export const CLAIM_LEASE_MS = 10 * 60_000

/** Claims up to `limit` due sessions, longest waiting first, leasing them to the caller. */
export async function claimDue(q: Sql, options: ClaimOptions): Promise<Claim[]> {
  const rows = await q.query<{ session_id: number; generation: number; first_marked_at: Date }>(
    `UPDATE detection_due AS d SET claimed_until = now() + $4::float8 * interval '1 millisecond'
      WHERE d.session_id IN (
              SELECT session_id FROM detection_due
               WHERE NOT (session_id = ANY($2::bigint[]))
                 AND first_marked_at <= now() - $3::float8 * interval '1 millisecond'
                 AND (claimed_until IS NULL OR claimed_until < now())
               ORDER BY first_marked_at, session_id
               LIMIT $1
                 FOR UPDATE SKIP LOCKED)
      RETURNING d.session_id, d.generation, d.first_marked_at`,
    [options.limit, [...(options.exclude ?? [])], options.settleMs ?? 0, CLAIM_LEASE_MS],
  )
  return rows
    .sort((a, b) => a.first_marked_at.getTime() - b.first_marked_at.getTime() || a.session_id - b.session_id)
    .map((r) => ({ sessionId: Number(r.session_id), generation: Number(r.generation) }))
}

/**
 * After the claimed sessions were evaluated and committed: removes the rows nothing was marked on
 * since the claim, and releases the others to wait again from now (a settle period then applies
 * anew, so an open session is still judged at most that often).
 */
export async function settleDue(q: Sql, claims: readonly Claim[]): Promise<void> {
  if (claims.length === 0) return
  const sorted = [...claims].sort((a, b) => a.sessionId - b.sessionId)
  await q.query(
    `WITH c AS (SELECT * FROM unnest($1::bigint[], $2::int[]) AS c(session_id, generation)),
          done AS (
            DELETE FROM detection_due d USING c
             WHERE d.session_id = c.session_id AND d.generation = c.generation
            RETURNING d.session_id)
     UPDATE detection_due d SET claimed_until = NULL, first_marked_at = now()
       FROM c WHERE d.session_id = c.session_id AND d.generation <> c.generation`,
    [sorted.map((c) => c.sessionId), sorted.map((c) => c.generation)],
  )
}

/** Gives claimed sessions back unevaluated (their evaluation failed), to be claimed again. */
export async function releaseDue(q: Sql, sessionIds: readonly number[]): Promise<void> {
  if (sessionIds.length === 0) return
  await q.query(`UPDATE detection_due SET claimed_until = NULL WHERE session_id = ANY($1::bigint[])`, [[...sessionIds]])
}

/** The sessions waiting and not claimed, longest waiting first, without claiming them. */
export async function dueSessionIds(q: Sql, options: ClaimOptions): Promise<number[]> {
  const rows = await q.query<{ session_id: number }>(
    `SELECT session_id FROM detection_due
      WHERE NOT (session_id = ANY($2::bigint[]))
        AND first_marked_at <= now() - $3::float8 * interval '1 millisecond'
        AND (claimed_until IS NULL OR claimed_until < now())
      ORDER BY first_marked_at, session_id LIMIT $1`,
    [options.limit, [...(options.exclude ?? [])], options.settleMs ?? 0],
  )
  return rows.map((r) => Number(r.session_id))
}
