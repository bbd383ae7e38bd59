import { NativeConnection, type Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { customerIdentities, flows, interactions } from '@/db/schema';
import { DEMO_NUMBER, seed } from '@/server/demo/seed';
import { env } from '@/env';
import demoFlow from '@/examples/demo-ivr.flow.json';
import smsCareFlow from '@/examples/sms-care.flow.json';
import { executionPath } from '@/server/executions/path';
import { webhookRoutes } from '@/server/telephony/testing';
import { getExecution, listExecutions } from '@/server/executions/service';
import { createFlow } from '@/server/flows/service';
import { TASK_QUEUE } from '@/temporal/constants';
import { createWorker } from '@/temporal/worker';
import { flowDocumentSchema } from '@/workflows/document';
import { callEvent, findExecution, sendSms, startCall, thread, type Transport } from './service';
import type { GatherVerb, TwimlVerb } from './twiml-parse';
import { firstRow } from '@/db/rows';

const ALICE = '+15005550001';
const MARIA = '+15005550003';
const ANGRY = 'This is ridiculous, I am furious about this bill!';

const inProcess: Transport = {
  timeoutMs: 20_000,
  fetch: async (url, init) => {
    const route = webhookRoutes[new URL(url).pathname];
    if (!route) return new Response('not found', { status: 404 });
    return route(new Request(url, init));
  },
};

let worker: Worker;
let running: Promise<void>;
let demoFlowId: string;

beforeAll(async () => {
  const native = await NativeConnection.connect({ address: env.TEMPORAL_TARGET });
  const db = await getDb();
  demoFlowId = (await seed(db)).flowId;
  worker = await createWorker(native, TASK_QUEUE);
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
});

const says = (verbs: TwimlVerb[]) => verbs.flatMap((v) => (v.verb === 'say' ? [v.text] : v.verb === 'gather' ? v.prompts.flatMap((p) => (p.verb === 'say' ? [p.text] : [])) : []));
const gatherOf = (verbs: TwimlVerb[]) => verbs.find((v): v is GatherVerb => v.verb === 'gather');

async function customerId(phone: string) {
  const db = await getDb();
  const row = firstRow(await db.select().from(customerIdentities).where(and(eq(customerIdentities.kind, 'phone'), eq(customerIdentities.value, phone))), 'customerIdentities');
  return row.customerId;
}

describe('the simulator service drives real calls through the webhook route handlers', () => {
  it('calls the demo number as Maria: menu by key, an angry reason, the SMS apology, hold, and the hang-up callback', async () => {
    const db = await getDb();
    const caller = { customerId: await customerId(MARIA) };
    const { session, exchange: first } = await startCall(db, { to: DEMO_NUMBER, caller }, inProcess);
    expect(first.error).toBeNull();
    expect(first.status).toBe(200);
    expect(first.url).toBe(`${env.PUBLIC_BASE_URL}/api/twilio/voice`);
    expect(first.params).toMatchObject({ From: MARIA, To: DEMO_NUMBER, CallSid: session.callSid, CallStatus: 'ringing' });
    expect(says(first.verbs)[0]).toBe('Hello Maria, thanks for calling Switchboard.');
    const menu = gatherOf(first.verbs);
    expect(menu?.action).toBe(`${env.PUBLIC_BASE_URL}/api/twilio/gather?seq=0`);

    const reason = await callEvent(db, { session, event: { kind: 'gather', digits: '1' }, url: menu?.action, documentUrl: first.url }, inProcess);
    expect(says(reason.verbs)).toContain('In a few words, what is your billing question?');

    const held = await callEvent(db, { session, event: { kind: 'gather', speech: ANGRY }, url: gatherOf(reason.verbs)?.action, documentUrl: reason.url }, inProcess);
    const enqueue = held.verbs.find((v) => v.verb === 'enqueue');
    expect(enqueue).toMatchObject({ verb: 'enqueue', queue: 'billing' });

    const wait = await callEvent(db, { session, event: { kind: 'wait', queueTime: 0, position: 1 }, url: enqueue?.verb === 'enqueue' ? enqueue.waitUrl : undefined, documentUrl: held.url }, inProcess);
    expect(says(wait.verbs)).toContain('All our billing specialists are busy. Please hold.');

    const messages = await thread(db, { caller });
    expect(messages.find((m) => m.direction === 'outbound')?.body).toBe(`Sorry for the trouble, Maria. A billing specialist is taking your call now. Reference: ${ANGRY}`);

    const found = await findExecution(db, { callSid: session.callSid });
    expect(found).toMatchObject({ flowId: demoFlowId, isTest: false, status: 'running' });
    const running = await getExecution(db, found!.id);
    const path = executionPath(running.document, running.steps, true);
    expect(path.visitedNodeIds).toEqual(['start', 'welcome', 'main-menu', 'ask-reason', 'mood', 'sorry-sms', 'mark-risk']);
    expect(path.currentNodeId).toBe('route-billing');
    expect(running.steps.find((s) => s.nodeId === 'ask-reason')?.input).toBe(ANGRY);
    expect(running.tagsApplied).toEqual([{ seq: 7, nodeId: 'mark-risk', change: 'add', tags: ['complaint-risk'] }]);
    expect(running.handoffs[0]).toMatchObject({ skill: 'billing', status: 'queued' });
    expect(running.emotionLabel).toBe('upset');

    // The caller hangs up on hold: the <Enqueue> action, then the status callback.
    const left = await callEvent(db, { session, event: { kind: 'queueAction', result: 'hangup', queueTime: 3 }, url: enqueue?.verb === 'enqueue' ? enqueue.action : undefined, documentUrl: held.url }, inProcess);
    expect(left.error).toBeNull();
    const status = await callEvent(db, { session, event: { kind: 'status', status: 'completed', duration: 20 } }, inProcess);
    expect(status.status).toBe(200);
    await expect.poll(async () => (await findExecution(db, { callSid: session.callSid }))?.status, { timeout: 10_000 }).not.toBe('running');
  });

  it('personalises by tags: Alice is a VIP and skips the menu', async () => {
    const db = await getDb();
    const { session, exchange } = await startCall(db, { to: DEMO_NUMBER, caller: { customerId: await customerId(ALICE) } }, inProcess);
    expect(says(exchange.verbs)).toEqual(['Hello Alice, thanks for calling Switchboard.']);
    expect(exchange.verbs.find((v) => v.verb === 'enqueue')).toMatchObject({ queue: 'general' });
    await callEvent(db, { session, event: { kind: 'status', status: 'completed', duration: 5 } }, inProcess);
  });

  it('refuses to post anywhere but this app’s webhooks', async () => {
    const db = await getDb();
    const { session } = await startCall(db, { to: DEMO_NUMBER, caller: { number: '+15005550042' } }, inProcess);
    await expect(callEvent(db, { session, event: { kind: 'redirect' }, url: 'https://evil.example.com/api/twilio/gather' }, inProcess)).rejects.toThrow(/not this app/);
    await callEvent(db, { session, event: { kind: 'status', status: 'completed', duration: 1 } }, inProcess);
  });

  it('runs a flow’s draft as a test run: the draft answers, the run is marked, and the list leaves it out', async () => {
    const db = await getDb();
    const draft = flowDocumentSchema.parse(demoFlow);
    const welcome = draft.nodes.find((n) => n.id === 'welcome')!;
    welcome.config = { ...welcome.config, text: 'Draft greeting for {{customer.firstName}}.' };
    const flow = await createFlow(db, { ...draft, name: 'Draft under test' });
    // The draft flow shares nothing with the live one: no version, no number.
    expect((await db.select().from(flows).where(eq(flows.id, flow.id)))[0]?.liveVersionId).toBeNull();

    const caller = { customerId: await customerId(ALICE) };
    const { session, exchange } = await startCall(db, { flowId: flow.id, caller }, inProcess);
    expect(exchange.url).toBe(`${env.PUBLIC_BASE_URL}/api/twilio/voice?testFlow=${flow.id}`);
    expect(says(exchange.verbs)[0]).toBe('Draft greeting for Alice.');
    await callEvent(db, { session, event: { kind: 'status', status: 'completed', duration: 2 } }, inProcess);

    const row = firstRow(await db.select().from(interactions).where(eq(interactions.externalId, session.callSid)), 'interactions');
    expect(row).toMatchObject({ isTest: true, flowId: flow.id, flowVersionId: null });
    expect((await listExecutions(db, { flowId: flow.id })).items).toEqual([]);
    const withTests = await listExecutions(db, { flowId: flow.id, includeTests: true });
    expect(withTests.items.map((i) => i.id)).toEqual([row.id]);
    expect((await listExecutions(db, { flowId: flow.id, versions: ['draft'], includeTests: true })).items).toHaveLength(1);
    expect((await listExecutions(db, { flowId: flow.id, versions: [1], includeTests: true })).items).toHaveLength(0);
    const detail = await getExecution(db, row.id);
    expect(detail.documentSource).toBe('draft');
    expect(detail.isTest).toBe(true);
  });

  it('texts a number and reads the reply thread; a draft that does not compile says why', async () => {
    const db = await getDb();
    const caller = { number: '+15005550077' };
    const broken = await createFlow(db, { format: 'switchboard.flow/1', name: 'Broken', nodes: [], edges: [] });
    const { exchange } = await startCall(db, { flowId: broken.id, caller }, inProcess);
    expect(says(exchange.verbs)[0]).toMatch(/This test flow cannot run\. The draft has \d+ error/);
    expect(exchange.verbs.at(-1)).toEqual({ verb: 'hangup' });

    // An SMS draft as a test conversation: the reply comes through the sandbox outbox into the thread.
    const smsFlow = await createFlow(db, flowDocumentSchema.parse(smsCareFlow));
    const sms = await sendSms(db, { flowId: smsFlow.id, caller, body: 'hello' }, inProcess);
    expect(sms.exchange.error).toBeNull();
    expect(sms.exchange.url).toBe(`${env.PUBLIC_BASE_URL}/api/twilio/sms?testFlow=${smsFlow.id}`);
    const messages = await thread(db, { caller });
    expect(messages.map((m) => [m.direction, m.body])).toEqual([
      ['inbound', 'hello'],
      ['outbound', expect.stringContaining('Reply 1 for order status')],
    ]);
    const [conversation] = await db.select().from(interactions).where(and(eq(interactions.channel, 'sms'), eq(interactions.fromNumber, caller.number)));
    expect(conversation).toMatchObject({ isTest: true, flowId: smsFlow.id });
  });
});
