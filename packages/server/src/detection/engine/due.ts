/**
 * The queue of sessions due for streaming detection (table `detection_due`, migration 0006).
 *
 * Writers mark the sessions whose minutes, start or end they wrote, in the same transaction as
 * the data; the stream claims a batch by deleting its rows in a short transaction of its own
 * (`FOR UPDATE SKIP LOCKED`: several ingest processes never claim the same session) and then
 * evaluates it. A minute committed after the claim marks the session again, so nothing that
 * arrived is left unjudged: at worst a session is evaluated once more. Claimed sessions whose
 * evaluation failed are marked again by the stream. A session keeps the time it was first marked
 * while it waits, so a settle period (claim only what was marked a while ago) bounds how often an
 * open session is judged, however many minutes arrive meanwhile.
 */
import type { Sql } from '../../db/client.ts'

/** Marks sessions due (idempotent; a session already waiting keeps its place in the queue). */
export async function markDue(q: Sql, sessionIds: Iterable<number>): Promise<void> {
  // Sorted, so concurrent writers take the rows' locks in one order.
  const ids = [...new Set(sessionIds)].sort((a, b) => a - b)
  if (ids.length === 0) return
  await q.query(
    `INSERT INTO detection_due (session_id) SELECT unnest($1::bigint[]) ORDER BY 1 ON CONFLICT (session_id) DO NOTHING`,
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

/** Claims up to `limit` due sessions, longest waiting first, removing them from the queue. */
export async function claimDue(q: Sql, options: ClaimOptions): Promise<number[]> {
  const rows = await q.query<{ session_id: number; first_marked_at: Date }>(
    `DELETE FROM detection_due AS d
      WHERE d.session_id IN (
              SELECT session_id FROM detection_due
               WHERE NOT (session_id = ANY($2::bigint[])) AND first_marked_at <= now() - $3::float8 * interval '1 millisecond'
               ORDER BY first_marked_at, session_id
               LIMIT $1
                 FOR UPDATE SKIP LOCKED)
      RETURNING d.session_id, d.first_marked_at`,
    [options.limit, [...(options.exclude ?? [])], options.settleMs ?? 0],
  )
  return rows
    .sort((a, b) => a.first_marked_at.getTime() - b.first_marked_at.getTime() || a.session_id - b.session_id)
    .map((r) => Number(r.session_id))
}

/** The sessions waiting, longest waiting first, without claiming them. */
export async function dueSessionIds(q: Sql, options: ClaimOptions): Promise<number[]> {
  const rows = await q.query<{ session_id: number }>(
    `SELECT session_id FROM detection_due WHERE NOT (session_id = ANY($2::bigint[])) AND first_marked_at <= now() - $3::float8 * interval '1 millisecond'
      ORDER BY first_marked_at, session_id LIMIT $1`,
    [options.limit, [...(options.exclude ?? [])], options.settleMs ?? 0],
  )
  return rows.map((r) => Number(r.session_id))
}
