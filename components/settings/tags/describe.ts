import type { Comparison, Condition, Leaf, RecordedFact } from '@/server/tags/rules';

/**
 * Tag-rule conditions in words, for the rules list and the preview's facts: pure, given a
 * translator for `tagRules.describe` (next-intl's `useTranslations('tagRules.describe')`).
 */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** Message keys of the comparisons (`>=` is no key). */
export const OP_KEYS: Record<Comparison | 'contains' | 'exists', string> = { '>=': 'gte', '>': 'gt', '<=': 'lte', '<': 'lt', '=': 'eq', '!=': 'ne', contains: 'contains', exists: 'exists' };

const COUNT_KEYS = { orders: 'orders', interactions: 'interactions', 'upset-contacts': 'upsetContacts', events: 'events' } as const;

/** What the test measures: "said 奶粉 / baby formula in the last 30 days", "orders in the last 90 days", "age". */
export function describeLeaf(leaf: Leaf, t: Translate): string {
  switch (leaf.fact) {
    case 'attribute':
      return t('attribute', { key: leaf.key });
    case 'score':
      return t(`score.${leaf.score}`);
    case 'tag':
      return t('hasTag', { tag: leaf.tag });
    case 'count':
      return t(`count.${COUNT_KEYS[leaf.of]}`, { days: leaf.withinDays, event: leaf.event ?? '' });
    case 'spend':
      return t('spend', { days: leaf.withinDays });
    case 'keyword':
      return t('keyword', { keywords: leaf.keywords.join(' / '), days: leaf.withinDays });
    case 'days-since-last-order':
      return t('daysSinceLastOrder');
    case 'age':
      return t('age');
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

function value(v: string | number | boolean | null | undefined, t: Translate): string | number {
  if (v === null || v === undefined) return t('none');
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (typeof v === 'number') return round(v);
  return t('text', { text: v });
}

/** The whole test: "said 奶粉 / baby formula in the last 30 days: at least 2", "does not have tag “vip”". */
export function describeTest(leaf: Leaf, t: Translate): string {
  if (leaf.fact === 'tag') return leaf.present ? t('hasTag', { tag: leaf.tag }) : t('lacksTag', { tag: leaf.tag });
  const subject = describeLeaf(leaf, t);
  if (leaf.fact === 'attribute' && leaf.op === 'exists') return t('exists', { subject });
  return t('test', { subject, op: t(`ops.${OP_KEYS[leaf.op]}`), value: value(leaf.value, t) });
}

/** A whole condition on one line: "all of (…; …)". */
export function describeCondition(condition: Condition, t: Translate): string {
  const list = (items: Condition[]) => items.map((c) => describeCondition(c, t)).join(t('separator'));
  if ('all' in condition) return t('allOf', { items: list(condition.all) });
  if ('any' in condition) return t('anyOf', { items: list(condition.any) });
  if ('not' in condition) return 'any' in condition.not ? t('noneOf', { items: list(condition.not.any) }) : t('not', { item: describeCondition(condition.not, t) });
  return describeTest(condition, t);
}

/**
 * A fact a match recorded, with the customer's value then: "said 奶粉 / baby formula in the last
 * 30 days: 2", "has tag “vip”: no", "days since the last order: —" (never ordered).
 */
export function describeFact(fact: RecordedFact, t: Translate): string {
  return t('fact', { subject: describeLeaf(fact.leaf, t), value: value(fact.value, t) });
}
