import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { flows } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { nodeDefinitions } from '@/nodes/registry';
import { canonicalJson } from '@/workflows/hash';
import { flowFileArbitrary, templatesOf } from '@/workflows/testing/arbitraries';
import { createFlow, importFlow } from './service';

/**
 * Fuzzing the DB-backed import (issue 10): generated and mutated flow files through `importFlow`
 * into a real database, as a new flow and as the draft of an existing one. Fewer runs than the
 * compiler's 10,000 (workflows/compile-fuzz.test.ts), since each one writes rows.
 */

const templates = templatesOf(nodeDefinitions);

describe.each(testDatabases())('flow import fuzzing on $name', ({ open }) => {
  let handle: DbHandle;
  let existing: string;

  beforeAll(async () => {
    handle = await open();
    existing = (await createFlow(handle.db, { format: 'switchboard.flow/1', name: 'Imported into', nodes: [], edges: [] })).id;
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** An import never throws: it stores exactly what it read, or changes nothing and says why. */
  async function expectImported(json: string, intoExisting: boolean): Promise<void> {
    const [before] = await handle.db.select().from(flows).where(eq(flows.id, existing));
    const result = await importFlow(handle.db, { json, ...(intoExisting && { flowId: existing }) });
    if (!result.ok) {
      expect(result.problems.length).toBeGreaterThan(0);
      for (const problem of result.problems) expect(problem.message.trim()).not.toBe('');
      const [after] = await handle.db.select().from(flows).where(eq(flows.id, existing));
      expect(after?.draftRevision).toBe(before?.draftRevision);
      return;
    }
    const [row] = await handle.db.select().from(flows).where(eq(flows.id, result.flowId));
    expect(canonicalJson(row?.draft)).toBe(canonicalJson(result.document));
    expect(row?.name).toBe(result.document.name);
    expect(row?.draftRevision).toBe(result.draftRevision);
  }

  // Found by the properties below (seeds -1777926892, 988290627 and 556379727): these files parsed,
  // then the insert failed (`unsupported Unicode escape sequence`, `Unicode low surrogate must follow
  // a high surrogate`, JSON.stringify's `Maximum call stack size exceeded`), a 500 in flows.import.
  const demo = fs.readFileSync(path.resolve(__dirname, '../../examples/demo-ivr.flow.json'), 'utf8');
  it.each([
    ['a NUL character', demo.replace('"name": "Demo IVR"', '"name": "Demo\\u0000IVR"'), 'name', /NUL/],
    ['an unpaired surrogate', demo.replace('"id": "welcome"', '"id": "welcome \\ud800"'), 'nodes[1].id', /surrogate/],
    ['a value nested 10,000 levels deep', demo.replace('"config": {}', `"config": {"deep": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`), 'nodes[0].config.deep[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]', /nested more than 32 levels deep/],
  ])('refuses a file with %s, says where, and changes nothing', async (_, json, where, message) => {
    expect(json).not.toBe(demo);
    for (const target of [{}, { flowId: existing }]) {
      const [before] = await handle.db.select().from(flows).where(eq(flows.id, existing));
      const result = await importFlow(handle.db, { json, ...target });
      expect(result).toEqual({ ok: false, problems: [{ path: where, message: expect.stringMatching(message) }] });
      const [after] = await handle.db.select().from(flows).where(eq(flows.id, existing));
      expect(after?.draftRevision).toBe(before?.draftRevision);
    }
  });

  it('imports 300 generated and mutated flow files, or explains why not', async () => {
    await fc.assert(
      fc.asyncProperty(flowFileArbitrary(templates), fc.boolean(), async ({ json }, intoExisting) => expectImported(json, intoExisting)),
      { numRuns: 300 },
    );
  });

  it('imports 50 files with values nested thousands of levels deep, or explains why not', async () => {
    await fc.assert(
      fc.asyncProperty(flowFileArbitrary(templates, { deep: true }), fc.boolean(), async ({ json }, intoExisting) => expectImported(json, intoExisting)),
      { numRuns: 50 },
    );
  });
});
