import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db, DbHandle } from '@/db/client';
import { firstRow } from '@/db/rows';
import { agents, customers, handoffNotes, handoffs, interactions, messages, qaHits, qaRules, wrapCodes } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import type { CallAgent, CallHold, TelephonyPort } from '@/telephony/port';
import { createSandboxPort } from '@/telephony/sandbox-port';
import { closeHandoff, endHandoff, transferHandoff } from './assign';
import {
  addNote,
  callBridge,
  callerLine,
  ConversationError,
  CSAT_QUESTION,
  endConversation,
  onAccepted,
  onCallEnded,
  resolve,
  routeInboundSms,
  sendAgentReply,
  transfer,
  type ConversationDeps,
} from './conversation';
import { notifySql } from './events';
import type * as EventsModule from './events';
import { drainTo, wakeHandoff } from './service';

// The engine's statements and the QA checks are other modules (built beside this one): fakes at
// exactly those boundaries, doing to the rows what the real ones do.
vi.mock('./assign', async () => {
  const { and, eq, inArray } = await import('drizzle-orm');
  const { handoffs } = await import('@/db/schema');
  return {
    endHandoff: vi.fn(async (db: Db, handoffId: string) => {
      const rows = await db
        .update(handoffs)
        .set({ status: 'wrap-up', endedAt: new Date() })
        .where(and(eq(handoffs.id, handoffId), eq(handoffs.status, 'assigned')))
        .returning();
      return rows.length > 0;
    }),
    resolveHandoff: vi.fn(async (db: Db, input: { handoffId: string; agentId: string; wrapCode: string; firstContactResolution: boolean }) => {
      const [row] = await db
        .update(handoffs)
        .set({ status: 'resolved', resolvedAt: new Date(), wrapCode: input.wrapCode, firstContactResolution: input.firstContactResolution })
        .where(and(eq(handoffs.id, input.handoffId), eq(handoffs.assignedAgentId, input.agentId), inArray(handoffs.status, ['assigned', 'wrap-up'])))
        .returning();
      return row ?? null;
    }),
    closeHandoff: vi.fn(async (db: Db, handoffId: string, status: 'abandoned' | 'timeout') => {
      const rows = await db
        .update(handoffs)
        .set({ status, endedAt: new Date(), offeredAgentId: null })
        .where(and(eq(handoffs.id, handoffId), inArray(handoffs.status, ['queued', 'offered', 'assigned'])))
        .returning();
      return rows.length > 0;
    }),
    transferHandoff: vi.fn(async (db: Db, input: { handoffId: string; toSkill?: string; toAgentId?: string }) => {
      const [row] = await db
        .update(handoffs)
        .set({ status: 'queued', assignedAgentId: null, ...(input.toSkill && { skill: input.toSkill, reqSkill: input.toSkill }), targetAgentId: input.toAgentId ?? null })
        .where(eq(handoffs.id, input.handoffId))
        .returning();
      return row ?? null;
    }),
  };
});
vi.mock('./qa', () => ({
  checkReply: vi.fn((rules: { id: string; name: string; kind: string; action: 'block' | 'warn'; terms: string[]; message: string }[], text: string) =>
    rules
      .filter((r) => r.kind === 'words')
      .flatMap((r) => r.terms.filter((term) => text.includes(term)).map((term) => ({ ruleId: r.id, ruleName: r.name, action: r.action, message: r.message, excerpt: term })))
      .sort((a, b) => (a.action === b.action ? 0 : a.action === 'block' ? -1 : 1)),
  ),
  checkResolve: vi.fn((rules: { id: string; name: string; kind: string; action: 'block' | 'warn'; terms: string[]; wrapCodes: string[]; message: string }[], wrapCode: string, lines: string[]) =>
    rules
      .filter((r) => r.kind === 'required-phrase' && r.wrapCodes.includes(wrapCode) && !lines.some((line) => r.terms.some((term) => line.includes(term))))
      .map((r) => ({ ruleId: r.id, ruleName: r.name, action: r.action, message: r.message, excerpt: '' })),
  ),
}));
vi.mock('./service', () => ({ drainTo: vi.fn(async () => undefined), wakeHandoff: vi.fn(async () => undefined) }));
vi.mock('./events', async (importOriginal) => {
  const real = await importOriginal<typeof EventsModule>();
  return { ...real, notifySql: vi.fn(real.notifySql) };
});

