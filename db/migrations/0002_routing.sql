CREATE TABLE "handoff_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"handoff_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"agent_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "handoff_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handoff_id" uuid NOT NULL,
	"agent_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_hits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid,
	"agent_id" uuid,
	"handoff_id" uuid,
	"action" text NOT NULL,
	"excerpt" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"action" text NOT NULL,
	"terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pattern" text,
	"wrap_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"message" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scripts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"trigger" text NOT NULL,
	"tag" text,
	"body" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wrap_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"label_zh" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
ALTER TABLE "handoffs" DROP CONSTRAINT "handoffs_assigned_agent_id_agents_id_fk";
--> statement-breakpoint
DROP INDEX "handoffs_queue";--> statement-breakpoint
ALTER TABLE "interactions" ADD COLUMN "csat" integer;--> statement-breakpoint
ALTER TABLE "interactions" ADD COLUMN "csat_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "agent_id" uuid;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "channel" text DEFAULT 'sms' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "choice" text DEFAULT 'away' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "missed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "idle_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "voice_capacity" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "sms_capacity" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "phone" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "channel" text DEFAULT 'voice' NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "requirements" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "queued_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "virtual_start" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "req_skill" text;--> statement-breakpoint
UPDATE "handoffs" SET "req_skill" = "skill", "status" = CASE WHEN "status" = 'accepted' THEN 'assigned' ELSE "status" END;--> statement-breakpoint
ALTER TABLE "handoffs" ALTER COLUMN "req_skill" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "req_min_level" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "req_senior_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "target_agent_id" uuid;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "offered_agent_id" uuid;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "offer_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "wrap_code" text;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "first_contact_resolution" boolean;--> statement-breakpoint
ALTER TABLE "skills" ADD COLUMN "service_level_seconds" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "handoff_events" ADD CONSTRAINT "handoff_events_handoff_id_handoffs_id_fk" FOREIGN KEY ("handoff_id") REFERENCES "public"."handoffs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff_events" ADD CONSTRAINT "handoff_events_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff_notes" ADD CONSTRAINT "handoff_notes_handoff_id_handoffs_id_fk" FOREIGN KEY ("handoff_id") REFERENCES "public"."handoffs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff_notes" ADD CONSTRAINT "handoff_notes_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_hits" ADD CONSTRAINT "qa_hits_rule_id_qa_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."qa_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_hits" ADD CONSTRAINT "qa_hits_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_hits" ADD CONSTRAINT "qa_hits_handoff_id_handoffs_id_fk" FOREIGN KEY ("handoff_id") REFERENCES "public"."handoffs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handoff_events_handoff" ON "handoff_events" USING btree ("handoff_id","at");--> statement-breakpoint
CREATE INDEX "handoff_events_kind_at" ON "handoff_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "handoff_notes_handoff" ON "handoff_notes" USING btree ("handoff_id");--> statement-breakpoint
CREATE INDEX "qa_hits_agent" ON "qa_hits" USING btree ("agent_id","at");--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_target_agent_id_agents_id_fk" FOREIGN KEY ("target_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_offered_agent_id_agents_id_fk" FOREIGN KEY ("offered_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_assigned_agent_id_agents_id_fk" FOREIGN KEY ("assigned_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_skills_skill" ON "agent_skills" USING btree ("skill_id","level");--> statement-breakpoint
CREATE INDEX "agents_user" ON "agents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "handoffs_waiting" ON "handoffs" USING btree ("req_skill","virtual_start") WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX "handoffs_agent" ON "handoffs" USING btree ("assigned_agent_id","status");--> statement-breakpoint
CREATE INDEX "handoffs_offered" ON "handoffs" USING btree ("offered_agent_id") WHERE status = 'offered';--> statement-breakpoint
CREATE INDEX "handoffs_interaction" ON "handoffs" USING btree ("interaction_id");--> statement-breakpoint
UPDATE "agents" SET "choice" = CASE WHEN "status" = 'offline' THEN 'away' ELSE 'available' END, "sms_capacity" = GREATEST(1, "max_concurrent");--> statement-breakpoint
ALTER TABLE "agents" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "agents" DROP COLUMN "max_concurrent";--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_email_unique" UNIQUE("email");