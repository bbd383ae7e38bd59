import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { apiKeys, users } from '@/db/schema';
import { PERMISSION_TABLE, type Role } from './permissions';
import type { Viewer } from './viewer';

export class ApiKeyError extends Error {}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A role may hand out keys only for roles whose permissions it holds itself. */
export function canGrantRole(granter: Role, role: Role): boolean {
  return PERMISSION_TABLE[role].every((p) => PERMISSION_TABLE[granter].includes(p));
}

/**
 * Creates a key and returns it in full exactly once; only its SHA-256 is stored (the key has 256
 * random bits, so a fast hash is enough — there is nothing to brute-force).
 */
export async function createApiKey(db: Db, input: { name: string; role: Role; createdBy: Viewer }) {
  if (!canGrantRole(input.createdBy.role, input.role)) throw new ApiKeyError(`A ${input.createdBy.role} cannot create ${input.role} keys.`);
  const key = `sb_${randomBytes(32).toString('base64url')}`;
  const row = firstRow(
    await db
      .insert(apiKeys)
      .values({ name: input.name, role: input.role, prefix: key.slice(0, 10), hash: hashKey(key), createdBy: input.createdBy.userId })
      .returning(),
    'insert into api_keys',
  );
  return { key, id: row.id, prefix: row.prefix, name: row.name, role: row.role, createdAt: row.createdAt };
}

/** Keys the viewer may see: all of them for user managers, else their own. */
export async function listApiKeys(db: Db, viewer: Viewer, all: boolean) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      role: apiKeys.role,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdBy: users.email,
      createdById: apiKeys.createdBy,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(all ? undefined : eq(apiKeys.createdBy, viewer.userId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, input: { id: string; viewer: Viewer; all: boolean }) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt), input.all ? undefined : eq(apiKeys.createdBy, input.viewer.userId)))
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
  if (!row) throw new ApiKeyError('No such active key.');
  return row;
}

/**
 * The viewer a key acts as. Refused when the key is revoked, its creator is deactivated, or the
 * creator's current role no longer covers the key's role (a demotion shrinks their keys too).
 */
export async function verifyApiKey(db: Db, key: string): Promise<Viewer | undefined> {
  const [row] = await db
    .select({ key: apiKeys, user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.hash, hashKey(key)));
  if (!row || row.key.revokedAt || row.user.deactivatedAt) return undefined;
  if (!canGrantRole(row.user.role, row.key.role)) return undefined;
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.key.id));
  return { userId: row.user.id, name: `${row.key.name} (${row.user.name})`, email: row.user.email, role: row.key.role, via: 'apiKey', apiKeyId: row.key.id };
}
