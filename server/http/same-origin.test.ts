import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import { crossSiteRefusal } from './same-origin';

const app = new URL(env.PUBLIC_BASE_URL);
const session = { cookie: 'better-auth.session_token=abc.def' };

function request(headers: Record<string, string>, { method = 'POST', url = `${app.origin}/api/trpc/flows.create` } = {}) {
  return new Request(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : '{}' });
}

async function refusal(req: Request) {
  const response = crossSiteRefusal(req);
  return response && { status: response.status, body: (await response.json()) as { error: string; code: string } };
}

describe('crossSiteRefusal', () => {
  it('lets a post from the app itself through, by Origin, Sec-Fetch-Site or Referer', async () => {
    expect(await refusal(request({ ...session, origin: app.origin }))).toBeUndefined();
    expect(await refusal(request({ ...session, 'sec-fetch-site': 'same-origin' }))).toBeUndefined();
    expect(await refusal(request({ ...session, referer: `${app.origin}/flows/1` }))).toBeUndefined();
  });

  it('accepts the host the request was sent to, as localhost, 127.0.0.1 or through a proxy', async () => {
    const local = { url: 'http://127.0.0.1:4000/api/trpc/flows.create' };
    expect(await refusal(request({ ...session, origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' }, local))).toBeUndefined();
    expect(await refusal(request({ ...session, origin: 'http://127.0.0.1:4000' }, local))).toBeUndefined();
    expect(await refusal(request({ ...session, origin: 'https://sb.example.com', host: 'internal:3000', 'x-forwarded-host': 'sb.example.com' }))).toBeUndefined();
    // Another port on the same machine is another origin.
    expect((await refusal(request({ ...session, origin: 'http://127.0.0.1:4001', host: '127.0.0.1:4000' }, local)))?.status).toBe(403);
  });

  it('refuses a post from another site with 403 and a message that says why', async () => {
    const refused = await refusal(request({ ...session, origin: 'https://evil.example' }));
    expect(refused?.status).toBe(403);
    expect(refused?.body.code).toBe('CROSS_SITE_REQUEST');
    expect(refused?.body.error).toContain('came from https://evil.example');
    expect(refused?.body.error).toContain('Authorization: Bearer sb_');
    const crossSite: Record<string, string>[] = [
      { origin: 'null' },
      { origin: `${app.protocol}//${app.hostname}.evil.example` },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { referer: 'https://evil.example/form.html' },
      { referer: 'not a url' },
    ];
    for (const headers of crossSite) {
      expect((await refusal(request({ ...session, ...headers })))?.status, JSON.stringify(headers)).toBe(403);
    }
    // Origin decides when present, whatever the other headers claim.
    expect((await refusal(request({ ...session, origin: 'https://evil.example', 'sec-fetch-site': 'same-origin', referer: app.origin })))?.status).toBe(403);
    // Without cookies too: a cross-site page has no business posting here.
    expect((await refusal(request({ origin: 'https://evil.example' })))?.status).toBe(403);
  });

  it('refuses a post with cookies that does not say where it comes from', async () => {
    const refused = await refusal(request(session));
    expect(refused?.status).toBe(403);
    expect(refused?.body.error).toContain('does not say where it comes from');
    // Without cookies there is nothing to forge: the route answers 401 itself.
    expect(await refusal(request({}))).toBeUndefined();
  });

  it('lets API keys through from anywhere: browsers never attach them on their own', async () => {
    const key = { authorization: 'Bearer sb_0123456789abcdefghij' };
    expect(await refusal(request({ ...key, origin: 'https://ci.example' }))).toBeUndefined();
    expect(await refusal(request({ ...key, ...session }))).toBeUndefined();
    // Another kind of bearer token is no API key, and the cookie is what would count.
    expect((await refusal(request({ authorization: 'Bearer abc', ...session, origin: 'https://evil.example' })))?.status).toBe(403);
  });

  it('never stands in the way of reads', async () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(await refusal(request({ ...session, origin: 'https://evil.example' }, { method }))).toBeUndefined();
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await refusal(request({ ...session, origin: 'https://evil.example' }, { method })))?.status).toBe(403);
    }
  });
});