const OUR_NUMBER = '+15005550100';
const callSid = () => `CA${randomBytes(16).toString('hex')}`;

/** The sandbox port on the test database, recording the call commands it gets. */
function recordingPort(db: Db, kind: 'sandbox' | 'twilio' = 'sandbox') {
  const sandbox = createSandboxPort(async () => db);
  const calls: { op: 'connect' | 'hangup' | 'hold'; callSid: string; agent?: CallAgent; hold?: CallHold }[] = [];
  const port: TelephonyPort = {
    kind,
    sendSms: (message) => sandbox.sendSms(message),
    connectCall: async (sid, agent) => (calls.push({ op: 'connect', callSid: sid, agent }), sandbox.connectCall(sid, agent)),
    hangupCall: async (sid) => (calls.push({ op: 'hangup', callSid: sid }), sandbox.hangupCall(sid)),
    holdCall: async (sid, hold) => (calls.push({ op: 'hold', callSid: sid, hold }), sandbox.holdCall(sid, hold)),
  };
  return { port, calls };
}

/** Temporal's client as far as a signal goes. */
function signalRecorder() {
  const signals: [string, string][] = [];
  const client = { workflow: { getHandle: (id: string) => ({ signal: async (name: string) => void signals.push([id, name]) }) } } as unknown as Client;
  return { signals, temporal: async () => client };
}

