CREATE TABLE "photo" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"terminal_id" integer,
	"photo_no" text NOT NULL,
	"institution_id" integer,
	"county_code" text,
	"session_id" bigint,
	"student_id" bigint,
	"coach_id" integer,
	"event_type" integer,
	"channel" integer,
	"taken_at" timestamp with time zone,
	"lng" double precision,
	"lat" double precision,
	"face_confidence" real,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"phash" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_ca" (
	"id" serial PRIMARY KEY NOT NULL,
	"cert_pem" text NOT NULL,
	"key_pem" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "terminal_credential" (
	"id" serial PRIMARY KEY NOT NULL,
	"terminal_id" integer NOT NULL,
	"serial_no" text NOT NULL,
	"cert_pem" text NOT NULL,
	"public_key_pem" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "photo" ADD CONSTRAINT "photo_terminal_id_terminal_id_fk" FOREIGN KEY ("terminal_id") REFERENCES "public"."terminal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photo" ADD CONSTRAINT "photo_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_credential" ADD CONSTRAINT "terminal_credential_terminal_id_terminal_id_fk" FOREIGN KEY ("terminal_id") REFERENCES "public"."terminal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "photo_terminal_no_uq" ON "photo" USING btree ("terminal_id","photo_no");--> statement-breakpoint
CREATE INDEX "photo_session_idx" ON "photo" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "photo_sha256_idx" ON "photo" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "terminal_credential_serial_uq" ON "terminal_credential" USING btree ("serial_no");--> statement-breakpoint
CREATE INDEX "terminal_credential_terminal_idx" ON "terminal_credential" USING btree ("terminal_id");