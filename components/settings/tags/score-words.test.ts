import { type AbstractIntlMessages, createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import zh from '@/messages/zh-CN.json';
import type { ScoreFormula } from '@/server/tags/rules';
import type { Translate } from './describe';
import { contribution, figureOf, formulasToDraft, formulaInWords, newTerm, scoreOf, signed, termFacts, validateScores } from './score-words';

function translator(locale: string, messages: unknown, namespace: string): Translate {
  const tr = createTranslator({ locale, messages: messages as AbstractIntlMessages, namespace }) as unknown as Translate;
  return (key, values) => tr(key, values);
}
const num = (n: number) => new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(n);

const value: ScoreFormula = {
  base: 0.2,
  terms: [
    { fact: 'spend', withinDays: 365, cap: 10000, weight: 0.6 },
    { fact: 'upset-contacts', withinDays: 30, cap: 3, weight: -0.3 },
    { fact: 'attribute', key: 'tier', cap: 3, weight: 0.2 },
  ],
};

describe('score formulas in words', () => {
  it('reads base and terms, with the sign of each weight', () => {
    const words = formulaInWords(value, translator('en', en, 'scoreFormulas.words'), translator('en', en, 'tagRules.describe'), num);
    expect(words).toBe('0.2 + 0.6 × spent in the last 365 days ÷ 10,000 (at most 1) − 0.3 × upset contacts in the last 30 days ÷ 3 (at most 1) + 0.2 × profile attribute “tier” ÷ 3 (at most 1)');
    const zhWords = formulaInWords({ base: 0.2, terms: [value.terms[0]!] }, translator('zh-CN', zh, 'scoreFormulas.words'), translator('zh-CN', zh, 'tagRules.describe'), num);
    expect(zhWords).toMatch(/^0\.2 \+ 0\.6 × .*365.* ÷ 10,000（最多为 1）$/);
  });

  it('signs contributions', () => {
    expect(signed(0.36, num)).toBe('+0.36');
    expect(signed(-0.1, num)).toBe('−0.1');
  });
});

describe('score maths', () => {
  it('weighs each figure up to its cap, as the server does', () => {
    expect(contribution(value.terms[0]!, 6000)).toBeCloseTo(0.36);
    expect(contribution(value.terms[0]!, 50000)).toBeCloseTo(0.6);
    expect(contribution(value.terms[1]!, 1)).toBeCloseTo(-0.1);
    // Numeric text counts; other text, null and negatives count as 0.
    expect(figureOf('2')).toBe(2);
    expect(figureOf('gold')).toBe(0);
    expect(figureOf(null)).toBe(0);
    expect(figureOf(-5)).toBe(0);
  });

  it('holds the score between 0 and 1', () => {
    expect(scoreOf(value, [6000, 1, '3'])).toBeCloseTo(0.2 + 0.36 - 0.1 + 0.2);
    expect(scoreOf(value, [0, 10, null])).toBe(0);
    expect(scoreOf({ base: 0.9, terms: [value.terms[0]!] }, [10000])).toBe(1);
  });

  it('pairs the recorded facts with the terms, a missing one as no figure', () => {
    const rows = termFacts(value, [{ leaf: { fact: 'spend', withinDays: 365, op: '>=', value: 0 }, value: 5000 }]);
    expect(rows.map((r) => r.contribution)).toEqual([0.3, -0, 0]);
    expect(rows[2]!.fact).toEqual({ leaf: { fact: 'attribute', key: 'tier', op: 'exists' }, value: null });
  });
});

describe('the score form draft', () => {
  it('round-trips formulas; a score switched off is null but keeps its terms', () => {
    const draft = formulasToDraft({ value, behaviour: null });
    expect(validateScores(draft)).toEqual({ ok: true, formulas: { value, behaviour: null } });
    expect(draft.behaviour.enabled).toBe(false);
    expect(draft.behaviour.terms.length).toBeGreaterThan(0);
    expect(validateScores({ ...draft, behaviour: { ...draft.behaviour, enabled: true } }).ok).toBe(true);
  });

  it('says which score, term and field the schema refuses', () => {
    const draft = formulasToDraft({ value, behaviour: null });
    draft.value.base = '1.5';
    draft.value.terms[0] = { ...draft.value.terms[0]!, cap: '' };
    draft.value.terms[2] = { ...draft.value.terms[2]!, key: '' };
    draft.behaviour = { enabled: true, base: '0', terms: [] };
    const result = validateScores(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(({ which, term, field, notANumber }) => ({ which, term, field, notANumber }))).toEqual([
      { which: 'value', term: undefined, field: 'base', notANumber: false },
      { which: 'value', term: 0, field: 'cap', notANumber: true },
      { which: 'value', term: 2, field: 'key', notANumber: false },
      { which: 'behaviour', term: undefined, field: 'terms', notANumber: false },
    ]);
  });

  it('starts a new term with a window, an attribute term without', () => {
    expect(newTerm().withinDays).toBe('90');
    expect(newTerm('attribute').withinDays).toBe('');
  });
});
