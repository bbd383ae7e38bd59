import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { getDb } from '@/db/client';
import { getAuth } from '@/server/auth/auth';
import { can, type Permission } from '@/server/auth/permissions';
import { resolveViewer, type Viewer } from '@/server/auth/viewer';
import { protectForViewer } from '@/server/privacy/protect';
import { formatPath } from '@/workflows/diagnostics';
import { MAX_DOCUMENT_DEPTH } from '@/workflows/document';
import { storableProblems } from '@/workflows/storable';

export type { Viewer };

export interface Context {
  headers: Headers;
  db: typeof getDb;
  /** The signed-in user or API key owner; undefined for anonymous requests. */
  viewer?: Viewer;
}

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const [db, auth] = await Promise.all([getDb(), getAuth()]);
  return { headers: opts.headers, db: getDb, viewer: await resolveViewer(db, auth, opts.headers) };
}

/** Every procedure names what it needs; a test walks the router so none can be left out. */
export interface Meta {
  permission: Permission | 'public' | 'authenticated';
}

const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer: superjson,
  // Subscriptions (server-sent events): a ping keeps proxies from closing a quiet stream, and a
  // client that hears nothing for a while reconnects (and resyncs; see server/routing/live.ts).
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
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
  return next();
});

/**
 * Input text the database cannot store (NUL, unpaired surrogates) or absurdly deep input is the
 * client's mistake: refused here, for every procedure, before it reaches a query and fails there
 * as a 500. Found by the tRPC fuzzing property (server/routers/trpc-fuzz.int.test.ts).
 */
const refuseUnstorableInput = t.middleware(async ({ getRawInput, next }) => {
  const [problem] = storableProblems(await getRawInput(), { maxDepth: MAX_INPUT_DEPTH, maxProblems: 1 });
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input${problem.path.length > 0 ? ` at ${formatPath(problem.path)}` : ''}: ${problem.message}.` });
  return next();
});

/** A flow document nests up to MAX_DOCUMENT_DEPTH inside an input object; nothing else comes close. */
const MAX_INPUT_DEPTH = MAX_DOCUMENT_DEPTH + 8;

/** Narrows the context for protected procedures: past `enforce`, there is a viewer. */
const withViewer = t.middleware(({ ctx, next }) => {
  if (!ctx.viewer) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { viewer: ctx.viewer } });
});

export const publicProcedure = t.procedure.meta({ permission: 'public' }).use(enforce).use(refuseUnstorableInput);

/** A procedure that requires a signed-in viewer holding `permission`. */
export function procedure(permission: Permission | 'authenticated') {
  return t.procedure.meta({ permission }).use(enforce).use(withViewer).use(refuseUnstorableInput);
}

/**
 * Output that carries customer data passes through here: phone numbers and emails anywhere in the
 * result are masked for viewers without `customers.unmask` (server/privacy/protect.ts).
 */
const maskCustomerData = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  return result.ok ? { ...result, data: protectForViewer(ctx.viewer, result.data) } : result;
});

/** `procedure(permission)` for procedures that return customer data. */
export function customerDataProcedure(permission: Permission | 'authenticated') {
  return procedure(permission).use(maskCustomerData);
}
