import type { qaRules } from '@/db/schema/routing';

/**
 * Real-time QA on agent replies (owner: settings): pure, tested against known values. Isomorphic,
 * so the settings form can show a bad pattern's problem as it is typed, with the server's words.
 *
 * Matching: a term with Chinese (or other CJK) characters matches as a substring, since those
 * languages write no spaces; any other term matches whole words, case-insensitively ("idiot" is
 * found in "You idiot!" and in "你这个idiot", not in "idiotic"). A pattern is a JavaScript regular
 * expression (flags `iu`) or one of the detectors below, which check what they find.
 */

export type QaRule = Pick<typeof qaRules.$inferSelect, 'id' | 'name' | 'kind' | 'action' | 'terms' | 'pattern' | 'wrapCodes' | 'message'>;

export interface QaFinding {
  ruleId: string;
  ruleName: string;
  action: 'block' | 'warn';
  /** What the agent is told. */
  message: string;
  /** The text that matched (a card number masked to its last four). */
  excerpt: string;
}

/** Built-in patterns: a card number that passes the Luhn check, a Chinese resident ID whose check digit is right. */
export const PATTERN_DETECTORS = ['@card-number', '@cn-id'] as const;
export type PatternDetector = (typeof PATTERN_DETECTORS)[number];

export const MAX_PATTERN_LENGTH = 500;
export const MAX_TERM_LENGTH = 200;
const MAX_EXCERPT_LENGTH = 120;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** What may not touch an English term for it to be a whole word. */
const WORD_CHAR = '[\\p{Script=Latin}\\p{Nd}_]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function termRegExp(term: string): RegExp {
  const escaped = escapeRegExp(term.trim()).replace(/\s+/g, '\\s+');
  return CJK.test(term) ? new RegExp(escaped, 'iu') : new RegExp(`(?<!${WORD_CHAR})${escaped}(?!${WORD_CHAR})`, 'iu');
}

/** The first place one of `terms` occurs in `text`, as written there. */
export function findTerm(terms: readonly string[], text: string): string | undefined {
  for (const term of terms) {
    if (term.trim() === '') continue;
    const match = termRegExp(term).exec(text);
    if (match) return match[0];
  }
  return undefined;
}

// Card numbers are 13 to 19 digits, perhaps grouped by spaces or dashes; `+` starts a phone number.
const CARD_CANDIDATE = /(?<![\d+])\d(?:[ -]?\d){12,18}(?![\d])/gu;
const CN_ID_CANDIDATE = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/gu;
const CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_ID_CHECK = '10X98765432';

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** An 18-character Chinese resident ID number whose last character is its ISO 7064 check digit. */
export function cnIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const sum = CN_ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  return CN_ID_CHECK[sum % 11] === id[17]?.toUpperCase();
}

function detect(detector: PatternDetector, text: string): string | undefined {
  switch (detector) {
    case '@card-number':
      return [...text.matchAll(CARD_CANDIDATE)].find((m) => luhnValid(m[0].replace(/[ -]/g, '')))?.[0];
    case '@cn-id':
      return [...text.matchAll(CN_ID_CANDIDATE)].find((m) => cnIdValid(m[0]))?.[0];
    default: {
      const never: never = detector;
      return never;
    }
  }
}

/** Every digit but the last four starred, separators kept: `**** **** **** 1111`. */
function maskDigits(text: string): string {
  const total = text.replace(/\D/g, '').length;
  let seen = 0;
  return text.replace(/\d/g, (d) => (++seen <= total - 4 ? '*' : d));
}

/** Card numbers and ID numbers in an excerpt masked to their last four, whichever rule found it. */
export function maskExcerpt(text: string): string {
  const masked = text
    .replace(CARD_CANDIDATE, (m) => (luhnValid(m.replace(/[ -]/g, '')) ? maskDigits(m) : m))
    .replace(CN_ID_CANDIDATE, (m) => (cnIdValid(m) ? `${'*'.repeat(m.length - 4)}${m.slice(-4)}` : m));
  return masked.length > MAX_EXCERPT_LENGTH ? `${masked.slice(0, MAX_EXCERPT_LENGTH - 1)}…` : masked;
}

function isDetector(pattern: string): pattern is PatternDetector {
  return (PATTERN_DETECTORS as readonly string[]).includes(pattern);
}

/**
 * Why a pattern cannot be saved, or undefined when it can. Checked on save; a pattern that fails
 * here anyway (an old row) is skipped by checkReply, never thrown into an agent's reply.
 */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'The pattern is empty.';
  if (pattern.length > MAX_PATTERN_LENGTH) return `The pattern is longer than ${MAX_PATTERN_LENGTH} characters.`;
  if (isDetector(pattern)) return undefined;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'iu');
  } catch (error) {
    return `Not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (regex.test('')) return 'The pattern matches empty text, so it would fire on every reply.';
  return undefined;
}

function findPattern(pattern: string | null, text: string): string | undefined {
  if (!pattern || patternProblem(pattern)) return undefined;
  if (isDetector(pattern)) return detect(pattern, text);
  return new RegExp(pattern, 'iu').exec(text)?.[0];
}

function finding(rule: QaRule, excerpt: string): QaFinding {
  return { ruleId: rule.id, ruleName: rule.name, action: rule.action, message: rule.message, excerpt: maskExcerpt(excerpt) };
}

const blockingFirst = (a: QaFinding, b: QaFinding) => (a.action === b.action ? 0 : a.action === 'block' ? -1 : 1);

/** Findings of the word and pattern rules on one reply, blocking ones first. */
export function checkReply(rules: readonly QaRule[], text: string): QaFinding[] {
  const findings: QaFinding[] = [];
  for (const rule of rules) {
    switch (rule.kind) {
      case 'words': {
        const hit = findTerm(rule.terms, text);
        if (hit !== undefined) findings.push(finding(rule, hit));
        break;
      }
      case 'pattern': {
        const hit = findPattern(rule.pattern, text);
        if (hit !== undefined) findings.push(finding(rule, hit));
        break;
      }
      case 'required-phrase':
        break;
      default: {
        const never: never = rule.kind;
        void never;
      }
    }
  }
  return findings.sort(blockingFirst);
}

/**
 * Findings of the required-phrase rules for a wrap-up code, given everything the agent said: a
 * rule fires when none of its phrases was said. Its excerpt is the wrap-up code (nothing matched).
 */
export function checkResolve(rules: readonly QaRule[], wrapCode: string, agentLines: readonly string[]): QaFinding[] {
  return rules
    .filter((rule) => rule.kind === 'required-phrase' && rule.wrapCodes.includes(wrapCode))
    .filter((rule) => !agentLines.some((line) => findTerm(rule.terms, line) !== undefined))
    .map((rule) => finding(rule, wrapCode))
    .sort(blockingFirst);
}
