import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import type { Role } from '@/server/auth/permissions';
import { createCaller } from '@/server/routers/_app';

/** The refusal comes before any query: a database that throws proves it. */
const noDb = async (): Promise<Db> => {
  throw new Error('the database must not be reached');
};

function as(role: Role | undefined) {
  return createCaller({ headers: new Headers(), db: noDb, viewer: role && { userId: `${role}-1`, name: role, email: `${role}@example.test`, role, via: 'session' } });
}

async function failure(call: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return { code: error instanceof TRPCError ? error.code : undefined, message: error instanceof Error ? error.message : String(error) };
  }
  throw new Error('the call succeeded');
}

describe('input the database cannot store', () => {
  // Found by server/routers/trpc-fuzz.int.test.ts (seeds -482263934, 476833429, 838084040): a NUL
  // in any text input reached Postgres (`invalid byte sequence for encoding "UTF8": 0x00`), a 500.
  it.each([
    ['flows.list', () => as('admin').flows.list({ search: '\u0000' }), 'search', /NUL/],
    ['flows.create', () => as('admin').flows.create({ name: '\u0000' }), 'name', /NUL/],
    ['users.invite', () => as('admin').users.invite({ email: 'A@A.aA', name: 'x\u0000y', role: 'manager' }), 'name', /NUL/],
    ['customers.list', () => as('agent').customers.list({ search: 'Wei \ud800' }), 'search', /surrogate/],
    ['audit.list', () => as('admin').audit.list({ actor: '\udc00' }), 'actor', /surrogate/],
  ])('%s is refused with BAD_REQUEST naming the field', async (_, run, field, reason) => {
    const { code, message } = await failure(run());
    expect(code).toBe('BAD_REQUEST');
    expect(message).toContain(`at ${field}:`);
    expect(message).toMatch(reason);
  });

  it('refuses input nested deeper than any document, and keys too', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(await failure(as('admin').flows.list(deep as never))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/nested more than 40 levels deep/) });
    expect(await failure(as('admin').flows.list({ ['st\u0000atus']: 'all' } as never))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/key .*NUL/) });
  });

  it('still answers UNAUTHORIZED and FORBIDDEN first', async () => {
    expect((await failure(as(undefined).flows.list({ search: '\u0000' }))).code).toBe('UNAUTHORIZED');
    expect((await failure(as('agent').flows.list({ search: '\u0000' }))).code).toBe('FORBIDDEN');
  });

  it('lets ordinary odd text through to the procedure', async () => {
    // Emoji, bidi marks and control characters are valid text: the call gets as far as the database.
    expect(await failure(as('admin').flows.list({ search: '👩‍👩‍👧 \u202e\u0007' }))).toMatchObject({ message: 'the database must not be reached' });
  });
});
