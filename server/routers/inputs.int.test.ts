import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { testDatabases } from '@/db/testing';
import type { Role } from '@/server/auth/permissions';
import { createCaller } from './_app';
import { MAX_INT4 } from './inputs';

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}

// Found by trpc-fuzz.int.test.ts: dates and version numbers that zod took and Postgres did not
// (`date/time field value out of range`, `value "2147483648" is out of range for type integer`)
// made these calls fail with INTERNAL_SERVER_ERROR. They are refused as BAD_REQUEST now; values
// at the bounds still reach the database.
describe.each(testDatabases())('input bounds on $name', ({ open }) => {
  let handle: DbHandle;
  let flowId: string;
  const as = (role: Role) => createCaller({ headers: new Headers(), db: async () => handle.db, viewer: { userId: `${role}-1`, name: role, email: `${role}@example.test`, role } });

  beforeAll(async () => {
    handle = await open();
    flowId = (await as('admin').flows.create({ name: 'Bounds' })).id;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('date filters before the year 1 or after 9999 (seeds 76047733, -43061596)', async () => {
    expect(await codeOf(as('admin').audit.list({ from: new Date('0000-12-31T23:59:59.999Z') }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').executions.list({ flowId, before: new Date('+010000-01-01T00:00:00.000Z') }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').executions.list({ flowId, from: new Date(-8.64e15) }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').audit.list({ from: new Date('0001-01-01T00:00:00.000Z'), to: new Date('9999-12-31T23:59:59.999Z') }))).toBe('OK');
    expect(await codeOf(as('admin').executions.list({ flowId, from: new Date('0001-01-01T00:00:00.000Z'), before: new Date('9999-12-31T23:59:59.999Z') }))).toBe('OK');
  });

  it('version and revision numbers past a Postgres integer (seeds 81756011, -605364105, -379897174)', async () => {
    const { draft } = await as('admin').flows.get({ id: flowId });
    expect(await codeOf(as('admin').flows.saveDraft({ id: flowId, document: draft, expectedRevision: MAX_INT4 + 1 }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').flows.diff({ id: flowId, from: MAX_INT4 + 1, to: 'draft' }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').flows.export({ id: flowId, version: MAX_INT4 + 1 }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').flows.rollback({ id: flowId, version: MAX_INT4 + 1 }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').executions.list({ flowId, versions: [MAX_INT4 + 1] }))).toBe('BAD_REQUEST');
    expect(await codeOf(as('admin').flows.saveDraft({ id: flowId, document: draft, expectedRevision: MAX_INT4 }))).toBe('CONFLICT');
    expect(await codeOf(as('admin').flows.export({ id: flowId, version: MAX_INT4 }))).toBe('NOT_FOUND');
    expect(await codeOf(as('admin').executions.list({ flowId, versions: [MAX_INT4, 'draft'] }))).toBe('OK');
  });
});
