import 'server-only';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';
import { firstRow } from '@/db/rows';
import { scoreFormulas, tagChanges, tagRules, tags } from '@/db/schema';
import { type AuditActor, recordAudit } from '@/server/audit/service';
import { compileScore } from './compile';
import { loadScoreFormulas, type StoredRule, runTagRules } from './engine';
import { type RecordedFact, type ScoreFormula, type ScoreFormulas, scoreFormulasSchema, SEED_TAG_RULES, type TagRuleInput, tagRuleInputSchema } from './rules';

export class TagRuleNotFound extends Error {
  constructor(id: string) {
    super(`No tag rule ${id}.`);
  }
}

/** The rules with how many customers carry each one's tag because of it, newest change first. */
export async function listTagRules(db: Db) {
  const rows = await db.select().from(tagRules).orderBy(asc(tagRules.createdAt), asc(tagRules.id));
  const counts = await queryRows<{ rule_id: string; n: number }>(db, sql`select rule_id, count(*)::int as n from customer_tags where rule_id is not null and (expires_at is null or expires_at > now()) group by rule_id`);
  const tagged = new Map(counts.map((r) => [r.rule_id, Number(r.n)]));
  return rows.map((row) => ({ ...row, tagged: tagged.get(row.id) ?? 0 }));
}

export async function getTagRule(db: Db, id: string): Promise<StoredRule & { createdAt: Date; updatedAt: Date }> {
  const [row] = await db.select().from(tagRules).where(eq(tagRules.id, id));
  if (!row) throw new TagRuleNotFound(id);
  return { ...tagRuleInputSchema.parse(row), id: row.id, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** Creates or updates a rule and its audit row together; the tag is known as `dynamic` if new. */
export async function saveTagRule(db: Db, input: TagRuleInput & { id?: string }, actor: AuditActor | undefined) {
  const rule = tagRuleInputSchema.parse(input);
  return db.transaction(async (tx) => {
    const values = { ...rule, updatedAt: new Date() };
    let row;
    if (input.id) {
      [row] = await tx.update(tagRules).set(values).where(eq(tagRules.id, input.id)).returning();
      if (!row) throw new TagRuleNotFound(input.id);
    } else {
      row = firstRow(await tx.insert(tagRules).values(values).returning(), 'insert into tag_rules');
    }
    await tx.insert(tags).values({ name: rule.tag, category: 'dynamic', description: '' }).onConflictDoNothing();
    await recordAudit(tx, { action: input.id ? 'settings.update' : 'settings.create', actor, target: { type: 'tagRule', id: row.id }, details: { name: rule.name, tag: rule.tag } });
    return row;
  });
}

/** Deletes a rule; the tags it set stay, marked as set by a rule that is gone, until removed by hand. */
export async function deleteTagRule(db: Db, id: string, actor: AuditActor | undefined) {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(tagRules).where(eq(tagRules.id, id)).returning();
    if (!row) throw new TagRuleNotFound(id);
    await recordAudit(tx, { action: 'settings.delete', actor, target: { type: 'tagRule', id }, details: { name: row.name, tag: row.tag } });
    return row;
  });
}

/** The full pass, on demand or from the schedule. */
export function runAllTagRules(db: Db) {
  return runTagRules(db);
}

/** A customer's tag history, newest first. */
export function tagHistory(db: Db, customerId: string, limit = 100) {
  return db.select().from(tagChanges).where(eq(tagChanges.customerId, customerId)).orderBy(desc(tagChanges.at), desc(tagChanges.id)).limit(limit);
}

/** The seed rules, once, into an installation that has none. */
export async function seedTagRules(db: Db) {
  const [existing] = await db.select({ id: tagRules.id }).from(tagRules).limit(1);
  if (existing) return 0;
  for (const rule of SEED_TAG_RULES) {
    await db.insert(tagRules).values(rule);
    await db.insert(tags).values({ name: rule.tag, category: 'dynamic', description: rule.name }).onConflictDoNothing();
  }
  return SEED_TAG_RULES.length;
}

export { loadScoreFormulas };

/** Saves the score formulas with an audit row; they apply from the next event or pass (or Run now). */
export async function saveScoreFormulas(db: Db, input: ScoreFormulas, actor: AuditActor | undefined): Promise<ScoreFormulas> {
  const formulas = scoreFormulasSchema.parse(input);
  await db.transaction(async (tx) => {
    await tx
      .insert(scoreFormulas)
      .values({ id: 1, formulas })
      .onConflictDoUpdate({ target: scoreFormulas.id, set: { formulas, updatedAt: new Date() } });
    await recordAudit(tx, { action: 'settings.update', actor, target: { type: 'scoreFormulas', id: 'scores' }, details: { value: formulas.value !== null, behaviour: formulas.behaviour !== null } });
  });
  return formulas;
}

/** What a formula would give now: a sample of customers with their score today and the computed one, and the facts. */
export async function previewScore(db: Db, which: 'value' | 'behaviour', formula: ScoreFormula, now = new Date()) {
  const s = compileScore(formula, { now });
  const column = sql.raw(which === 'value' ? 'value_score' : 'behaviour_score');
  const rows = await queryRows<{ id: string; first_name: string | null; last_name: string | null; current: number; computed: number; facts: unknown }>(
    db,
    sql`select c.id, c.first_name, c.last_name, c.${column}::float8 as current, ${s.score} as computed, ${s.facts} as facts
      from customers c ${s.joins} where ${s.scope} order by c.created_at desc, c.id limit 10`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: [r.first_name, r.last_name].filter(Boolean).join(' '),
    current: Number(r.current),
    computed: Number(r.computed),
    facts: (typeof r.facts === 'string' ? JSON.parse(r.facts) : r.facts) as RecordedFact[],
  }));
}
