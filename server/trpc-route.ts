import 'server-only';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { MB, withBodyLimit } from '@/server/http/body-limit';
import { crossSiteRefusal } from '@/server/http/same-origin';
import { appRouter } from '@/server/routers/_app';
import { type Context, createContext } from '@/server/trpc';

/**
 * The largest input is a flow import, at most 5,000,000 characters of JSON (`flows.import`); escaped
 * into the request it fits in 8 MB unless it is mostly non-ASCII. tRPC's fetch adapter has no limit of
 * its own (its `maxBodySize` is for the Node adapter), so without this a request is read whole.
 */
export const TRPC_MAX_BODY_BYTES = 8 * MB;

/**
 * `/api/trpc`: mutations (always POST; tRPC refuses them over GET) pass the cross-site check and
 * the body limit before any of the body is parsed. Queries over GET change nothing.
 */
export function trpcRoute(context: (headers: Headers) => Promise<Context> = (headers) => createContext({ headers })) {
  return async (request: Request): Promise<Response> => {
    const refused = crossSiteRefusal(request);
    if (refused) return refused;
    const limited = await withBodyLimit(request, TRPC_MAX_BODY_BYTES);
    if (limited instanceof Response) return limited;
    return fetchRequestHandler({ endpoint: '/api/trpc', req: limited, router: appRouter, createContext: () => context(limited.headers) });
  };
}
