import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { testDatabases } from '@/db/testing';
import { env } from '@/env';
import { createAuth, type Auth } from '@/server/auth/auth';
import { AUTH_MAX_BODY_BYTES, authRoute } from '@/server/auth/auth-route';
import { seedLocalUsers } from '@/server/auth/seed-users';
import { resolveViewer } from '@/server/auth/viewer';
import { createCaller } from '@/server/routers/_app';
import { TRPC_MAX_BODY_BYTES, trpcRoute } from '@/server/trpc-route';

const app = new URL(env.PUBLIC_BASE_URL).origin;
const EVIL = 'https://evil.example';

/** The `/api/trpc` and `/api/auth` route handlers as the app serves them, over a test database. */
describe.each(testDatabases())('hostile requests to tRPC and better-auth on $name', ({ name, open }) => {
  const net = name === 'pglite' ? '198.51.100' : '203.0.113';
  let handle: DbHandle;
  let auth: Auth;
  let trpc: (request: Request) => Promise<Response>;
  let authHttp: (request: Request) => Promise<Response>;
  let designerCookie: string;

  beforeAll(async () => {
    handle = await open();
    auth = createAuth(handle.db);
    await seedLocalUsers(handle.db, { production: false, local: true });
    trpc = trpcRoute(async (headers) => ({ headers, db: async () => handle.db, viewer: await resolveViewer(handle.db, auth, headers) }));
    authHttp = authRoute(async () => auth);
    const signedIn = await authHttp(signInRequest('designer@switchboard.local', 'switchboard-designer', { origin: app, 'x-forwarded-for': `${net}.60` }));
    expect(signedIn.status).toBe(200);
    designerCookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  });
  afterAll(async () => {
    await handle?.close();
  });

  function signInRequest(email: string, password: string, headers: Record<string, string>) {
    return new Request(`${app}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email, password }) });
  }

  /** A tRPC mutation over HTTP, as the browser client posts it. */
  function mutation(path: string, input: unknown, headers: Record<string, string>) {
    return trpc(new Request(`${app}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ json: input }) }));
  }

  const flowNames = async () => (await createCaller({ headers: new Headers(), db: async () => handle.db, viewer: { userId: 'x', name: 'x', email: 'x', role: 'admin' } }).flows.list({ status: 'all' })).map((f) => f.name);

  it('refuses a cookie-authenticated mutation from another site with 403, and changes nothing', async () => {
    const refused = await mutation('flows.create', { name: 'Forged', template: 'blank' }, { cookie: designerCookie, origin: EVIL });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST', error: expect.stringContaining(`came from ${EVIL}`) });
    expect((await mutation('flows.create', { name: 'Forged', template: 'blank' }, { cookie: designerCookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await mutation('flows.create', { name: 'Forged', template: 'blank' }, { cookie: designerCookie })).status).toBe(403);
    expect(await flowNames()).not.toContain('Forged');

    const own = await mutation('flows.create', { name: 'From the app', template: 'blank' }, { cookie: designerCookie, origin: app, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
    expect(await flowNames()).toContain('From the app');
  });

  it('keeps reads open to the app and refuses mutations over GET', async () => {
    const list = await trpc(new Request(`${app}/api/trpc/flows.list`, { headers: { cookie: designerCookie, 'sec-fetch-site': 'cross-site' } }));
    // Reading is harmless: a cross-site page cannot see the answer (no CORS), so it is not refused here.
    expect(list.status).toBe(200);
    const asGet = await trpc(new Request(`${app}/api/trpc/flows.create?input=${encodeURIComponent(JSON.stringify({ json: { name: 'Via GET', template: 'blank' } }))}`, { headers: { cookie: designerCookie } }));
    expect(asGet.status).toBe(405);
    expect(await flowNames()).not.toContain('Via GET');
  });

  it('accepts an API key from anywhere, cookies or not', async () => {
    const developer = await mutation('apiKeys.create', { name: 'ci', role: 'developer' }, { cookie: designerCookie, origin: app });
    expect(developer.status).toBe(403); // designers have no API keys; a developer creates one
    const devSignIn = await authHttp(signInRequest('developer@switchboard.local', 'switchboard-developer', { origin: app, 'x-forwarded-for': `${net}.61` }));
    const devCookie = devSignIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const created = await mutation('apiKeys.create', { name: 'ci', role: 'developer' }, { cookie: devCookie, origin: app });
    const key = ((await created.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;
    const fromCi = await mutation('flows.create', { name: 'From CI', template: 'blank' }, { authorization: `Bearer ${key}`, origin: 'https://ci.example' });
    expect(fromCi.status).toBe(200);
    expect((await mutation('flows.create', { name: 'From a script', template: 'blank' }, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect(await flowNames()).toEqual(expect.arrayContaining(['From CI', 'From a script']));
  });

  it('refuses a tRPC body over 8 MB with 413 before parsing it, declared or chunked', async () => {
    const headers = { cookie: designerCookie, origin: app, 'content-type': 'application/json' };
    const huge = JSON.stringify({ json: { json: 'x'.repeat(TRPC_MAX_BODY_BYTES) } });
    const declared = await trpc(new Request(`${app}/api/trpc/flows.import`, { method: 'POST', headers, body: huge }));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', error: 'Request body too large: at most 8 MB is accepted here.' });

    const bytes = new TextEncoder().encode(huge);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1 << 20) controller.enqueue(bytes.slice(i, i + (1 << 20)));
        controller.close();
      },
    });
    const chunked = await trpc(new Request(`${app}/api/trpc/flows.import`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit));
    expect(chunked.status).toBe(413);
  });

  it('leaves the largest import the schema allows to the schema: a clear BAD_REQUEST, not 413', async () => {
    const headers = { cookie: designerCookie, origin: app };
    const atLimit = await mutation('flows.import', { json: ' '.repeat(5_000_000) }, headers);
    expect(atLimit.status).toBe(200);
    expect(((await atLimit.json()) as { result: { data: { json: { ok: boolean } } } }).result.data.json.ok).toBe(false);
    const over = await mutation('flows.import', { json: ' '.repeat(5_000_001) }, headers);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: { json: { data: { code: string } } } }).error.json.data.code).toBe('BAD_REQUEST');
  });

  it('refuses cross-site sign-in and sign-out on /api/auth, and better-auth refuses them on its own too', async () => {
    const crossSite = await authHttp(signInRequest('designer@switchboard.local', 'switchboard-designer', { origin: EVIL, 'x-forwarded-for': `${net}.62` }));
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST' });
    expect(crossSite.headers.getSetCookie()).toEqual([]);
    const signOut = (headers: Record<string, string>) => new Request(`${app}/api/auth/sign-out`, { method: 'POST', headers: { cookie: designerCookie, ...headers } });
    expect((await authHttp(signOut({ origin: EVIL }))).status).toBe(403);
    expect((await authHttp(signOut({ referer: `${EVIL}/page` }))).status).toBe(403);

    // better-auth behind no check of ours: cookies from another origin, and a cross-site navigation sign-in.
    const direct = await auth.handler(signOut({ origin: EVIL }));
    expect(direct.status).toBe(403);
    expect(await direct.json()).toMatchObject({ code: 'INVALID_ORIGIN' });
    const navigation = await auth.handler(signInRequest('designer@switchboard.local', 'switchboard-designer', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'x-forwarded-for': `${net}.63` }));
    expect(navigation.status).toBe(403);
    expect(await navigation.json()).toMatchObject({ code: 'CROSS_SITE_NAVIGATION_LOGIN_BLOCKED' });

    // The session is still good: nothing above signed it out.
    expect(await resolveViewer(handle.db, auth, new Headers({ cookie: designerCookie }))).toMatchObject({ email: 'designer@switchboard.local' });
  });

  it('refuses an auth body over 16 KB with 413', async () => {
    const refused = await authHttp(signInRequest('designer@switchboard.local', 'x'.repeat(AUTH_MAX_BODY_BYTES), { origin: app, 'x-forwarded-for': `${net}.64` }));
    expect(refused.status).toBe(413);
  });
});
