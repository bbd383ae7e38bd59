import 'server-only';
import { type Db, getDb } from '@/db/client';
import { crossSiteRefusal } from '@/server/http/same-origin';
import { getAuth } from './auth';
import { can, type Permission } from './permissions';
import { resolveViewer, type Viewer } from './viewer';

export interface RouteContext {
  viewer: Viewer;
  db: Db;
}

/**
 * A route handler for signed-in callers (session cookie or `Authorization: Bearer sb_…`). Like the
 * tRPC procedures it answers 401 without a viewer and 403 without `permission`, as JSON; a
 * state-changing method also passes the cross-site check first.
 */
export function authenticatedRoute(permission: Permission, handler: (request: Request, context: RouteContext) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const refused = crossSiteRefusal(request);
    if (refused) return refused;
    const db = await getDb();
    const viewer = await resolveViewer(db, await getAuth(), request.headers);
    if (!viewer) return Response.json({ error: 'Sign in or send an API key first.' }, { status: 401 });
    if (!can(viewer.role, permission)) return Response.json({ error: `Your role (${viewer.role}) may not do this (${permission}).` }, { status: 403 });
    return handler(request, { viewer, db });
  };
}
