import 'server-only';
import { env } from '@/env';
import { apiKeyOf } from '@/server/auth/bearer';

/** Methods that never change state here (tRPC runs queries over GET and refuses mutations on it). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type RequestSource = { verdict: 'same-origin' } | { verdict: 'cross-site'; from: string } | { verdict: 'unknown' };

/**
 * The host the browser addressed, as Next.js's own server-action check reads it: a reverse proxy
 * or tunnel forwards it in `X-Forwarded-Host`, which no page can set on a cross-site request.
 */
function requestHost(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return forwarded || request.headers.get('host') || new URL(request.url).host;
}

/** The app's own origins: PUBLIC_BASE_URL's, and the host the request itself was sent to (localhost, 127.0.0.1 in dev). */
function isOwnOrigin(value: string, request: Request): boolean {
  if (!URL.canParse(value)) return false; // `Origin: null` (sandboxed frames, opaque redirects) among others
  const url = new URL(value);
  return url.origin === new URL(env.PUBLIC_BASE_URL).origin || url.host === requestHost(request);
}

/**
 * Where a request was sent from, by what browsers tell: `Origin`, else `Sec-Fetch-Site`, else
 * `Referer`. Scripts (curl, CI) usually send none of them.
 */
function requestSource(request: Request): RequestSource {
  const origin = request.headers.get('origin');
  if (origin !== null) return isOwnOrigin(origin, request) ? { verdict: 'same-origin' } : { verdict: 'cross-site', from: origin };
  const site = request.headers.get('sec-fetch-site');
  // `none`: the person started it (address bar, bookmark), no page did.
  if (site !== null) return site === 'same-origin' || site === 'none' ? { verdict: 'same-origin' } : { verdict: 'cross-site', from: `a ${site} page` };
  const referer = request.headers.get('referer');
  if (referer) return isOwnOrigin(referer, request) ? { verdict: 'same-origin' } : { verdict: 'cross-site', from: URL.canParse(referer) ? new URL(referer).origin : 'an unknown page' };
  return { verdict: 'unknown' };
}

/**
 * The one cross-site (CSRF) check for every state-changing route, server action and tRPC mutation:
 * a 403 with a JSON message, or undefined to go on. A request that changes state and carries
 * cookies must show it comes from the app itself; one from another site is refused whatever it
 * carries. An `sb_…` API key is not sent by browsers on their own, so it is not CSRF-able and
 * works from anywhere (the cookies of such a request are never read, see `resolveViewer`).
 */
export function crossSiteRefusal(request: Request): Response | undefined {
  if (SAFE_METHODS.has(request.method.toUpperCase()) || apiKeyOf(request.headers) !== undefined) return undefined;
  const source = requestSource(request);
  if (source.verdict === 'same-origin') return undefined;
  if (source.verdict === 'unknown' && !request.headers.has('cookie')) return undefined;
  const app = new URL(env.PUBLIC_BASE_URL).origin;
  const error =
    source.verdict === 'cross-site'
      ? `Cross-site request refused: this ${request.method} came from ${source.from}, not from Switchboard (${app}). Scripts authenticate with an API key (Authorization: Bearer sb_…) instead of cookies.`
      : `Request refused: a ${request.method} with cookies must come from Switchboard's own pages (${app}), and this one does not say where it comes from (no Origin header). Scripts authenticate with an API key (Authorization: Bearer sb_…) instead of cookies.`;
  return Response.json({ error, code: 'CROSS_SITE_REQUEST' }, { status: 403 });
}
