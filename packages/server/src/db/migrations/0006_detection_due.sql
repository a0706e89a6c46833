-- The queue of sessions due for streaming detection. Ingestion (and the exchange interface) marks a
-- session whenever it writes one of its minute records, its start or its end: a new row, or the
-- row's generation + 1 (which also locks the row until the writer commits). The detection stream
-- claims rows with a lease (claimed_until, FOR UPDATE SKIP LOCKED: several ingest processes share
-- the work, and a row a writer still holds is skipped), evaluates the sessions, then deletes the
-- rows whose generation did not move meanwhile and releases the others. A process that dies with
-- a claim leaves rows whose lease runs out and are claimed again. Hand-written; read and written
-- through src/detection/engine/due.ts.
CREATE TABLE detection_due (
  session_id      bigint PRIMARY KEY,
  first_marked_at timestamptz NOT NULL DEFAULT now(),
  generation      integer NOT NULL DEFAULT 1,
  claimed_until   timestamptz
);
--> statement-breakpoint
CREATE INDEX detection_due_order_idx ON detection_due (first_marked_at, session_id);
--> statement-breakpoint
-- What the streaming scan this queue replaces would still have judged: sessions that ended and
-- were never evaluated, and sessions of the last 72 hours holding a minute that arrived after
-- their last evaluation.
INSERT INTO detection_due (session_id, first_marked_at)
SELECT id, COALESCE(ended_at, started_at) FROM training_session
 WHERE evaluated_at IS NULL AND ended_at IS NOT NULL
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO detection_due (session_id, first_marked_at)
SELECT ts.id, ts.evaluated_at FROM training_session ts
 WHERE ts.evaluated_at IS NOT NULL AND ts.started_at >= now() - interval '72 hours'
   AND EXISTS (SELECT 1 FROM minute_record m WHERE m.session_id = ts.id AND m.arrived_at > ts.evaluated_at)
ON CONFLICT DO NOTHING;
