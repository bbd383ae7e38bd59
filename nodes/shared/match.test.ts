import { describe, expect, it } from 'vitest';
import { containsKeyword, matchOption, spokenKey, yesOrNo } from './match';

const options = [
  { digit: '1', keywords: ['sales', 'buy', '购买'] },
  { digit: '2', keywords: ['bill', 'billing', '账单'] },
  { digit: '#', keywords: [] },
];

describe('spokenKey', () => {
  it.each([
    ['1', '1'],
    ['one', '1'],
    ['Press TWO please', '2'],
    ['option 3.', '3'],
    ['pound', '#'],
    ['一', '1'],
    ['按二', '2'],
    ['第三个', '3'],
    ['幺', '1'],
    ['井号', '#'],
  ])('%s → %s', (text, key) => {
    expect(spokenKey(text)).toBe(key);
  });

  it.each(['someone called', 'one or two', '我想问一下', 'hello', '12'])('%s names no single key', (text) => {
    expect(spokenKey(text)).toBeNull();
  });
});

describe('matchOption', () => {
  it('matches keypad input exactly', () => {
    expect(matchOption({ kind: 'digits', text: '2' }, options)).toBe('2');
    expect(matchOption({ kind: 'digits', text: '#' }, options)).toBe('#');
    expect(matchOption({ kind: 'digits', text: '5' }, options)).toBeNull();
    expect(matchOption({ kind: 'digits', text: '12' }, options)).toBeNull();
  });

  it('matches English keywords case-insensitively and Chinese as substrings', () => {
    expect(matchOption({ kind: 'speech', text: 'I want to BUY a phone' }, options)).toBe('1');
    expect(matchOption({ kind: 'speech', text: '我想查一下账单' }, options)).toBe('2');
    expect(matchOption({ kind: 'sms', text: '购买' }, options)).toBe('1');
  });

  it('prefers the longest keyword', () => {
    expect(matchOption({ kind: 'speech', text: 'a question about billing and sales' }, options)).toBe('2');
  });

  it('falls back to spoken digits, only for existing options', () => {
    expect(matchOption({ kind: 'speech', text: 'two' }, options)).toBe('2');
    expect(matchOption({ kind: 'sms', text: '1' }, options)).toBe('1');
    expect(matchOption({ kind: 'speech', text: '二' }, options)).toBe('2');
    expect(matchOption({ kind: 'speech', text: 'seven' }, options)).toBeNull();
    expect(matchOption({ kind: 'speech', text: 'weather' }, options)).toBeNull();
  });

  it('containsKeyword ignores empty keywords', () => {
    expect(containsKeyword('anything', '  ')).toBe(false);
  });
});

describe('yesOrNo', () => {
  it.each([
    ['1', 'digits', 'yes'],
    ['2', 'digits', 'no'],
    ['3', 'digits', null],
    ['yes please', 'speech', 'yes'],
    ['Yeah that is right', 'speech', 'yes'],
    ['no', 'speech', 'no'],
    ['not right', 'speech', 'no'],
    ['nobody', 'speech', null],
    ['one', 'speech', 'yes'],
    ['是的', 'speech', 'yes'],
    ['对', 'sms', 'yes'],
    ['不对', 'speech', 'no'],
    ['不是', 'sms', 'no'],
    ['', 'speech', null],
    ['maybe', 'speech', null],
  ] as const)('%s (%s) is %s', (text, kind, expected) => {
    expect(yesOrNo({ kind, text })).toBe(expected);
  });
});
