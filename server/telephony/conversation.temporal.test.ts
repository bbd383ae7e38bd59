import { NativeConnection, type Worker } from '@temporalio/worker';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb, type Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { agents, handoffs, interactions, messages } from '@/db/schema';
import { env } from '@/env';
import type * as AssignModule from '@/server/routing/assign';
import { callBridge, callerLine, onAccepted, sendAgentReply } from '@/server/routing/conversation';
import { notifyHandoffAccepted } from '@/server/telephony/handoffs';
import { bindNumber, createFlow, publishFlow } from '@/server/flows/service';
import { thread } from '@/server/simulator/service';
import { TASK_QUEUE, workflowIds } from '@/temporal/constants';
import { createWorker } from '@/temporal/worker';
import { flowDocumentSchema, type FlowDocument } from '@/workflows/document';
import { TestCall, textIn } from './testing';

// The routing engine's statements and the QA checks are built beside this module: their
// boundaries are faked with what the real ones do to the rows, everything else is the runtime.
vi.mock('@/server/routing/assign', async (importOriginal) => {
  const { and, eq } = await import('drizzle-orm');
  const { handoffs } = await import('@/db/schema');
  return {
    ...(await importOriginal<typeof AssignModule>()),
    endHandoff: vi.fn(async (db: Db, handoffId: string) => {
      const rows = await db.update(handoffs).set({ status: 'wrap-up', endedAt: new Date() }).where(and(eq(handoffs.id, handoffId), eq(handoffs.status, 'assigned'))).returning();
      return rows.length > 0;
    }),
  };
});
vi.mock('@/server/routing/qa', () => ({ checkReply: () => [], checkResolve: () => [] }));

const SMS_NUMBER = '+15005550510';
const VOICE_NUMBER = '+15005550520';
const WEI = '+8613800001111';
const MARIA = '+15005550003';
const EMPTY_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

function node(id: string, type: string, config: Record<string, unknown>) {
  return { id, type, typeVersion: 1, position: { x: 0, y: 0 }, config };
}

function edges(...list: [string, string, string][]) {
  return list.map(([source, sourcePort, target]) => ({ id: `${source}-${sourcePort}`, source, sourcePort, target }));
}

const smsAgentFlow: FlowDocument = flowDocumentSchema.parse({
  format: 'switchboard.flow/1',
  name: 'SMS to an agent',
  nodes: [
    node('start', 'incoming-sms', {}),
    node('route', 'route-to-skill', { skill: 'billing', waitMessage: 'An agent will text you shortly.', timeoutSeconds: 600 }),
    node('sorry', 'end', { message: 'Nobody could take your question, sorry.', outcome: 'completed' }),
  ],
  edges: edges(['start', 'next', 'route'], ['route', 'timeout', 'sorry']),
});

const voiceAgentFlow: FlowDocument = flowDocumentSchema.parse({
  format: 'switchboard.flow/1',
  name: 'Call an agent',
  nodes: [
    node('start', 'incoming-call', {}),
    node('route', 'route-to-skill', { skill: 'billing', waitMessage: 'An agent will be with you shortly.', timeoutSeconds: 600 }),
    node('sorry', 'end', { message: 'No one is free. Goodbye.', outcome: 'hangup' }),
  ],
  edges: edges(['start', 'next', 'route'], ['route', 'timeout', 'sorry']),
});

async function publishAndBind(document: FlowDocument, number: string, channel: 'voice' | 'sms') {
  const db = await getDb();
  const flow = await createFlow(db, document);
  await publishFlow(db, { flowId: flow.id, document, message: 'test' });
  await bindNumber(db, { flowId: flow.id, number, channel });
}

let worker: Worker;
let running: Promise<void>;
let agentId: string;

beforeAll(async () => {
  const native = await NativeConnection.connect({ address: env.TEMPORAL_TARGET });
  const db = await getDb();
  await publishAndBind(smsAgentFlow, SMS_NUMBER, 'sms');
  await publishAndBind(voiceAgentFlow, VOICE_NUMBER, 'voice');
  agentId = firstRow(await db.insert(agents).values({ name: 'Ann Agent', email: 'ann@example.com', choice: 'available' }).returning(), 'agents').id;
  worker = await createWorker(native, TASK_QUEUE);
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
});

/** What the engine's accept does to the row (built beside this module). */
async function assign(handoffId: string) {
  const db = await getDb();
  return firstRow(
    await db.update(handoffs).set({ status: 'assigned', assignedAgentId: agentId, acceptedAt: new Date() }).where(eq(handoffs.id, handoffId)).returning(),
    'handoffs',
  );
}

async function handoffOf(interactionId: string) {
  const db = await getDb();
  return firstRow(await db.select().from(handoffs).where(eq(handoffs.interactionId, interactionId)), 'handoffs');
}

async function conversationsOf(number: string) {
  const db = await getDb();
  return db.select().from(interactions).where(eq(interactions.fromNumber, number)).orderBy(asc(interactions.startedAt));
}

async function outboundTo(number: string) {
  const db = await getDb();
  return (await db.select().from(messages).where(and(eq(messages.direction, 'outbound'), eq(messages.toNumber, number))).orderBy(asc(messages.createdAt))).map((m) => m.body);
}

