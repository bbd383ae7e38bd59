import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { customerIdentities, customers, customerTags, handoffs, interactions, interactionSteps, messages, users } from '@/db/schema';
import { DEMO_NUMBER, seed } from '@/server/demo/seed';
import { env } from '@/env';
import { signTwilioRequest } from '@/telephony/signature';
import { GET as outboxRoute } from '@/app/api/sandbox/outbox/route';
import { computePriority } from '@/nodes/route-to-skill/priority';
import { createApiKey } from '@/server/auth/api-keys';
import { seedLocalUsers } from '@/server/auth/seed-users';
import { bindNumber, createFlow, publishFlow } from '@/server/flows/service';
import { withTimeout } from '@/temporal/client';
import { TASK_QUEUE, workflowIds } from '@/temporal/constants';
import { createWorker } from '@/temporal/worker';
import { APOLOGY as FAILED_RUN_APOLOGY } from '@/temporal/workflows/voice-call';
import { flowDocumentSchema, type FlowDocument } from '@/workflows/document';
import { notifyHandoffAccepted } from './handoffs';
import { defaultDeps } from './runtime';
import { postWebhook, TestCall, textIn } from './testing';
import { handleGather, handleIncomingCall } from './voice';
import { twilioWebhook } from './webhook';
import { firstRow } from '@/db/rows';

const MARIA = '+15005550003';
const ALICE = '+15005550001';
const WEI = '+8613812345678';

let worker: Worker;
let running: Promise<void>;
let native: NativeConnection;
let client: Client;

async function startWorker() {
  worker = await createWorker(native, TASK_QUEUE);
  running = worker.run();
}

async function stopWorker() {
  worker.shutdown();
  await running;
}

async function interactionFor(workflowId: string) {
  const db = await getDb();
  const [row] = await db.select().from(interactions).where(eq(interactions.workflowId, workflowId));
  return row;
}

/** The interaction of a run that must have opened one. */
async function interactionOf(workflowId: string) {
  const row = await interactionFor(workflowId);
  expect(row, `interaction of ${workflowId}`).toBeDefined();
  return row!;
}

async function stepsOf(interactionId: string) {
  const db = await getDb();
  return db.select().from(interactionSteps).where(eq(interactionSteps.interactionId, interactionId)).orderBy(asc(interactionSteps.seq));
}

const SMS_NUMBER = '+15005550200';
const HOLD_NUMBER = '+15005550300';
const SMS_AGENT_NUMBER = '+15005550201';
const SHORT_NUMBER = '+15005550400';
const PARENT_NUMBER = '+15005550500';

function node(id: string, type: string, config: Record<string, unknown>) {
  return { id, type, typeVersion: 1, position: { x: 0, y: 0 }, config };
}

function edges(...list: [string, string, string][]) {
  return list.map(([source, sourcePort, target]) => ({ id: `${source}-${sourcePort}`, source, sourcePort, target }));
}

const smsFlow: FlowDocument = flowDocumentSchema.parse({
  format: 'switchboard.flow/1',
  name: 'SMS order check',
  nodes: [
    node('start', 'incoming-sms', {}),
    node('greet', 'say', { text: 'Hi {{customer.firstName}}!' }),
    node('order', 'collect-input', { prompt: 'What is your order number?', mode: 'speech', variable: 'order' }),
    node('thanks', 'say', { text: 'Thanks, order {{vars.order}} is on its way.' }),
    node('rate', 'ivr-menu', {
      prompt: 'How did we do? Reply 1 for good or 2 for bad.',
      options: [
        { digit: '1', label: 'Good', keywords: ['good', '好'] },
        { digit: '2', label: 'Bad', keywords: ['bad', '差'] },
      ],
      input: 'both',
      retries: 0,
    }),
    node('bye', 'end', { message: 'Glad to hear it!', outcome: 'completed' }),
    node('senior', 'escalate', { reason: 'Bad rating by SMS', message: "Sorry, {{customer.firstName}}. A senior agent will text you shortly." }),
  ],
  edges: edges(
    ['start', 'next', 'greet'],
    ['greet', 'next', 'order'],
    ['order', 'collected', 'thanks'],
    ['order', 'timeout', 'bye'],
    ['thanks', 'next', 'rate'],
    ['rate', 'option-1', 'bye'],
    ['rate', 'option-2', 'senior'],
    ['rate', 'timeout', 'bye'],
    ['rate', 'invalid', 'bye'],
  ),
});

