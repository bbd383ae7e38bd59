import 'server-only';
import { count, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { users } from '@/db/schema';
import { ROLES, type Role } from './permissions';
import { createUserWithPassword } from './users';

/** One user per role for local mode; the passwords are public, so these never reach production. */
export const LOCAL_USERS: { role: Role; email: string; name: string; password: string }[] = [
  ...ROLES.map((role) => ({
    role,
    email: `${role}@switchboard.local`,
    name: `Local ${role}`,
    password: `switchboard-${role}`,
  })),
  // A second agent, senior: escalations go to them first, and a declined offer has somewhere to go.
  { role: 'agent', email: 'senior@switchboard.local', name: 'Sam Rivera', password: 'switchboard-senior' },
];

/**
 * Seeds the local users into a database without users. `local` means the embedded PGlite; with
 * NODE_ENV=production that is the only case seeded (a fresh local trial), never a real server.
 */
export async function seedLocalUsers(db: Db, opts: { production: boolean; local: boolean }): Promise<boolean> {
  if (opts.production && !opts.local) return false;
  const { n } = firstRow(await db.select({ n: count() }).from(users), 'count of users');
  if (n > 0) return false;
  for (const user of LOCAL_USERS) await createUserWithPassword(db, user);
  return true;
}

/** The seeded local users still present, for the launcher's banner. */
export async function presentLocalUsers(db: Db) {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(inArray(users.email, LOCAL_USERS.map((u) => u.email)));
  const present = new Set(rows.map((r) => r.email));
  return LOCAL_USERS.filter((u) => present.has(u.email));
}
