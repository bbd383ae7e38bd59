import { type RecordedFact, type ScoreFormula, type ScoreFormulas, scoreFormulasSchema, type ScoreTerm, termLeaf } from '@/server/tags/rules';
import { describeLeaf, type Translate } from './describe';

/**
 * Score formulas in words and their maths, for the score form (/settings/tags) and the profile's
 * "how this score was computed": pure, given translators for `scoreFormulas.words` and
 * `tagRules.describe` and a number format. Same maths as server/tags/compile.ts `compileScore`.
 */

export type Which = 'value' | 'behaviour';
export const WHICH: readonly Which[] = ['value', 'behaviour'];
export const TERM_FACTS: readonly ScoreTerm['fact'][] = ['spend', 'orders', 'interactions', 'upset-contacts', 'attribute'];

/** A recorded figure as the formula counts it: a number (or numeric text) of at least 0, else 0. */
export function figureOf(value: RecordedFact['value'] | undefined): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value.trim()) ? Number(value) : 0;
  return Number.isFinite(n) ? Math.max(n, 0) : 0;
}

/** What one term adds: weight × min(figure ÷ cap, 1). */
export function contribution(term: ScoreTerm, value: RecordedFact['value'] | undefined): number {
  return term.weight * Math.min(figureOf(value) / term.cap, 1);
}

/** The score: base + Σ contributions, held to 0 … 1; `values` in the order of the terms. */
export function scoreOf(formula: ScoreFormula, values: readonly (RecordedFact['value'] | undefined)[]): number {
  const sum = formula.terms.reduce((total, term, i) => total + contribution(term, values[i]), formula.base);
  return Math.min(Math.max(sum, 0), 1);
}

/** Each term with the fact recorded for it (the facts come in the order of the terms). */
export function termFacts(formula: ScoreFormula, facts: readonly RecordedFact[]): { term: ScoreTerm; fact: RecordedFact; contribution: number }[] {
  return formula.terms.map((term, i) => {
    const fact = facts[i] ?? { leaf: termLeaf(term), value: null };
    return { term, fact, contribution: contribution(term, fact.value) };
  });
}

/** "0.2 + 0.6 × spent in the last 365 days ÷ 10,000 (at most 1) − 0.1 × …". */
export function formulaInWords(formula: ScoreFormula, t: Translate, describe: Translate, num: (n: number) => string): string {
  return formula.terms.reduce(
    (words, term) =>
      words + t(term.weight < 0 ? 'minus' : 'plus') + t('term', { weight: num(Math.abs(term.weight)), subject: describeLeaf(termLeaf(term), describe), cap: num(term.cap) }),
    num(formula.base),
  );
}

/** A contribution with its sign: "+0.36", "−0.1". */
export function signed(n: number, num: (n: number) => string): string {
  return `${n < 0 ? '−' : '+'}${num(Math.abs(n))}`;
}

// ---- The form's draft: numbers as typed, a formula switched off keeps its terms. ----

export interface TermDraft {
  id: string;
  fact: ScoreTerm['fact'];
  withinDays: string;
  key: string;
  cap: string;
  weight: string;
}
export interface FormulaDraft {
  enabled: boolean;
  base: string;
  terms: TermDraft[];
}
export type ScoresDraft = Record<Which, FormulaDraft>;

let nextId = 0;
const newId = () => `term-${++nextId}`;

export function newTerm(fact: ScoreTerm['fact'] = 'spend'): TermDraft {
  return { id: newId(), fact, withinDays: fact === 'attribute' ? '' : '90', key: '', cap: '1', weight: '0.5' };
}

function termToDraft(term: ScoreTerm): TermDraft {
  return { id: newId(), fact: term.fact, withinDays: term.withinDays?.toString() ?? '', key: term.key ?? '', cap: String(term.cap), weight: String(term.weight) };
}

/** A starting point when a score is first switched on. */
const STARTERS: Record<Which, ScoreFormula> = {
  value: {
    base: 0.2,
    terms: [
      { fact: 'spend', withinDays: 365, cap: 10000, weight: 0.6 },
      { fact: 'orders', withinDays: 90, cap: 5, weight: 0.2 },
    ],
  },
  behaviour: {
    base: 0.5,
    terms: [
      { fact: 'interactions', withinDays: 90, cap: 10, weight: 0.3 },
      { fact: 'upset-contacts', withinDays: 90, cap: 3, weight: -0.4 },
    ],
  },
};

export function formulasToDraft(formulas: ScoreFormulas): ScoresDraft {
  const one = (which: Which): FormulaDraft => {
    const formula = formulas[which] ?? STARTERS[which];
    return { enabled: formulas[which] !== null, base: String(formula.base), terms: formula.terms.map(termToDraft) };
  };
  return { value: one('value'), behaviour: one('behaviour') };
}

/** "" stays missing (the schema says so); anything else is a number, NaN when not one. */
const numberOf = (text: string) => (text.trim() === '' ? undefined : Number(text));

function draftToFormula(draft: FormulaDraft): unknown {
  if (!draft.enabled) return null;
  return {
    base: numberOf(draft.base),
    terms: draft.terms.map((term) => ({
      fact: term.fact,
      ...(term.fact === 'attribute' ? { key: term.key.trim() || undefined } : { withinDays: numberOf(term.withinDays) }),
      cap: numberOf(term.cap),
      weight: numberOf(term.weight),
    })),
  };
}

export interface ScoreIssue {
  which: Which;
  /** The term's index, when the issue is a term's. */
  term?: number;
  field?: 'base' | 'terms' | 'fact' | 'withinDays' | 'key' | 'cap' | 'weight';
  message: string;
  /** Not a number (empty or not one): the form says so in its own words. */
  notANumber: boolean;
}

/** The formulas to save, or what the schema refuses, by score, term and field. */
export function validateScores(draft: ScoresDraft): { ok: true; formulas: ScoreFormulas } | { ok: false; issues: ScoreIssue[] } {
  const parsed = scoreFormulasSchema.safeParse({ value: draftToFormula(draft.value), behaviour: draftToFormula(draft.behaviour) });
  if (parsed.success) return { ok: true, formulas: parsed.data };
  const issues = parsed.error.issues.map((issue): ScoreIssue => {
    const [which, section, index, field] = issue.path;
    const where: ScoreIssue = { which: which === 'behaviour' ? 'behaviour' : 'value', message: issue.message, notANumber: issue.code === 'invalid_type' };
    if (section === 'base') return { ...where, field: 'base' };
    if (section === 'terms' && typeof index === 'number') return { ...where, term: index, field: typeof field === 'string' ? (field as ScoreIssue['field']) : undefined };
    if (section === 'terms') return { ...where, field: 'terms' };
    return where;
  });
  return { ok: false, issues };
}
