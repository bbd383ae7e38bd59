import { NativeConnection, type Worker } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { firstRow } from '@/db/rows';
import { agents, agentSkills, handoffEvents, handoffs, interactions, interactionSteps, skills } from '@/db/schema';
import { env } from '@/env';
import { bindNumber, createFlow, publishFlow } from '@/server/flows/service';
import { TestCall, textIn } from '@/server/telephony/testing';
import { temporalClient } from '@/temporal/client';
import { TASK_QUEUE, workflowIds } from '@/temporal/constants';
import { createWorker } from '@/temporal/worker';
import { flowDocumentSchema } from '@/workflows/document';
import { notifyHandoffAccepted } from '@/server/telephony/handoffs';
import { acceptOffer } from './assign';
import { acceptHandoff, declineHandoff, heartbeat, routingDeps } from './service';

/**
 * The routing engine on the real runtime: calls and conversations through the webhooks, each
 * handoff waiting in its own Temporal workflow, agents acting through the service.
 */

let worker: Worker;
let running: Promise<void>;
let native: NativeConnection;
const accepted: string[] = [];
// conversation.ts (connecting the caller) is another module's work: the boundary is stubbed here.
const deps = routingDeps({ onAccepted: async (_db, handoff) => void accepted.push(handoff.id) });

let numberSeq = 0;
/** A published flow of one route-to-skill node on a number of its own; `askAfterTimeout`: its timeout port asks for digits before the goodbye. */
async function routeFlow(channel: 'voice' | 'sms', skill: string, timeoutSeconds: number, askAfterTimeout = false): Promise<string> {
  const number = `+1500555${String(7000 + (numberSeq += 1))}`;
  const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, config });
  const document = flowDocumentSchema.parse({
    format: 'switchboard.flow/1',
    name: `route ${skill}`,
    nodes: [
      node('start', channel === 'voice' ? 'incoming-call' : 'incoming-sms', {}),
      node('route', 'route-to-skill', { skill, waitMessage: 'Please hold.', timeoutSeconds }),
      node('sorry', 'end', { message: 'Nobody is free. Goodbye.', outcome: 'hangup' }),
      ...(askAfterTimeout ? [node('ask', 'collect-input', { prompt: 'Enter your number for a call back.', mode: 'digits', finishOnKey: '#', timeoutSeconds: 60, variable: 'callback', language: 'en-US' })] : []),
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'route' },
      { id: 'e2', source: 'route', sourcePort: 'timeout', target: askAfterTimeout ? 'ask' : 'sorry' },
      ...(askAfterTimeout ? [{ id: 'e3', source: 'ask', sourcePort: 'collected', target: 'sorry' }] : []),
    ],
  });
  const db = await getDb();
  const flow = await createFlow(db, document);
  await publishFlow(db, { flowId: flow.id, document, message: 'test' });
  await bindNumber(db, { flowId: flow.id, number, channel });
  return number;
}

async function agent(name: string, skill: string, idleSecondsAgo = 0): Promise<string> {
  const db = await getDb();
  const row = firstRow(
    await db
      .insert(agents)
      .values({ name, email: `${name}@routing.test`, choice: 'available', idleSince: new Date(Date.now() - idleSecondsAgo * 1000) })
      .returning(),
    'insert into agents',
  );
  await db.insert(agentSkills).values({ agentId: row.id, skillId: skill, level: 3 });
  return row.id;
}

async function handoffOf(callOrSms: { workflowId: string }) {
  const db = await getDb();
  const interaction = firstRow(await db.select().from(interactions).where(eq(interactions.workflowId, callOrSms.workflowId)), 'interactions');
  return firstRow(await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id)), 'handoffs');
}

async function handoffRow(id: string) {
  return firstRow(await (await getDb()).select().from(handoffs).where(eq(handoffs.id, id)), 'handoffs');
}

async function eventsOf(id: string) {
  const rows = await (await getDb()).select().from(handoffEvents).where(eq(handoffEvents.handoffId, id)).orderBy(asc(handoffEvents.id));
  return rows.map((row) => [row.kind, row.agentId]);
}

