-- Customer search at a million customers: trigram indexes serve ILIKE '%…%' on names and on every
-- identity (phone, email, member id); btree indexes serve the sorts and score filters.
-- (PGlite loads the extension in db/client.ts openPglite; pg_trgm is a trusted extension.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX "customers_name_trgm" ON "customers" USING gin ((coalesce("first_name", '') || ' ' || coalesce("last_name", '')) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "customer_identities_value_trgm" ON "customer_identities" USING gin ("value" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "customers_sort_name" ON "customers" USING btree ("last_name", "first_name", "id");
--> statement-breakpoint
CREATE INDEX "customers_value_score" ON "customers" USING btree ("value_score", "id");
--> statement-breakpoint
CREATE INDEX "customers_behaviour_score" ON "customers" USING btree ("behaviour_score", "id");
--> statement-breakpoint
CREATE INDEX "customers_created" ON "customers" USING btree ("created_at", "id");
