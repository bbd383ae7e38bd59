import type { Client } from '@temporalio/client';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { firstRow } from '@/db/rows';
import { agents, agentSkills, handoffEvents, handoffs, skills, users } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { virtualStartFor } from './rules';
import { acceptHandoff, agentForViewer, declineHandoff, heartbeat, reassignHandoff, routingDeps, setChoice } from './service';

/** The web side without Temporal: what the service signals is recorded by a fake client. */
function fakeTemporal() {
  const signals: { workflowId: string; signal: string; args: unknown[] }[] = [];
  const client = {
    workflow: {
      signalWithStart: async (_type: string, options: { workflowId: string; signal: string; signalArgs: unknown[] }) => {
        signals.push({ workflowId: options.workflowId, signal: options.signal, args: options.signalArgs });
      },
      getHandle: (workflowId: string) => ({
        signal: async (signal: string, ...args: unknown[]) => {
          signals.push({ workflowId, signal, args });
        },
      }),
    },
  } as unknown as Client;
  return { signals, client };
}

describe.each(testDatabases())('routing service on $name', ({ open }) => {
  let handle: DbHandle;
  let temporal: ReturnType<typeof fakeTemporal>;
  let acceptedCalls: string[];
  const deps = () => routingDeps({ temporal: async () => temporal.client, onAccepted: async (_db, h) => void acceptedCalls.push(h.id) });

  beforeAll(async () => {
    handle = await open();
    await handle.db.insert(skills).values({ id: 'billing', name: 'Billing' });
  });
  afterAll(() => handle.close());
  beforeEach(async () => {
    temporal = fakeTemporal();
    acceptedCalls = [];
    await handle.db.delete(handoffs).where(sql`true`);
    await handle.db.delete(agents).where(sql`true`);
  });

  async function agent(email: string, choice: 'available' | 'away' = 'available') {
    const row = firstRow(await handle.db.insert(agents).values({ name: email, email, choice }).returning(), 'insert into agents');
    await handle.db.insert(agentSkills).values({ agentId: row.id, skillId: 'billing', level: 3 });
    return row.id;
  }

  async function queued(key: string) {
    const now = new Date();
    return firstRow(
      await handle.db
        .insert(handoffs)
        .values({ idempotencyKey: key, skill: 'billing', priority: 50, reqSkill: 'billing', requirements: [{ afterSeconds: 0, skill: 'billing', minLevel: 1 }], queuedAt: now, virtualStart: virtualStartFor(now, 50) })
        .returning(),
      'insert into handoffs',
    ).id;
  }

  const row = async (id: string) => firstRow(await handle.db.select().from(handoffs).where(eq(handoffs.id, id)), 'handoffs');

  it('links the signed-in user to their agent row by email, and finds nobody for a non-agent', async () => {
    const id = await agent('Agent@Switchboard.local');
    await handle.db.insert(users).values({ id: 'user-1', name: 'Agent', email: 'agent@switchboard.local' }).onConflictDoNothing();
    const linked = await agentForViewer(handle.db, { userId: 'user-1', email: 'agent@switchboard.local', name: 'Agent' });
    expect(linked).toMatchObject({ id, userId: 'user-1' });
    expect(await agentForViewer(handle.db, { userId: 'user-2', email: 'someone@else.test', name: 'X' })).toBeNull();
  });

  it('drains the backlog when an agent comes online, and tells the handoff’s workflow of the offer', async () => {
    const h1 = await queued('s1');
    const h2 = await queued('s2');
    const id = await agent('a@test');
    await heartbeat(handle.db, id, deps());
    expect((await row(h1)).offeredAgentId).toBe(id);
    // Voice capacity 1: the second waits.
    expect((await row(h2)).status).toBe('queued');
    expect(temporal.signals).toEqual([{ workflowId: `handoff:${h1}`, signal: 'handoffChanged', args: ['offered'] }]);
    // Already online: a heartbeat drains nothing more.
    await heartbeat(handle.db, id, deps());
    expect(temporal.signals).toHaveLength(1);
  });

  it('an away agent gets nothing until they choose available; a decline leaves them missed until they choose again', async () => {
    const h1 = await queued('s3');
    const id = await agent('b@test', 'away');
    await heartbeat(handle.db, id, deps());
    expect((await row(h1)).status).toBe('queued');
    await setChoice(handle.db, id, 'available', deps());
    expect((await row(h1)).offeredAgentId).toBe(id);
    expect(await declineHandoff(handle.db, id, h1, deps())).toBe(true);
    expect((await row(h1)).status).toBe('queued');
    const missed = firstRow(await handle.db.select().from(agents).where(eq(agents.id, id)), 'agents');
    expect(missed.missedAt).not.toBeNull();
    expect(missed.choice).toBe('available');
    await setChoice(handle.db, id, 'available', deps());
    expect((await row(h1)).offeredAgentId).toBe(id);
    expect(temporal.signals.map((s) => s.args[0])).toEqual(['offered', 'declined', 'offered']);
  });

  it('accepts: the handoff’s workflow and the conversation are told, then the channel work runs', async () => {
    const h1 = await queued('s4');
    const id = await agent('c@test');
    await heartbeat(handle.db, id, deps());
    const result = await acceptHandoff(handle.db, id, h1, deps());
    expect(result).toMatchObject({ ok: true, handoff: { status: 'assigned', assignedAgentId: id } });
    expect(acceptedCalls).toEqual([h1]);
    expect(temporal.signals.at(-1)).toEqual({ workflowId: `handoff:${h1}`, signal: 'handoffChanged', args: ['accepted'] });
    const other = await agent('d@test');
    expect(await acceptHandoff(handle.db, other, h1, deps())).toEqual({ ok: false, reason: 'not-yours' });
    expect(acceptedCalls).toEqual([h1]);
  });

  it('reassigns a waiting handoff to one agent, withdrawing the offer it had', async () => {
    const h1 = await queued('s5');
    const first = await agent('e@test');
    await heartbeat(handle.db, first, deps());
    const target = await agent('f@test', 'away');
    expect(await reassignHandoff(handle.db, { handoffId: h1, toAgentId: target, byUserId: 'supervisor-1' }, deps())).toBe(true);
    expect(await row(h1)).toMatchObject({ status: 'queued', offeredAgentId: null, targetAgentId: target });
    const events = await handle.db.select().from(handoffEvents).where(eq(handoffEvents.handoffId, h1)).orderBy(asc(handoffEvents.id));
    expect(events.map((e) => e.kind)).toEqual(['offered', 'reassigned']);
    expect(events[1]?.detail).toMatchObject({ toAgentId: target, fromAgentId: first, byUserId: 'supervisor-1' });
    // The target is away: it waits for them, nobody else is offered it.
    await setChoice(handle.db, target, 'available', deps());
    expect((await row(h1)).status).toBe('queued');
    await heartbeat(handle.db, target, deps());
    expect((await row(h1)).offeredAgentId).toBe(target);
  });
});