const holdFlow: FlowDocument = flowDocumentSchema.parse({
  format: 'switchboard.flow/1',
  name: 'Short hold',
  nodes: [
    node('start', 'incoming-call', {}),
    node('route', 'route-to-skill', { skill: 'general', waitMessage: 'Hold on, please.', timeoutSeconds: 1 }),
    node('sorry', 'end', { message: 'No one is free. Goodbye.', outcome: 'hangup' }),
  ],
  edges: edges(['start', 'next', 'route'], ['route', 'timeout', 'sorry']),
});

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

const shortFlow: FlowDocument = flowDocumentSchema.parse({
  format: 'switchboard.flow/1',
  name: 'Closed line',
  nodes: [node('start', 'incoming-call', {}), node('bye', 'end', { message: 'We are closed. Goodbye.', outcome: 'hangup' })],
  edges: edges(['start', 'next', 'bye']),
});

/** Greets a customer tagged 母婴用户 (by the seeded rule) differently; asks everyone else what they need. */
const parentFlow: FlowDocument = flowDocumentSchema.parse({
  format: 'switchboard.flow/1',
  name: 'Parents line',
  nodes: [
    node('start', 'incoming-call', {}),
    node('is-parent', 'tag-condition', { mode: 'any', tags: ['母婴用户'] }),
    node('welcome-back', 'end', { message: 'Welcome back! Our baby care team is here for you.', outcome: 'completed' }),
    node('ask', 'collect-input', { prompt: 'What can we help you with?', mode: 'speech', variable: 'need' }),
    node('thanks', 'end', { message: 'Thank you, goodbye.', outcome: 'completed' }),
  ],
  edges: edges(['start', 'next', 'is-parent'], ['is-parent', 'matched', 'welcome-back'], ['is-parent', 'noMatch', 'ask'], ['ask', 'collected', 'thanks'], ['ask', 'timeout', 'thanks']),
});

async function publishAndBind(document: FlowDocument, number: string, channel: 'voice' | 'sms') {
  const db = await getDb();
  const flow = await createFlow(db, document);
  await publishFlow(db, { flowId: flow.id, document, message: 'test' });
  await bindNumber(db, { flowId: flow.id, number, channel });
  return flow.id;
}

async function outboundTo(number: string) {
  const db = await getDb();
  const rows = await db.select().from(messages).where(and(eq(messages.direction, 'outbound'), eq(messages.toNumber, number))).orderBy(asc(messages.createdAt));
  return rows.map((row) => row.body);
}

let smsFlowId: string;

let adminKey: string;
let agentKey: string;

/** The outbox needs a viewer allowed to use the simulator; an admin API key sees numbers unmasked. */
async function localKeys() {
  const db = await getDb();
  await seedLocalUsers(db, { production: false, local: true });
  const admin = firstRow(await db.select().from(users).where(eq(users.email, 'admin@switchboard.local')), 'users');
  const createdBy = { userId: admin.id, name: admin.name, email: admin.email, role: 'admin' } as const;
  adminKey = (await createApiKey(db, { name: 'outbox test', role: 'admin', createdBy })).key;
  agentKey = (await createApiKey(db, { name: 'outbox test (agent)', role: 'agent', createdBy })).key;
}

beforeAll(async () => {
  native = await NativeConnection.connect({ address: env.TEMPORAL_TARGET });
  client = new Client({ connection: await Connection.connect({ address: env.TEMPORAL_TARGET }) });
  await seed(await getDb());
  await localKeys();
  smsFlowId = await publishAndBind(smsFlow, SMS_NUMBER, 'sms');
  await publishAndBind(holdFlow, HOLD_NUMBER, 'voice');
  await publishAndBind(smsAgentFlow, SMS_AGENT_NUMBER, 'sms');
  await publishAndBind(shortFlow, SHORT_NUMBER, 'voice');
  await publishAndBind(parentFlow, PARENT_NUMBER, 'voice');
  await startWorker();
});

