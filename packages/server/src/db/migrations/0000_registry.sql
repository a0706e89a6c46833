CREATE TABLE "coach" (
	"id" serial PRIMARY KEY NOT NULL,
	"coach_no" text NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"name" text NOT NULL,
	"sex" text NOT NULL,
	"id_card" text NOT NULL,
	"mobile" text,
	"driving_permitted" text,
	"teach_permitted" text NOT NULL,
	"first_licensed_on" date,
	"occupation_level" integer,
	"occupation_cert_no" text,
	"employment_status" text DEFAULT 'employed' NOT NULL,
	"hired_on" date,
	"left_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coach_no_len" CHECK (length("coach"."coach_no") = 16)
);
--> statement-breakpoint
CREATE TABLE "contract" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contract_no" text NOT NULL,
	"student_id" bigint NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"license_type" text NOT NULL,
	"pay_mode" text NOT NULL,
	"total_amount_fen" integer NOT NULL,
	"unit_price_fen" integer,
	"escrow_account" text,
	"signed_on" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "institution" (
	"id" serial PRIMARY KEY NOT NULL,
	"ins_code" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"credit_code" text,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"address" text,
	"legal_person" text,
	"contact_phone" text,
	"class_level" integer NOT NULL,
	"business_scope" text[] NOT NULL,
	"filing_status" text DEFAULT 'filed' NOT NULL,
	"licence_no" text,
	"licence_valid_until" date,
	"fee_items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"disclosure" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"timing_platform_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "institution_ins_code_len" CHECK (length("institution"."ins_code") = 16),
	CONSTRAINT "institution_class_level" CHECK ("institution"."class_level" between 1 and 3)
);
--> statement-breakpoint
CREATE TABLE "region" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"center_lng" double precision,
	"center_lat" double precision,
	CONSTRAINT "region_code_len" CHECK (length("region"."code") = 6)
);
--> statement-breakpoint
CREATE TABLE "student" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stu_no" text NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"name" text NOT NULL,
	"sex" text NOT NULL,
	"id_card" text NOT NULL,
	"nationality" text DEFAULT '中国' NOT NULL,
	"phone" text,
	"address" text,
	"license_type" text NOT NULL,
	"business_type" text DEFAULT 'initial' NOT NULL,
	"enrolled_on" date NOT NULL,
	"status" text DEFAULT 'enrolled' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "student_no_len" CHECK (length("student"."stu_no") = 16)
);
--> statement-breakpoint
CREATE TABLE "student_transfer" (
	"id" serial PRIMARY KEY NOT NULL,
	"student_id" bigint NOT NULL,
	"from_institution_id" integer NOT NULL,
	"to_institution_id" integer NOT NULL,
	"reason" text,
	"transferred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_user_id" integer
);
--> statement-breakpoint
CREATE TABLE "terminal" (
	"id" serial PRIMARY KEY NOT NULL,
	"device_no" text NOT NULL,
	"phone" text NOT NULL,
	"imei" text NOT NULL,
	"serial_no" text,
	"vendor" text,
	"model" text,
	"terminal_type" integer DEFAULT 1 NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"vehicle_id" integer,
	"timing_platform_id" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "terminal_device_no_len" CHECK (length("terminal"."device_no") = 16)
);
--> statement-breakpoint
CREATE TABLE "timing_platform" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform_no" text NOT NULL,
	"name" text NOT NULL,
	"operator_name" text NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_no_len" CHECK (length("timing_platform"."platform_no") = 5)
);
--> statement-breakpoint
CREATE TABLE "training_field" (
	"id" serial PRIMARY KEY NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'site' NOT NULL,
	"address" text,
	"polygon" jsonb,
	"area_m2" double precision,
	"facilities" text[] DEFAULT '{}'::text[] NOT NULL,
	"vehicle_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicle" (
	"id" serial PRIMARY KEY NOT NULL,
	"car_no" text NOT NULL,
	"institution_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"county_code" text NOT NULL,
	"plate" text NOT NULL,
	"plate_color" integer NOT NULL,
	"vehicle_type" text NOT NULL,
	"brand" text,
	"model" text,
	"vin" text,
	"engine_no" text,
	"purchased_on" date,
	"inspection_valid_until" date,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vehicle_car_no_len" CHECK (length("vehicle"."car_no") = 16)
);
--> statement-breakpoint
CREATE TABLE "api_token" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "app_user" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"region_code" text,
	"institution_id" integer,
	"timing_platform_id" integer,
	"subject_id" integer,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer,
	"username" text,
	"role" text,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"region_code" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "user_session" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
ALTER TABLE "coach" ADD CONSTRAINT "coach_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution" ADD CONSTRAINT "institution_timing_platform_id_timing_platform_id_fk" FOREIGN KEY ("timing_platform_id") REFERENCES "public"."timing_platform"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student" ADD CONSTRAINT "student_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_transfer" ADD CONSTRAINT "student_transfer_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_transfer" ADD CONSTRAINT "student_transfer_from_institution_id_institution_id_fk" FOREIGN KEY ("from_institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_transfer" ADD CONSTRAINT "student_transfer_to_institution_id_institution_id_fk" FOREIGN KEY ("to_institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal" ADD CONSTRAINT "terminal_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal" ADD CONSTRAINT "terminal_vehicle_id_vehicle_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal" ADD CONSTRAINT "terminal_timing_platform_id_timing_platform_id_fk" FOREIGN KEY ("timing_platform_id") REFERENCES "public"."timing_platform"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_field" ADD CONSTRAINT "training_field_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle" ADD CONSTRAINT "vehicle_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_institution_id_institution_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institution"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_timing_platform_id_timing_platform_id_fk" FOREIGN KEY ("timing_platform_id") REFERENCES "public"."timing_platform"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_session" ADD CONSTRAINT "user_session_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coach_no_uq" ON "coach" USING btree ("coach_no");--> statement-breakpoint
CREATE UNIQUE INDEX "coach_id_card_uq" ON "coach" USING btree ("id_card");--> statement-breakpoint
CREATE INDEX "coach_institution_idx" ON "coach" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "coach_county_idx" ON "coach" USING btree ("county_code");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_no_uq" ON "contract" USING btree ("contract_no");--> statement-breakpoint
CREATE INDEX "contract_student_idx" ON "contract" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "contract_institution_idx" ON "contract" USING btree ("institution_id");--> statement-breakpoint
CREATE UNIQUE INDEX "institution_ins_code_uq" ON "institution" USING btree ("ins_code");--> statement-breakpoint
CREATE INDEX "institution_city_idx" ON "institution" USING btree ("city_code");--> statement-breakpoint
CREATE INDEX "institution_county_idx" ON "institution" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "region_parent_idx" ON "region" USING btree ("parent_code");--> statement-breakpoint
CREATE UNIQUE INDEX "student_no_uq" ON "student" USING btree ("stu_no");--> statement-breakpoint
CREATE INDEX "student_id_card_idx" ON "student" USING btree ("id_card");--> statement-breakpoint
CREATE INDEX "student_institution_idx" ON "student" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "student_county_idx" ON "student" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "student_city_idx" ON "student" USING btree ("city_code");--> statement-breakpoint
CREATE INDEX "student_transfer_student_idx" ON "student_transfer" USING btree ("student_id");--> statement-breakpoint
CREATE UNIQUE INDEX "terminal_device_no_uq" ON "terminal" USING btree ("device_no");--> statement-breakpoint
CREATE UNIQUE INDEX "terminal_phone_uq" ON "terminal" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "terminal_imei_uq" ON "terminal" USING btree ("imei");--> statement-breakpoint
CREATE UNIQUE INDEX "terminal_vehicle_uq" ON "terminal" USING btree ("vehicle_id");--> statement-breakpoint
CREATE INDEX "terminal_institution_idx" ON "terminal" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "terminal_platform_idx" ON "terminal" USING btree ("timing_platform_id");--> statement-breakpoint
CREATE UNIQUE INDEX "timing_platform_no_uq" ON "timing_platform" USING btree ("platform_no");--> statement-breakpoint
CREATE INDEX "training_field_institution_idx" ON "training_field" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "training_field_county_idx" ON "training_field" USING btree ("county_code");--> statement-breakpoint
CREATE UNIQUE INDEX "vehicle_car_no_uq" ON "vehicle" USING btree ("car_no");--> statement-breakpoint
CREATE UNIQUE INDEX "vehicle_plate_uq" ON "vehicle" USING btree ("plate");--> statement-breakpoint
CREATE INDEX "vehicle_institution_idx" ON "vehicle" USING btree ("institution_id");--> statement-breakpoint
CREATE INDEX "vehicle_county_idx" ON "vehicle" USING btree ("county_code");--> statement-breakpoint
CREATE UNIQUE INDEX "api_token_hash_uq" ON "api_token" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_token_user_idx" ON "api_token" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "app_user_username_uq" ON "app_user" USING btree ("username");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "user_session_user_idx" ON "user_session" USING btree ("user_id");