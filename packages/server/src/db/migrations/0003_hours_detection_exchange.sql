CREATE TABLE "completion_certificate" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cert_no" text NOT NULL,
	"student_id" bigint NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"policy_version" integer NOT NULL,
	"totals" jsonb NOT NULL,
	"issued_by" integer,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "detection_run" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"window_to" timestamp with time zone NOT NULL,
	"policy_version" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "exam_result" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"student_id" bigint NOT NULL,
	"subject" smallint NOT NULL,
	"exam_city_code" text NOT NULL,
	"exam_on" date NOT NULL,
	"result" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_credential" (
	"id" serial PRIMARY KEY NOT NULL,
	"timing_platform_id" integer NOT NULL,
	"cert_sn" text NOT NULL,
	"cert_pem" text,
	"public_key_pem" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "exchange_request" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"timing_platform_id" integer,
	"cert_sn" text,
	"service" text NOT NULL,
	"method" text NOT NULL,
	"ts" bigint,
	"sign_digest" text,
	"errorcode" integer NOT NULL,
	"error_code" text,
	"message" text,
	"body" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finding" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"rule_version" integer NOT NULL,
	"policy_version" integer NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"session_id" bigint,
	"student_id" bigint,
	"coach_id" integer,
	"vehicle_id" integer,
	"institution_id" integer,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"summary" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"detected_by" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	"review_note" text
);
--> statement-breakpoint
CREATE TABLE "person_photo" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_kind" text NOT NULL,
	"person_id" bigint NOT NULL,
	"sha256" text NOT NULL,
	"descriptor" real[],
	"analysis_error" text,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_version" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"body" jsonb NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_credit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" bigint NOT NULL,
	"local_day" date NOT NULL,
	"student_id" bigint NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"part" smallint NOT NULL,
	"mode" smallint NOT NULL,
	"cap_category" text NOT NULL,
	"policy_version" integer NOT NULL,
	"session_minutes" integer NOT NULL,
	"valid_minutes" integer NOT NULL,
	"credited_minutes" integer NOT NULL,
	"capped_minutes" integer DEFAULT 0 NOT NULL,
	"final_minutes" integer NOT NULL,
	"mileage_m" integer DEFAULT 0 NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"superseded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stage_review" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"student_id" bigint NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"part" smallint NOT NULL,
	"policy_version" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"totals" jsonb NOT NULL,
	"session_ids" bigint[] NOT NULL,
	"source" text DEFAULT 'platform' NOT NULL,
	"source_platform_id" integer,
	"requested_by" integer,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "source_platform_id" integer;--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "mean_luma" real;--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "luma_stddev" real;--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "face_count" smallint;--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "face_descriptor" real[];--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "face_distance" real;--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "analysis_error" text;--> statement-breakpoint
