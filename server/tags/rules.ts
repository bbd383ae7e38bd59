import { z } from 'zod';

/**
 * Tag rules: declarative conditions on a customer's profile and history, stored as JSON validated
 * by these schemas, edited in a form (`/settings/tags`) and compiled to set-based SQL by
 * ./compile.ts. Each rule adds or removes one tag. Browser-safe: the form validates with the same
 * schema and describes conditions with `leafFacts`.
 */

export const COMPARISONS = ['>=', '>', '<=', '<', '=', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];
const comparison = z.enum(COMPARISONS);
const windowDays = z.number().int().min(1).max(3650);
export const TAG_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.:/-]{0,47}$/u;
export const tagNameSchema = z.string().trim().regex(TAG_NAME, 'a tag is 1–48 letters, digits, spaces or _ . : / -, starting with a letter or digit');

export const COUNTED = ['orders', 'interactions', 'upset-contacts', 'events'] as const;

/** One test on one fact about the customer. */
export const leafSchema = z.discriminatedUnion('fact', [
  z.object({
    fact: z.literal('attribute'),
    key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an attribute key is 1–64 letters, digits, _ or -'),
    op: z.enum([...COMPARISONS, 'contains', 'exists']),
    value: z.union([z.string().max(200), z.number()]).optional(),
  }),
  z.object({ fact: z.literal('score'), score: z.enum(['value', 'behaviour']), op: comparison, value: z.number().min(0).max(1) }),
  z.object({ fact: z.literal('tag'), tag: tagNameSchema, present: z.boolean() }),
  z.object({
    fact: z.literal('count'),
    of: z.enum(COUNTED),
    /** For `events`: the event kind (`purchase`, `account-risk` …). */
    event: z.string().trim().min(1).max(64).optional(),
    withinDays: windowDays,
    op: comparison,
    value: z.number().int().min(0),
  }),
  z.object({ fact: z.literal('spend'), withinDays: windowDays, op: comparison, value: z.number().min(0) }),
  z.object({
    fact: z.literal('keyword'),
    /** Any of these, as the customer said (speech) or texted them, case-insensitive. */
    keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(20),
    withinDays: windowDays,
    op: comparison,
    /** How many utterances or messages had one of them. */
    value: z.number().int().min(0),
  }),
  /** A customer who never ordered has no such figure, and the test is false. */
  z.object({ fact: z.literal('days-since-last-order'), op: comparison, value: z.number().int().min(0) }),
  /** From `customers.birth_date`; false without one. */
  z.object({ fact: z.literal('age'), op: comparison, value: z.number().int().min(0).max(150) }),
]);
export type Leaf = z.infer<typeof leafSchema>;

