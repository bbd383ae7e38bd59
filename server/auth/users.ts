import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, asc, count, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { accounts, users } from '@/db/schema';
import type { Role } from './permissions';
import { revokeSessions } from './viewer';

export class UserError extends Error {}

/** Creates a user with an email+password account, the same rows better-auth's sign-up writes. */
export async function createUserWithPassword(db: Db, input: { email: string; name: string; role: Role; password: string }) {
  const email = input.email.trim().toLowerCase();
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new UserError(`${email} already has an account.`);
  const id = randomUUID();
  const password = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const user = firstRow(await tx.insert(users).values({ id, email, name: input.name, role: input.role, emailVerified: true }).returning(), 'insert into users');
    await tx.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password });
    return user;
  });
}

/** Readable, 16 characters, about 95 bits: shown once to the admin who invites. */
export function temporaryPassword(): string {
  return randomBytes(12).toString('base64url');
}

export async function inviteUser(db: Db, input: { email: string; name: string; role: Role }) {
  const password = temporaryPassword();
  const user = await createUserWithPassword(db, { ...input, password });
  return { user: publicUser(user), temporaryPassword: password };
}

export function publicUser(user: typeof users.$inferSelect) {
  return { id: user.id, name: user.name, email: user.email, role: user.role, deactivatedAt: user.deactivatedAt, createdAt: user.createdAt };
}

export async function listUsers(db: Db) {
  return (await db.select().from(users).orderBy(asc(users.email))).map(publicUser);
}

async function findUser(db: Db, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  if (!user) throw new UserError('No such user.');
  return user;
}

/** Someone must always be able to manage users: the last active admin cannot be demoted or deactivated. */
async function assertAnotherAdmin(db: Db, userId: string) {
  const { n } = firstRow(
    await db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), isNull(users.deactivatedAt), ne(users.id, userId))),
    'count of other active admins',
  );
  if (n === 0) throw new UserError('This is the last active admin.');
}

export async function setRole(db: Db, input: { userId: string; role: Role }) {
  const user = await findUser(db, input.userId);
  if (user.role === 'admin' && input.role !== 'admin') await assertAnotherAdmin(db, user.id);
  const [updated] = await db.update(users).set({ role: input.role, updatedAt: new Date() }).where(eq(users.id, user.id)).returning();
  // Found a moment ago, gone now (deleted in between): the same answer as a lookup that finds nobody.
  if (!updated) throw new UserError('No such user.');
  return { before: user.role, user: publicUser(updated) };
}

export async function setActive(db: Db, input: { userId: string; active: boolean }) {
  const user = await findUser(db, input.userId);
  if (!input.active && user.role === 'admin') await assertAnotherAdmin(db, user.id);
  const [updated] = await db
    .update(users)
    .set({ deactivatedAt: input.active ? null : new Date(), updatedAt: new Date() })
    .where(eq(users.id, user.id))
    .returning();
  if (!updated) throw new UserError('No such user.');
  if (!input.active) await revokeSessions(db, user.id);
  return publicUser(updated);
}
