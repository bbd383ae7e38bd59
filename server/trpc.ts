import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { getDb } from '@/db/client';
import { can, type Permission, type Role } from '@/server/auth/permissions';

export interface Viewer {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

export interface Context {
  headers: Headers;
  db: typeof getDb;
  /** The signed-in user or API key owner; undefined for anonymous requests. */
  viewer?: Viewer;
}

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  return { headers: opts.headers, db: getDb, viewer: await resolveViewer(opts.headers) };
}

/** Replaced by the session / API-key lookup of the auth module. */
async function resolveViewer(_headers: Headers): Promise<Viewer | undefined> {
  return undefined;
}

/** Every procedure names what it needs; a test walks the router so none can be left out. */
export interface Meta {
  permission: Permission | 'public' | 'authenticated';
}

const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: { ...shape.data, zodError: error.cause instanceof ZodError ? error.cause.flatten() : null },
  }),
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

const enforce = t.middleware(({ ctx, meta, next }) => {
  const permission = meta?.permission;
  if (permission === undefined) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'procedure declares no permission' });
  if (permission === 'public') return next();
  if (!ctx.viewer) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  if (permission !== 'authenticated' && !can(ctx.viewer.role, permission)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `Your role (${ctx.viewer.role}) may not do this (${permission}).` });
  }
  return next({ ctx: { viewer: ctx.viewer } });
});

export const publicProcedure = t.procedure.meta({ permission: 'public' }).use(enforce);

/** A procedure that requires a signed-in viewer holding `permission`. */
export function procedure(permission: Permission | 'authenticated') {
  return t.procedure.meta({ permission }).use(enforce);
}
