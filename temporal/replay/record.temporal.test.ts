import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { interactions } from '@/db/schema';
import { env } from '@/env';
import { DEMO_NUMBER, seed } from '@/server/demo/seed';
import { bindNumber, createFlow, publishFlow } from '@/server/flows/service';
import { notifyHandoffAccepted } from '@/server/telephony/handoffs';
import { TestCall, textIn } from '@/server/telephony/testing';
import { TASK_QUEUE, workflowIds } from '@/temporal/constants';
import { findTemporalCli } from '@/temporal/dev-server';
import { createWorker } from '@/temporal/worker';
import { flowDocumentSchema } from '@/workflows/document';
import smsCare from '@/examples/sms-care.flow.json';

/**
 * Records the workflow histories that `replay.test.ts` replays: representative calls and SMS
 * conversations driven through the real webhooks. Skipped in `npm test`; run it on purpose with
 * `npm run test:record-histories` after a deliberate change to workflow behaviour (which needs a new
 * node version or a Temporal `patched()` guard so calls in flight keep working), and commit the files.
 */
const record = process.env.RECORD_HISTORIES === '1';
const OUT = path.join(import.meta.dirname, 'histories');

const MARIA = '+15005550003';
const ALICE = '+15005550001';
const WEI = '+8613812345678';
const SMS_NUMBER = '+15005550201';
const LAB_NUMBER = '+15005550301';

