import 'server-only';
import { KB, withBodyLimit } from '@/server/http/body-limit';
import { crossSiteRefusal } from '@/server/http/same-origin';
import { type Auth, getAuth } from './auth';

/** Sign-in, reset and sign-out bodies are a few hundred bytes of JSON. */
export const AUTH_MAX_BODY_BYTES = 16 * KB;

/**
 * `/api/auth/*`: better-auth, behind the same cross-site check and a body limit. better-auth checks
 * origins itself too (and Fetch Metadata for a first sign-in); this makes the answer the app's
 * usual 403 and keeps oversized bodies out before better-auth reads them.
 */
export function authRoute(auth: () => Promise<Auth> = getAuth) {
  return async (request: Request): Promise<Response> => {
    const refused = crossSiteRefusal(request);
    if (refused) return refused;
    const limited = await withBodyLimit(request, AUTH_MAX_BODY_BYTES);
    if (limited instanceof Response) return limited;
    return (await auth()).handler(limited);
  };
}
