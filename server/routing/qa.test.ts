import { describe, expect, it } from 'vitest';
import { checkReply, checkResolve, cnIdValid, luhnValid, maskExcerpt, patternProblem, type QaRule } from './qa';

function rule(overrides: Partial<QaRule> & Pick<QaRule, 'kind'>): QaRule {
  return { id: overrides.kind, name: overrides.kind, action: 'block', terms: [], pattern: null, wrapCodes: [], message: 'no', ...overrides };
}

const words = rule({ id: 'w', name: 'Insults', kind: 'words', terms: ['stupid', 'idiot', '笨蛋', 'shut up'], message: 'Stay polite.' });
const card = rule({ id: 'c', name: 'Card numbers', kind: 'pattern', pattern: '@card-number', message: 'Never repeat a card number.' });
const cnId = rule({ id: 'i', name: 'ID numbers', kind: 'pattern', pattern: '@cn-id', action: 'warn', message: 'Avoid ID numbers.' });
const guarantee = rule({ id: 'g', name: 'Promises', kind: 'words', action: 'warn', terms: ['guarantee'], message: 'Do not promise.' });
const refund = rule({ id: 'r', name: 'Refund reference', kind: 'required-phrase', terms: ['refund reference', '退款编号'], wrapCodes: ['refund-issued'], message: 'Give the refund reference.' });

describe('word lists', () => {
  it('match English terms as whole words, in any case', () => {
    expect(checkReply([words], 'Do not be STUPID about it.')).toEqual([{ ruleId: 'w', ruleName: 'Insults', action: 'block', message: 'Stay polite.', excerpt: 'STUPID' }]);
    expect(checkReply([words], 'That was an idiotic idea, stupidly done.')).toEqual([]);
    expect(checkReply([words], 'Please shut   up now')[0]?.excerpt).toBe('shut   up');
    expect(checkReply([words], 'You idiot!')[0]?.excerpt).toBe('idiot');
  });

  it('match Chinese terms as substrings (no spaces between words)', () => {
    expect(checkReply([words], '你这个笨蛋怎么回事')[0]?.excerpt).toBe('笨蛋');
    // English next to Chinese characters is still a whole word.
    expect(checkReply([words], '你真stupid')[0]?.excerpt).toBe('stupid');
    expect(checkReply([words], '谢谢您的耐心')).toEqual([]);
  });

  it('ignore blank terms and required-phrase rules', () => {
    expect(checkReply([rule({ kind: 'words', terms: ['', '  '] })], 'anything at all')).toEqual([]);
    expect(checkReply([refund], 'no refund reference here')).toEqual([]);
  });
});

describe('patterns', () => {
  it('find card numbers that pass the Luhn check, masked to the last four', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(checkReply([card], 'Your card 4111 1111 1111 1111 is on file')).toEqual([
      { ruleId: 'c', ruleName: 'Card numbers', action: 'block', message: 'Never repeat a card number.', excerpt: '**** **** **** 1111' },
    ]);
    expect(checkReply([card], 'card 5555-5555-5555-4444')[0]?.excerpt).toBe('****-****-****-4444');
    expect(checkReply([card], '卡号378282246310005已记录')[0]?.excerpt).toBe('***********0005');
    expect(checkReply([card], 'order 4111 1111 1111 1112')).toEqual([]);
    // A phone number is not a card number, even when its digits pass the check.
    expect(luhnValid('8613812345678')).toBe(true);
    expect(checkReply([card], 'call +8613812345678')).toEqual([]);
  });

  it('find Chinese ID numbers with a correct check digit', () => {
    expect(cnIdValid('11010519491231002X')).toBe(true);
    expect(cnIdValid('11010519491231002x')).toBe(true);
    expect(cnIdValid('110105194912310021')).toBe(false);
    expect(cnIdValid('440524188001010014')).toBe(true);
    expect(checkReply([cnId], '身份证号11010519491231002X核对无误')[0]).toMatchObject({ action: 'warn', excerpt: '**************002X' });
    expect(checkReply([cnId], 'ID 110105194912310021')).toEqual([]);
  });

  it('use a custom regular expression case-insensitively', () => {
    const iban = rule({ kind: 'pattern', pattern: 'DE\\d{20}', action: 'warn' });
    expect(checkReply([iban], 'IBAN de89370400440532013000')[0]?.excerpt).toBe('de89370400440532013000');
    expect(checkReply([iban], 'no IBAN')).toEqual([]);
  });

  it('mask card numbers whatever rule found them', () => {
    const everything = rule({ kind: 'pattern', pattern: 'card .*', action: 'warn' });
    expect(checkReply([everything], 'card 4111111111111111 ok')[0]?.excerpt).toBe('card ************1111 ok');
    expect(maskExcerpt('4111111111111112')).toBe('4111111111111112');
  });

  it('refuse invalid patterns with a clear message, and never throw on one already saved', () => {
    expect(patternProblem('(unclosed')).toMatch(/^Not a valid regular expression: .*/);
    expect(patternProblem('[a-')).toMatch(/^Not a valid regular expression/);
    expect(patternProblem('a*')).toBe('The pattern matches empty text, so it would fire on every reply.');
    expect(patternProblem('  ')).toBe('The pattern is empty.');
    expect(patternProblem('x'.repeat(501))).toMatch(/longer than 500/);
    expect(patternProblem('@card-number')).toBeUndefined();
    expect(patternProblem('\\d{16}')).toBeUndefined();
    const broken = rule({ kind: 'pattern', pattern: '(unclosed' });
    expect(() => checkReply([broken, words], 'you idiot (unclosed')).not.toThrow();
    expect(checkReply([broken, words], 'you idiot (unclosed').map((f) => f.ruleId)).toEqual(['w']);
    expect(checkReply([rule({ kind: 'pattern', pattern: null })], 'text')).toEqual([]);
  });
});

describe('findings', () => {
  it('put blocking findings first, one per rule', () => {
    const found = checkReply([guarantee, cnId, words, card], 'I guarantee it, idiot, stupid: 4111111111111111');
    expect(found.map((f) => [f.ruleId, f.action])).toEqual([
      ['w', 'block'],
      ['c', 'block'],
      ['g', 'warn'],
    ]);
  });
});

describe('required phrases on resolve', () => {
  it('fire when none of the phrases was said for the wrap-up code', () => {
    expect(checkResolve([refund], 'refund-issued', ['Hello', 'It is done.'])).toEqual([
      { ruleId: 'r', ruleName: 'Refund reference', action: 'block', message: 'Give the refund reference.', excerpt: 'refund-issued' },
    ]);
  });

  it('pass when one of the phrases appears in one of the lines, in either language', () => {
    expect(checkResolve([refund], 'refund-issued', ['Hello', 'Your Refund Reference is R-42.'])).toEqual([]);
    expect(checkResolve([refund], 'refund-issued', ['您的退款编号是R-42'])).toEqual([]);
  });

  it('apply only to their wrap-up codes and only to required-phrase rules', () => {
    expect(checkResolve([refund, words], 'billing-resolved', [])).toEqual([]);
    expect(checkResolve([words], 'refund-issued', [])).toEqual([]);
  });
});
