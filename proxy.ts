import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { ROLES, type Role } from '@/server/auth/permissions';
import { isPublicPage, mayOpen } from '@/server/auth/routes';

/**
 * Pages need a session, and the role the page needs. The session is checked against the
 * database through better-auth's own endpoint, so a revoked session or a deactivated user is
 * refused on the next navigation. API routes are not matched: tRPC answers 401/403 itself and
 * Twilio webhooks are verified by signature.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isPublicPage(pathname)) return NextResponse.next();
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
  return NextResponse.next();
}

export const config = {
  matcher: ['/((?!api/|_next/|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|css|js|map|txt)$).*)'],
};
