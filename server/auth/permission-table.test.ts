import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { USER_ROLES } from '@/db/schema';
import type { Db } from '@/db/client';
import { createCaller, appRouter } from '@/server/routers/_app';
import type { Viewer } from '@/server/trpc';
import { can, PERMISSIONS, ROLES, type Permission, type Role } from './permissions';

/** Procedures anyone may call without signing in; adding one means adding it here, on purpose. */
const PUBLIC_PROCEDURES = ['system.health'];

type Declared = Permission | 'public' | 'authenticated';

/** The permission a procedure declares; throws for one without an entry, so the walk fails. */
function declaredPermission(path: string, procedure: { _def: { meta?: { permission?: unknown } } }): Declared {
  const permission = procedure._def.meta?.permission;
  if (permission === 'public' || permission === 'authenticated') return permission;
  if (typeof permission === 'string' && (PERMISSIONS as readonly string[]).includes(permission)) return permission as Permission;
  throw new Error(`${path} declares no valid permission (${String(permission)})`);
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { permission?: unknown } } }>).map(([path, procedure]) => ({
  path,
  permission: declaredPermission(path, procedure),
}));

/** The database is never reached when the permission check works: this makes sure of it. */
class NoDatabase extends Error {}
const noDb = async (): Promise<Db> => {
  throw new NoDatabase('no database in the permission walk');
};

function viewer(role: Role): Viewer {
  return { userId: `${role}-user`, name: role, email: `${role}@example.test`, role, via: 'session' };
}

async function call(path: string, v: Viewer | undefined): Promise<unknown> {
  const caller = createCaller({ headers: new Headers(), db: noDb, viewer: v });
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input?: unknown) => Promise<unknown>;
  try {
    return await fn(undefined);
  } catch (error) {
    return error;
  }
}

function codeOf(outcome: unknown): string | undefined {
  return outcome instanceof TRPCError ? outcome.code : undefined;
}

describe('the permission table', () => {
  it('knows the same roles as the users table', () => {
    expect([...USER_ROLES]).toEqual([...ROLES]);
  });

  it('every procedure declares a permission from the table', () => {
    expect(procedures.length).toBeGreaterThan(10);
    expect(() => declaredPermission('fake.procedure', { _def: { meta: undefined } })).toThrow(/declares no valid permission/);
    expect(() => declaredPermission('fake.procedure', { _def: { meta: { permission: 'flows.fly' } } })).toThrow();
    expect(procedures.filter((p) => p.permission === 'public').map((p) => p.path)).toEqual(PUBLIC_PROCEDURES);
  });

  const protectedProcedures = procedures.flatMap((p) => (p.permission === 'public' ? [] : [{ path: p.path, permission: p.permission }]));

  describe.each(ROLES)('as %s', (role) => {
    it.each(protectedProcedures)('$path ($permission)', async ({ path, permission }) => {
      const allowed = permission === 'authenticated' || can(role, permission);
      const code = codeOf(await call(path, viewer(role)));
      if (allowed) {
        expect(code, `${role} should be allowed ${path}`).not.toBe('FORBIDDEN');
        expect(code).not.toBe('UNAUTHORIZED');
      } else {
        expect(code, `${role} should be refused ${path}`).toBe('FORBIDDEN');
      }
    });
  });

  it.each(protectedProcedures)('$path refuses an anonymous caller with UNAUTHORIZED', async ({ path }) => {
    expect(codeOf(await call(path, undefined))).toBe('UNAUTHORIZED');
  });
});
