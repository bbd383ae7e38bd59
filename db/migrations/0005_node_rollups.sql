CREATE TABLE "node_rollups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"flow_id" uuid NOT NULL,
	"flow_version_id" uuid,
	"experiment_variant_id" uuid,
	"channel" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"node_id" text NOT NULL,
	"port" text NOT NULL,
	"entries" integer NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	"drop_offs" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"histogram" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "interactions" ADD COLUMN "had_handoff" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "interactions" ADD COLUMN "agent_resolved" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "interactions" ADD COLUMN "rolled_up" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "node_rollups_flow_hour" ON "node_rollups" USING btree ("flow_id","hour");--> statement-breakpoint
CREATE INDEX "interactions_not_rolled_up" ON "interactions" USING btree ("id") WHERE not rolled_up;--> statement-breakpoint
-- A handoff marks its contact: the KPIs count contacts that reached an agent, and those an agent
-- resolved first-time, from the interaction row alone.
CREATE FUNCTION "handoffs_mark_interaction"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  resolved boolean := NEW."status" = 'resolved' AND NEW."first_contact_resolution" IS DISTINCT FROM false;
BEGIN
  IF NEW."interaction_id" IS NULL THEN
    RETURN NULL;
  END IF;
  UPDATE "interactions" SET "had_handoff" = true, "agent_resolved" = "agent_resolved" OR resolved
  WHERE "id" = NEW."interaction_id" AND (NOT "had_handoff" OR (resolved AND NOT "agent_resolved"));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "handoffs_mark_interaction" AFTER INSERT OR UPDATE OF "status", "first_contact_resolution" ON "handoffs"
FOR EACH ROW EXECUTE FUNCTION "handoffs_mark_interaction"();
--> statement-breakpoint
UPDATE "interactions" i SET "had_handoff" = true,
  "agent_resolved" = EXISTS (SELECT 1 FROM "handoffs" h WHERE h."interaction_id" = i."id" AND h."status" = 'resolved' AND h."first_contact_resolution" IS DISTINCT FROM false)
WHERE EXISTS (SELECT 1 FROM "handoffs" h WHERE h."interaction_id" = i."id");
