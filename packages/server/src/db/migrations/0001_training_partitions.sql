-- High-volume training tables, range-partitioned by month (DESIGN §3).
-- Written by hand because drizzle-kit cannot express PARTITION BY; runs unchanged on PostgreSQL 15
-- and on PGlite. Monthly partitions are created ahead of time by jiapei_ensure_month_partitions()
-- (called at migrate time and by the batch writer for every month it sees); a DEFAULT partition
-- catches anything outside the prepared range so no row is ever refused for lack of a partition.

CREATE OR REPLACE FUNCTION jiapei_ensure_month_partitions(parent text, key_column text, first_month date, months integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', first_month)::date;
  created integer := 0;
  part text;
  moved bigint;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    part := format('%s_%s', parent, to_char(m, 'YYYYMM'));
    IF to_regclass(part) IS NULL THEN
      -- Rows that already landed in the DEFAULT partition for this month are moved into the new
      -- partition; otherwise PostgreSQL would refuse to create it.
      EXECUTE format('CREATE TEMP TABLE jiapei_moving ON COMMIT DROP AS SELECT * FROM %I WHERE %I >= %L AND %I < %L',
                     parent || '_default', key_column, m, key_column, (m + interval '1 month')::date);
      GET DIAGNOSTICS moved = ROW_COUNT;
      IF moved > 0 THEN
        EXECUTE format('DELETE FROM %I WHERE %I >= %L AND %I < %L',
                       parent || '_default', key_column, m, key_column, (m + interval '1 month')::date);
      END IF;
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                     part, parent, m, (m + interval '1 month')::date);
      IF moved > 0 THEN
        EXECUTE format('INSERT INTO %I SELECT * FROM jiapei_moving', parent);
      END IF;
      DROP TABLE jiapei_moving;
      created := created + 1;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN created;
END $$;
--> statement-breakpoint

-- 原始报文归档 (append-only raw frame archive, replayable: 事后倒查).
CREATE TABLE raw_frame (
  received_at   timestamptz NOT NULL,
  terminal_phone text NOT NULL,
  msg_id        integer NOT NULL,
  serial_no     integer NOT NULL DEFAULT 0,
  direction     text NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')),
  frame         bytea NOT NULL,
  decode_error  text,
  gateway_node  text,
  PRIMARY KEY (terminal_phone, received_at, msg_id, serial_no)
) PARTITION BY RANGE (received_at);
--> statement-breakpoint
CREATE TABLE raw_frame_default PARTITION OF raw_frame DEFAULT;
--> statement-breakpoint

-- 课堂 (training session): one student with one coach on one terminal.
CREATE TABLE training_session (
  id              bigserial PRIMARY KEY,
  terminal_id     integer REFERENCES terminal(id),
  class_id        bigint NOT NULL,
  institution_id  integer NOT NULL REFERENCES institution(id),
  city_code       text NOT NULL,
  county_code     text NOT NULL,
  student_id      bigint REFERENCES student(id),
  coach_id        integer REFERENCES coach(id),
  vehicle_id      integer REFERENCES vehicle(id),
  course_code     text,
  source_platform_id integer REFERENCES timing_platform(id),
  started_at      timestamptz NOT NULL,
  ended_at        timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX training_session_terminal_class_uq ON training_session (terminal_id, class_id);
--> statement-breakpoint
CREATE INDEX training_session_student_idx ON training_session (student_id, started_at);
--> statement-breakpoint
CREATE INDEX training_session_county_idx ON training_session (county_code, started_at);
--> statement-breakpoint

-- 分钟学时 (minute record). Key: 学时记录编号 (26 chars) + the minute it covers.
CREATE TABLE minute_record (
  minute_at      timestamptz NOT NULL,
  record_no      text NOT NULL,
  session_id     bigint,
  terminal_id    integer,
  student_id     bigint,
  coach_id       integer,
  institution_id integer NOT NULL,
  county_code    text NOT NULL,
  course_code    text,
  status         integer,
  max_speed_kmh  real,
  mileage_m      integer,
  lng            double precision,
  lat            double precision,
  is_backfill    boolean NOT NULL DEFAULT false,
  arrived_at     timestamptz NOT NULL DEFAULT now(),
  valid          boolean,
  reasons        text[],
  PRIMARY KEY (record_no, minute_at)
) PARTITION BY RANGE (minute_at);
--> statement-breakpoint
CREATE TABLE minute_record_default PARTITION OF minute_record DEFAULT;
--> statement-breakpoint
CREATE INDEX minute_record_student_idx ON minute_record (student_id, minute_at);
--> statement-breakpoint
CREATE INDEX minute_record_session_idx ON minute_record (session_id);
--> statement-breakpoint

-- GNSS positions. Key: (terminal, fix time).
CREATE TABLE position (
  fixed_at       timestamptz NOT NULL,
  terminal_id    integer NOT NULL,
  session_id     bigint,
  lng            double precision NOT NULL,
  lat            double precision NOT NULL,
  speed_kmh      real,
  heading        smallint,
  altitude_m     smallint,
  alarm_flags    bigint,
  status_flags   bigint,
  mileage_m      integer,
  is_backfill    boolean NOT NULL DEFAULT false,
  arrived_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, fixed_at)
) PARTITION BY RANGE (fixed_at);
--> statement-breakpoint
CREATE TABLE position_default PARTITION OF position DEFAULT;
--> statement-breakpoint
CREATE INDEX position_session_idx ON position (session_id, fixed_at);