ALTER TABLE "photo" ADD COLUMN "analyzed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "completion_certificate" ADD CONSTRAINT "completion_certificate_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "completion_certificate" ADD CONSTRAINT "completion_certificate_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "completion_certificate" ADD CONSTRAINT "completion_certificate_issued_by_app_user_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_result" ADD CONSTRAINT "exam_result_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_credential" ADD CONSTRAINT "exchange_credential_timing_platform_id_timing_platform_id_fk" FOREIGN KEY ("timing_platform_id") REFERENCES "public"."timing_platform"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding" ADD CONSTRAINT "finding_reviewed_by_app_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_version" ADD CONSTRAINT "policy_version_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_review" ADD CONSTRAINT "stage_review_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_review" ADD CONSTRAINT "stage_review_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_review" ADD CONSTRAINT "stage_review_source_platform_id_timing_platform_id_fk" FOREIGN KEY ("source_platform_id") REFERENCES "public"."timing_platform"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_review" ADD CONSTRAINT "stage_review_requested_by_app_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_review" ADD CONSTRAINT "stage_review_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "completion_certificate_no_uq" ON "completion_certificate" USING btree ("cert_no");--> statement-breakpoint
CREATE UNIQUE INDEX "completion_certificate_student_uq" ON "completion_certificate" USING btree ("student_id") WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE INDEX "exam_result_student_idx" ON "exam_result" USING btree ("student_id","subject");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_credential_sn_uq" ON "exchange_credential" USING btree ("cert_sn");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_request_sign_uq" ON "exchange_request" USING btree ("sign_digest") WHERE errorcode = 0;--> statement-breakpoint
CREATE INDEX "exchange_request_platform_idx" ON "exchange_request" USING btree ("timing_platform_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "finding_dedupe_uq" ON "finding" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "finding_county_idx" ON "finding" USING btree ("county_code","occurred_at");--> statement-breakpoint
CREATE INDEX "finding_rule_idx" ON "finding" USING btree ("rule_id","occurred_at");--> statement-breakpoint
CREATE INDEX "finding_session_idx" ON "finding" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "finding_student_idx" ON "finding" USING btree ("student_id");--> statement-breakpoint
CREATE UNIQUE INDEX "person_photo_person_uq" ON "person_photo" USING btree ("person_kind","person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_version_kind_version_uq" ON "policy_version" USING btree ("kind","version");--> statement-breakpoint
CREATE INDEX "policy_version_kind_effective_idx" ON "policy_version" USING btree ("kind","effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "session_credit_current_uq" ON "session_credit" USING btree ("session_id","local_day") WHERE superseded_at IS NULL;--> statement-breakpoint
CREATE INDEX "session_credit_student_idx" ON "session_credit" USING btree ("student_id","local_day");--> statement-breakpoint
CREATE INDEX "session_credit_county_idx" ON "session_credit" USING btree ("county_code","local_day");--> statement-breakpoint
CREATE INDEX "stage_review_student_idx" ON "stage_review" USING btree ("student_id","part");--> statement-breakpoint
CREATE INDEX "stage_review_county_idx" ON "stage_review" USING btree ("county_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "photo_platform_no_uq" ON "photo" USING btree ("source_platform_id","photo_no") WHERE terminal_id IS NULL;--> statement-breakpoint
CREATE INDEX "photo_phash_idx" ON "photo" USING btree ("phash") WHERE phash IS NOT NULL;--> statement-breakpoint
CREATE INDEX "photo_unanalyzed_idx" ON "photo" USING btree ("id") WHERE analyzed_at IS NULL;
--> statement-breakpoint
-- Hand-written part (tables of migration 0001, which drizzle-kit does not manage).
-- Minute records keep the 行驶记录速度 and 发动机转速 of their GNSS block (anti-fraud rules 4 and 5),
-- the vehicle, and the syllabus version their validity was decided under.
ALTER TABLE minute_record ADD COLUMN record_speed_kmh real;
--> statement-breakpoint
ALTER TABLE minute_record ADD COLUMN engine_rpm integer;
--> statement-breakpoint
ALTER TABLE minute_record ADD COLUMN vehicle_id integer;
--> statement-breakpoint
ALTER TABLE minute_record ADD COLUMN policy_version integer;
--> statement-breakpoint
ALTER TABLE minute_record ADD COLUMN decided_at timestamptz;
--> statement-breakpoint
-- Sessions from the exchange interface (third-party timing platforms) are keyed by the platform and
-- its 电子教学日志 number; part/mode/licence type come from the 课程编码; reported duration and
-- mileage are kept beside what the minutes add up to; evaluated_at marks the last evaluation.
ALTER TABLE training_session ADD COLUMN source_record_no text;
--> statement-breakpoint
ALTER TABLE training_session ADD COLUMN part smallint;
--> statement-breakpoint
ALTER TABLE training_session ADD COLUMN mode smallint;
--> statement-breakpoint
ALTER TABLE training_session ADD COLUMN license_type text;
--> statement-breakpoint
ALTER TABLE training_session ADD COLUMN reported_minutes integer;
--> statement-breakpoint
ALTER TABLE training_session ADD COLUMN reported_mileage_m integer;
--> statement-breakpoint
ALTER TABLE training_session ADD COLUMN evaluated_at timestamptz;
--> statement-breakpoint
CREATE UNIQUE INDEX training_session_source_record_uq ON training_session (source_platform_id, source_record_no) WHERE source_record_no IS NOT NULL;
--> statement-breakpoint
CREATE INDEX training_session_coach_idx ON training_session (coach_id, started_at);
--> statement-breakpoint
CREATE INDEX training_session_vehicle_idx ON training_session (vehicle_id, started_at);
--> statement-breakpoint
CREATE INDEX training_session_started_idx ON training_session (started_at);