afterAll(async () => {
  await stopWorker();
});

describe('voice calls through the webhooks', () => {
  it('answers with the welcome and the menu, and routes a key press to a skill with a prioritised handoff', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    const first = await call.start();
    expect(first).toContain('Hello Maria, thanks for calling Switchboard.');
    expect(first).toMatch(/<Gather [^>]*actionOnEmptyResult="true"/);
    expect(call.gatherUrl).toBe(`${env.PUBLIC_BASE_URL}/api/twilio/gather?seq=0`);

    const second = await call.press('2');
    expect(second).toMatch(/<Enqueue [^>]*>tech-support<\/Enqueue>/);

    const interaction = await interactionOf(workflowIds.call(call.callSid));
    const db = await getDb();
    const handoff = firstRow(await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id)), 'handoffs');
    expect(handoff).toMatchObject({ skill: 'tech-support', urgent: false, status: 'queued', priority: computePriority({ value: 0.3, behaviour: 0.2 }, null) });
    expect(handoff.summary).toContain('Maria Garcia');
    const steps = await stepsOf(interaction.id);
    expect(steps.map((s) => [s.nodeId, s.port])).toEqual([
      ['start', 'next'],
      ['welcome', 'next'],
      ['main-menu', 'option-2'],
      ['is-vip', 'noMatch'],
    ]);
    expect(steps[2]?.input).toBe('2');
  });

  it('takes the menu by speech, hears an angry caller, texts an apology, tags them and routes with a higher priority', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    await call.start();
    const reasonPrompt = await call.speak('I have a question about my bill');
    expect(reasonPrompt).toContain('In a few words, what is your billing question?');
    expect(reasonPrompt).toMatch(/<Gather [^>]*input="speech"/);

    const held = await call.speak('This is ridiculous, I am furious about your terrible service!');
    expect(held).toMatch(/<Enqueue [^>]*>billing<\/Enqueue>/);

    const db = await getDb();
    const interaction = await interactionOf(workflowIds.call(call.callSid));
    expect(interaction.emotionLabel).toBe('upset');
    expect(interaction.emotionScore).toBeLessThan(-0.3);

    const outboxUrl = `${env.PUBLIC_BASE_URL}/api/sandbox/outbox?to=${encodeURIComponent(MARIA)}`;
    const anonymous = await outboxRoute(new Request(outboxUrl));
    expect([anonymous.status, await anonymous.json()]).toEqual([401, { error: 'Sign in or send an API key first.' }]);
    const agent = await outboxRoute(new Request(outboxUrl, { headers: { authorization: `Bearer ${agentKey}` } }));
    expect([agent.status, await agent.json()]).toEqual([403, { error: 'Your role (agent) may not do this (simulator.use).' }]);
    const outbox = (await (await outboxRoute(new Request(outboxUrl, { headers: { authorization: `Bearer ${adminKey}` } }))).json()) as { messages: { body: string; from: string; interactionId: string }[] };
    const apology = outbox.messages.find((m) => m.interactionId === interaction.id);
    expect(apology?.body).toBe('Sorry for the trouble, Maria. A billing specialist is taking your call now. Reference: This is ridiculous, I am furious about your terrible service!');
    expect(apology?.from).toBe(DEMO_NUMBER);

    const identity = firstRow(await db.select().from(customerIdentities).where(eq(customerIdentities.value, MARIA)), 'customerIdentities');
    const tags = await db.select().from(customerTags).where(eq(customerTags.customerId, identity.customerId));
    expect(tags.map((t) => t.tag)).toContain('complaint-risk');

    const handoff = firstRow(await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id)), 'handoffs');
    expect(handoff.skill).toBe('billing');
    expect(handoff.priority).toBe(computePriority({ value: 0.3, behaviour: 0.2 }, { score: interaction.emotionScore ?? 0 }));
    expect(handoff.priority).toBeGreaterThan(computePriority({ value: 0.3, behaviour: 0.2 }, null));
    expect(handoff.summary).toContain('Emotion: upset');

    const steps = await stepsOf(interaction.id);
    expect(steps.map((s) => [s.nodeId, s.port])).toEqual([
      ['start', 'next'],
      ['welcome', 'next'],
      ['main-menu', 'option-1'],
      ['ask-reason', 'collected'],
      ['mood', 'upset'],
      ['sorry-sms', 'sent'],
      ['mark-risk', 'next'],
    ]);
    // Each step records the run's state after it, for the execution view.
    const byNode = Object.fromEntries(steps.map((s) => [s.nodeId, s.data as { vars: Record<string, string>; tags: string[]; emotion?: { label: string } }]));
    expect(byNode['ask-reason']?.vars.reason).toBe('This is ridiculous, I am furious about your terrible service!');
    expect(byNode['main-menu']!.emotion).toBeUndefined();
    expect(byNode.mood?.emotion?.label).toBe('upset');
    expect(byNode['sorry-sms']!.tags).not.toContain('complaint-risk');
    expect(byNode['mark-risk']?.tags).toContain('complaint-risk');
  });

  it('hears an angry Chinese caller as upset too', async () => {
    const call = new TestCall(WEI, DEMO_NUMBER);
    const first = await call.start();
    expect(first).toContain('Hello 伟');
    await call.speak('账单');
    const held = await call.speak('太差了，我非常生气！');
    expect(held).toMatch(/<Enqueue [^>]*>billing<\/Enqueue>/);
    const interaction = await interactionOf(workflowIds.call(call.callSid));
    expect(interaction.emotionLabel).toBe('upset');
    const steps = await stepsOf(interaction.id);
    expect(steps.find((s) => s.nodeId === 'mood')?.port).toBe('upset');
    expect(steps.find((s) => s.nodeId === 'ask-reason')?.input).toBe('太差了，我非常生气！');
  });

  it('re-prompts after silence, then says goodbye and completes after the last retry', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    await call.start();
    const retry1 = await call.silence();
    expect(retry1).toContain("Sorry, I didn't get that.");
    expect(call.gatherUrl).toContain('seq=1');
    const retry2 = await call.silence();
    expect(retry2).toContain("Sorry, I didn't get that.");
    const goodbye = await call.silence();
    expect(goodbye).toContain("We didn't hear from you. Please call again. Goodbye!");
    expect(goodbye).toContain('<Hangup/>');
    expect(goodbye).not.toContain('<Gather');

    const interaction = await interactionOf(workflowIds.call(call.callSid));
    expect(interaction.status).toBe('completed');
    expect(interaction.endedAt).not.toBeNull();
    const steps = await stepsOf(interaction.id);
    expect(steps.find((s) => s.nodeId === 'main-menu')).toMatchObject({ port: 'timeout' });
    expect(steps.at(-1)).toMatchObject({ nodeId: 'goodbye', port: null });
  });

  it('tags a caller by rule when the second call asking about 奶粉 ends, with the facts, and the next call takes the tagged branch', async () => {
    const caller = '+15005559901';
    for (const words of ['我想问一下奶粉', 'do you have baby formula']) {
      const call = new TestCall(caller, PARENT_NUMBER);
      expect(await call.start()).toContain('What can we help you with?');
      expect(await call.speak(words)).toContain('Thank you, goodbye.');
    }
    const db = await getDb();
    const identity = firstRow(await db.select().from(customerIdentities).where(eq(customerIdentities.value, caller)), 'customerIdentities');
    // The rules run in the activity that records the end, right after the reply went out.
    await expect.poll(async () => (await db.select().from(customerTags).where(eq(customerTags.customerId, identity.customerId))).map((t) => t.tag), { timeout: 10_000 }).toEqual(['母婴用户']);
    const [tag] = await db.select().from(customerTags).where(eq(customerTags.customerId, identity.customerId));
    expect(tag).toMatchObject({ source: 'rule', facts: { facts: [{ leaf: { fact: 'keyword', keywords: ['奶粉', 'baby formula', 'infant formula'] }, value: 2 }] } });
    const third = new TestCall(caller, PARENT_NUMBER);
    expect(await third.start()).toContain('Welcome back! Our baby care team is here for you.');
  });

  it('lets a VIP skip the menu straight to an agent, and sends a high-value caller down the tag condition', async () => {
    const vip = new TestCall(ALICE, DEMO_NUMBER);
    const first = await vip.start();
    expect(first).not.toContain('<Gather');
    expect(first).toMatch(/<Enqueue [^>]*>general<\/Enqueue>/);
    const vipSteps = await stepsOf((await interactionOf(workflowIds.call(vip.callSid))).id);
    expect(vipSteps.find((s) => s.nodeId === 'main-menu')?.port).toBe('option-0');

    const db = await getDb();
    const number = '+15005550777';
    const customer = firstRow(await db.insert(customers).values({ firstName: 'Hana', valueScore: 0.9, behaviourScore: 0.5 }).returning(), 'insert into customers');
    await db.insert(customerIdentities).values({ customerId: customer.id, kind: 'phone', value: number });
    await db.insert(customerTags).values({ customerId: customer.id, tag: 'high-value' });
    const call = new TestCall(number, DEMO_NUMBER);
    expect(await call.start()).toContain('Hello Hana');
    expect(await call.press('2')).toMatch(/<Enqueue [^>]*>general<\/Enqueue>/);
    const steps = await stepsOf((await interactionOf(workflowIds.call(call.callSid))).id);
    expect(steps.find((s) => s.nodeId === 'is-vip')?.port).toBe('matched');
  });

  it('escalates when nobody takes the queue: an urgent handoff with a summary, and the escalation hold', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    await call.start();
    await call.press('2');
    const hold = await call.waitPoll(5);
    expect(hold).toContain('Please hold for the next technician.');
    expect(hold).toMatch(/<Pause length="\d+"\/>/);

    const escalated = await call.leaveQueue('leave');
    expect(escalated).toMatch(/<Enqueue [^>]*>escalation<\/Enqueue>/);
    expect(await call.waitPoll(1)).toContain("I'm sorry for the wait. I'm connecting you to a senior agent now.");

    const db = await getDb();
    const interaction = await interactionOf(workflowIds.call(call.callSid));
    const rows = await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id)).orderBy(asc(handoffs.createdAt));
    expect(rows.map((r) => [r.skill, r.urgent, r.priority])).toEqual([
      ['tech-support', false, computePriority({ value: 0.3, behaviour: 0.2 }, null)],
      ['escalation', true, 100],
    ]);
    expect(rows[1]?.reason).toBe('No agent answered in time (emotion )');
    expect(rows[1]?.summary).toContain('Path: Incoming call [next] → Say [next] → IVR menu [option-2] → Tag condition [noMatch] → Route to skill [timeout]');

    // The caller is bridged to a senior agent, talks, and hangs up.
    expect(await call.leaveQueue('bridged')).toContain('<Hangup/>');
    expect(await call.status('completed')).toBe(200);
    await expect.poll(async () => (await interactionOf(workflowIds.call(call.callSid))).status).toBe('escalated');
  });

  it('marks a call abandoned when the caller hangs up mid-menu', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    await call.start();
    expect(await call.status('completed')).toBe(200);
    await expect.poll(async () => (await interactionOf(workflowIds.call(call.callSid))).status, { timeout: 10_000 }).toBe('abandoned');
  });

  it('answers an unknown number politely and starts nothing', async () => {
    const call = new TestCall(MARIA, '+15005559999');
    const answer = await call.start();
    expect(answer).toContain('Sorry, this number is not in service. Goodbye.');
    expect(answer).toContain('<Hangup/>');
    expect(await interactionFor(workflowIds.call(call.callSid))).toBeUndefined();
  });

  it('refuses a forged or missing signature with 403 and starts nothing', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    const params = { CallSid: call.callSid, From: MARIA, To: DEMO_NUMBER, CallStatus: 'ringing' };
    expect((await postWebhook('/api/twilio/voice', params, { signature: 'bm90IGEgc2lnbmF0dXJl' })).status).toBe(403);
    expect((await postWebhook('/api/twilio/voice', params, { signature: null })).status).toBe(403);
    expect(await interactionFor(workflowIds.call(call.callSid))).toBeUndefined();
    await expect(client.workflow.getHandle(workflowIds.call(call.callSid)).describe()).rejects.toThrow(/not found/i);
  });

  it('runs a retried webhook once: the same reply, one step, one message', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    const first = await call.start();
    expect(await call.start()).toBe(first);
    await call.speak('billing');
    const gatherUrl = call.gatherUrl;
    const reply = await call.speak('I am so angry, this is the worst!');
    call.last = reply.replace(/<Enqueue[\s\S]*$/, `<Gather action="${gatherUrl}"/>`);
    expect(await call.speak('I am so angry, this is the worst!')).toBe(reply);

    const db = await getDb();
    const interaction = await interactionOf(workflowIds.call(call.callSid));
    const steps = await stepsOf(interaction.id);
    expect(steps.filter((s) => s.nodeId === 'sorry-sms')).toHaveLength(1);
    expect(new Set(steps.map((s) => s.seq)).size).toBe(steps.length);
    const sent = await db.select().from(messages).where(eq(messages.interactionId, interaction.id));
    expect(sent).toHaveLength(1);
    expect(await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id))).toHaveLength(1);
  });

  // Found by webhooks-fuzz.temporal.test.ts: a NUL in the speech Twilio recognised made the step's
  // write fail (Postgres cannot store it), and the flow ended the call with an apology.
  it('takes a spoken answer with a NUL in it like any other, and records it without', async () => {
    const call = new TestCall(WEI, DEMO_NUMBER);
    await call.start();
    const reply = await call.speak('bill\u0000ing');
    expect(reply).not.toContain(FAILED_RUN_APOLOGY);
    expect(reply).toContain('<Gather');
    const steps = await stepsOf((await interactionOf(workflowIds.call(call.callSid))).id);
    expect(steps.find((s) => s.nodeId === 'main-menu')).toMatchObject({ port: 'option-1', input: 'billing' });
  });

  // Found by webhooks-fuzz.temporal.test.ts: an <Enqueue> action (gather?kind=queue) for a turn
  // that asks, or a <Gather> action for a turn that holds, waited for a reply that only comes once
  // the turn ends, so the webhook sat out its whole 10 s budget before the fallback TwiML.
  it('refuses at once an action of the wrong kind for the current turn, and the call goes on', async () => {
    const refused = async (query: string, params: Record<string, string>) => {
      const url = `${env.PUBLIC_BASE_URL}/api/twilio/gather${query}`;
      const outcome = await withTimeout(handleGather({ params, url, query: new URL(url).searchParams }), 5_000).then(
        () => 'answered',
        (error: unknown) => (error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)),
      );
      return outcome;
    };
    const asking = new TestCall(MARIA, DEMO_NUMBER);
    await asking.start();
    expect(await refused('?seq=0&kind=queue', { CallSid: asking.callSid, QueueResult: 'bridged' })).toBe('turn 0 waits for a <Gather> action, not this one');
    expect(await asking.press('2')).toMatch(/<Enqueue [^>]*>tech-support<\/Enqueue>/);

    const holding = new TestCall(ALICE, DEMO_NUMBER);
    expect(await holding.start()).toMatch(/<Enqueue /);
    expect(await refused('?seq=0', { CallSid: holding.callSid, Digits: '1' })).toBe('turn 0 waits for an <Enqueue> action, not this one');
    expect(await holding.waitPoll(5)).toMatch(/<Pause /);
  });
});

