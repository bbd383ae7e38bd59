/**
 * Masking of customer contact data for roles without `customers.unmask`. Pure and isomorphic:
 * the server applies it to every customer-bearing response (see ./protect.ts); nothing
 * unmasked is ever sent to a masked role and then hidden in the browser.
 */

// Country calling codes with one or two digits; every other code has three (ITU E.164 list).
const ONE_DIGIT = new Set(['1', '7']);
const TWO_DIGIT = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);

function splitCountryCode(digits: string): [string, string] {
  if (ONE_DIGIT.has(digits.slice(0, 1))) return [digits.slice(0, 1), digits.slice(1)];
  if (TWO_DIGIT.has(digits.slice(0, 2))) return [digits.slice(0, 2), digits.slice(2)];
  return [digits.slice(0, 3), digits.slice(3)];
}

function maskDigits(national: string): string {
  // Keep the operator prefix and the last four (what agents read back); hide the rest.
  if (national.length >= 8) return `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`;
  if (national.length >= 5) return `${national.slice(0, 1)}${'*'.repeat(national.length - 3)}${national.slice(-2)}`;
  return '*'.repeat(national.length);
}

/** `+8613812345678` → `+86 138****5678`; `+15005550001` → `+1 500***0001`; `13812345678` → `138****5678`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return phone;
  if (!phone.trim().startsWith('+')) return maskDigits(digits);
  const [code, national] = splitCountryCode(digits);
  return `+${code} ${maskDigits(national)}`;
}

/** `alice@example.com` → `a***e@example.com`; `al@x.cn` → `a***@x.cn`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = email.slice(0, at);
  const masked = local.length <= 2 ? `${local[0]}***` : `${local[0]}***${local[local.length - 1]}`;
  return `${masked}${email.slice(at)}`;
}

export function maskIdentity(kind: string, value: string): string {
  if (kind === 'phone') return maskPhone(value);
  if (kind === 'email') return maskEmail(value);
  // Member numbers identify a person as well as a phone does; keep only the tail.
  return value.length > 4 ? `${'*'.repeat(value.length - 4)}${value.slice(-4)}` : '****';
}

const EMAIL = /(?<![\p{L}\p{N}._%+*-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// `+` numbers with optional separators, or bare runs of 7–15 digits (e.g. 13812345678), not
// glued to letters or hyphens — so ids, hashes and ISO dates are left alone.
const PHONE = /(?<![\p{L}\p{N}_*-])(?:\+\d[\d ().-]{5,18}\d|\d{7,15})(?![\p{L}\p{N}_*-])/gu;

/** Masks every email and phone number inside free text (message bodies, summaries, inputs). */
export function maskText(text: string): string {
  return text.replace(EMAIL, maskEmail).replace(PHONE, maskPhone);
}

/** Whether the text still contains something that looks like an unmasked phone number or email. */
export function containsContactData(text: string): boolean {
  return new RegExp(EMAIL.source, 'u').test(text) || new RegExp(PHONE.source, 'u').test(text);
}
