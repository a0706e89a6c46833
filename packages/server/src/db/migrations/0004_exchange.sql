-- 评价与投诉 reported by third-party timing platforms through the exchange interface (evaluation,
-- complaint). Hand-written; queried through src/exchange/tables.ts. One row per report, placed in
-- the student's institution so every account sees the reports of its own jurisdiction.
CREATE TABLE training_feedback (
  id                 bigserial PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('evaluation', 'complaint')),
  student_id         bigint NOT NULL REFERENCES student(id),
  institution_id     integer NOT NULL REFERENCES institution(id),
  city_code          text NOT NULL,
  county_code        text NOT NULL,
  target_kind        text NOT NULL CHECK (target_kind IN ('coach', 'institution')),
  coach_id           integer REFERENCES coach(id),
  part               smallint,
  stars              smallint CHECK (stars BETWEEN 1 AND 5),
  content            text,
  occurred_at        timestamptz NOT NULL,
  source_platform_id integer REFERENCES timing_platform(id),
  detail             jsonb NOT NULL DEFAULT '{}'::jsonb,
  received_at        timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX training_feedback_report_uq ON training_feedback (kind, student_id, target_kind, occurred_at);
--> statement-breakpoint
CREATE INDEX training_feedback_county_idx ON training_feedback (county_code, occurred_at);
--> statement-breakpoint
CREATE INDEX training_feedback_institution_idx ON training_feedback (institution_id, occurred_at);
--> statement-breakpoint
CREATE INDEX training_feedback_coach_idx ON training_feedback (coach_id) WHERE coach_id IS NOT NULL;
