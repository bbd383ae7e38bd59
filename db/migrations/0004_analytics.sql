CREATE TABLE "experiment_variants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"experiment_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"flow_version_id" uuid NOT NULL,
	"weight" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"hypothesis" text DEFAULT '' NOT NULL,
	"number" text NOT NULL,
	"channel" text NOT NULL,
	"flow_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"metric" text NOT NULL,
	"metric_node_id" text,
	"guardrails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"baseline" real,
	"minimum_effect" real DEFAULT 0.05 NOT NULL,
	"alpha" real DEFAULT 0.05 NOT NULL,
	"paused_reason" text,
	"winner_variant_id" uuid,
	"final_results" jsonb,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kpi_settings" (
	"id" integer PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "interactions" ADD COLUMN "experiment_variant_id" uuid;--> statement-breakpoint
ALTER TABLE "interactions" ADD COLUMN "next_contact_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_flow_version_id_flow_versions_id_fk" FOREIGN KEY ("flow_version_id") REFERENCES "public"."flow_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "experiment_variants_position" ON "experiment_variants" USING btree ("experiment_id","position");--> statement-breakpoint
CREATE INDEX "experiment_variants_version" ON "experiment_variants" USING btree ("flow_version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_live_number" ON "experiments" USING btree ("number","channel") WHERE status in ('running', 'paused');--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_experiment_variant_id_experiment_variants_id_fk" FOREIGN KEY ("experiment_variant_id") REFERENCES "public"."experiment_variants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "interactions_customer_started" ON "interactions" USING btree ("customer_id","started_at");--> statement-breakpoint
CREATE INDEX "interactions_variant" ON "interactions" USING btree ("experiment_variant_id") WHERE experiment_variant_id is not null;--> statement-breakpoint
-- A contact marks the same customer's earlier contacts as repeated: containment and first-contact
-- resolution read `next_contact_at` instead of searching every later contact of the customer.
-- Test runs are no contact at all. Rows written out of order (an import, the seed) still end up
-- with the earliest later contact.
CREATE FUNCTION "interactions_next_contact"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  later timestamptz;
BEGIN
  UPDATE "interactions" SET "next_contact_at" = NEW."started_at"
  WHERE "customer_id" = NEW."customer_id" AND "id" <> NEW."id" AND NOT "is_test" AND "started_at" < NEW."started_at"
    AND ("next_contact_at" IS NULL OR "next_contact_at" > NEW."started_at");
  -- Written out of order: a later contact already exists, so this one is repeated too.
  SELECT min("started_at") INTO later FROM "interactions"
  WHERE "customer_id" = NEW."customer_id" AND "id" <> NEW."id" AND NOT "is_test" AND "started_at" > NEW."started_at";
  IF later IS NOT NULL THEN
    UPDATE "interactions" SET "next_contact_at" = later WHERE "id" = NEW."id";
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "interactions_next_contact" AFTER INSERT ON "interactions"
FOR EACH ROW WHEN (NEW."customer_id" IS NOT NULL AND NOT NEW."is_test") EXECUTE FUNCTION "interactions_next_contact"();
--> statement-breakpoint
UPDATE "interactions" i SET "next_contact_at" = n."next_at"
FROM (
  SELECT "id", lead("started_at") OVER (PARTITION BY "customer_id" ORDER BY "started_at") AS "next_at"
  FROM "interactions" WHERE "customer_id" IS NOT NULL AND NOT "is_test"
) n
WHERE i."id" = n."id" AND n."next_at" IS NOT NULL;
