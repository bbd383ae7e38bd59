import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { auditLog, phoneNumbers } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { createCallerFactory, router } from '@/server/trpc';
import { flowsRouter } from './index';
import type { Role } from '@/server/auth/permissions';
import type { FlowDocument } from '@/workflows/document';

// Only this router: the test does not depend on the rest of the app router compiling.
const createCaller = createCallerFactory(router({ flows: flowsRouter }));

describe.each(testDatabases())('flows router on $name', ({ open }) => {
  let handle: DbHandle;
  const as = (role: Role, userId = `${role}-1`) =>
    createCaller({ headers: new Headers(), db: async () => handle.db, viewer: { userId, name: role, email: `${role}@example.com`, role } });

  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('creates from templates, lists with search and status, duplicates, renames and archives', async () => {
    const designer = as('designer');
    const blank = await designer.flows.create({ name: 'Blank one', template: 'blank' });
    const demo = await designer.flows.create({ name: 'Demo copy', template: 'demo-ivr' });
    const sms = await designer.flows.create({ name: 'Care texts', template: 'sms-care' });

    const all = await designer.flows.list({ status: 'all' });
    expect(all.map((f) => f.name)).toEqual(expect.arrayContaining(['Blank one', 'Demo copy', 'Care texts']));
    expect((await designer.flows.get({ id: demo.id })).draft.nodes.length).toBeGreaterThan(5);
    expect((await designer.flows.get({ id: sms.id })).draft.nodes[0]?.type).toBe('incoming-sms');
    expect((await designer.flows.list({ search: 'care', status: 'all' })).map((f) => f.id)).toEqual([sms.id]);

    const published = await designer.flows.publish({ id: demo.id, message: 'first', number: '+15550001000' });
    expect(published.ok).toBe(true);
    expect((await designer.flows.list({ status: 'published' })).map((f) => f.id)).toEqual([demo.id]);
    expect((await designer.flows.list({ status: 'draft' })).map((f) => f.id)).not.toContain(demo.id);
    const byNumber = await designer.flows.list({ search: '0001000', status: 'all' });
    expect(byNumber.map((f) => [f.id, f.liveVersion, f.numbers])).toEqual([[demo.id, 1, [{ number: '+15550001000', label: '', channel: 'voice' }]]]);

    const copy = await designer.flows.duplicate({ id: demo.id, name: 'Demo copy 2' });
    const copied = await designer.flows.get({ id: copy.id });
    expect(copied.liveVersion).toBeNull();
    expect(copied.draft.name).toBe('Demo copy 2');

    await designer.flows.rename({ id: blank.id, name: 'Renamed' });
    const renamed = await designer.flows.get({ id: blank.id });
    expect([renamed.name, renamed.draft.name, renamed.draftRevision]).toEqual(['Renamed', 'Renamed', 2]);

    await designer.flows.archive({ id: blank.id });
    expect((await designer.flows.list({ status: 'all' })).map((f) => f.id)).not.toContain(blank.id);
    expect((await designer.flows.list({ status: 'archived' })).map((f) => f.id)).toEqual([blank.id]);
  });

  it('saves drafts by revision and reports a stale revision as CONFLICT without overwriting', async () => {
    const designer = as('designer');
    const { id } = await designer.flows.create({ name: 'Conflicts', template: 'blank' });
    const flow = await designer.flows.get({ id });
    const tabA: FlowDocument = { ...flow.draft, description: 'tab A' };
    const tabB: FlowDocument = { ...flow.draft, description: 'tab B' };
    const saved = await designer.flows.saveDraft({ id, document: tabA, expectedRevision: flow.draftRevision });
    expect(saved.draftRevision).toBe(flow.draftRevision + 1);
    const stale = designer.flows.saveDraft({ id, document: tabB, expectedRevision: flow.draftRevision });
    await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await designer.flows.get({ id })).draft.description).toBe('tab A');
  });

  it('refuses to publish with errors, then versions, diffs and rolls back', async () => {
    const designer = as('designer', 'dana');
    const { id } = await designer.flows.create({ name: 'Versioned', template: 'blank' });
    const refused = await designer.flows.publish({ id, message: 'empty' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.diagnostics.map((d) => d.code)).toContain('NO_TRIGGER');
    expect(await designer.flows.versions({ id })).toEqual([]);

    const v1: FlowDocument = {
      format: 'switchboard.flow/1',
      name: 'Versioned',
      nodes: [
        { id: 'start', type: 'incoming-call', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
        { id: 'bye', type: 'end', typeVersion: 1, position: { x: 300, y: 0 }, config: { message: 'Bye' } },
      ],
      edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'bye' }],
    };
    let revision = (await designer.flows.saveDraft({ id, document: v1, expectedRevision: 1 })).draftRevision;
    const first = await designer.flows.publish({ id, message: 'v1', expectedRevision: revision });
    expect(first.ok && first.version.version).toBe(1);

    const v2: FlowDocument = structuredClone(v1);
    v2.nodes[1]!.config.message = 'Goodbye!';
    v2.nodes.push({ id: 'hi', type: 'say', typeVersion: 1, position: { x: 150, y: 0 }, config: { text: 'Hi' } });
    v2.edges = [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'hi' },
      { id: 'e2', source: 'hi', sourcePort: 'next', target: 'bye' },
    ];
    revision = (await designer.flows.saveDraft({ id, document: v2, expectedRevision: revision })).draftRevision;
    await expect(designer.flows.publish({ id, message: 'stale', expectedRevision: revision - 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    const second = await designer.flows.publish({ id, message: 'v2', expectedRevision: revision });
    expect(second.ok).toBe(true);

    const versions = await designer.flows.versions({ id });
    expect(versions.map((v) => [v.version, v.message, v.publishedBy, v.live])).toEqual([
      [2, 'v2', 'dana', true],
      [1, 'v1', 'dana', false],
    ]);

    const { diff } = await designer.flows.diff({ id, from: 1, to: 2 });
    expect(diff.nodes.added.map((n) => n.id)).toEqual(['hi']);
    expect(diff.nodes.changed.map((c) => [c.id, c.fields])).toEqual([['bye', ['config.message']]]);
    expect(diff.edges.added).toHaveLength(2);
    expect(diff.edges.removed).toHaveLength(1);

    const rolled = await designer.flows.rollback({ id, version: 1 });
    expect(rolled.ok && rolled.version.version).toBe(3);
    const after = await designer.flows.get({ id });
    expect(after.liveVersion).toBe(3);
    expect(after.draft).toEqual(v1);
    expect(after.draftRevision).toBe(revision + 1);
    expect((await designer.flows.versions({ id }))[0]).toMatchObject({ version: 3, message: 'Rollback to version 1', live: true });
    expect(await designer.flows.export({ id, version: 3 })).toEqual(v1);

    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, id)).orderBy(auditLog.at);
    expect(audit.map((row) => [row.action, row.actorId, row.details])).toEqual([
      ['flow.publish', 'dana', { version: 1, message: 'v1' }],
      ['flow.publish', 'dana', { version: 2, message: 'v2' }],
      ['flow.rollback', 'dana', { to: 1, version: 3 }],
    ]);
  });

  it('imports valid JSON and explains invalid JSON without changing anything', async () => {
    const designer = as('designer');
    const { id } = await designer.flows.create({ name: 'Import target', template: 'demo-ivr' });
    const before = await designer.flows.get({ id });

    const broken = await designer.flows.import({ id, json: '{"format": "switchboard.flow/1", "name": "x", "nodes": [{"id": ""}], "edges": []' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]!.message).toMatch(/Not valid JSON/);

    const invalid = await designer.flows.import({ id, json: JSON.stringify({ format: 'switchboard.flow/1', name: 'x', nodes: [{ id: 'a', type: 'say' }], edges: [] }) });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['nodes[0].typeVersion', 'nodes[0].position', 'nodes[0].config']));
    const unchanged = await designer.flows.get({ id });
    expect([unchanged.draftRevision, unchanged.draft]).toEqual([before.draftRevision, before.draft]);

    const exported = await designer.flows.export({ id, version: 'draft' });
    const imported = await designer.flows.import({ json: JSON.stringify({ ...exported, name: 'Imported' }) });
    expect(imported.ok).toBe(true);
    if (imported.ok) expect((await designer.flows.get({ id: imported.flowId })).draft.nodes).toEqual(before.draft.nodes);
  });

  it('publishes and rolls back atomically: when the audit record cannot be written, nothing changes', async () => {
    const designer = as('designer');
    const { id } = await designer.flows.create({ name: 'All or nothing', template: 'demo-ivr' });
    const first = await designer.flows.publish({ id, message: 'v1' });
    expect(first.ok).toBe(true);
    const before = await designer.flows.get({ id });
    await handle.db.execute(sql.raw(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit log is read-only'; end $$`));
    await handle.db.execute(sql.raw('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()'));
    try {
      await expect(designer.flows.publish({ id, message: 'v2', number: '+15550007777' })).rejects.toThrow(/insert into "audit_log"/);
      await expect(designer.flows.rollback({ id, version: 1 })).rejects.toThrow(/insert into "audit_log"/);
    } finally {
      await handle.db.execute(sql.raw('drop trigger refuse_audit on audit_log'));
      await handle.db.execute(sql.raw('drop function refuse_audit()'));
    }
    const versions = await designer.flows.versions({ id });
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect(await handle.db.select().from(phoneNumbers).where(eq(phoneNumbers.number, '+15550007777'))).toEqual([]);
    const after = await designer.flows.get({ id });
    expect([after.draftRevision, after.liveVersionId]).toEqual([before.draftRevision, before.liveVersionId]);
  });

  it('enforces permissions: managers read, developers cannot publish, anonymous callers are refused', async () => {
    const { id } = await as('designer').flows.create({ name: 'Guarded', template: 'demo-ivr' });
    expect((await as('manager').flows.get({ id })).name).toBe('Guarded');
    await expect(as('manager').flows.rename({ id, name: 'Nope' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('developer').flows.publish({ id, message: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('agent').flows.list({ status: 'all' })).rejects.toBeInstanceOf(TRPCError);
    const anonymous = createCaller({ headers: new Headers(), db: async () => handle.db });
    await expect(anonymous.flows.list({ status: 'all' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('offers tags, skills and numbers for the pickers', async () => {
    await handle.db.insert(phoneNumbers).values({ number: '+15550009999', label: 'Spare' });
    const designer = as('designer');
    const numbers = await designer.flows.numbers();
    expect(numbers.find((n) => n.number === '+15550009999')).toMatchObject({ label: 'Spare', voiceFlowId: null });
    const pickers = await designer.flows.pickers();
    expect(pickers).toEqual({ tags: [], skills: [] });
    await handle.db.delete(phoneNumbers).where(eq(phoneNumbers.number, '+15550009999'));
  });
});
