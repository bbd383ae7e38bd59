CREATE TABLE "customer_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survivor_id" uuid NOT NULL,
	"absorbed_id" uuid NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"merged_by" text,
	"merged_by_id" text,
	"undone_at" timestamp with time zone,
	"undone_by" text,
	"moved" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "merged_into" uuid;--> statement-breakpoint
ALTER TABLE "customer_merges" ADD CONSTRAINT "customer_merges_survivor_id_customers_id_fk" FOREIGN KEY ("survivor_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_merges" ADD CONSTRAINT "customer_merges_absorbed_id_customers_id_fk" FOREIGN KEY ("absorbed_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_merges_survivor" ON "customer_merges" USING btree ("survivor_id","merged_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_merges_absorbed_active" ON "customer_merges" USING btree ("absorbed_id") WHERE undone_at is null;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merged_into_customers_id_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_identities_email_normal" ON "customer_identities" USING btree (lower(trim("value"))) WHERE kind = 'email';--> statement-breakpoint
CREATE INDEX "customer_identities_phone_digits" ON "customer_identities" USING btree (right(regexp_replace("value", '[^0-9]', '', 'g'), 10)) WHERE kind = 'phone';--> statement-breakpoint
CREATE INDEX "customer_identities_member_normal" ON "customer_identities" USING btree (upper(regexp_replace("value", '[[:space:]]', '', 'g'))) WHERE kind = 'member';--> statement-breakpoint
CREATE INDEX "customers_merged_into" ON "customers" USING btree ("merged_into") WHERE merged_into is not null;