const lab = flowDocumentSchema.parse({
  format: 'switchboard.flow/1',
  name: 'Replay lab: split, confirmed menu, variables',
  nodes: [
    { id: 'start', type: 'incoming-call', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
    { id: 'ab', type: 'split', typeVersion: 1, position: { x: 0, y: 0 }, config: { branches: [{ id: 'a', label: 'A', percent: 50 }, { id: 'b', label: 'B', percent: 50 }] } },
    { id: 'menu', type: 'ivr-menu', typeVersion: 2, position: { x: 0, y: 0 }, config: { prompt: 'Press 1 for orders or 2 for returns.', options: [{ digit: '1', label: 'Orders', keywords: ['orders'], confirm: 'You chose orders. Press 1 if that is right, or 2 to choose again.' }, { digit: '2', label: 'Returns', keywords: ['returns'] }] } },
    { id: 'note', type: 'set-variable', typeVersion: 1, position: { x: 0, y: 0 }, config: { name: 'topic', value: 'orders' } },
    { id: 'bye', type: 'end', typeVersion: 1, position: { x: 0, y: 0 }, config: { message: 'Thanks, {{customer.firstName}}. Goodbye.', outcome: 'completed' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'ab' },
    { id: 'e2', source: 'ab', sourcePort: 'branch-a', target: 'menu' },
    { id: 'e3', source: 'ab', sourcePort: 'branch-b', target: 'menu' },
    { id: 'e4', source: 'menu', sourcePort: 'option-1', target: 'note' },
    { id: 'e5', source: 'menu', sourcePort: 'option-2', target: 'bye' },
    { id: 'e6', source: 'note', sourcePort: 'next', target: 'bye' },
  ],
});

let worker: Worker;
let running: Promise<void>;
let client: Client;

async function publish(document: unknown, number: string, channel: 'voice' | 'sms') {
  const db = await getDb();
  const parsed = flowDocumentSchema.parse(document);
  const flow = await createFlow(db, parsed);
  await publishFlow(db, { flowId: flow.id, document: parsed, message: 'replay fixture' });
  await bindNumber(db, { flowId: flow.id, number, channel });
}

/** Waits for the workflow to finish and stores its history as the Temporal CLI and UI export it. */
async function save(name: string, workflowId: string) {
  await client.workflow.getHandle(workflowId).result();
  const cli = findTemporalCli(() => {});
  if (!cli) throw new Error('the Temporal CLI is needed to export histories');
  const history = JSON.parse(execFileSync(cli, ['workflow', 'show', '--address', env.TEMPORAL_TARGET, '-w', workflowId, '--output', 'json'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })) as unknown;
  fs.writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify({ workflowId, history }, null, 1)}\n`);
}

async function smsWorkflowId(messageSid: string) {
  const [row] = await (await getDb()).select({ workflowId: interactions.workflowId }).from(interactions).where(eq(interactions.externalId, messageSid));
  // The conversation's workflow id is the interaction key without the first MessageSid.
  return (row?.workflowId ?? '').replace(`:${messageSid}`, '');
}

describe.runIf(record)('recording replay histories', () => {
  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    client = new Client({ connection: await Connection.connect({ address: env.TEMPORAL_TARGET }) });
    await seed(await getDb());
    await publish(smsCare, SMS_NUMBER, 'sms');
    await publish(lab, LAB_NUMBER, 'voice');
    worker = await createWorker(await NativeConnection.connect({ address: env.TEMPORAL_TARGET }), TASK_QUEUE);
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
  });

  it('an upset billing caller: menu by key, speech, emotion, SMS, tag, hold, escalation, hang-up', async () => {
    const call = new TestCall(MARIA, DEMO_NUMBER);
    await call.start();
    await call.press('1');
    await call.speak('This is the third time I am calling, this is ridiculous and I am furious!');
    await call.waitPoll(10);
    await call.leaveQueue('leave');
    expect(call.last).toMatch(/<Enqueue [^>]*>escalation<\/Enqueue>/);
    await call.status('completed');
    await save('voice-upset-billing-escalation', workflowIds.call(call.callSid));
  });

  it('a spoken menu choice, a VIP tag check and a caller who hangs up on hold', async () => {
    const call = new TestCall(WEI, DEMO_NUMBER);
    await call.start();
    await call.speak('support');
    await call.leaveQueue('hangup');
    await call.status('completed');
    await save('voice-speech-tag-condition-hangup', workflowIds.call(call.callSid));
  });

  it('a VIP who skips the menu, and a silent caller who hears the goodbye', async () => {
    const vip = new TestCall(ALICE, DEMO_NUMBER);
    await vip.start();
    await vip.leaveQueue('bridged');
    await vip.status('completed');
    await save('voice-vip-bridged', workflowIds.call(vip.callSid));

    const silent = new TestCall('+15005550777', DEMO_NUMBER);
    await silent.start();
    await silent.silence();
    await silent.silence();
    await silent.silence();
    await silent.status('completed');
    await save('voice-silence-goodbye', workflowIds.call(silent.callSid));
  });

  it('a split, a v2 menu with a confirmation and a variable', async () => {
    const call = new TestCall(MARIA, LAB_NUMBER);
    await call.start();
    await call.press('1');
    await call.press('2');
    await call.press('1');
    await call.press('1');
    expect(call.last).toContain('Goodbye');
    await call.status('completed');
    await save('voice-split-confirmed-menu', workflowIds.call(call.callSid));
  });

  it('SMS conversations: an order question, an upset customer, a customer handed to an agent', async () => {
    const order = await textIn('+15005550888', SMS_NUMBER, 'hi there');
    await textIn('+15005550888', SMS_NUMBER, '1');
    await save('sms-order-status', await smsWorkflowId(order.messageSid));

    const upset = await textIn('+15005550889', SMS_NUMBER, 'This is unacceptable, I am furious with your service');
    await save('sms-upset-escalation', await smsWorkflowId(upset.messageSid));

    const billing = await textIn('+15005550890', SMS_NUMBER, 'hello');
    await textIn('+15005550890', SMS_NUMBER, '2');
    const [row] = await (await getDb()).select({ id: interactions.id }).from(interactions).where(eq(interactions.externalId, billing.messageSid));
    expect(await notifyHandoffAccepted(row?.id ?? '')).toBe('waiting');
    // sms-handoff-accepted.json is kept as recorded when the accept was a signal: runs like it must replay still.
    await save('sms-handoff-accept-update', await smsWorkflowId(billing.messageSid));
  });
});
