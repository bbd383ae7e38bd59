import 'server-only';
import { can, type Role } from '@/server/auth/permissions';
import { maskEmail, maskIdentity, maskPhone, maskText } from './mask';

/** Keys whose values are identifiers or machine data, never contact details. */
const OPAQUE_KEY = /^(id|.*Id|hash|token|prefix|action|kind|status|channel|role|via|source|locale|nodeType|port|tag)$/;
const PHONE_KEY = /^(phone|.*Number|from|to)$/i;
const EMAIL_KEY = /^(email|.*Email)$/i;

/**
 * Masks contact data anywhere in a value: fields named like phones or emails are masked whole,
 * identity rows `{kind, value}` by their kind, and any other string has phone numbers and emails
 * inside it masked. Dates, numbers and identifiers pass through unchanged.
 */
export function redact<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') {
    if (key && OPAQUE_KEY.test(key)) return value;
    if (key && PHONE_KEY.test(key)) return maskPhone(value);
    if (key && EMAIL_KEY.test(key)) return maskEmail(value);
    return maskText(value);
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, key));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.kind === 'string' && typeof record.value === 'string') {
    const { value: identity, ...rest } = record;
    return { ...(walk(rest, undefined) as object), value: maskIdentity(record.kind, identity as string) };
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, walk(v, k)]));
}

export function seesUnmasked(viewer: { role: Role } | undefined): boolean {
  return can(viewer?.role, 'customers.unmask');
}

/** What routers return for customer-bearing output: masked unless the viewer may unmask. */
export function protectForViewer<T>(viewer: { role: Role } | undefined, value: T): T {
  return seesUnmasked(viewer) ? value : redact(value);
}

/**
 * An export for this viewer: whole for roles that may unmask; otherwise contact data masked and
 * sensitive fields replaced by `***` (their presence is part of "all we hold", their values not).
 */
export function exportForViewer<T extends { sensitive: Record<string, string | undefined> }>(viewer: { role: Role } | undefined, data: T): T {
  if (seesUnmasked(viewer)) return data;
  const sensitive = Object.fromEntries(Object.entries(data.sensitive).map(([k, v]) => [k, v ? '***' : v]));
  return redact({ ...data, sensitive });
}
