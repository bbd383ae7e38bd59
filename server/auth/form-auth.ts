import 'server-only';
import { env } from '@/env';
import type { Auth } from './auth';

/** What better-auth reads from a browser's request: cookies, origin and fetch metadata (CSRF), client address (rate limit), user agent (session row). */
const FORWARDED_HEADERS = ['cookie', 'origin', 'referer', 'user-agent', 'x-forwarded-for', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest'];

/**
 * A form post handled on the server goes through better-auth's own HTTP endpoint, as the browser
 * client's fetch does, so the rate limits, origin checks and the deactivated-user hook all apply.
 */
function post(auth: Auth, path: string, body: unknown, incoming: Pick<Headers, 'get'>): Promise<Response> {
  const headers = new Headers({ 'content-type': 'application/json' });
  for (const name of FORWARDED_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) headers.set(name, value);
  }
  return auth.handler(new Request(`${env.PUBLIC_BASE_URL}/api/auth${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
}

export type SignInError = 'invalid' | 'deactivated' | 'tooMany';

/** Signs in with email and password; on success the `Set-Cookie` header that carries the session. */
export async function signInWithPassword(
  auth: Auth,
  credentials: { email: string; password: string },
  incoming: Pick<Headers, 'get'>,
): Promise<{ setCookie: string } | { error: SignInError }> {
  const response = await post(auth, '/sign-in/email', credentials, incoming);
  if (response.ok) return { setCookie: response.headers.get('set-cookie') ?? '' };
  if (response.status === 429) return { error: 'tooMany' };
  const body = (await response.json().catch(() => null)) as { code?: string } | null;
  return { error: body?.code === 'USER_DEACTIVATED' ? 'deactivated' : 'invalid' };
}

/** Sends a reset link when the address has an account; the answer never says whether it has. */
export async function requestPasswordReset(auth: Auth, email: string, incoming: Pick<Headers, 'get'>): Promise<'sent' | 'tooMany'> {
  const response = await post(auth, '/request-password-reset', { email, redirectTo: '/reset-password' }, incoming);
  return response.status === 429 ? 'tooMany' : 'sent';
}

/** Sets a new password with the token of a reset link; false when the token is unknown or expired. */
export async function resetPassword(auth: Auth, input: { token: string; newPassword: string }, incoming: Pick<Headers, 'get'>): Promise<boolean> {
  return (await post(auth, '/reset-password', input, incoming)).ok;
}
