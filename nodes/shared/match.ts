import type { CallerInput } from '@/nodes/sdk';

/** The keys of a phone keypad, as an IVR option's `digit`. */
export const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
export type KeypadKey = (typeof KEYPAD)[number];

export interface MatchableOption {
  digit: string;
  keywords: readonly string[];
}

const ENGLISH_DIGITS: Record<string, KeypadKey> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5',
  six: '6', seven: '7', eight: '8', nine: '9', star: '*', asterisk: '*', pound: '#', hash: '#',
};

const CHINESE_DIGITS: Record<string, KeypadKey> = {
  零: '0', 〇: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5',
  六: '6', 七: '7', 八: '8', 九: '9', 星: '*', 井: '#',
};

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/**
 * The key a spoken or typed answer names: "1", "one", "press two", "一", "按二", "第三个".
 * English digit words must be whole words (so "someone" is not "one"); Chinese digits only count
 * when they are the whole answer once framing words (按, 选, 第, 号, 个, 键) are removed, so
 * "我想问一下" is not option 1. Null when the answer names no key or more than one.
 */
export function spokenKey(text: string): KeypadKey | null {
  const trimmed = text.trim().toLowerCase();
  const stripped = trimmed.replace(/[\s.,!?;:。，！？；：、]+/g, '');
  if (stripped.length === 1 && (KEYPAD as readonly string[]).includes(stripped)) return stripped as KeypadKey;

  if (hasCjk(trimmed)) {
    const core = stripped.replace(/选择|按|选|第|号|个|键/g, '');
    if (core.length !== 1) return null;
    return CHINESE_DIGITS[core] ?? ((KEYPAD as readonly string[]).includes(core) ? (core as KeypadKey) : null);
  }

  const found = new Set<KeypadKey>();
  for (const word of trimmed.split(/[^a-z0-9*#]+/)) {
    if (word === '') continue;
    const key = Object.hasOwn(ENGLISH_DIGITS, word) ? ENGLISH_DIGITS[word] : (KEYPAD as readonly string[]).includes(word) ? (word as KeypadKey) : undefined;
    if (key !== undefined) found.add(key);
  }
  const [only] = found;
  return found.size === 1 && only !== undefined ? only : null;
}

/**
 * Whether `keyword` occurs in `text`: a case-insensitive substring for English,
 * a plain substring for Chinese.
 */
export function containsKeyword(text: string, keyword: string): boolean {
  const needle = keyword.trim();
  if (needle === '') return false;
  return hasCjk(needle) ? text.includes(needle) : text.toLowerCase().includes(needle.toLowerCase());
}

/**
 * Which option an answer picks, by digit. Keypad input must be exactly an option's digit.
 * Spoken and SMS answers match by keyword first (the longest matching keyword wins, ties go to
 * the earlier option), then by a spoken or typed digit.
 */
export function matchOption(input: CallerInput, options: readonly MatchableOption[]): string | null {
  const text = input.text.trim();
  if (text === '') return null;
  if (input.kind === 'digits') return options.find((option) => option.digit === text)?.digit ?? null;

  let best: { digit: string; length: number } | null = null;
  for (const option of options) {
    for (const keyword of option.keywords) {
      const length = keyword.trim().length;
      if (containsKeyword(text, keyword) && (best === null || length > best.length)) best = { digit: option.digit, length };
    }
  }
  if (best !== null) return best.digit;

  const key = spokenKey(text);
  return key !== null && options.some((option) => option.digit === key) ? key : null;
}

const YES = ['yes', 'yeah', 'yep', 'correct', 'right', 'sure', 'ok', 'okay', '是', '对', '好', '没错', '确认', '可以'];
const NO = ['no', 'nope', 'wrong', 'not', 'cancel', '不', '否', '错', '没有', '取消'];

/**
 * A yes/no answer: key 1 or a yes word is yes, key 2 or a no word is no ("不对" and "not right"
 * are no: a no word anywhere wins). Null when the answer is neither.
 */
export function yesOrNo(input: CallerInput): 'yes' | 'no' | null {
  const text = input.text.trim().toLowerCase();
  if (text === '') return null;
  if (input.kind === 'digits') return text === '1' ? 'yes' : text === '2' ? 'no' : null;
  const words = hasCjk(text) ? null : text.split(/[^a-z0-9]+/).filter((word) => word !== '');
  const has = (list: readonly string[]) => list.some((word) => (words === null ? text.includes(word) : words.includes(word)));
  if (has(NO)) return 'no';
  if (has(YES)) return 'yes';
  const key = spokenKey(text);
  return key === '1' ? 'yes' : key === '2' ? 'no' : null;
}
