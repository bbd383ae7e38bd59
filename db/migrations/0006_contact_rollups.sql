CREATE TABLE "contact_rollups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"flow_id" uuid NOT NULL,
	"flow_version_id" uuid,
	"experiment_variant_id" uuid,
	"channel" text NOT NULL,
	"to_number" text NOT NULL,
	"quarter" timestamp with time zone NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	"contained" integer DEFAULT 0 NOT NULL,
	"ivr_hangups" integer DEFAULT 0 NOT NULL,
	"handoffs" integer DEFAULT 0 NOT NULL,
	"escalated" integer DEFAULT 0 NOT NULL,
	"fcr" integer DEFAULT 0 NOT NULL,
	"csat_replies" integer DEFAULT 0 NOT NULL,
	"csat_sum" integer DEFAULT 0 NOT NULL,
	"csat_satisfied" integer DEFAULT 0 NOT NULL,
	"emotion_scored" integer DEFAULT 0 NOT NULL,
	"emotion_sum" double precision DEFAULT 0 NOT NULL,
	"offered" integer DEFAULT 0 NOT NULL,
	"short_abandons" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"answered_in_threshold" integer DEFAULT 0 NOT NULL,
	"answer_seconds" double precision DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"handled" integer DEFAULT 0 NOT NULL,
	"handle_seconds" double precision DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_rollup_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"watermark" timestamp with time zone,
	"guard" timestamp with time zone,
	"fingerprint" text
);
--> statement-breakpoint
CREATE INDEX "contact_rollups_flow_quarter" ON "contact_rollups" USING btree ("flow_id","quarter");--> statement-breakpoint
CREATE INDEX "handoffs_created" ON "handoffs" USING btree ("created_at");--> statement-breakpoint
INSERT INTO "kpi_rollup_state" ("id") VALUES (1);
--> statement-breakpoint
-- A contact or handoff written for a contact that started before the guard (an import, the demo
-- history) could change counts already rolled up: the next read rebuilds them. Live traffic starts
-- now, days after the guard, and costs one look at a one-row table per statement.
CREATE FUNCTION "kpi_rollups_invalidate"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  earliest timestamptz;
BEGIN
  IF TG_TABLE_NAME = 'interactions' THEN
    SELECT min("started_at") INTO earliest FROM new_rows WHERE NOT "is_test";
  ELSE
    SELECT min(i."started_at") INTO earliest FROM new_rows h JOIN "interactions" i ON i."id" = h."interaction_id" WHERE NOT i."is_test";
  END IF;
  UPDATE "kpi_rollup_state" SET "fingerprint" = NULL WHERE "fingerprint" IS NOT NULL AND earliest < "guard";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "interactions_kpi_rollups" AFTER INSERT ON "interactions" REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION "kpi_rollups_invalidate"();
--> statement-breakpoint
CREATE TRIGGER "handoffs_kpi_rollups" AFTER INSERT ON "handoffs" REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION "kpi_rollups_invalidate"();