async function handoffWorkflowResult(id: string) {
  return (await temporalClient()).workflow.getHandle(workflowIds.handoff(id)).result();
}

beforeAll(async () => {
  native = await NativeConnection.connect({ address: env.TEMPORAL_TARGET });
  await (await getDb()).insert(skills).values(['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => ({ id, name: id })));
  worker = await createWorker(native, TASK_QUEUE);
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
});

describe('a handoff’s life on the runtime', () => {
  it('offers a waiting caller to an agent; a decline goes to the next agent; the accepted call ends bridged when the caller hangs up', async () => {
    const number = await routeFlow('voice', 'r1', 30);
    const first = await agent('r1-first', 'r1', 600);
    const second = await agent('r1-second', 'r1', 10);
    await heartbeat(await getDb(), first, deps);
    await heartbeat(await getDb(), second, deps);

    const call = new TestCall('+15005550011', number);
    expect(await call.start()).toContain('<Enqueue');
    const { id } = await handoffOf({ workflowId: workflowIds.call(call.callSid) });
    await expect.poll(async () => (await handoffRow(id)).offeredAgentId, { timeout: 10_000 }).toBe(first);

    expect(await declineHandoff(await getDb(), first, id, deps)).toBe(true);
    await expect.poll(async () => (await handoffRow(id)).offeredAgentId, { timeout: 10_000 }).toBe(second);
    const result = await acceptHandoff(await getDb(), second, id, deps);
    expect(result).toMatchObject({ ok: true, handoff: { status: 'assigned', assignedAgentId: second } });
    expect(accepted).toContain(id);
    expect(await handoffWorkflowResult(id)).toEqual({ status: 'assigned' });

    // Hanging up after an agent took the call is a call that reached its agent, not an abandoned one.
    expect(await call.leaveQueue('hangup')).toContain('<Hangup/>');
    const interaction = firstRow(await (await getDb()).select().from(interactions).where(eq(interactions.workflowId, workflowIds.call(call.callSid))), 'interactions');
    await expect.poll(async () => (await handoffRow(id)).status, { timeout: 10_000 }).toBe('wrap-up');
    expect((await (await getDb()).select().from(interactions).where(eq(interactions.id, interaction.id)))[0]?.status).toBe('completed');
    const steps = await (await getDb()).select().from(interactionSteps).where(eq(interactionSteps.interactionId, interaction.id)).orderBy(asc(interactionSteps.seq));
    expect(steps.map((s) => [s.nodeId, s.port])).toEqual([
      ['start', 'next'],
      ['route', null],
    ]);
    expect(await eventsOf(id)).toEqual([
      ['offered', first],
      ['declined', first],
      ['offered', second],
      ['accepted', second],
      ['ended', second],
    ]);
    expect((await (await getDb()).select().from(agents).where(eq(agents.id, first)))[0]?.missedAt).not.toBeNull();
  });

  it('drains a waiting handoff to an agent who comes online; the lapsed offer goes to the next agent after the offer expiry', async () => {
    const number = await routeFlow('voice', 'r2', 120);
    const call = new TestCall('+15005550012', number);
    await call.start();
    const { id } = await handoffOf({ workflowId: workflowIds.call(call.callSid) });
    // Nobody online: it waits.
    await expect.poll(async () => (await handoffRow(id)).status).toBe('queued');
    const late = await agent('r2-late', 'r2', 600);
    await heartbeat(await getDb(), late, deps);
    expect((await handoffRow(id)).offeredAgentId).toBe(late);
    const next = await agent('r2-next', 'r2');
    await heartbeat(await getDb(), next, deps);
    expect((await handoffRow(id)).offeredAgentId).toBe(late);
    // The handoff's workflow runs the drained offer's expiry timer (20 s).
    await expect.poll(async () => (await handoffRow(id)).offeredAgentId, { timeout: 40_000, interval: 500 }).toBe(next);
    expect(await eventsOf(id)).toEqual([
      ['offered', late],
      ['missed', late],
      ['offered', next],
    ]);
    expect(await call.leaveQueue('hangup')).toContain('<Hangup/>');
    await expect.poll(async () => (await handoffRow(id)).status).toBe('abandoned');
    // The caller left: the pending offer is withdrawn, and the handoff's workflow ends.
    expect((await handoffRow(id)).offeredAgentId).toBeNull();
    expect(await handoffWorkflowResult(id)).toEqual({ status: 'abandoned' });
  }, 90_000);

  it('closes the handoff as timed out when the hold ends by its timeout, leaving by the timeout port', async () => {
    const number = await routeFlow('voice', 'r3', 1);
    const call = new TestCall('+15005550013', number);
    await call.start();
    const { id } = await handoffOf({ workflowId: workflowIds.call(call.callSid) });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await call.waitPoll(1)).toContain('<Leave/>');
    expect(await call.leaveQueue('leave')).toContain('Nobody is free. Goodbye.');
    await expect.poll(async () => (await handoffRow(id)).status).toBe('timeout');
    expect(await eventsOf(id)).toEqual([['timeout', null]]);
    expect(await handoffWorkflowResult(id)).toEqual({ status: 'timeout' });
  });

  it('an accept that loses the race with the hold’s deadline connects nobody: the flow goes on, the handoff closes as timed out, the agent is free', async () => {
    const number = await routeFlow('voice', 'r5', 30, true);
    const late = await agent('r5-late', 'r5');
    await heartbeat(await getDb(), late, deps);
    const call = new TestCall('+15005550015', number);
    await call.start();
    const { id } = await handoffOf({ workflowId: workflowIds.call(call.callSid) });
    await expect.poll(async () => (await handoffRow(id)).offeredAgentId, { timeout: 10_000 }).toBe(late);
    // The agent's accept commits, and before the call hears of it Twilio's wait URL has said <Leave/>.
    expect(await acceptOffer(await getDb(), id, late)).toMatchObject({ ok: true });
    expect(await call.leaveQueue('leave')).toContain('Enter your number for a call back.');
    await expect.poll(async () => (await handoffRow(id)).status, { timeout: 10_000 }).toBe('timeout');
    expect((await (await getDb()).select({ voiceLoad: agents.voiceLoad }).from(agents).where(eq(agents.id, late)))[0]?.voiceLoad).toBe(0);
    expect(await eventsOf(id)).toEqual([
      ['offered', late],
      ['accepted', late],
      ['timeout', null],
    ]);
    // The call still runs, past its hold: told now, it says so, and the service connects nobody.
    const interaction = firstRow(await (await getDb()).select().from(interactions).where(eq(interactions.workflowId, workflowIds.call(call.callSid))), 'interactions');
    expect(await notifyHandoffAccepted(interaction.id, undefined, id)).toBe('ended');
    expect(accepted).not.toContain(id);
  });

  it('ends an SMS hold when an agent accepts through the service', async () => {
    const number = await routeFlow('sms', 'r4', 600);
    const someone = await agent('r4-agent', 'r4');
    await heartbeat(await getDb(), someone, deps);
    const first = await textIn('+15005550014', number, 'I need help');
    const db = await getDb();
    const interaction = firstRow(await db.select().from(interactions).where(eq(interactions.externalId, first.messageSid)), 'interactions');
    const handoff = firstRow(await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id)), 'handoffs');
    await expect.poll(async () => (await handoffRow(handoff.id)).offeredAgentId, { timeout: 10_000 }).toBe(someone);
    expect(await acceptHandoff(db, someone, handoff.id, deps)).toMatchObject({ ok: true });
    await expect.poll(async () => firstRow(await db.select().from(interactions).where(eq(interactions.id, interaction.id)), 'interactions').status).toBe('completed');
    expect((await handoffRow(handoff.id)).status).toBe('assigned');
  });
});
