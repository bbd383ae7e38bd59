import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { flows, flowVersions, phoneNumbers } from '@/db/schema';
import { freshPglite } from '@/db/testing';
import { liveFlowForNumber } from '@/server/flows/service';
import { runFlowsCli } from './flows';

const demo = path.resolve(__dirname, '../examples/demo-ivr.flow.json');

describe('npm run flows', () => {
  let handle: DbHandle;
  let dir: string;
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runFlowsCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), db: async () => handle.db });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    handle = await freshPglite();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flows-cli-'));
  });
  afterAll(async () => {
    await handle.close();
  });

  it('validates the demo flow and reports errors with codes and paths', async () => {
    const ok = await run('validate', demo);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/valid voice flow, 13 nodes, hash [0-9a-f]{12}/);

    const broken = JSON.parse(fs.readFileSync(demo, 'utf8'));
    broken.nodes.find((n: { id: string }) => n.id === 'main-menu').config.timeoutSeconds = 0;
    broken.edges = broken.edges.filter((e: { id: string }) => e.id !== 'e-welcome-next');
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, JSON.stringify(broken));
    const bad = await run('validate', file);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/error\s+INVALID_CONFIG \(node main-menu · timeoutSeconds\)/);
    expect(bad.out).toMatch(/error\s+PORT_NOT_CONNECTED \(node welcome\)/);
    expect(bad.out).toContain('error(s)');
  });

  it('publishes by name (creating, then updating), binds the number, and exports the draft', async () => {
    const first = await run('publish', demo, '--number', '+15005550100', '--message', 'first');
    expect(first.code).toBe(0);
    expect(first.out).toContain('Created flow “Demo IVR”');
    const second = await run('publish', demo, '--number', '+15005550100');
    expect(second.out).toContain('Updated flow “Demo IVR”');
    expect(second.out).toContain('Published version 2');

    const all = await handle.db.select().from(flows);
    expect(all).toHaveLength(1);
    const flow = all[0]!;
    expect(await handle.db.select().from(flowVersions).where(eq(flowVersions.flowId, flow.id))).toHaveLength(2);
    expect(await handle.db.select().from(phoneNumbers)).toMatchObject([{ number: '+15005550100', voiceFlowId: flow.id, smsFlowId: null }]);
    expect((await liveFlowForNumber(handle.db, '+15005550100', 'voice'))?.version).toBe(2);

    const exported = await run('export', flow.id);
    expect(JSON.parse(exported.out)).toEqual(JSON.parse(fs.readFileSync(demo, 'utf8')));
    expect((await run('export', '00000000-0000-0000-0000-000000000000')).code).toBe(1);
  });

  it('refuses a bad number and prints the schema', async () => {
    expect((await run('publish', demo, '--number', '5550100')).code).toBe(1);
    expect((await run('publish', demo)).code).toBe(2);
    const schema = await run('schema');
    expect(JSON.parse(schema.out)).toMatchObject({ $id: 'urn:switchboard:schema:flow-document:1', title: 'Switchboard flow document' });
  });
});