describe.each(testDatabases())('conversation on $name', ({ open }) => {
  let handle: DbHandle;
  let db: Db;
  let ann: typeof agents.$inferSelect;
  let bob: typeof agents.$inferSelect;
  let wei: typeof customers.$inferSelect;
  let maria: typeof customers.$inferSelect;
  let port: ReturnType<typeof recordingPort>;
  let temporal: ReturnType<typeof signalRecorder>;
  let deps: Partial<ConversationDeps>;
  let blockRule: string;

  beforeAll(async () => {
    handle = await open();
    db = handle.db;
    [ann, bob] = await db
      .insert(agents)
      .values([
        { name: 'Ann Agent', email: 'ann@example.com', phone: '+15005550111', choice: 'available' },
        { name: 'Bob Agent', email: 'bob@example.com', phone: '+15005550112', choice: 'available' },
      ])
      .returning() as [typeof agents.$inferSelect, typeof agents.$inferSelect];
    [wei, maria] = await db
      .insert(customers)
      .values([
        { firstName: 'Wei', lastName: 'Zhang', locale: 'zh-CN' },
        { firstName: 'Maria', lastName: 'Garcia', locale: 'en-US' },
      ])
      .returning() as [typeof customers.$inferSelect, typeof customers.$inferSelect];
    await db.insert(wrapCodes).values([
      { id: 'billing-fixed', label: 'Billing fixed' },
      { id: 'old-code', label: 'Old', active: false },
    ]);
    const rules = await db
      .insert(qaRules)
      .values([
        { name: 'Rude words', kind: 'words', action: 'block', terms: ['stupid', '笨蛋'], message: 'Please stay polite.' },
        { name: 'Promises', kind: 'words', action: 'warn', terms: ['guarantee'], message: 'Careful with promises.' },
        { name: 'Retired', kind: 'words', action: 'block', terms: ['hello'], message: 'never fires', active: false },
        { name: 'Refund wording', kind: 'required-phrase', action: 'block', terms: ['refund', '退款'], wrapCodes: ['billing-fixed'], message: 'Mention the refund.' },
      ])
      .returning({ id: qaRules.id });
    blockRule = firstRow(rules, 'qa rules').id;
  });

  afterAll(async () => {
    await handle?.close();
  });

  beforeEach(() => {
    port = recordingPort(db);
    temporal = signalRecorder();
    deps = { port: async () => port.port, temporal: temporal.temporal };
    vi.mocked(notifySql).mockClear();
    vi.mocked(drainTo).mockClear();
    vi.mocked(endHandoff).mockClear();
    vi.mocked(transferHandoff).mockClear();
  });

  async function conversation(input: { channel: 'sms' | 'voice'; customer: typeof customers.$inferSelect; from: string; status?: 'offered' | 'assigned' | 'wrap-up' | 'resolved'; agentId?: string | null; isTest?: boolean }) {
    const externalId = input.channel === 'voice' ? callSid() : `SM${randomBytes(16).toString('hex')}`;
    const interaction = firstRow(
      await db
        .insert(interactions)
        .values({
          channel: input.channel,
          workflowId: input.channel === 'voice' ? `call:${externalId}` : `sms:flow-1:${input.from}:${externalId}`,
          externalId,
          customerId: input.customer.id,
          fromNumber: input.from,
          toNumber: OUR_NUMBER,
          isTest: input.isTest ?? false,
        })
        .returning(),
      'interactions',
    );
    const handoff = firstRow(
      await db
        .insert(handoffs)
        .values({
          interactionId: interaction.id,
          customerId: input.customer.id,
          idempotencyKey: `step:${externalId}`,
          channel: input.channel,
          skill: 'billing',
          reqSkill: 'billing',
          priority: 50,
          status: input.status ?? 'assigned',
          assignedAgentId: input.agentId === undefined ? ann.id : input.agentId,
          acceptedAt: new Date(),
        })
        .returning(),
      'handoffs',
    );
    return { interaction, handoff };
  }

  const messagesOf = (interactionId: string) => db.select().from(messages).where(eq(messages.interactionId, interactionId)).orderBy(asc(messages.createdAt));

  describe('agent replies', () => {
    it('texts the customer from the number they reached, as the agent, and tells the inbox', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: wei, from: '+8613800000001' });
      const result = await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: '  您好，我来帮您看看账单。 ' }, deps);
      expect(result).toMatchObject({ ok: true, warnings: [] });
      const [row] = await messagesOf(interaction.id);
      expect(row).toMatchObject({
        id: result.ok ? result.messageId : '',
        direction: 'outbound',
        channel: 'sms',
        agentId: ann.id,
        fromNumber: OUR_NUMBER,
        toNumber: '+8613800000001',
        body: '您好，我来帮您看看账单。',
        status: 'sent',
        customerId: wei.id,
      });
      expect(row?.externalSid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(vi.mocked(notifySql)).toHaveBeenCalledWith({ kind: 'message', handoffId: handoff.id, agentId: ann.id });
    });

    it('sends a retried reply (same client key) once', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550021' });
      const first = await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: 'On it.', clientKey: 'k1' }, deps);
      const again = await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: 'On it.', clientKey: 'k1' }, deps);
      expect(again).toEqual(first);
      expect(await messagesOf(interaction.id)).toHaveLength(1);
    });

    it('refuses a reply a blocking QA rule finds, records every hit, and sends nothing', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550022' });
      const result = await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: 'That was a stupid question, I guarantee it' }, deps);
      expect(result).toEqual({
        ok: false,
        blocked: [{ ruleId: blockRule, ruleName: 'Rude words', action: 'block', message: 'Please stay polite.', excerpt: 'stupid' }],
      });
      expect(await messagesOf(interaction.id)).toEqual([]);
      const hits = await db.select().from(qaHits).where(eq(qaHits.handoffId, handoff.id));
      expect(hits.map((h) => [h.action, h.excerpt, h.agentId]).sort()).toEqual([
        ['block', 'stupid', ann.id],
        ['warn', 'guarantee', ann.id],
      ]);
    });

    it('sends a reply with a warning, and an inactive rule never fires', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550023' });
      const result = await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: 'hello, I guarantee a fix today' }, deps);
      expect(result.ok).toBe(true);
      expect(result.ok && result.warnings.map((w) => [w.action, w.excerpt])).toEqual([['warn', 'guarantee']]);
      expect((await messagesOf(interaction.id)).map((m) => m.body)).toEqual(['hello, I guarantee a fix today']);
      expect((await db.select().from(qaHits).where(eq(qaHits.handoffId, handoff.id))).map((h) => h.action)).toEqual(['warn']);
    });

    it('refuses a reply to somebody else’s or a closed conversation', async () => {
      const theirs = await conversation({ channel: 'sms', customer: maria, from: '+15005550024', agentId: bob.id });
      const closed = await conversation({ channel: 'sms', customer: maria, from: '+15005550025', status: 'resolved' });
      await expect(sendAgentReply(db, { handoffId: theirs.handoff.id, agentId: ann.id, body: 'hi' }, deps)).rejects.toMatchObject({ code: 'not-yours' });
      await expect(sendAgentReply(db, { handoffId: closed.handoff.id, agentId: ann.id, body: 'hi' }, deps)).rejects.toMatchObject({ code: 'not-live' });
      expect(await messagesOf(theirs.interaction.id)).toEqual([]);
    });

    it('on a sandbox call, says the reply as a line of the call the simulator shows; the caller answers back', async () => {
      const { interaction, handoff } = await conversation({ channel: 'voice', customer: maria, from: '+15005550026' });
      expect(await callBridge(db, interaction.externalId)).toEqual({ state: 'connected', agentName: 'Ann Agent', lines: [] });
      const reply = await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: 'Hi Maria, Ann here.' }, deps);
      expect(reply.ok).toBe(true);
      await callerLine(db, { callSid: interaction.externalId, body: ' My bill is wrong. ' });
      const bridge = await callBridge(db, interaction.externalId);
      expect(bridge.lines.map((l) => [l.who, l.body])).toEqual([
        ['agent', 'Hi Maria, Ann here.'],
        ['caller', 'My bill is wrong.'],
      ]);
      const rows = await messagesOf(interaction.id);
      expect(rows.map((m) => [m.channel, m.direction, m.agentId, m.fromNumber, m.toNumber])).toEqual([
        ['voice', 'outbound', ann.id, OUR_NUMBER, '+15005550026'],
        ['voice', 'inbound', ann.id, '+15005550026', OUR_NUMBER],
      ]);
      expect(vi.mocked(notifySql).mock.calls.map(([n]) => n)).toEqual([
        { kind: 'message', handoffId: handoff.id, agentId: ann.id },
        { kind: 'message', handoffId: handoff.id, agentId: ann.id },
      ]);
    });

    it('on a Twilio call, tells the agent to speak on the phone instead', async () => {
      const { interaction, handoff } = await conversation({ channel: 'voice', customer: maria, from: '+15005550027' });
      const twilio = recordingPort(db, 'twilio');
      await expect(sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: 'hi' }, { ...deps, port: async () => twilio.port })).rejects.toMatchObject({ code: 'on-the-phone' });
      expect(await messagesOf(interaction.id)).toEqual([]);
    });
  });

  describe('accept', () => {
    // service.acceptHandoff signals the conversation or call before onAccepted (service.int.test.ts).
    it('connects nothing for an SMS conversation (the service has ended its hold)', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: wei, from: '+8613800000002' });
      await onAccepted(db, handoff, deps);
      expect(temporal.signals).toEqual([]);
      expect(port.calls).toEqual([]);
      expect(interaction.status).toBe('running');
    });

    it('connects a held caller to the agent who took the call', async () => {
      const { interaction, handoff } = await conversation({ channel: 'voice', customer: maria, from: '+15005550028' });
      await onAccepted(db, handoff, deps);
      expect(temporal.signals).toEqual([]);
      expect(port.calls).toEqual([{ op: 'connect', callSid: interaction.externalId, agent: { id: ann.id, name: 'Ann Agent', phone: '+15005550111' } }]);
    });

    it('says so when the call cannot be connected', async () => {
      const { handoff } = await conversation({ channel: 'voice', customer: maria, from: '+15005550029' });
      const failing: TelephonyPort = { ...port.port, connectCall: async () => ({ ok: false, error: 'Ann Agent has no phone number to dial' }) };
      await expect(onAccepted(db, handoff, { ...deps, port: async () => failing })).rejects.toThrow(new ConversationError('connect-failed', 'The call could not be connected: Ann Agent has no phone number to dial'));
    });
  });

  describe('notes and transfer', () => {
    it('keeps a private note on the handoff and tells the inbox', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550030' });
      const note = await addNote(db, { handoffId: handoff.id, agentId: ann.id, body: ' Customer prefers email. ' });
      expect(await db.select().from(handoffNotes).where(eq(handoffNotes.handoffId, handoff.id))).toEqual([
        expect.objectContaining({ id: note.id, agentId: ann.id, body: 'Customer prefers email.' }),
      ]);
      expect(await messagesOf(interaction.id)).toEqual([]);
      expect(vi.mocked(notifySql)).toHaveBeenCalledWith({ kind: 'note', handoffId: handoff.id, agentId: ann.id });
      await expect(addNote(db, { handoffId: handoff.id, agentId: ann.id, body: '  ' })).rejects.toBeInstanceOf(ConversationError);
    });

    it('transfers the agent’s own conversation through the engine, and only theirs', async () => {
      const { handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550031' });
      expect(await transfer(db, { handoffId: handoff.id, agentId: ann.id, toSkill: 'support', note: ' needs a technician ' })).toBe(true);
      expect(vi.mocked(transferHandoff)).toHaveBeenCalledWith(db, { handoffId: handoff.id, byAgentId: ann.id, toSkill: 'support', note: 'needs a technician' });
      await expect(transfer(db, { handoffId: handoff.id, agentId: bob.id, toAgentId: ann.id, note: '' })).rejects.toMatchObject({ code: 'not-yours' });
      expect(vi.mocked(transferHandoff)).toHaveBeenCalledTimes(1);
      expect(vi.mocked(wakeHandoff)).toHaveBeenCalledWith(handoff.id, 'transferred');
    });
  });

  describe('resolve', () => {
    it('refuses while a required phrase for the wrap-up code was never said, and records the hit', async () => {
      const { handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550032' });
      await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: 'All sorted.' }, deps);
      const result = await resolve(db, { handoffId: handoff.id, agentId: ann.id, wrapCode: 'billing-fixed', firstContactResolution: true, sendCsat: true }, deps);
      expect(result).toMatchObject({ ok: false, blocked: [{ ruleName: 'Refund wording', action: 'block', message: 'Mention the refund.' }] });
      const row = firstRow(await db.select().from(handoffs).where(eq(handoffs.id, handoff.id)), 'handoffs');
      expect(row.status).toBe('assigned');
      expect(await db.select().from(qaHits).where(and(eq(qaHits.handoffId, handoff.id), eq(qaHits.action, 'block')))).toHaveLength(1);
      expect(vi.mocked(drainTo)).not.toHaveBeenCalled();
    });

    it('refuses an unknown or retired wrap-up code', async () => {
      const { handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550033' });
      await expect(resolve(db, { handoffId: handoff.id, agentId: ann.id, wrapCode: 'old-code', firstContactResolution: true, sendCsat: false }, deps)).rejects.toMatchObject({ code: 'wrap-code' });
    });

    it('hangs up a live call, resolves, sends the survey in the customer’s language and drains the backlog to the agent', async () => {
      const { interaction, handoff } = await conversation({ channel: 'voice', customer: wei, from: '+8613800000003' });
      await sendAgentReply(db, { handoffId: handoff.id, agentId: ann.id, body: '退款已经处理好了。' }, deps);
      const result = await resolve(db, { handoffId: handoff.id, agentId: ann.id, wrapCode: 'billing-fixed', firstContactResolution: true, sendCsat: true }, deps);
      expect(result).toEqual({ ok: true, csatSent: true });
      expect(vi.mocked(endHandoff)).toHaveBeenCalledWith(db, handoff.id, 'agent');
      expect(port.calls).toEqual([{ op: 'hangup', callSid: interaction.externalId }]);
      const row = firstRow(await db.select().from(handoffs).where(eq(handoffs.id, handoff.id)), 'handoffs');
      expect(row).toMatchObject({ status: 'resolved', wrapCode: 'billing-fixed', firstContactResolution: true });
      const survey = (await messagesOf(interaction.id)).filter((m) => m.channel === 'sms');
      expect(survey.map((m) => [m.body, m.toNumber, m.fromNumber, m.idempotencyKey])).toEqual([[CSAT_QUESTION['zh-CN'], '+8613800000003', OUR_NUMBER, `csat:${handoff.id}`]]);
      const after = firstRow(await db.select().from(interactions).where(eq(interactions.id, interaction.id)), 'interactions');
      expect(after.csatRequestedAt).toBeInstanceOf(Date);
      expect(vi.mocked(drainTo)).toHaveBeenCalledWith(db, ann.id);
      expect((await callBridge(db, interaction.externalId)).state).toBe('ended');
    });

    it('lets the agent end a live call before wrapping up: hung up once, the handoff in wrap-up', async () => {
      const { interaction, handoff } = await conversation({ channel: 'voice', customer: maria, from: '+15005550043' });
      expect(await endConversation(db, { handoffId: handoff.id, agentId: ann.id }, deps)).toBe(true);
      expect(await endConversation(db, { handoffId: handoff.id, agentId: ann.id }, deps)).toBe(false);
      expect(port.calls).toEqual([{ op: 'hangup', callSid: interaction.externalId }]);
      expect(firstRow(await db.select().from(handoffs).where(eq(handoffs.id, handoff.id)), 'handoffs').status).toBe('wrap-up');
      await expect(endConversation(db, { handoffId: handoff.id, agentId: bob.id }, deps)).rejects.toMatchObject({ code: 'not-yours' });
    });

    it('resolves a conversation already in wrap-up without a survey, hanging up nothing', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: maria, from: '+15005550034', status: 'wrap-up' });
      await db.insert(messages).values({ interactionId: interaction.id, direction: 'outbound', fromNumber: OUR_NUMBER, toNumber: '+15005550034', body: 'Your refund is on its way', status: 'sent', agentId: ann.id });
      expect(await resolve(db, { handoffId: handoff.id, agentId: ann.id, wrapCode: 'billing-fixed', firstContactResolution: false, sendCsat: false }, deps)).toEqual({ ok: true, csatSent: false });
      expect(vi.mocked(endHandoff)).not.toHaveBeenCalled();
      expect(port.calls).toEqual([]);
      expect((await messagesOf(interaction.id)).map((m) => m.body)).toEqual(['Your refund is on its way']);
      const after = firstRow(await db.select().from(interactions).where(eq(interactions.id, interaction.id)), 'interactions');
      expect(after.csatRequestedAt).toBeNull();
    });
  });

  describe('the customer’s texts', () => {
    it('stores a text to an agent-held conversation on it, for the agent, once', async () => {
      const { interaction, handoff } = await conversation({ channel: 'sms', customer: wei, from: '+8613800000004' });
      const text = { sid: `SM${'e'.repeat(32)}`, from: '+8613800000004', to: OUR_NUMBER, body: '谢谢！', isTest: false };
      expect(await routeInboundSms(db, text)).toBe('agent');
      expect(await routeInboundSms(db, text)).toBe('agent');
      const rows = await messagesOf(interaction.id);
      expect(rows.map((m) => [m.direction, m.body, m.agentId, m.externalSid, m.channel, m.status])).toEqual([['inbound', '谢谢！', ann.id, text.sid, 'sms', 'received']]);
      expect(vi.mocked(notifySql)).toHaveBeenCalledWith({ kind: 'message', handoffId: handoff.id, agentId: ann.id });
    });

    it('leaves texts to the flow when nobody holds the conversation (waiting, closed, another number, a test run)', async () => {
      await conversation({ channel: 'sms', customer: maria, from: '+15005550035', status: 'offered', agentId: null });
      await conversation({ channel: 'sms', customer: maria, from: '+15005550036', status: 'resolved' });
      await conversation({ channel: 'sms', customer: maria, from: '+15005550037', isTest: true });
      const text = (from: string, to = OUR_NUMBER, isTest = false) => ({ sid: `SM${randomBytes(16).toString('hex')}`, from, to, body: 'hello?', isTest });
      expect(await routeInboundSms(db, text('+15005550035'))).toBeNull();
      expect(await routeInboundSms(db, text('+15005550036'))).toBeNull();
      expect(await routeInboundSms(db, text('+15005550037'))).toBeNull();
      expect(await routeInboundSms(db, text('+15005550037', OUR_NUMBER, true))).toBe('agent');
      expect(await routeInboundSms(db, text('+15005550038'))).toBeNull();
    });

    it('takes a 1–5 answer to a survey of the last 24 hours onto the interaction, once', async () => {
      const now = new Date();
      const { interaction } = await conversation({ channel: 'voice', customer: maria, from: '+15005550039', status: 'resolved' });
      await db.update(interactions).set({ csatRequestedAt: new Date(now.getTime() - 60_000) }).where(eq(interactions.id, interaction.id));
      const text = (body: string) => ({ sid: `SM${randomBytes(16).toString('hex')}`, from: '+15005550039', to: OUR_NUMBER, body, isTest: false });
      expect(await routeInboundSms(db, text('great'))).toBeNull();
      expect(await routeInboundSms(db, text('6'))).toBeNull();
      expect(await routeInboundSms(db, text(' 4 '), now)).toBe('csat');
      expect(await routeInboundSms(db, text('5'), now)).toBeNull();
      const after = firstRow(await db.select().from(interactions).where(eq(interactions.id, interaction.id)), 'interactions');
      expect(after.csat).toBe(4);
      expect((await messagesOf(interaction.id)).map((m) => [m.direction, m.body, m.channel])).toEqual([['inbound', ' 4 ', 'sms']]);
    });

    it('ignores an answer to a survey older than 24 hours', async () => {
      const now = new Date();
      const { interaction } = await conversation({ channel: 'sms', customer: maria, from: '+15005550040', status: 'resolved' });
      await db.update(interactions).set({ csatRequestedAt: new Date(now.getTime() - 25 * 3600_000) }).where(eq(interactions.id, interaction.id));
      expect(await routeInboundSms(db, { sid: `SM${'f'.repeat(32)}`, from: '+15005550040', to: OUR_NUMBER, body: '3', isTest: false }, now)).toBeNull();
      expect(firstRow(await db.select().from(interactions).where(eq(interactions.id, interaction.id)), 'interactions').csat).toBeNull();
    });
  });

  describe('the end of a call', () => {
    it('sends a connected caller’s handoff to wrap-up when the call ends, once', async () => {
      const { interaction, handoff } = await conversation({ channel: 'voice', customer: maria, from: '+15005550041' });
      expect(await onCallEnded(db, interaction.externalId)).toBe(true);
      expect(await onCallEnded(db, interaction.externalId)).toBe(false);
      expect(vi.mocked(endHandoff)).toHaveBeenCalledWith(db, handoff.id, 'customer');
      expect(firstRow(await db.select().from(handoffs).where(eq(handoffs.id, handoff.id)), 'handoffs').status).toBe('wrap-up');
      expect(await callBridge(db, interaction.externalId)).toMatchObject({ state: 'ended', agentName: null });
      await expect(callerLine(db, { callSid: interaction.externalId, body: 'hello?' })).rejects.toMatchObject({ code: 'not-live' });
    });

    it('shows a caller still waiting, and a call with no handoff, as not connected; a waiting caller who hangs up abandons the queue, once', async () => {
      const waiting = await conversation({ channel: 'voice', customer: maria, from: '+15005550042', status: 'offered', agentId: null });
      expect(await callBridge(db, waiting.interaction.externalId)).toEqual({ state: 'waiting', agentName: null, lines: [] });
      expect(await callBridge(db, callSid())).toEqual({ state: 'none', agentName: null, lines: [] });
      expect(await onCallEnded(db, waiting.interaction.externalId)).toBe(true);
      expect(vi.mocked(closeHandoff)).toHaveBeenCalledWith(db, waiting.handoff.id, 'abandoned');
      expect(vi.mocked(wakeHandoff)).toHaveBeenCalledWith(waiting.handoff.id, 'closed');
      expect(firstRow(await db.select().from(handoffs).where(eq(handoffs.id, waiting.handoff.id)), 'handoffs').status).toBe('abandoned');
      expect(await onCallEnded(db, waiting.interaction.externalId)).toBe(false);
    });

    it('abandons a caller waiting again after a transfer when they hang up: no flow holds them any more', async () => {
      const { interaction, handoff } = await conversation({ channel: 'voice', customer: maria, from: '+15005550043' });
      await transfer(db, { handoffId: handoff.id, agentId: ann.id, toSkill: 'support', note: 'needs a technician' }, deps);
      // Taken from the agent back into the new queue, with hold music, until the next agent takes the call.
      expect(port.calls).toEqual([{ op: 'hold', callSid: interaction.externalId, hold: { queue: 'support', language: 'en-US', until: expect.any(Number) } }]);
      expect(firstRow(await db.select().from(handoffs).where(eq(handoffs.id, handoff.id)), 'handoffs').status).toBe('queued');
      expect(await onCallEnded(db, interaction.externalId)).toBe(true);
      expect(firstRow(await db.select().from(handoffs).where(eq(handoffs.id, handoff.id)), 'handoffs').status).toBe('abandoned');
    });
  });
});