describe('an SMS customer and the agent who took them', () => {
  it('ends the hold on accept; the customer’s next texts go to the agent, not the flow, and the agent’s replies reach them', async () => {
    const first = await textIn(WEI, SMS_NUMBER, '我的账单有问题');
    expect(await outboundTo(WEI)).toEqual(['An agent will text you shortly.']);
    const [interaction] = await conversationsOf(WEI);
    const handoff = await assign((await handoffOf(interaction!.id)).id);

    const db = await getDb();
    // What service.acceptHandoff does after its statement: tell the workflow, then connect.
    expect(await notifyHandoffAccepted(handoff.interactionId ?? '', undefined, handoff.id)).toBe('waiting');
    await onAccepted(db, handoff);
    await expect.poll(async () => (await conversationsOf(WEI))[0]?.status).toBe('completed');

    const later = await textIn(WEI, SMS_NUMBER, '还在吗？');
    expect(later.body).toBe(EMPTY_REPLY);
    const conversations = await conversationsOf(WEI);
    expect(conversations.map((c) => c.id)).toEqual([interaction!.id]);
    const stored = firstRow(await db.select().from(messages).where(eq(messages.externalSid, later.messageSid)), 'messages');
    expect(stored).toMatchObject({ interactionId: interaction!.id, direction: 'inbound', agentId, body: '还在吗？', channel: 'sms' });
    // Twilio's retry of it is one message still.
    await textIn(WEI, SMS_NUMBER, '还在吗？', later.messageSid);
    expect(await db.select().from(messages).where(eq(messages.externalSid, later.messageSid))).toHaveLength(1);

    const reply = await sendAgentReply(db, { handoffId: handoff.id, agentId, body: '在的，我正在查看您的账单。' });
    expect(reply.ok).toBe(true);
    expect(await outboundTo(WEI)).toEqual(['An agent will text you shortly.', '在的，我正在查看您的账单。']);
    expect(first.status).toBe(200);
  });

  it('takes a 1–5 answer to the survey onto the interaction; once answered, the next text runs the flow again', async () => {
    const db = await getDb();
    await textIn(MARIA, SMS_NUMBER, 'I was double charged');
    const [interaction] = await conversationsOf(MARIA);
    const handoff = await assign((await handoffOf(interaction!.id)).id);
    // What service.acceptHandoff does after its statement: tell the workflow, then connect.
    expect(await notifyHandoffAccepted(handoff.interactionId ?? '', undefined, handoff.id)).toBe('waiting');
    await onAccepted(db, handoff);
    await expect.poll(async () => (await conversationsOf(MARIA))[0]?.status).toBe('completed');
    // Resolved and surveyed, as the inbox's resolve leaves it.
    await db.update(handoffs).set({ status: 'resolved', assignedAgentId: agentId, resolvedAt: new Date(), wrapCode: 'billing' }).where(eq(handoffs.id, handoff.id));
    await db.update(interactions).set({ csatRequestedAt: new Date() }).where(eq(interactions.id, interaction!.id));

    const answer = await textIn(MARIA, SMS_NUMBER, '5');
    expect(answer.body).toBe(EMPTY_REPLY);
    expect(firstRow(await db.select().from(interactions).where(eq(interactions.id, interaction!.id)), 'interactions').csat).toBe(5);
    expect((await conversationsOf(MARIA)).map((c) => c.id)).toEqual([interaction!.id]);
    expect(await outboundTo(MARIA)).toEqual(['An agent will text you shortly.']);

    await textIn(MARIA, SMS_NUMBER, '4');
    await expect.poll(async () => (await conversationsOf(MARIA)).length).toBe(2);
    expect(firstRow(await db.select().from(interactions).where(eq(interactions.id, interaction!.id)), 'interactions').csat).toBe(5);
    expect(await outboundTo(MARIA)).toEqual(['An agent will text you shortly.', 'An agent will text you shortly.']);
  });
});

describe('a caller connected to the agent who took the call', () => {
  it('is connected on accept, exchanges lines with the agent, and hanging up sends the agent to wrap-up', async () => {
    const call = new TestCall(MARIA, VOICE_NUMBER);
    await call.start();
    expect(call.last).toMatch(/<Enqueue [^>]*>billing<\/Enqueue>/);
    const db = await getDb();
    const interaction = firstRow(await db.select().from(interactions).where(eq(interactions.workflowId, workflowIds.call(call.callSid))), 'interactions');
    expect((await callBridge(db, call.callSid)).state).toBe('waiting');

    const handoff = await assign((await handoffOf(interaction.id)).id);
    // What service.acceptHandoff does after its statement: tell the workflow, then connect.
    expect(await notifyHandoffAccepted(handoff.interactionId ?? '', undefined, handoff.id)).toBe('waiting');
    await onAccepted(db, handoff);
    expect(await callBridge(db, call.callSid)).toEqual({ state: 'connected', agentName: 'Ann Agent', lines: [] });

    await callerLine(db, { callSid: call.callSid, body: 'Hello? Is anyone there?' });
    expect((await sendAgentReply(db, { handoffId: handoff.id, agentId, body: 'Hi Maria, this is Ann.' })).ok).toBe(true);
    expect((await callBridge(db, call.callSid)).lines.map((l) => [l.who, l.body])).toEqual([
      ['caller', 'Hello? Is anyone there?'],
      ['agent', 'Hi Maria, this is Ann.'],
    ]);
    // Call lines are not texts: the caller's message thread and outbox stay without them.
    const texts = (await thread(db, { caller: { number: MARIA } })).map((m) => m.body);
    expect(texts).toContain('I was double charged');
    expect(texts).not.toContain('Hi Maria, this is Ann.');
    expect(texts).not.toContain('Hello? Is anyone there?');

    expect(await call.status('completed')).toBe(200);
    expect(firstRow(await db.select().from(handoffs).where(eq(handoffs.id, handoff.id)), 'handoffs').status).toBe('wrap-up');
    expect((await callBridge(db, call.callSid)).state).toBe('ended');
  });
});
