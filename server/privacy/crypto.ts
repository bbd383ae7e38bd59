import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { env } from '@/env';

/**
 * AES-256-GCM for sensitive profile fields at rest. Stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so the format can change without guessing.
 */
const VERSION = 'v1';

function key(hex = env.ENCRYPTION_KEY): Buffer {
  return Buffer.from(hex, 'hex');
}

export function encrypt(plaintext: string, keyHex?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(keyHex), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Throws when the value was not written by encrypt() with this key, or was tampered with. */
export function decrypt(stored: string, keyHex?: string): string {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not an encrypted value');
  const decipher = createDecipheriv('aes-256-gcm', key(keyHex), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** The sensitive part of a customer profile: stored only encrypted in `customers.sensitive`. */
export const sensitiveProfileSchema = z.object({
  birthday: z.string().optional(),
  address: z.string().optional(),
  nationalId: z.string().optional(),
  notes: z.string().optional(),
});
export type SensitiveProfile = z.infer<typeof sensitiveProfileSchema>;

export function encryptProfile(profile: SensitiveProfile): string {
  return encrypt(JSON.stringify(sensitiveProfileSchema.parse(profile)));
}

export function decryptProfile(stored: string | null): SensitiveProfile {
  if (!stored) return {};
  return sensitiveProfileSchema.parse(JSON.parse(decrypt(stored)));
}
