import { type AbstractIntlMessages, createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import zh from '@/messages/zh-CN.json';
import { type Leaf, SEED_TAG_RULES } from '@/server/tags/rules';
import { describeCondition, describeFact, describeLeaf, describeTest, type Translate } from './describe';

/** The real messages of `tagRules.describe`, as the component's `useTranslations('tagRules.describe')` gives them. */
function translator(locale: string, messages: unknown): Translate {
  // Messages loosely typed: the keys are strings, as for `useTranslations` in the app.
  const tr = createTranslator({ locale, messages: messages as AbstractIntlMessages, namespace: 'tagRules.describe' }) as unknown as Translate;
  return (key, values) => tr(key, values);
}
const t = translator('en', en);
const tz = translator('zh-CN', zh);

const formula: Leaf = { fact: 'keyword', keywords: ['奶粉', 'baby formula'], withinDays: 30, op: '>=', value: 2 };

describe('tag rule conditions in words', () => {
  it('says what a keyword test measures, what it asks and what a customer had', () => {
    expect(describeLeaf(formula, t)).toBe('said 奶粉 / baby formula in the last 30 days');
    expect(describeTest(formula, t)).toBe('said 奶粉 / baby formula in the last 30 days: at least 2');
    expect(describeFact({ leaf: formula, value: 2 }, t)).toBe('said 奶粉 / baby formula in the last 30 days: 2');
    expect(describeFact({ leaf: formula, value: 2 }, tz)).toBe('最近 30 天说过“奶粉 / baby formula”的次数：2');
  });

  it('describes every kind of fact', () => {
    const cases: [Leaf, string][] = [
      [{ fact: 'count', of: 'orders', withinDays: 1, op: '>', value: 0 }, 'orders in the last 1 day: more than 0'],
      [{ fact: 'count', of: 'upset-contacts', withinDays: 30, op: '>=', value: 2 }, 'upset contacts in the last 30 days: at least 2'],
      [{ fact: 'count', of: 'events', event: 'purchase', withinDays: 7, op: '=', value: 3 }, '“purchase” events in the last 7 days: exactly 3'],
      [{ fact: 'count', of: 'interactions', withinDays: 90, op: '<', value: 5 }, 'contacts in the last 90 days: less than 5'],
      [{ fact: 'spend', withinDays: 365, op: '>', value: 5000 }, 'spent in the last 365 days: more than 5000'],
      [{ fact: 'days-since-last-order', op: '>=', value: 90 }, 'days since the last order: at least 90'],
      [{ fact: 'age', op: '>=', value: 65 }, 'age: at least 65'],
      [{ fact: 'score', score: 'behaviour', op: '<=', value: 0.3 }, 'behaviour score: at most 0.3'],
      [{ fact: 'tag', tag: 'vip', present: true }, 'has tag “vip”'],
      [{ fact: 'tag', tag: 'vip', present: false }, 'does not have tag “vip”'],
      [{ fact: 'attribute', key: 'plan', op: 'contains', value: 'gold' }, 'profile attribute “plan”: contains “gold”'],
      [{ fact: 'attribute', key: 'level', op: '!=', value: 3 }, 'profile attribute “level”: anything but 3'],
      [{ fact: 'attribute', key: 'plan', op: 'exists' }, 'profile attribute “plan” is set'],
    ];
    for (const [leaf, words] of cases) expect(describeTest(leaf, t)).toBe(words);
  });

  it('describes recorded values: yes/no for tags, a dash when there is none, scores rounded', () => {
    expect(describeFact({ leaf: { fact: 'tag', tag: 'vip', present: false }, value: false }, t)).toBe('has tag “vip”: no');
    expect(describeFact({ leaf: { fact: 'days-since-last-order', op: '>=', value: 90 }, value: null }, t)).toBe('days since the last order: —');
    expect(describeFact({ leaf: { fact: 'score', score: 'value', op: '>', value: 0.5 }, value: 0.73456 }, t)).toBe('value score: 0.73');
    expect(describeFact({ leaf: { fact: 'attribute', key: 'city', op: '=', value: '上海' }, value: '上海' }, t)).toBe('profile attribute “city”: “上海”');
    expect(describeFact({ leaf: { fact: 'age', op: '>=', value: 65 }, value: 70 }, tz)).toBe('年龄：70');
  });

  it('describes groups, with "none of" as the negation of "any of"', () => {
    const condition = {
      all: [formula, { not: { any: [{ fact: 'tag' as const, tag: 'vip', present: true }, { fact: 'age' as const, op: '<' as const, value: 18 }] } }, { not: { fact: 'spend' as const, withinDays: 30, op: '>' as const, value: 0 } }],
    };
    expect(describeCondition(condition, t)).toBe(
      'all of (said 奶粉 / baby formula in the last 30 days: at least 2; none of (has tag “vip”; age: less than 18); not (spent in the last 30 days: more than 0))',
    );
  });

  it('describes every seed rule in both languages without a missing message', () => {
    for (const rule of SEED_TAG_RULES) {
      for (const tr of [t, tz]) expect(describeCondition(rule.condition, tr)).not.toMatch(/tagRules\.describe|\{/);
    }
  });
});
