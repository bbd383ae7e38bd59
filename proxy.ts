import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/env';
import { createNonce, pageSecurityHeaders } from '@/security-headers';
import { ROLES, type Role } from '@/server/auth/permissions';
import { isPublicPage, mayOpen } from '@/server/auth/routes';
import { crossSiteRefusal } from '@/server/http/same-origin';

/**
 * Pages need a session, and the role the page needs. The session is checked against the
 * database through better-auth's own endpoint, so a revoked session or a deactivated user is
 * refused on the next navigation. API routes are not matched: tRPC answers 401/403 itself and
 * Twilio webhooks are verified by signature.
 *
 * A POST to a page is a server action (sign-in, reset) or a form posted without JavaScript: it
 * passes the app's cross-site check first (Next.js also compares Origin and Host for server
 * actions, but answers a mismatch with a 500). Every page gets its Content-Security-Policy here,
 * with a nonce Next.js puts on its scripts.
 */
export async function proxy(request: NextRequest) {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const { pathname, search } = request.nextUrl;
  const security = pageSecurityHeaders({ nonce: createNonce(), dev: env.NODE_ENV === 'development', https: new URL(env.PUBLIC_BASE_URL).protocol === 'https:' });
  const page = () => {
    const headers = new Headers(request.headers);
    headers.set('content-security-policy', security['Content-Security-Policy']);
    const response = NextResponse.next({ request: { headers } });
    for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
    return response;
  };
  if (isPublicPage(pathname)) return page();
  const signIn = () => {
    const url = new URL('/sign-in', request.url);
    if (pathname !== '/') url.searchParams.set('next', `${pathname}${search}`);
    return NextResponse.redirect(url);
  };
  if (!getSessionCookie(request)) return signIn();
  const response = await fetch(new URL('/api/auth/get-session', request.nextUrl.origin), {
    headers: { cookie: request.headers.get('cookie') ?? '' },
    cache: 'no-store',
  }).catch(() => undefined);
  const session = response?.ok ? ((await response.json()) as { user?: { role?: string } } | null) : null;
  if (!session?.user) return signIn();
  const role = (ROLES as readonly string[]).includes(session.user.role ?? '') ? (session.user.role as Role) : undefined;
  if (!mayOpen(role, pathname)) {
    const url = new URL('/forbidden', request.url);
    url.searchParams.set('from', pathname);
    return NextResponse.redirect(url);
  }
  return page();
}

export const config = {
  matcher: ['/((?!api/|_next/|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|css|js|map|txt)$).*)'],
};
