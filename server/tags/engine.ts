import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';
import { scoreFormulas, tagRules } from '@/db/schema';
import { compileCondition, compileScore, inList } from './compile';
import { NO_SCORE_FORMULAS, type RecordedFact, type ScoreFormula, type ScoreFormulas, scoreFormulasSchema, tagRuleInputSchema, type TagRuleInput } from './rules';

/**
 * Runs the tag rules: for everyone (the scheduled full pass) or for the customers an event touched
 * (an interaction ended, an order or event arrived, an import row landed). Each rule is one
 * statement: the customers it matches now, the tags it adds (with the facts that made it match),
 * the tags it set earlier that no longer hold, and a `tag_changes` row for every change. Expired
 * tags are removed first. Rules run in the order they were made, so a rule that tests a tag sees
 * what earlier rules did.
 */

export interface StoredRule extends TagRuleInput {
  id: string;
}

export interface RunResult {
  /** Customers whose value or behaviour score the formulas changed. */
  scored: number;
  added: number;
  removed: number;
  expired: number;
  ms: number;
  /** Rules that could not run (their error), per rule id. */
  failed: Record<string, string>;
}

export async function enabledRules(db: Db): Promise<StoredRule[]> {
  const rows = await db.select().from(tagRules).where(eq(tagRules.enabled, true)).orderBy(asc(tagRules.createdAt), asc(tagRules.id));
  return rows.flatMap((row) => {
    const parsed = tagRuleInputSchema.safeParse(row);
    return parsed.success ? [{ ...parsed.data, id: row.id }] : [];
  });
}

async function removeExpired(db: Db, now: Date, scope?: readonly string[]): Promise<number> {
  const inScope = scope ? sql`and ${inList(sql`customer_id`, scope)}` : sql``;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with gone as (delete from customer_tags where expires_at <= ${now.toISOString()}::timestamptz ${inScope} returning customer_id, tag, source, rule_id),
      logged as (insert into tag_changes (customer_id, tag, change, source, rule_id, facts, at)
        select customer_id, tag, 'removed', source, rule_id, '{"reason":"expired"}'::jsonb, ${now.toISOString()}::timestamptz from gone)
      select count(*)::int as n from gone`,
  );
  return Number(row?.n ?? 0);
}

/**
 * One rule over the customers in scope: adds and removes its tag, logging each change. A tag this
 * rule set under another name (the rule's tag was changed) goes too.
 */
async function applyRule(db: Db, rule: StoredRule, now: Date, scope?: readonly string[]): Promise<{ added: number; removed: number }> {
  const c = compileCondition(rule.condition, { now, scope });
  const at = sql`${now.toISOString()}::timestamptz`;
  const matched = sql`select c.id, ${c.facts} as facts from customers c ${c.joins} where ${c.scope} and ${c.where}`;
  const tagScope = scope ? sql`and ${inList(sql`t.customer_id`, scope)}` : sql``;
  const statement =
    rule.action === 'add'
      ? sql`with matched as (${matched}),
          added as (insert into customer_tags (customer_id, tag, source, rule_id, facts, expires_at, created_at)
            select id, ${rule.tag}, 'rule', ${rule.id}::uuid, jsonb_build_object('facts', facts),
              ${rule.expiresAfterDays ? sql`${at} + make_interval(days => ${rule.expiresAfterDays})` : sql`null`}, ${at} from matched
            on conflict (customer_id, tag) do nothing returning customer_id, facts as reason),
          renamed as (delete from customer_tags t where t.rule_id = ${rule.id}::uuid and t.tag <> ${rule.tag} ${tagScope} returning t.customer_id, t.tag),
          stale as (delete from customer_tags t where t.rule_id = ${rule.id}::uuid and t.tag = ${rule.tag} ${tagScope}
            and not exists (select 1 from matched m where m.id = t.customer_id) returning t.customer_id, t.tag),
          logged as (insert into tag_changes (customer_id, tag, change, source, rule_id, facts, at)
            select customer_id, ${rule.tag}, 'added', 'rule', ${rule.id}::uuid, reason, ${at} from added
            union all select customer_id, tag, 'removed', 'rule', ${rule.id}::uuid, '{"reason":"no longer matches"}'::jsonb, ${at} from stale
            union all select customer_id, tag, 'removed', 'rule', ${rule.id}::uuid, '{"reason":"no longer matches"}'::jsonb, ${at} from renamed)
          select (select count(*) from added)::int as added, ((select count(*) from stale) + (select count(*) from renamed))::int as removed`
      : sql`with matched as (${matched}),
          removed as (delete from customer_tags t using matched m where t.customer_id = m.id and t.tag = ${rule.tag} returning t.customer_id, m.facts),
          logged as (insert into tag_changes (customer_id, tag, change, source, rule_id, facts, at)
            select customer_id, ${rule.tag}, 'removed', 'rule', ${rule.id}::uuid, jsonb_build_object('facts', facts), ${at} from removed)
          select 0 as added, (select count(*) from removed)::int as removed`;
  const [row] = await queryRows<{ added: number; removed: number }>(db, statement);
  return { added: Number(row?.added ?? 0), removed: Number(row?.removed ?? 0) };
}

export async function loadScoreFormulas(db: Db): Promise<ScoreFormulas> {
  const [row] = await db.select({ formulas: scoreFormulas.formulas }).from(scoreFormulas).where(eq(scoreFormulas.id, 1));
  const parsed = scoreFormulasSchema.safeParse(row?.formulas);
  return parsed.success ? parsed.data : NO_SCORE_FORMULAS;
}

/** One score for the customers in scope, with its facts; answers how many changed. */
async function applyScore(db: Db, which: 'value' | 'behaviour', formula: ScoreFormula, now: Date, scope?: readonly string[]): Promise<number> {
  const s = compileScore(formula, { now, scope });
  const column = sql.raw(which === 'value' ? 'value_score' : 'behaviour_score');
  const explained = sql`jsonb_build_object('formula', ${JSON.stringify(formula)}::jsonb, 'facts', s.facts, 'at', ${now.toISOString()}::text)`;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with s as (select c.id, ${s.score} as score, ${s.facts} as facts from customers c ${s.joins} where ${s.scope}),
      changed as (update customers c set ${column} = s.score, score_facts = coalesce(c.score_facts, '{}'::jsonb) || jsonb_build_object(${which}::text, ${explained})
        from s where c.id = s.id and (c.${column} is distinct from s.score::real or c.score_facts -> ${which}::text -> 'facts' is distinct from s.facts) returning c.id)
      select count(*)::int as n from changed`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Runs every enabled rule, for `scope` or for everyone. A rule that fails (it cannot, once saved,
 * unless the database does) is reported and the others still run; the next pass tries it again.
 */
export async function runTagRules(db: Db, options: { scope?: readonly string[]; now?: Date; rules?: StoredRule[]; formulas?: ScoreFormulas } = {}): Promise<RunResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const scope = options.scope?.filter(Boolean);
  const result: RunResult = { scored: 0, added: 0, removed: 0, expired: 0, ms: 0, failed: {} };
  if (scope && scope.length === 0) return result;
  const [rules, formulas] = await Promise.all([options.rules ?? enabledRules(db), options.formulas ?? loadScoreFormulas(db)]);
  // Scores first: rules may test them.
  for (const which of ['value', 'behaviour'] as const) {
    const formula = formulas[which];
    if (!formula) continue;
    try {
      result.scored += await applyScore(db, which, formula, now, scope);
    } catch (error) {
      result.failed[`${which}-score`] = error instanceof Error ? error.message : String(error);
    }
  }
  result.expired = await removeExpired(db, now, scope);
  for (const rule of rules) {
    try {
      const { added, removed } = await applyRule(db, rule, now, scope);
      result.added += added;
      result.removed += removed;
    } catch (error) {
      result.failed[rule.id] = error instanceof Error ? error.message : String(error);
    }
  }
  result.ms = performance.now() - started;
  return result;
}

