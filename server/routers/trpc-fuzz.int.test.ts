import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { DbHandle } from '@/db/client';
import { apiKeys, customers, flows, interactions, users } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { nodeDefinitions } from '@/nodes/registry';
import { can, ROLES, type Permission, type Role } from '@/server/auth/permissions';
import { seedLocalUsers } from '@/server/auth/seed-users';
import { seed } from '@/server/demo/seed';
import type { Viewer } from '@/server/trpc';
import { anyValue, flowDocumentArbitrary, flowFileArbitrary, oddString, templatesOf } from '@/workflows/testing/arbitraries';
import { type JsonSchema, mutatedArbitrary, schemaArbitrary } from '@/workflows/testing/json-schema-arbitrary';
import { appRouter, createCaller } from './_app';

/**
 * Fuzzing every tRPC procedure for every role and for anonymous callers (issue 10): inputs made
 * from the procedure's own zod input (through its JSON Schema), the same with one place broken,
 * and arbitrary values, against a migrated database with the demo data. A call succeeds or fails
 * with a client error; never INTERNAL_SERVER_ERROR (a 500), never a hang. A role without the
 * permission is refused with FORBIDDEN and an anonymous caller with UNAUTHORIZED, whatever the input.
 *
 * Nothing leaves the process: the simulator's webhook posts meet a fetch that fails, the health
 * check's Temporal address is a closed port and its database a scratch directory.
 */

vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'switchboard-trpc-fuzz-'));
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:1';
});

/** What a client may be told: its input, its rights or the state of things; never a 500. */
const CLIENT_ERRORS = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'PRECONDITION_FAILED', 'TOO_MANY_REQUESTS']);

/** Each call must answer well within this; the simulator's own webhook timeout is 20 s. */
const CALL_BUDGET_MS = 15_000;

const RUNS_PER_PROCEDURE = 60;

interface ProcedureDef {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs: z.ZodType[]; meta?: { permission?: Permission | 'public' | 'authenticated' } };
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>).map(([path, procedure]) => ({
  path,
  permission: procedure._def.meta?.permission ?? 'public',
  input: procedure._def.inputs[0],
}));

/** The JSON Schema of an input, dates marked so the generator makes Date objects for them. */
function inputSchema(input: z.ZodType): JsonSchema {
  return z.toJSONSchema(input, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      if ((ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def.type === 'date') ctx.jsonSchema.format = 'js-date';
    },
  }) as JsonSchema;
}

type Caller = 'anonymous' | Role;

function allowed(permission: Permission | 'public' | 'authenticated', caller: Caller): boolean {
  if (permission === 'public') return true;
  if (caller === 'anonymous') return false;
  return permission === 'authenticated' || can(caller, permission);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\ncaused by ${error.cause.stack ?? error.cause.message}` : '';
  return `${error instanceof TRPCError ? error.code : error.name}: ${error.message.slice(0, 500)}${cause}`;
}

describe.each(testDatabases())('tRPC fuzzing on $name', ({ open }) => {
  let handle: DbHandle;
  const viewers = {} as Record<Role, Viewer>;
  let ids: { flows: string[]; customers: string[]; apiKeys: string[]; interactions: string[]; users: string[] };

  beforeAll(async () => {
    handle = await open();
    await seed(handle.db);
    await seedLocalUsers(handle.db, { production: false, local: true });
    for (const user of await handle.db.select().from(users)) viewers[user.role] = { userId: user.id, name: user.name, email: user.email, role: user.role, via: 'session' };
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed: no network in the tRPC fuzz test');
    });
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await handle?.close();
  });

  async function refreshIds() {
    const column = async <T extends { id: string }>(rows: Promise<T[]>) => (await rows).map((row) => row.id);
    ids = {
      flows: await column(handle.db.select({ id: flows.id }).from(flows)),
      customers: await column(handle.db.select({ id: customers.id }).from(customers)),
      apiKeys: await column(handle.db.select({ id: apiKeys.id }).from(apiKeys)),
      interactions: await column(handle.db.select({ id: interactions.id }).from(interactions)),
      users: await column(handle.db.select({ id: users.id }).from(users)),
    };
  }

  /** Ids that exist half of the time, so calls get past NOT_FOUND to the code behind it. */
  function idArbitrary(existing: string[], other: fc.Arbitrary<string>): fc.Arbitrary<string> {
    return existing.length === 0 ? other : fc.oneof(fc.constantFrom(...existing), other);
  }

  async function call(path: string, caller: Caller, input: unknown): Promise<{ ok: true } | { ok: false; error: unknown }> {
    const trpc = createCaller({ headers: new Headers(), db: async () => handle.db, viewer: caller === 'anonymous' ? undefined : viewers[caller] });
    const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], trpc) as (input: unknown) => Promise<unknown>;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${path} did not answer within ${CALL_BUDGET_MS} ms`)), CALL_BUDGET_MS);
    });
    try {
      await Promise.race([fn(input), timeout]);
      return { ok: true };
    } catch (error) {
      if (error instanceof Error && error.message.includes('did not answer within')) throw error;
      return { ok: false, error };
    } finally {
      clearTimeout(timer);
    }
  }

  it('walks every procedure of the router', () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(procedures.filter((p) => p.input === undefined).map((p) => p.path)).toEqual(expect.arrayContaining(['system.health', 'session.me', 'flows.numbers']));
  });

  it.each(procedures)('$path ($permission): a client error or success for any input and caller', async ({ path, permission, input }) => {
    await refreshIds();
    const uuid = fc.oneof(idArbitrary([...ids.flows, ...ids.customers, ...ids.apiKeys, ...ids.interactions], fc.uuid()), fc.uuid());
    const templates = templatesOf(nodeDefinitions);
    const valid = input
      ? schemaArbitrary(inputSchema(input), {
          formats: { uuid, 'js-date': fc.date({ noInvalidDate: false }) },
          properties: {
            userId: idArbitrary(ids.users, oddString()),
            document: flowDocumentArbitrary(templates, 1),
            json: flowFileArbitrary(templates).map((file) => file.json),
          },
        })
      : fc.constant(undefined);
    const inputs = fc.oneof({ weight: 3, arbitrary: valid }, { weight: 3, arbitrary: mutatedArbitrary(valid) }, { weight: 1, arbitrary: anyValue });
    const callers = ['anonymous', ...ROLES] as const satisfies readonly Caller[];
    const permitted = callers.filter((c) => allowed(permission, c));
    const refused = callers.filter((c) => !allowed(permission, c));
    const caller: fc.Arbitrary<Caller> =
      refused.length === 0 ? fc.constantFrom(...permitted) : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...permitted) }, { weight: 1, arbitrary: fc.constantFrom(...refused) });

    await fc.assert(
      fc.asyncProperty(caller, inputs, async (who, value) => {
        const outcome = await call(path, who, value);
        if (!allowed(permission, who)) {
          // Refused before the input is even read.
          expect(outcome.ok).toBe(false);
          const code = outcome.ok ? undefined : outcome.error instanceof TRPCError && outcome.error.code;
          expect(code).toBe(who === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN');
          return;
        }
        if (outcome.ok) return;
        const { error } = outcome;
        const isClientError = error instanceof TRPCError && CLIENT_ERRORS.has(error.code);
        expect(isClientError, `${path} as ${who} failed with ${describeError(error)}`).toBe(true);
      }),
      // The health check waits up to 3 s for the (absent) Temporal server, and ignores its input.
      { numRuns: path === 'system.health' ? 5 : RUNS_PER_PROCEDURE },
    );
  });
});
