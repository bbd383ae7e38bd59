/**
 * The security headers, in one place. `next.config.ts` sends the fixed ones with every response
 * (built into the routes manifest at `next build`, so they depend on no configuration); `proxy.ts`
 * adds what needs the request or the running server's configuration: the page's Content-Security-
 * Policy with a fresh nonce, and HSTS when PUBLIC_BASE_URL is https. Pure: no env, no server code.
 */

/** With every response, pages, API and static files alike. */
export const COMMON_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Old browsers' frame-ancestors; no page of the app is meant to be framed.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // The simulator speaks (speechSynthesis, AudioContext) but never listens: no feature is needed.
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()' },
  // No window of another site keeps a handle on ours, and no other site embeds our answers (XS-Leaks, Spectre).
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
];

/** JSON, TwiML and event streams are never documents to render or embed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export interface PagePolicyOptions {
  /** Fresh per response; Next.js reads it from this header and puts it on its own scripts. */
  nonce: string;
  /** `next dev`: React's dev build evaluates code (`eval`) and hot reload talks over a websocket. */
  dev: boolean;
  https: boolean;
}

/**
 * The pages' policy. Scripts: only those carrying the nonce and what they load ('strict-dynamic'
 * covers Next.js's chunks). Styles: 'unsafe-inline', since React Flow positions every node with a
 * style attribute and monaco injects its own <style> elements (a nonce would switch that off).
 * Workers: monaco's editor worker is a bundled file of our own.
 */
export function pageContentSecurityPolicy({ nonce, dev, https }: PagePolicyOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(dev ? ['ws:', 'wss:'] : [])],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** What proxy.ts sets on a page response (and on the request, where Next.js finds the nonce). */
export function pageSecurityHeaders(options: PagePolicyOptions): Record<string, string> & { 'Content-Security-Policy': string } {
  return {
    'Content-Security-Policy': pageContentSecurityPolicy(options),
    // Only over https: a browser ignores it on http, and localhost must stay reachable on http.
    ...(options.https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

/** 128 random bits, base64: unguessable per response. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
