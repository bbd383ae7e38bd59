import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db/client';
import { apiKeys, auditLog, sessions, users } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { env } from '@/env';
import { appRouter, createCaller } from '@/server/routers/_app';
import type { Viewer } from '@/server/trpc';
import { createAuth, type Auth } from './auth';
import { authRoute } from './auth-route';
import { requestPasswordReset, resetPassword, signInWithPassword } from './form-auth';
import { LOCAL_USERS, seedLocalUsers } from './seed-users';
import { resolveViewer } from './viewer';
import { firstRow } from '@/db/rows';

describe.each(testDatabases())('sign-in, users and API keys on $name', ({ name, open }) => {
  // The rate limiter's memory is per process: each database run signs in from its own addresses.
  const net = name === 'pglite' ? '198.51.100' : '203.0.113';
  let handle: DbHandle;
  let auth: Auth;
  const resetLinks: { email: string; url: string }[] = [];

  beforeAll(async () => {
    handle = await open();
    auth = createAuth(handle.db, { onResetLink: (m) => resetLinks.push(m) });
    expect(await seedLocalUsers(handle.db, { production: false, local: true })).toBe(true);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function signIn(email: string, password: string): Promise<Headers> {
    const response = await auth.api.signInEmail({ body: { email, password }, asResponse: true });
    if (!response.ok) throw new Error(`sign-in refused: ${response.status} ${await response.text()}`);
    const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return new Headers({ cookie });
  }

  const viewerOf = (headers: Headers) => resolveViewer(handle.db, auth, headers);
  const callerFor = async (headers: Headers) => createCaller({ headers, db: async () => handle.db, viewer: await viewerOf(headers) });

  /** A tRPC request over HTTP, through the same context creation as the route handler. */
  async function http(path: string, headers: Headers, input?: unknown) {
    const url = new URL(`http://localhost/api/trpc/${path}`);
    if (input !== undefined) url.searchParams.set('input', JSON.stringify({ json: input }));
    const response = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request(url, { headers }),
      router: appRouter,
      createContext: async () => ({ headers, db: async () => handle.db, viewer: await viewerOf(headers) }),
    });
    return { status: response.status, body: await response.json() };
  }

  it('seeds one user per role (and a senior agent) once, and never on a production server', async () => {
    const rows = await handle.db.select().from(users);
    expect(rows.map((u) => u.role).sort()).toEqual(['admin', 'agent', 'agent', 'designer', 'developer', 'manager']);
    expect(rows.map((u) => u.email)).toContain('senior@switchboard.local');
    expect(await seedLocalUsers(handle.db, { production: false, local: true })).toBe(false);
    const empty = await open();
    try {
      expect(await seedLocalUsers(empty.db, { production: true, local: false })).toBe(false);
      expect(await empty.db.select().from(users)).toEqual([]);
      expect(await seedLocalUsers(empty.db, { production: true, local: true })).toBe(true);
    } finally {
      await empty.close();
    }
  });

  it('signs in with the seeded passwords, resolves the role, refuses a wrong password, signs out', async () => {
    for (const u of LOCAL_USERS) {
      const viewer = await viewerOf(await signIn(u.email, u.password));
      expect(viewer).toMatchObject({ email: u.email, role: u.role, via: 'session' });
    }
    await expect(signIn('admin@switchboard.local', 'wrong-password')).rejects.toThrow(/401/);
    const headers = await signIn('designer@switchboard.local', 'switchboard-designer');
    await auth.api.signOut({ headers });
    expect(await viewerOf(headers)).toBeUndefined();
  });

  /** A sign-in through `/api/auth`'s route handler, as the browser client posts it (rate limits and hooks apply). */
  function httpSignIn(email: string, password: string, ip: string) {
    return authRoute(async () => auth)(
      new Request(`${env.PUBLIC_BASE_URL}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: env.PUBLIC_BASE_URL, 'x-forwarded-for': ip },
        body: JSON.stringify({ email, password }),
      }),
    );
  }

  it(`answers 429 to the attempt after AUTH_SIGN_IN_LIMIT (${env.AUTH_SIGN_IN_LIMIT}) within a minute from one address, per address, until the minute is over`, async () => {
    expect(env.AUTH_SIGN_IN_LIMIT).toBe(10);
    // Only the clock is faked: the database keeps its timers. (The designer: the next test reads the agent's newest session.)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= env.AUTH_SIGN_IN_LIMIT; i++) statuses.push((await httpSignIn('designer@switchboard.local', 'guess-' + i, `${net}.7`)).status);
      expect(statuses).toEqual([...Array<number>(env.AUTH_SIGN_IN_LIMIT).fill(401), 429]);
      // The right password does not get past the limit either.
      const limited = await httpSignIn('designer@switchboard.local', 'switchboard-designer', `${net}.7`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('x-retry-after'))).toBeGreaterThan(0);
      // Another address has its own count.
      expect((await httpSignIn('designer@switchboard.local', 'switchboard-designer', `${net}.8`)).status).toBe(200);
      vi.advanceTimersByTime(30_000);
      expect((await httpSignIn('designer@switchboard.local', 'switchboard-designer', `${net}.7`)).status).toBe(429);
      vi.advanceTimersByTime(31_000);
      expect((await httpSignIn('designer@switchboard.local', 'switchboard-designer', `${net}.7`)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  /** The headers a browser sends with a form post from the sign-in page. */
  const browser = (ip: string, extra: Record<string, string> = {}) =>
    new Headers({ origin: env.PUBLIC_BASE_URL, 'x-forwarded-for': ip, 'user-agent': 'form-test', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', ...extra });

  it('signs in from a form post with the session cookie the browser client gets, under the same rules', async () => {
    const signedIn = await signInWithPassword(auth, { email: 'agent@switchboard.local', password: 'switchboard-agent' }, browser(`${net}.20`));
    if (!('setCookie' in signedIn)) throw new Error(`refused: ${signedIn.error}`);
    expect(signedIn.setCookie).toMatch(/better-auth\.session_token=[^;]+;.*HttpOnly/i);
    const cookie = signedIn.setCookie.split(/,\s*(?=[\w.-]+=)/).map((c) => c.split(';')[0]).join('; ');
    const viewer = await viewerOf(new Headers({ cookie }));
    expect(viewer).toMatchObject({ email: 'agent@switchboard.local', role: 'agent', via: 'session' });
    const [session] = await handle.db.select().from(sessions).where(eq(sessions.userId, viewer!.userId)).orderBy(desc(sessions.createdAt)).limit(1);
    expect(session).toMatchObject({ ipAddress: `${net}.20`, userAgent: 'form-test' });

    expect(await signInWithPassword(auth, { email: 'agent@switchboard.local', password: 'nope-nope' }, browser(`${net}.20`))).toEqual({ error: 'invalid' });
    // Login CSRF: a form on another site posting to ours is refused.
    const crossSite = browser(`${net}.20`, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(await signInWithPassword(auth, { email: 'agent@switchboard.local', password: 'switchboard-agent' }, crossSite)).toEqual({ error: 'invalid' });

    const attempts: unknown[] = [];
    for (let i = 0; i <= env.AUTH_SIGN_IN_LIMIT; i++) attempts.push(await signInWithPassword(auth, { email: 'agent@switchboard.local', password: `guess-${i}` }, browser(`${net}.21`)));
    expect(attempts.at(-2)).toEqual({ error: 'invalid' });
    expect(attempts.at(-1)).toEqual({ error: 'tooMany' });
  });

  // The agent is not signed in again by the tests after this one.
  it('resets a password from form posts', async () => {
    expect(await requestPasswordReset(auth, 'agent@switchboard.local', browser(`${net}.22`))).toBe('sent');
    expect(await requestPasswordReset(auth, 'nobody@switchboard.local', browser(`${net}.22`))).toBe('sent');
    const token = new URL(resetLinks.findLast((l) => l.email === 'agent@switchboard.local')!.url).pathname.split('/').pop()!;
    expect(await resetPassword(auth, { token: 'not-a-token', newPassword: 'another-new-password' }, browser(`${net}.22`))).toBe(false);
    expect(await resetPassword(auth, { token, newPassword: 'another-new-password' }, browser(`${net}.22`))).toBe(true);
    expect(await resetPassword(auth, { token, newPassword: 'a-third-password' }, browser(`${net}.22`))).toBe(false);
    expect(await signInWithPassword(auth, { email: 'agent@switchboard.local', password: 'another-new-password' }, browser(`${net}.22`))).toHaveProperty('setCookie');
  });

  it('answers 401 over HTTP without a session, 403 for a role without the permission', async () => {
    const anonymous = await http('customers.list', new Headers());
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.json.data.code).toBe('UNAUTHORIZED');
    const designer = await signIn('designer@switchboard.local', 'switchboard-designer');
    expect((await http('users.list', designer)).status).toBe(403);
    expect((await http('session.me', designer)).body.result.data.json.role).toBe('designer');
  });

  it('resets a password through the logged link', async () => {
    await auth.api.requestPasswordReset({ body: { email: 'manager@switchboard.local', redirectTo: '/reset-password' } });
    const link = resetLinks.find((l) => l.email === 'manager@switchboard.local');
    expect(link?.url).toMatch(/\/reset-password\//);
    const token = new URL(link!.url).pathname.split('/').pop()!;
    await auth.api.resetPassword({ body: { token, newPassword: 'a-brand-new-password' } });
    await expect(signIn('manager@switchboard.local', 'switchboard-manager')).rejects.toThrow();
    expect(await viewerOf(await signIn('manager@switchboard.local', 'a-brand-new-password'))).toMatchObject({ role: 'manager' });
  });

  it('lets an admin invite, change roles and deactivate; all audited; a deactivated user is refused', async () => {
    const admin = await callerFor(await signIn('admin@switchboard.local', 'switchboard-admin'));
    const { user, temporaryPassword } = await admin.users.invite({ email: 'New.Person@Example.com', name: 'New Person', role: 'agent' });
    expect(user.email).toBe('new.person@example.com');
    const theirHeaders = await signIn('new.person@example.com', temporaryPassword);
    expect((await viewerOf(theirHeaders))?.role).toBe('agent');

    await admin.users.setRole({ userId: user.id, role: 'manager' });
    // A role change applies to the open session at once.
    expect((await viewerOf(theirHeaders))?.role).toBe('manager');

    await admin.users.setActive({ userId: user.id, active: false });
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect(await viewerOf(theirHeaders)).toBeUndefined();
    await expect(signIn('new.person@example.com', temporaryPassword)).rejects.toThrow(/403/);
    const refused = await httpSignIn('new.person@example.com', temporaryPassword, `${net}.9`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'USER_DEACTIVATED' });
    expect(await signInWithPassword(auth, { email: 'new.person@example.com', password: temporaryPassword }, browser(`${net}.9`))).toEqual({ error: 'deactivated' });

    await admin.users.setActive({ userId: user.id, active: true });
    expect(await viewerOf(await signIn('new.person@example.com', temporaryPassword))).toMatchObject({ role: 'manager' });

    const trail = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, user.id));
    expect(trail.map((r) => r.action).sort()).toEqual(['user.deactivate', 'user.invite', 'user.reactivate', 'user.role']);
    const roleChange = trail.find((r) => r.action === 'user.role')!;
    expect(roleChange).toMatchObject({ actorEmail: 'admin@switchboard.local', actorRole: 'admin', details: { from: 'agent', to: 'manager' } });
  });

  it('never leaves the system without an active admin', async () => {
    const adminUser = firstRow(await handle.db.select().from(users).where(eq(users.email, 'admin@switchboard.local')), 'users');
    const admin = await callerFor(await signIn('admin@switchboard.local', 'switchboard-admin'));
    await expect(admin.users.setRole({ userId: adminUser.id, role: 'agent' })).rejects.toThrow(/last active admin/);
    await expect(admin.users.setActive({ userId: adminUser.id, active: false })).rejects.toThrow(/yourself/);
  });

  it('accepts API keys as Bearer tokens with their role, refuses them once revoked', async () => {
    const developer = await callerFor(await signIn('developer@switchboard.local', 'switchboard-developer'));
    await expect(developer.apiKeys.create({ name: 'escalate', role: 'admin' })).rejects.toThrow(/cannot create admin keys/);
    expect(await developer.apiKeys.grantableRoles()).toEqual(['developer']);
    const created = await developer.apiKeys.create({ name: 'CLI on my laptop', role: 'developer' });
    expect(created.key).toMatch(/^sb_[A-Za-z0-9_-]{40,}$/);

    const stored = firstRow(await handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id)), 'apiKeys');
    expect(stored.hash).not.toContain(created.key);
    expect(JSON.stringify(stored)).not.toContain(created.key);
    expect(await developer.apiKeys.list()).toEqual([expect.objectContaining({ id: created.id, prefix: created.key.slice(0, 10) })]);
    expect(JSON.stringify(await developer.apiKeys.list())).not.toContain(created.key);

    const bearer = new Headers({ authorization: `Bearer ${created.key}` });
    const me = await http('session.me', bearer);
    expect(me.status).toBe(200);
    expect(me.body.result.data.json).toMatchObject({ role: 'developer', via: 'apiKey', apiKeyId: created.id });
    expect((await http('flows.list', bearer)).status).toBe(200);
    expect((await http('customers.list', bearer)).status).toBe(403);
    const used = firstRow(await handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id)), 'apiKeys');
    expect(used.lastUsedAt).toBeInstanceOf(Date);

    expect((await http('session.me', new Headers({ authorization: 'Bearer sb_not-a-real-key' }))).status).toBe(401);

    await developer.apiKeys.revoke({ id: created.id });
    expect((await http('session.me', bearer)).status).toBe(401);
    const actions = (await handle.db.select().from(auditLog).where(eq(auditLog.targetId, created.id))).map((r) => r.action).sort();
    expect(actions).toEqual(['apikey.create', 'apikey.revoke']);
  });

  it('stops a key when its creator is deactivated', async () => {
    const admin = await callerFor(await signIn('admin@switchboard.local', 'switchboard-admin'));
    const dev = firstRow(await handle.db.select().from(users).where(eq(users.email, 'developer@switchboard.local')), 'users');
    const devViewer: Viewer = { userId: dev.id, name: dev.name, email: dev.email, role: 'developer', via: 'session' };
    const { key } = await createCaller({ headers: new Headers(), db: async () => handle.db, viewer: devViewer }).apiKeys.create({ name: 'ci', role: 'developer' });
    const bearer = new Headers({ authorization: `Bearer ${key}` });
    expect((await http('session.me', bearer)).status).toBe(200);
    await admin.users.setActive({ userId: dev.id, active: false });
    expect((await http('session.me', bearer)).status).toBe(401);
    await admin.users.setActive({ userId: dev.id, active: true });
  });
});
