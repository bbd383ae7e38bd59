import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { Comparison, Condition, Leaf, ScoreFormula } from './rules';
import { leavesOf, termLeaf } from './rules';

/**
 * A tag rule's condition as set-based SQL over `customers c`: every fact that needs counting is a
 * derived table grouped by customer (orders, interactions, utterances, events) joined once, so a
 * full pass is a few hash joins over the windows' rows, never one customer at a time. With `scope`
 * (the per-event run) each derived table and `c` are limited to those customers, so the same SQL
 * reads a handful of index entries.
 */

export interface CompileOptions {
  /** The moment the windows end at (tests fix it). */
  now: Date;
  /** Only these customers (per event); none: everyone (the full pass). */
  scope?: readonly string[];
}

export interface CompiledCondition {
  /** `left join (…) fN on fN.customer_id = c.id` for each counted fact. */
  joins: SQL;
  /** The condition, true or false for every row (never null). */
  where: SQL;
  /** A jsonb array of `{ leaf, value }`: what the customer's facts were, for the tag's reason. */
  facts: SQL;
  /** Live customers (no merge tombstones), limited to `scope` when given. */
  scope: SQL;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const since = (now: Date, days: number) => ts(new Date(now.getTime() - days * 86_400_000));
const OPS: Record<Comparison, string> = { '>=': '>=', '>': '>', '<=': '<=', '<': '<', '=': '=', '!=': '<>' };
const compare = (value: SQL, op: Comparison, literal: SQL) => sql`coalesce(${value} ${sql.raw(OPS[op])} ${literal}, false)`;
/** `column in (…ids)`. */
export const inList = (column: SQL, ids: readonly string[]) => sql`${column} in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`;
/** `%word%` for ILIKE, with the pattern characters in the word taken literally. */
const containsPattern = (word: string) => `%${word.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Each fact's figure per customer as an expression over `c`, with the derived tables it needs:
 * what conditions test (compileCondition) and score formulas weigh (compileScore).
 */
function figures(leaves: readonly Leaf[], options: CompileOptions): { joins: SQL[]; values: Map<Leaf, SQL> } {
  const { now } = options;
  const scoped = (column: SQL) => (options.scope ? sql`and ${inList(column, options.scope)}` : sql``);
  const joins: SQL[] = [];
  const values = new Map<Leaf, SQL>();

  /** A derived table of one figure per customer, joined once; returns the figure's expression. */
  const derived = (select: SQL, fallback: SQL | null): SQL => {
    const alias = sql.raw(`f${joins.length}`);
    joins.push(sql`left join (${select}) ${alias} on ${alias}.customer_id = c.id`);
    return fallback ? sql`coalesce(${alias}.v, ${fallback})` : sql`${alias}.v`;
  };

  const valueOf = (leaf: Leaf): SQL => {
    switch (leaf.fact) {
      case 'attribute':
        return sql`(c.attributes ->> ${leaf.key})`;
      case 'score':
        return leaf.score === 'value' ? sql`c.value_score::float8` : sql`c.behaviour_score::float8`;
      case 'tag':
        return sql`exists (select 1 from customer_tags t where t.customer_id = c.id and t.tag = ${leaf.tag} and (t.expires_at is null or t.expires_at > ${ts(now)}))`;
      case 'count': {
        const from = since(now, leaf.withinDays);
        if (leaf.of === 'orders') return derived(sql`select customer_id, count(*)::int as v from orders where placed_at >= ${from} and placed_at <= ${ts(now)} ${scoped(sql`customer_id`)} group by customer_id`, sql`0`);
        if (leaf.of === 'events')
          return derived(sql`select customer_id, count(*)::int as v from customer_events where kind = ${leaf.event ?? ''} and at >= ${from} and at <= ${ts(now)} ${scoped(sql`customer_id`)} group by customer_id`, sql`0`);
        const upset = leaf.of === 'upset-contacts' ? sql`and emotion_label = 'upset'` : sql``;
        return derived(
          sql`select customer_id, count(*)::int as v from interactions where not is_test and started_at >= ${from} and started_at <= ${ts(now)} ${upset} ${scoped(sql`customer_id`)} group by customer_id`,
          sql`0`,
        );
      }
      case 'spend':
        return derived(
          sql`select customer_id, sum(amount)::float8 as v from orders where placed_at >= ${since(now, leaf.withinDays)} and placed_at <= ${ts(now)} ${scoped(sql`customer_id`)} group by customer_id`,
          sql`0`,
        );
      case 'keyword': {
        const from = since(now, leaf.withinDays);
        const patterns = sql`array[${sql.join(leaf.keywords.map((k) => sql`${containsPattern(k)}`), sql`, `)}]::text[]`;
        // What the flow heard (speech or a text), and what the customer wrote to an agent.
        return derived(
          sql`select customer_id, count(*)::int as v from (
              select i.customer_id from interaction_steps s join interactions i on i.id = s.interaction_id
                where not i.is_test and i.started_at >= ${from} and s.started_at >= ${from} and s.started_at <= ${ts(now)} and s.input ilike any (${patterns}) ${scoped(sql`i.customer_id`)}
              union all
              select m.customer_id from messages m
                where m.direction = 'inbound' and m.agent_id is not null and m.created_at >= ${from} and m.created_at <= ${ts(now)} and m.body ilike any (${patterns}) ${scoped(sql`m.customer_id`)}
            ) u group by customer_id`,
          sql`0`,
        );
      }
      case 'days-since-last-order':
        return derived(
          sql`select customer_id, floor(extract(epoch from ${ts(now)} - max(placed_at)) / 86400)::int as v from orders where placed_at <= ${ts(now)} ${scoped(sql`customer_id`)} group by customer_id`,
          null,
        );
      case 'age':
        return sql`extract(year from age(${ts(now)}::date, c.birth_date))::int`;
    }
  };

  for (const leaf of leaves) if (!values.has(leaf)) values.set(leaf, valueOf(leaf));
  return { joins, values };
}

/** A derived table's figure, or a fact of the row itself, compared as the leaf says. */
function test(leaf: Leaf, value: SQL): SQL {
  switch (leaf.fact) {
    case 'tag':
      return leaf.present ? value : sql`not ${value}`;
    case 'attribute': {
      if (leaf.op === 'exists') return sql`(c.attributes ? ${leaf.key})`;
      if (leaf.op === 'contains') return sql`coalesce(strpos(lower(${value}), lower(${String(leaf.value)})) > 0, false)`;
      if (typeof leaf.value === 'number') return compare(numericAttribute(leaf.key, value), leaf.op, sql`${leaf.value}::numeric`);
      return compare(value, leaf.op, sql`${String(leaf.value ?? '')}::text`);
    }
    default:
      return compare(value, leaf.op, sql`${leaf.value}::float8`);
  }
}

/** Only values that are numbers count as numbers; anything else is null. */
const numericAttribute = (key: string, value: SQL) => sql`(case when jsonb_typeof(c.attributes -> ${key}) = 'number' or ${value} ~ '^-?[0-9]+(\\.[0-9]+)?$' then ${value}::numeric end)`;

const factsJson = (values: Map<Leaf, SQL>) =>
  sql`jsonb_build_array(${sql.join(
    [...values].map(([leaf, value]) => sql`jsonb_build_object('leaf', ${JSON.stringify(leaf)}::jsonb, 'value', to_jsonb(${value}))`),
    sql`, `,
  )})`;

/** A profile merged into another is a tombstone (kept for undo): no rule or score touches it. */
const scopeOf = (options: CompileOptions) => (options.scope ? sql`c.merged_into is null and ${inList(sql`c.id`, options.scope)}` : sql`c.merged_into is null`);

export function compileCondition(condition: Condition, options: CompileOptions): CompiledCondition {
  const { joins, values } = figures(leavesOf(condition), options);
  const build = (node: Condition): SQL => {
    if ('all' in node) return sql`(${sql.join(node.all.map(build), sql` and `)})`;
    if ('any' in node) return sql`(${sql.join(node.any.map(build), sql` or `)})`;
    if ('not' in node) return sql`(not ${build(node.not)})`;
    return test(node, values.get(node)!);
  };
  return { joins: sql.join(joins, sql` `), where: build(condition), facts: factsJson(values), scope: scopeOf(options) };
}

/**
 * A score formula as an expression over `c`: base + Σ weight × min(figure ÷ cap, 1), held to
 * 0 … 1, with the facts (each term's figure) that explain it.
 */
export function compileScore(formula: ScoreFormula, options: CompileOptions): { joins: SQL; score: SQL; facts: SQL; scope: SQL } {
  const leaves = formula.terms.map(termLeaf);
  const { joins, values } = figures(leaves, options);
  const parts = formula.terms.map((term, i) => {
    const raw = values.get(leaves[i]!)!;
    const figure = term.fact === 'attribute' ? sql`coalesce(${numericAttribute(term.key ?? '', raw)}, 0)::float8` : sql`coalesce(${raw}, 0)::float8`;
    return sql`${term.weight}::float8 * least(greatest(${figure}, 0) / ${term.cap}::float8, 1)`;
  });
  const sum = sql.join([sql`${formula.base}::float8`, ...parts], sql` + `);
  return { joins: sql.join(joins, sql` `), score: sql`least(greatest(${sum}, 0), 1)`, facts: factsJson(values), scope: scopeOf(options) };
}
