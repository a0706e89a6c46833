-- The queue of sessions due for streaming detection. Ingestion (and the exchange interface) adds a
-- session whenever it writes one of its minute records or its start/end; the detection stream
-- claims sessions by deleting their rows (FOR UPDATE SKIP LOCKED, so several ingest processes
-- share the work) and evaluates them. A row is one session, however many minutes arrived, so the
-- stream's work follows what arrived instead of scanning recent sessions. Hand-written; read and
-- written through src/detection/engine/due.ts.
CREATE TABLE detection_due (
  session_id      bigint PRIMARY KEY,
  first_marked_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX detection_due_order_idx ON detection_due (first_marked_at, session_id);
--> statement-breakpoint
-- Sessions that ended and were never evaluated when this migration ran stay due.
INSERT INTO detection_due (session_id, first_marked_at)
SELECT id, COALESCE(ended_at, started_at) FROM training_session
 WHERE evaluated_at IS NULL AND ended_at IS NOT NULL
ON CONFLICT DO NOTHING;