describe('holds', () => {
  it('plays the wait message while the hold lasts, then leaves the queue and moves on by timeout', async () => {
    const call = new TestCall(MARIA, HOLD_NUMBER);
    expect(await call.start()).toMatch(/<Enqueue [^>]*waitUrl="[^"]*\/api\/twilio\/wait\?seq=0&amp;until=\d+&amp;say=[^"]+"[^>]*>general<\/Enqueue>/);
    const holding = await call.waitPoll(0);
    expect(holding).toContain('Hold on, please.');
    expect(holding).toContain('<Pause length="1"/>');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await call.waitPoll(1)).toContain('<Leave/>');
    const after = await call.leaveQueue('leave');
    expect(after).toContain('No one is free. Goodbye.');
    expect(after).toContain('<Hangup/>');
    const interaction = await interactionOf(workflowIds.call(call.callSid));
    expect(interaction.status).toBe('completed');
    expect((await stepsOf(interaction.id)).map((s) => [s.nodeId, s.port])).toEqual([
      ['start', 'next'],
      ['route', 'timeout'],
      ['sorry', null],
    ]);
  });
});

describe('SMS conversations', () => {
  it('holds a conversation over several messages, replying through the sandbox outbox', async () => {
    const first = await textIn(MARIA, SMS_NUMBER, 'hello');
    expect(first.status).toBe(200);
    expect(first.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await outboundTo(MARIA)).toContain('Hi Maria!\nWhat is your order number?');

    await textIn(MARIA, SMS_NUMBER, 'A123');
    expect((await outboundTo(MARIA)).at(-1)).toBe('Thanks, order A123 is on its way.\nHow did we do? Reply 1 for good or 2 for bad.');

    const rating = await textIn(MARIA, SMS_NUMBER, '2');
    expect((await outboundTo(MARIA)).at(-1)).toBe('Sorry, Maria. A senior agent will text you shortly.');

    const db = await getDb();
    const interaction = firstRow(await db.select().from(interactions).where(and(eq(interactions.channel, 'sms'), eq(interactions.externalId, first.messageSid))), 'interactions');
    expect(interaction.workflowId).toBe(`${workflowIds.conversation(smsFlowId, MARIA)}:${first.messageSid}`);
    await expect.poll(async () => (await interactionOf(interaction.workflowId)).status).toBe('escalated');
    expect((await interactionOf(interaction.workflowId)).vars).toEqual({ order: 'A123' });
    const inbound = await db.select().from(messages).where(and(eq(messages.interactionId, interaction.id), eq(messages.direction, 'inbound'))).orderBy(asc(messages.createdAt));
    expect(inbound.map((m) => m.body)).toEqual(['hello', 'A123', '2']);
    const handoff = firstRow(await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id)), 'handoffs');
    expect(handoff).toMatchObject({ skill: 'escalation', urgent: true, reason: 'Bad rating by SMS' });
    expect(handoff.summary).toContain('Channel: SMS');

    // The conversation is over: the next text starts a new one.
    await textIn(MARIA, SMS_NUMBER, 'hi again');
    expect((await outboundTo(MARIA)).at(-1)).toBe('Hi Maria!\nWhat is your order number?');
    const conversations = await db.select().from(interactions).where(and(eq(interactions.channel, 'sms'), eq(interactions.fromNumber, MARIA)));
    expect(conversations).toHaveLength(2);

    // A late Twilio retry of a message the first conversation took is not an answer in the second one.
    const sent = await outboundTo(MARIA);
    expect((await textIn(MARIA, SMS_NUMBER, '2', rating.messageSid)).status).toBe(200);
    expect(await outboundTo(MARIA)).toEqual(sent);
    expect(await db.select().from(messages).where(eq(messages.externalSid, rating.messageSid))).toHaveLength(1);
  });

  it('handles a retried inbound message once: one inbound row, one reply', async () => {
    const BOB = '+15005550002';
    const sid = 'SM' + 'b'.repeat(32);
    await textIn(BOB, SMS_NUMBER, 'hello', sid);
    await textIn(BOB, SMS_NUMBER, 'hello', sid);
    const db = await getDb();
    expect(await db.select().from(messages).where(eq(messages.externalSid, sid))).toHaveLength(1);
    expect(await outboundTo(BOB)).toEqual(['Hi Bob!\nWhat is your order number?']);
    const interaction = firstRow(await db.select().from(interactions).where(eq(interactions.externalId, sid)), 'interactions');
    expect((await stepsOf(interaction.id)).map((s) => s.nodeId)).toEqual(['start', 'greet']);
  });

  it('keeps texts sent while on hold for the agent, and ends the hold when an agent takes the handoff', async () => {
    const first = await textIn(WEI, SMS_AGENT_NUMBER, '我的账单有问题');
    expect((await outboundTo(WEI)).at(-1)).toBe('An agent will text you shortly.');
    const during = await textIn(WEI, SMS_AGENT_NUMBER, 'are you there?');
    expect(during.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

    const db = await getDb();
    const interaction = firstRow(await db.select().from(interactions).where(eq(interactions.externalId, first.messageSid)), 'interactions');
    const [handoff] = await db.select().from(handoffs).where(eq(handoffs.interactionId, interaction.id));
    expect(handoff).toMatchObject({ skill: 'billing', status: 'queued' });
    expect(await notifyHandoffAccepted(interaction.id)).toBe('waiting');
    await expect.poll(async () => (await interactionOf(interaction.workflowId)).status).toBe('completed');
    const inbound = await db.select().from(messages).where(and(eq(messages.interactionId, interaction.id), eq(messages.direction, 'inbound')));
    expect(inbound.map((m) => m.body).sort()).toEqual(['are you there?', '我的账单有问题']);
    expect(await notifyHandoffAccepted(interaction.id)).toBe('gone');
  });

  it('stays quiet for a number with no SMS flow', async () => {
    const answer = await textIn(MARIA, '+15005559999', 'anyone there?');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});

describe('retries after the end', () => {
  it('answers a first webhook retried after the call finished with the same TwiML, without running the flow again', async () => {
    const call = new TestCall(MARIA, SHORT_NUMBER);
    const first = await call.start();
    expect(first).toContain('We are closed. Goodbye.');
    expect(first).toContain('<Hangup/>');
    await call.status('completed');
    await client.workflow.getHandle(workflowIds.call(call.callSid)).result();
    expect(await call.start()).toBe(first);
    const interaction = await interactionOf(workflowIds.call(call.callSid));
    expect(interaction.status).toBe('completed');
    expect(await stepsOf(interaction.id)).toHaveLength(2);
  });
});

describe('failures', () => {
  it('answers with fallback TwiML, not an error, when Temporal is unreachable or slow', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    const url = `${env.PUBLIC_BASE_URL}/api/twilio/voice`;
    const params = { CallSid: call.callSid, From: MARIA, To: DEMO_NUMBER, CallStatus: 'ringing' };
    const request = () =>
      new Request(url, { method: 'POST', headers: { 'x-twilio-signature': signTwilioRequest(url, params) }, body: new URLSearchParams(params).toString() });

    const unreachable = defaultDeps({ temporal: () => Promise.reject(new Error('connection refused')) });
    const down = await twilioWebhook(request(), 'voice', (input) => handleIncomingCall(input, unreachable));
    expect(down.status).toBe(200);
    expect(await down.text()).toContain("We're sorry, we can't take your call right now.");

    const slow = defaultDeps({ temporal: () => new Promise(() => {}) });
    const late = await twilioWebhook(request(), 'voice', (input) => handleIncomingCall(input, slow), { timeoutMs: 200 });
    expect(late.status).toBe(200);
    expect(await late.text()).toContain('<Hangup/>');
    expect(await interactionFor(workflowIds.call(call.callSid))).toBeUndefined();
  });

  it('finishes a call on a new worker after the first one stopped mid-call', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    await call.start();
    await stopWorker();
    await startWorker();
    expect(await call.press('1')).toContain('In a few words, what is your billing question?');
    expect(await call.speak('Thanks, you have been very helpful')).toMatch(/<Enqueue [^>]*>billing<\/Enqueue>/);
    const interaction = await interactionOf(workflowIds.call(call.callSid));
    expect(interaction.emotionLabel).toBe('positive');
    expect((await stepsOf(interaction.id)).map((s) => [s.nodeId, s.port])).toEqual([
      ['start', 'next'],
      ['welcome', 'next'],
      ['main-menu', 'option-1'],
      ['ask-reason', 'collected'],
      ['mood', 'positive'],
    ]);
  });
});
