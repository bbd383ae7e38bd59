import 'server-only';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions, users } from '@/db/schema';
import type { Auth } from './auth';
import { verifyApiKey } from './api-keys';
import { apiKeyOf } from './bearer';
import { ROLES, type Role } from './permissions';

/** Who is asking: a signed-in user, or an API key acting with its role on behalf of its creator. */
export interface Viewer {
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** How they signed in; a session when absent. */
  via?: 'session' | 'apiKey';
  apiKeyId?: string;
}

function asRole(value: unknown): Role {
  return (ROLES as readonly unknown[]).includes(value) ? (value as Role) : 'agent';
}

/**
 * Resolves the viewer for a request: an `Authorization: Bearer sb_…` API key, else the
 * better-auth session cookie. Deactivated users resolve to nobody, however they come.
 */
export async function resolveViewer(db: Db, auth: Auth, headers: Headers): Promise<Viewer | undefined> {
  const apiKey = apiKeyOf(headers);
  if (apiKey !== undefined) return verifyApiKey(db, apiKey);
  const session = await auth.api.getSession({ headers }).catch(() => null);
  if (!session) return undefined;
  // Read the user fresh: a role change or deactivation takes effect on the next request.
  const [user] = await db.select().from(users).where(eq(users.id, session.user.id));
  if (!user || user.deactivatedAt) return undefined;
  return { userId: user.id, name: user.name, email: user.email, role: asRole(user.role), via: 'session' };
}

/** Ends every session of the user at once (deactivation, role change). */
export async function revokeSessions(db: Db, userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

