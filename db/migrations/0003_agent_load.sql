ALTER TABLE "agents" ADD COLUMN "voice_load" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "sms_load" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The slot a handoff takes with an agent: the offered agent while offered, the assigned one while
-- assigned or in wrap-up. Every change of a handoff moves its slot, in the same transaction, so the
-- counters cannot drift from the rows whichever code path writes them.
CREATE FUNCTION "handoffs_agent_load"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_agent uuid;
  new_agent uuid;
  old_voice boolean;
  new_voice boolean;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    old_agent := CASE WHEN OLD.status IN ('assigned', 'wrap-up') THEN OLD.assigned_agent_id WHEN OLD.status = 'offered' THEN OLD.offered_agent_id END;
    old_voice := OLD.channel = 'voice';
  END IF;
  IF TG_OP <> 'DELETE' THEN
    new_agent := CASE WHEN NEW.status IN ('assigned', 'wrap-up') THEN NEW.assigned_agent_id WHEN NEW.status = 'offered' THEN NEW.offered_agent_id END;
    new_voice := NEW.channel = 'voice';
  END IF;
  IF old_agent IS NOT DISTINCT FROM new_agent AND (old_agent IS NULL OR old_voice = new_voice) THEN
    RETURN NULL;
  END IF;
  IF old_agent IS NOT NULL THEN
    UPDATE "agents" SET "voice_load" = "voice_load" - (CASE WHEN old_voice THEN 1 ELSE 0 END), "sms_load" = "sms_load" - (CASE WHEN old_voice THEN 0 ELSE 1 END) WHERE "id" = old_agent;
  END IF;
  IF new_agent IS NOT NULL THEN
    UPDATE "agents" SET "voice_load" = "voice_load" + (CASE WHEN new_voice THEN 1 ELSE 0 END), "sms_load" = "sms_load" + (CASE WHEN new_voice THEN 0 ELSE 1 END) WHERE "id" = new_agent;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "handoffs_agent_load" AFTER INSERT OR UPDATE OR DELETE ON "handoffs" FOR EACH ROW EXECUTE FUNCTION "handoffs_agent_load"();--> statement-breakpoint
UPDATE "agents" a SET
  "voice_load" = (SELECT count(*) FROM "handoffs" h WHERE h."channel" = 'voice' AND ((h."status" IN ('assigned', 'wrap-up') AND h."assigned_agent_id" = a."id") OR (h."status" = 'offered' AND h."offered_agent_id" = a."id"))),
  "sms_load" = (SELECT count(*) FROM "handoffs" h WHERE h."channel" <> 'voice' AND ((h."status" IN ('assigned', 'wrap-up') AND h."assigned_agent_id" = a."id") OR (h."status" = 'offered' AND h."offered_agent_id" = a."id")));