export type Condition = Leaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const MAX_DEPTH = 6;
const MAX_LEAVES = 40;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    leafSchema,
    z.object({ all: z.array(conditionSchema).min(1, 'a group needs at least one condition').max(MAX_LEAVES) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1, 'a group needs at least one condition').max(MAX_LEAVES) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

/** Every test of a condition tree, in order (the facts a match records are theirs). */
export function leavesOf(condition: Condition): Leaf[] {
  if ('all' in condition) return condition.all.flatMap(leavesOf);
  if ('any' in condition) return condition.any.flatMap(leavesOf);
  if ('not' in condition) return leavesOf(condition.not);
  return [condition];
}

function depthOf(condition: Condition): number {
  if ('all' in condition) return 1 + Math.max(...condition.all.map(depthOf));
  if ('any' in condition) return 1 + Math.max(...condition.any.map(depthOf));
  if ('not' in condition) return 1 + depthOf(condition.not);
  return 1;
}

export const tagRuleInputSchema = z
  .object({
    name: z.string().trim().min(1, 'give the rule a name').max(100),
    tag: tagNameSchema,
    action: z.enum(['add', 'remove']),
    condition: conditionSchema,
    /** An added tag lasts this many days; null: until the rule stops matching. */
    expiresAfterDays: z.number().int().min(1).max(3650).nullable(),
    enabled: z.boolean(),
  })
  .superRefine((rule, ctx) => {
    if (depthOf(rule.condition) > MAX_DEPTH) ctx.addIssue({ code: 'custom', path: ['condition'], message: `groups nest at most ${MAX_DEPTH} deep` });
    const leaves = leavesOf(rule.condition);
    if (leaves.length > MAX_LEAVES) ctx.addIssue({ code: 'custom', path: ['condition'], message: `at most ${MAX_LEAVES} conditions` });
    leaves.forEach((leaf) => {
      if (leaf.fact === 'count' && leaf.of === 'events' && !leaf.event) ctx.addIssue({ code: 'custom', path: ['condition'], message: 'an event count needs the event kind' });
      if (leaf.fact === 'attribute' && leaf.op !== 'exists' && leaf.value === undefined) ctx.addIssue({ code: 'custom', path: ['condition'], message: `attribute "${leaf.key}" needs a value to compare with` });
      if (leaf.fact === 'attribute' && leaf.op === 'contains' && typeof leaf.value !== 'string') ctx.addIssue({ code: 'custom', path: ['condition'], message: `"contains" compares text: give attribute "${leaf.key}" a text value` });
    });
    if (rule.action === 'remove' && rule.expiresAfterDays !== null) ctx.addIssue({ code: 'custom', path: ['expiresAfterDays'], message: 'only an added tag can expire' });
  });
export type TagRuleInput = z.infer<typeof tagRuleInputSchema>;

/** The fact a match recorded for one test: the test itself and the customer's value then. */
export interface RecordedFact {
  leaf: Leaf;
  value: number | string | boolean | null;
}

/** Why a tag is there or went (`customer_tags.facts`, `tag_changes.facts`). */
export interface TagReason {
  /** A rule matched on these facts. */
  facts?: RecordedFact[];
  /** A rule's tag went: it expired, or the rule no longer matched. */
  reason?: 'expired' | 'no longer matches';
  /** A flow's tag node set or removed it during this contact. */
  interactionId?: string;
}

/**
 * The rules every new installation starts with: the product's own examples. Thresholds are
 * settings a contact center changes in the form.
 */
export const SEED_TAG_RULES: TagRuleInput[] = [
  {
    name: 'Parent: asked about baby formula twice in 30 days',
    tag: '母婴用户',
    action: 'add',
    condition: { fact: 'keyword', keywords: ['奶粉', 'baby formula', 'infant formula'], withinDays: 30, op: '>=', value: 2 },
    expiresAfterDays: null,
    enabled: true,
  },
  {
    name: 'Dormant: no order in 90 days',
    tag: 'dormant',
    action: 'add',
    condition: { fact: 'days-since-last-order', op: '>=', value: 90 },
    expiresAfterDays: null,
    enabled: true,
  },
  {
    name: 'High value: over 5,000 spent in 12 months',
    tag: 'high-value',
    action: 'add',
    condition: { fact: 'spend', withinDays: 365, op: '>', value: 5000 },
    expiresAfterDays: null,
    enabled: true,
  },
  {
    name: 'Complaint risk: two or more upset contacts in 30 days',
    tag: 'complaint-risk',
    action: 'add',
    condition: { fact: 'count', of: 'upset-contacts', withinDays: 30, op: '>=', value: 2 },
    expiresAfterDays: 30,
    enabled: true,
  },
  {
    name: 'Elderly: 65 or older',
    tag: 'elderly',
    action: 'add',
    condition: { fact: 'age', op: '>=', value: 65 },
    expiresAfterDays: null,
    enabled: true,
  },
];

/**
 * Value and behaviour scores from data: base + Σ weight × min(figure ÷ cap, 1), held to 0 … 1 —
 * e.g. value = 0.2 + 0.6 × (12-month spend ÷ 10,000) + 0.2 × (orders in 90 days ÷ 5). A figure is
 * a count or sum over a window, as tag rules count them, or a numeric attribute (a tier as 1–3).
 */
export const scoreTermSchema = z
  .object({
    fact: z.enum(['spend', 'orders', 'interactions', 'upset-contacts', 'attribute']),
    withinDays: windowDays.optional(),
    /** For `attribute`: its key. */
    key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an attribute key is 1–64 letters, digits, _ or -').optional(),
    /** The figure that counts in full. */
    cap: z.number().positive('the cap must be above 0'),
    weight: z.number().min(-1).max(1),
  })
  .superRefine((term, ctx) => {
    if (term.fact === 'attribute' && !term.key) ctx.addIssue({ code: 'custom', path: ['key'], message: 'an attribute term needs the attribute key' });
    if (term.fact !== 'attribute' && !term.withinDays) ctx.addIssue({ code: 'custom', path: ['withinDays'], message: `a ${term.fact} term needs its window in days` });
  });
export type ScoreTerm = z.infer<typeof scoreTermSchema>;

export const scoreFormulaSchema = z.object({ base: z.number().min(0).max(1), terms: z.array(scoreTermSchema).min(1, 'a formula needs at least one term').max(10) });
export type ScoreFormula = z.infer<typeof scoreFormulaSchema>;

/** Null: the score is not computed (set by hand, by a flow or by import). */
export const scoreFormulasSchema = z.object({ value: scoreFormulaSchema.nullable(), behaviour: scoreFormulaSchema.nullable() });
export type ScoreFormulas = z.infer<typeof scoreFormulasSchema>;
export const NO_SCORE_FORMULAS: ScoreFormulas = { value: null, behaviour: null };

/** The fact a score term weighs, as the leaf the compiler counts (its comparison is not used). */
export function termLeaf(term: ScoreTerm): Leaf {
  const withinDays = term.withinDays ?? 30;
  switch (term.fact) {
    case 'spend':
      return { fact: 'spend', withinDays, op: '>=', value: 0 };
    case 'attribute':
      return { fact: 'attribute', key: term.key ?? '', op: 'exists' };
    default:
      return { fact: 'count', of: term.fact, withinDays, op: '>=', value: 0 };
  }
}

/** What a computed score recorded: its formula and each term's figure then (`customers.score_facts`). */
export interface ScoreFacts {
  value?: { formula: ScoreFormula; facts: RecordedFact[]; at: string };
  behaviour?: { formula: ScoreFormula; facts: RecordedFact[]; at: string };
}
