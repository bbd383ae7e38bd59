DROP INDEX "handoffs_created";--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_flow_id" uuid;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_flow_version_id" uuid;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_variant_id" uuid;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_channel" text;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_to_number" text;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_customer_id" uuid;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "contact_is_test" boolean;--> statement-breakpoint
CREATE INDEX "handoffs_contact" ON "handoffs" USING btree ("contact_flow_id","contact_started_at");--> statement-breakpoint
-- A handoff carries its contact's facts (flow, version, arm, channel, number, customer, start,
-- test run), so the KPIs count handoffs without joining each to its interaction: copied when the
-- handoff is written, and again whenever one of them changes on the interaction (an erasure).
CREATE FUNCTION "handoffs_contact_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT i."flow_id", i."flow_version_id", i."experiment_variant_id", i."channel", i."to_number", i."customer_id", i."started_at", i."is_test"
    INTO NEW."contact_flow_id", NEW."contact_flow_version_id", NEW."contact_variant_id", NEW."contact_channel", NEW."contact_to_number",
      NEW."contact_customer_id", NEW."contact_started_at", NEW."contact_is_test"
    FROM "interactions" i WHERE i."id" = NEW."interaction_id";
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "handoffs_contact_facts" BEFORE INSERT OR UPDATE OF "interaction_id" ON "handoffs"
FOR EACH ROW EXECUTE FUNCTION "handoffs_contact_facts"();
--> statement-breakpoint
CREATE FUNCTION "interactions_handoff_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "handoffs" SET "contact_flow_id" = NEW."flow_id", "contact_flow_version_id" = NEW."flow_version_id", "contact_variant_id" = NEW."experiment_variant_id",
    "contact_channel" = NEW."channel", "contact_to_number" = NEW."to_number", "contact_customer_id" = NEW."customer_id",
    "contact_started_at" = NEW."started_at", "contact_is_test" = NEW."is_test"
  WHERE "interaction_id" = NEW."id";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "interactions_handoff_facts" AFTER UPDATE ON "interactions" FOR EACH ROW
WHEN (OLD."flow_id" IS DISTINCT FROM NEW."flow_id" OR OLD."flow_version_id" IS DISTINCT FROM NEW."flow_version_id"
  OR OLD."experiment_variant_id" IS DISTINCT FROM NEW."experiment_variant_id" OR OLD."channel" IS DISTINCT FROM NEW."channel"
  OR OLD."to_number" IS DISTINCT FROM NEW."to_number" OR OLD."customer_id" IS DISTINCT FROM NEW."customer_id"
  OR OLD."started_at" IS DISTINCT FROM NEW."started_at" OR OLD."is_test" IS DISTINCT FROM NEW."is_test")
EXECUTE FUNCTION "interactions_handoff_facts"();
--> statement-breakpoint
UPDATE "handoffs" h SET "contact_flow_id" = i."flow_id", "contact_flow_version_id" = i."flow_version_id", "contact_variant_id" = i."experiment_variant_id",
  "contact_channel" = i."channel", "contact_to_number" = i."to_number", "contact_customer_id" = i."customer_id",
  "contact_started_at" = i."started_at", "contact_is_test" = i."is_test"
FROM "interactions" i WHERE i."id" = h."interaction_id";