/** Per event: the rules for the customers it touched, never failing the caller's work. */
export async function runTagRulesFor(db: Db, customerIds: readonly (string | null | undefined)[], now?: Date): Promise<RunResult | null> {
  const scope = [...new Set(customerIds.filter((id): id is string => Boolean(id)))];
  if (scope.length === 0) return null;
  try {
    const result = await runTagRules(db, { scope, now });
    for (const [id, message] of Object.entries(result.failed)) console.error(`[tags] rule ${id} failed for ${scope.length} customer(s): ${message}`);
    return result;
  } catch (error) {
    // The nightly full pass brings the tags up to date; the call, order or import goes on.
    console.error('[tags] per-event rules failed:', error instanceof Error ? error.message : error);
    return null;
  }
}

export interface RulePreview {
  matches: number;
  /** Tags the rule would add (customers matching who lack the tag), and remove. */
  wouldAdd: number;
  wouldRemove: number;
  sample: { id: string; name: string; hasTag: boolean; facts: RecordedFact[] }[];
}

/** What a rule would do now, before it is saved: how many match, and a sample with their facts. */
export async function previewRule(db: Db, rule: TagRuleInput & { id?: string }, now = new Date()): Promise<RulePreview> {
  const c = compileCondition(rule.condition, { now });
  const hasTag = sql`exists (select 1 from customer_tags t where t.customer_id = c.id and t.tag = ${rule.tag} and (t.expires_at is null or t.expires_at > ${now.toISOString()}::timestamptz))`;
  const [counts] = await queryRows<{ matches: number; with_tag: number }>(
    db,
    sql`select count(*)::int as matches, count(*) filter (where ${hasTag})::int as with_tag from customers c ${c.joins} where ${c.scope} and ${c.where}`,
  );
  const sample = await queryRows<{ id: string; first_name: string | null; last_name: string | null; has_tag: boolean; facts: RecordedFact[] | string }>(
    db,
    sql`select c.id, c.first_name, c.last_name, ${hasTag} as has_tag, ${c.facts} as facts from customers c ${c.joins} where ${c.scope} and ${c.where} order by c.created_at desc, c.id limit 10`,
  );
  const matches = Number(counts?.matches ?? 0);
  const withTag = Number(counts?.with_tag ?? 0);
  let wouldRemove = 0;
  if (rule.action === 'add' && rule.id) {
    const [stale] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from customer_tags t where t.rule_id = ${rule.id}::uuid
        and (t.tag <> ${rule.tag} or t.customer_id not in (select c.id from customers c ${c.joins} where ${c.scope} and ${c.where}))`,
    );
    wouldRemove = Number(stale?.n ?? 0);
  }
  return {
    matches,
    wouldAdd: rule.action === 'add' ? matches - withTag : 0,
    wouldRemove: rule.action === 'add' ? wouldRemove : withTag,
    sample: sample.map((r) => ({
      id: r.id,
      name: [r.first_name, r.last_name].filter(Boolean).join(' '),
      hasTag: Boolean(r.has_tag),
      facts: typeof r.facts === 'string' ? (JSON.parse(r.facts) as RecordedFact[]) : r.facts,
    })),
  };
}
