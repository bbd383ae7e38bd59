import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { agents, customers, handoffNotes, handoffs, interactions, messages, wrapCodes } from '@/db/schema';
import { env } from '@/env';
import { temporalClient } from '@/temporal/client';
import type { TelephonyPort } from '@/telephony/port';
import { telephonyPort } from '@/telephony/port';
import { createSandboxPort } from '@/telephony/sandbox-port';
import { closeHandoff, endHandoff, resolveHandoff, transferHandoff, type HandoffRow } from './assign';
import { notifySql } from './events';
import { checkReply, checkResolve, type QaFinding } from './qa';
import { activeQaRules, recordQaHits } from './admin';
import { drainTo, wakeHandoff } from './service';

/**
 * An agent's conversation with the customer of a handoff (owner: conversation): the channel work
 * behind accept, reply, transfer, resolve, through the telephony port (Twilio or the sandbox).
 */

/** What the conversation needs from outside; tests swap pieces out. */
export interface ConversationDeps {
  /** The port for an interaction: draft test runs never reach real phones. */
  port: (interaction: { isTest: boolean }) => Promise<TelephonyPort>;
  temporal: () => Promise<Client>;
}

function depsFor(db: Db, overrides: Partial<ConversationDeps> = {}): ConversationDeps {
  return {
    port: async ({ isTest }) => (isTest || env.TELEPHONY !== 'twilio' ? createSandboxPort(async () => db) : telephonyPort()),
    temporal: temporalClient,
    ...overrides,
  };
}

export type ConversationErrorCode = 'not-found' | 'not-yours' | 'not-live' | 'on-the-phone' | 'wrap-code' | 'send-failed' | 'connect-failed';

/** A refusal the agent can act on (the router maps it to a 4xx with the message). */
export class ConversationError extends Error {
  constructor(
    readonly code: ConversationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConversationError';
  }
}

type InteractionRow = typeof interactions.$inferSelect;

interface Conversation {
  handoff: HandoffRow;
  interaction: InteractionRow;
}

async function conversationOf(db: Db, handoffId: string): Promise<Conversation> {
  const [row] = await db.select({ handoff: handoffs, interaction: interactions }).from(handoffs).innerJoin(interactions, eq(interactions.id, handoffs.interactionId)).where(eq(handoffs.id, handoffId));
  if (!row) throw new ConversationError('not-found', 'This conversation does not exist.');
  return row;
}

/** The handoff is the agent's and still open to them (assigned, or in wrap-up). */
async function heldBy(db: Db, handoffId: string, agentId: string): Promise<Conversation> {
  const conversation = await conversationOf(db, handoffId);
  if (conversation.handoff.assignedAgentId !== agentId) throw new ConversationError('not-yours', 'This conversation is not yours.');
  if (conversation.handoff.status !== 'assigned' && conversation.handoff.status !== 'wrap-up') throw new ConversationError('not-live', 'This conversation is over.');
  return conversation;
}

async function recordHits(db: Db, findings: readonly QaFinding[], agentId: string, handoffId: string): Promise<void> {
  if (findings.length === 0) return;
  await recordQaHits(db, { agentId, handoffId, findings });
  await db.execute(notifySql({ kind: 'qa', handoffId, agentId }));
}

/** After an accept: SMS — the conversation stops holding; voice — the caller is connected to the agent. */
export async function onAccepted(db: Db, handoff: HandoffRow, overrides?: Partial<ConversationDeps>): Promise<void> {
  const deps = depsFor(db, overrides);
  if (handoff.interactionId === null || handoff.assignedAgentId === null) return;
  const [interaction] = await db.select().from(interactions).where(eq(interactions.id, handoff.interactionId));
  if (!interaction) return;
  // service.acceptHandoff has told the call or conversation already, so however the call then
  // leaves its queue, it knows why.
  if (interaction.channel !== 'voice') return;
  const [agent] = await db.select({ id: agents.id, name: agents.name, phone: agents.phone }).from(agents).where(eq(agents.id, handoff.assignedAgentId));
  if (!agent) return;
  const connected = await (await deps.port(interaction)).connectCall(interaction.externalId, agent);
  if (!connected.ok) throw new ConversationError('connect-failed', `The call could not be connected: ${connected.error}`);
}

export type ReplyResult = { ok: true; messageId: string; warnings: QaFinding[] } | { ok: false; blocked: QaFinding[] };

/**
 * The agent's reply: checked by the QA rules, then sent (SMS) or shown to the caller (a sandbox
 * call, where the simulator is the caller's phone). `clientKey` makes a retried send one message.
 */
export async function sendAgentReply(
  db: Db,
  input: { handoffId: string; agentId: string; body: string; clientKey?: string },
  overrides?: Partial<ConversationDeps>,
): Promise<ReplyResult> {
  const deps = depsFor(db, overrides);
  const body = input.body.trim();
  const { handoff, interaction } = await heldBy(db, input.handoffId, input.agentId);
  const port = await deps.port(interaction);
  if (interaction.channel === 'voice') {
    if (handoff.status !== 'assigned') throw new ConversationError('not-live', 'The call has ended.');
    if (port.kind !== 'sandbox') throw new ConversationError('on-the-phone', 'This caller is on the phone with you: speak to them.');
  }
  const findings = checkReply(await activeQaRules(db), body);
  await recordHits(db, findings, input.agentId, handoff.id);
  const blocked = findings.filter((f) => f.action === 'block');
  if (blocked.length > 0) return { ok: false, blocked };

  const idempotencyKey = `agent:${handoff.id}:${input.clientKey ?? randomUUID()}`;
  // The customer is who started the interaction; the reply comes from the number they reached.
  const line = { to: interaction.fromNumber, from: interaction.toNumber, body, idempotencyKey, interactionId: interaction.id, customerId: interaction.customerId, agentId: input.agentId };
  if (interaction.channel === 'sms') {
    const sent = await port.sendSms(line);
    if (!sent.ok) throw new ConversationError('send-failed', `The message was not sent: ${sent.error}`);
  } else {
    await db
      .insert(messages)
      .values({ interactionId: line.interactionId, customerId: line.customerId, direction: 'outbound', fromNumber: line.from, toNumber: line.to, body, idempotencyKey, status: 'sent', agentId: input.agentId, channel: 'voice' })
      .onConflictDoNothing({ target: messages.idempotencyKey });
  }
  const [row] = await db.select({ id: messages.id }).from(messages).where(eq(messages.idempotencyKey, idempotencyKey));
  if (!row) throw new ConversationError('send-failed', 'The message was not stored.');
  await db.execute(notifySql({ kind: 'message', handoffId: handoff.id, agentId: input.agentId }));
  return { ok: true, messageId: row.id, warnings: findings };
}

/** A private note on the handoff (never sent). */
export async function addNote(db: Db, input: { handoffId: string; agentId: string; body: string }): Promise<{ id: string }> {
  const body = input.body.trim();
  if (body === '') throw new ConversationError('not-found', 'A note needs some text.');
  await conversationOf(db, input.handoffId);
  return db.transaction(async (tx) => {
    const [note] = await tx.insert(handoffNotes).values({ handoffId: input.handoffId, agentId: input.agentId, body }).returning({ id: handoffNotes.id });
    if (!note) throw new ConversationError('not-found', 'The note was not stored.');
    await tx.execute(notifySql({ kind: 'note', handoffId: input.handoffId, agentId: input.agentId }));
    return note;
  });
}

/** How long a caller transferred off a live call waits for the next agent before the goodbye. */
export const TRANSFER_HOLD_SECONDS = 30 * 60;

/**
 * Hands the customer to another skill or agent with a note; the context travels with the handoff.
 * A connected caller goes back on hold in the new queue until the next agent accepts (the accept
 * connects the call as the first one did).
 */
export async function transfer(
  db: Db,
  input: { handoffId: string; agentId: string; toSkill?: string; toAgentId?: string; note: string },
  overrides?: Partial<ConversationDeps>,
): Promise<boolean> {
  const { handoff, interaction } = await heldBy(db, input.handoffId, input.agentId);
  const moved = await transferHandoff(db, {
    handoffId: input.handoffId,
    byAgentId: input.agentId,
    ...(input.toSkill !== undefined && { toSkill: input.toSkill }),
    ...(input.toAgentId !== undefined && { toAgentId: input.toAgentId }),
    note: input.note.trim(),
  });
  if (moved === null) return false;
  // A caller talking to the agent goes back on hold (music) until the next agent takes them.
  if (interaction.channel === 'voice' && handoff.status === 'assigned') {
    const [customer] = interaction.customerId ? await db.select({ locale: customers.locale }).from(customers).where(eq(customers.id, interaction.customerId)) : [];
    const held = await (await depsFor(db, overrides).port(interaction)).holdCall(interaction.externalId, { queue: moved.reqSkill, language: customer?.locale ?? 'en-US', until: Date.now() + TRANSFER_HOLD_SECONDS * 1000 });
    if (!held.ok) console.error(`transfer: could not put call ${interaction.externalId} on hold: ${held.error}`);
  }
  // The handoff's workflow ended when it was assigned: it waits again, in the new queue.
  await wakeHandoff(input.handoffId, 'transferred');
  return true;
}

/** The agent ends the live conversation (a call is hung up) and goes to wrap-up; false when it was not live. */
export async function endConversation(db: Db, input: { handoffId: string; agentId: string }, overrides?: Partial<ConversationDeps>): Promise<boolean> {
  const { handoff, interaction } = await heldBy(db, input.handoffId, input.agentId);
  if (handoff.status !== 'assigned') return false;
  return endLive(db, handoff, interaction, await depsFor(db, overrides).port(interaction));
}

async function endLive(db: Db, handoff: HandoffRow, interaction: InteractionRow, port: TelephonyPort): Promise<boolean> {
  const ended = await endHandoff(db, handoff.id, 'agent');
  // The status callback that follows finds the handoff in wrap-up already and leaves it there.
  if (ended && interaction.channel === 'voice') await port.hangupCall(interaction.externalId);
  return ended;
}

export type ResolveResult = { ok: true; csatSent: boolean } | { ok: false; blocked: QaFinding[] };

/** The survey after a resolved contact, in the customer's language. */
export const CSAT_QUESTION = {
  'en-US': 'How did we do? Reply 1–5 (5 = excellent).',
  'zh-CN': '您对本次服务满意吗？请回复 1–5 评分（5 = 非常满意）。',
} as const;

/** Ends the conversation if still live, resolves with the wrap-up code, then sends the CSAT survey when asked. */
export async function resolve(
  db: Db,
  input: { handoffId: string; agentId: string; wrapCode: string; firstContactResolution: boolean; sendCsat: boolean },
  overrides?: Partial<ConversationDeps>,
): Promise<ResolveResult> {
  const deps = depsFor(db, overrides);
  const { handoff, interaction } = await heldBy(db, input.handoffId, input.agentId);
  const [code] = await db.select({ id: wrapCodes.id }).from(wrapCodes).where(and(eq(wrapCodes.id, input.wrapCode), eq(wrapCodes.active, true)));
  if (!code) throw new ConversationError('wrap-code', 'Choose a wrap-up code.');

  const said = await db
    .select({ body: messages.body })
    .from(messages)
    .where(and(eq(messages.interactionId, interaction.id), eq(messages.direction, 'outbound'), eq(messages.agentId, input.agentId)))
    .orderBy(asc(messages.createdAt));
  const findings = checkResolve(await activeQaRules(db), input.wrapCode, said.map((m) => m.body));
  await recordHits(db, findings, input.agentId, handoff.id);
  const blocked = findings.filter((f) => f.action === 'block');
  if (blocked.length > 0) return { ok: false, blocked };

  const port = await deps.port(interaction);
  if (handoff.status === 'assigned') await endLive(db, handoff, interaction, port);
  const resolved = await resolveHandoff(db, { handoffId: handoff.id, agentId: input.agentId, wrapCode: input.wrapCode, firstContactResolution: input.firstContactResolution });
  if (!resolved) throw new ConversationError('not-live', 'This conversation could not be resolved.');

  const csatSent = input.sendCsat ? await sendCsat(db, port, interaction, handoff.id) : false;
  try {
    await drainTo(db, input.agentId);
  } catch (error) {
    // Resolved all the same; the agent's next heartbeat drains the backlog to them.
    console.error('drain after resolve failed', error);
  }
  return { ok: true, csatSent };
}

async function sendCsat(db: Db, port: TelephonyPort, interaction: InteractionRow, handoffId: string): Promise<boolean> {
  const [customer] = interaction.customerId ? await db.select({ locale: customers.locale }).from(customers).where(eq(customers.id, interaction.customerId)) : [];
  const sent = await port.sendSms({
    to: interaction.fromNumber,
    from: interaction.toNumber,
    body: CSAT_QUESTION[customer?.locale ?? 'en-US'],
    idempotencyKey: `csat:${handoffId}`,
    interactionId: interaction.id,
    customerId: interaction.customerId,
  });
  if (!sent.ok) return false;
  await db.update(interactions).set({ csatRequestedAt: new Date() }).where(and(eq(interactions.id, interaction.id), isNull(interactions.csat)));
  return true;
}

// --- the customer's side ------------------------------------------------------------------

/** How long a survey waits for its answer. */
const CSAT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * An inbound text that is not the flow's: for the agent who holds this customer's conversation on
 * this number, or the answer (1–5) to a survey sent in the last 24 hours. Stored, and the inbox
 * told; returns where it went, or null when the flow should take it.
 */
export async function routeInboundSms(db: Db, message: { sid: string; from: string; to: string; body: string; isTest: boolean }, now = new Date()): Promise<'agent' | 'csat' | null> {
  const [held] = await db
    .select({ handoffId: handoffs.id, agentId: handoffs.assignedAgentId, interactionId: interactions.id, customerId: interactions.customerId })
    .from(handoffs)
    .innerJoin(interactions, eq(interactions.id, handoffs.interactionId))
    .where(
      and(
        eq(handoffs.channel, 'sms'),
        inArray(handoffs.status, ['assigned', 'wrap-up']),
        eq(interactions.fromNumber, message.from),
        eq(interactions.toNumber, message.to),
        eq(interactions.isTest, message.isTest),
      ),
    )
    .orderBy(desc(handoffs.createdAt))
    .limit(1);
  if (held) {
    await storeInbound(db, message, { interactionId: held.interactionId, customerId: held.customerId, agentId: held.agentId, channel: 'sms' });
    await db.execute(notifySql({ kind: 'message', handoffId: held.handoffId, ...(held.agentId && { agentId: held.agentId }) }));
    return 'agent';
  }

  const score = /^[1-5]$/.exec(message.body.trim())?.[0];
  if (score === undefined) return null;
  const [surveyed] = await db
    .select({ id: interactions.id, customerId: interactions.customerId })
    .from(interactions)
    .where(
      and(
        eq(interactions.fromNumber, message.from),
        eq(interactions.toNumber, message.to),
        eq(interactions.isTest, message.isTest),
        isNull(interactions.csat),
        isNotNull(interactions.csatRequestedAt),
        gt(interactions.csatRequestedAt, new Date(now.getTime() - CSAT_WINDOW_MS)),
      ),
    )
    .orderBy(desc(interactions.csatRequestedAt))
    .limit(1);
  if (!surveyed) return null;
  await db.update(interactions).set({ csat: Number(score) }).where(and(eq(interactions.id, surveyed.id), isNull(interactions.csat)));
  await storeInbound(db, message, { interactionId: surveyed.id, customerId: surveyed.customerId, agentId: null, channel: 'sms' });
  await db.execute(notifySql({ kind: 'csat' }));
  return 'csat';
}

async function storeInbound(
  db: Db,
  message: { sid: string | null; from: string; to: string; body: string },
  on: { interactionId: string; customerId: string | null; agentId: string | null; channel: 'sms' | 'voice' },
): Promise<void> {
  await db
    .insert(messages)
    .values({ ...on, direction: 'inbound', fromNumber: message.from, toNumber: message.to, body: message.body, externalSid: message.sid, status: 'received' })
    .onConflictDoNothing({ target: messages.externalSid });
}

// --- a call's bridge ------------------------------------------------------------------------

/** The newest handoff of a call, with its interaction. */
async function callHandoff(db: Db, callSid: string) {
  const [row] = await db
    .select({ handoff: handoffs, interaction: interactions })
    .from(interactions)
    .innerJoin(handoffs, eq(handoffs.interactionId, interactions.id))
    .where(and(eq(interactions.externalId, callSid), eq(interactions.channel, 'voice')))
    .orderBy(desc(handoffs.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * The call ended (Twilio's status callback, or the simulator's): a connected caller's handoff goes
 * to wrap-up; one still waiting is abandoned. That is the only close a caller waiting again after a
 * transfer gets (no flow holds them any more); during the flow's own hold its close then finds it done.
 */
export async function onCallEnded(db: Db, callSid: string): Promise<boolean> {
  const row = await callHandoff(db, callSid);
  if (!row) return false;
  const { handoff } = row;
  if (handoff.status === 'assigned') return endHandoff(db, handoff.id, 'customer');
  if (handoff.status !== 'queued' && handoff.status !== 'offered') return false;
  if (!(await closeHandoff(db, handoff.id, 'abandoned'))) return false;
  await wakeHandoff(handoff.id, 'closed');
  return true;
}

export interface BridgeLine {
  id: string;
  who: 'caller' | 'agent';
  body: string;
  at: string;
}

export interface CallBridge {
  /** none: no agent involved (or the hold ended without one); waiting: in the queue; connected; ended: the agent's side is over. */
  state: 'none' | 'waiting' | 'connected' | 'ended';
  agentName: string | null;
  lines: BridgeLine[];
}

/** What the simulator (the caller's phone) shows of a sandbox call's bridge to an agent. */
export async function callBridge(db: Db, callSid: string): Promise<CallBridge> {
  const row = await callHandoff(db, callSid);
  if (!row) return { state: 'none', agentName: null, lines: [] };
  const { handoff, interaction } = row;
  const state: CallBridge['state'] =
    handoff.status === 'assigned' ? 'connected' : handoff.status === 'queued' || handoff.status === 'offered' ? 'waiting' : handoff.status === 'wrap-up' || handoff.status === 'resolved' ? 'ended' : 'none';
  const [agent] = handoff.assignedAgentId ? await db.select({ name: agents.name }).from(agents).where(eq(agents.id, handoff.assignedAgentId)) : [];
  const lines = await db
    .select({ id: messages.id, direction: messages.direction, body: messages.body, at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.interactionId, interaction.id), eq(messages.channel, 'voice')))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  return {
    state,
    agentName: state === 'connected' ? (agent?.name ?? null) : null,
    lines: lines.map((l) => ({ id: l.id, who: l.direction === 'inbound' ? 'caller' : 'agent', body: l.body, at: l.at.toISOString() })),
  };
}

/** A line the caller says to the connected agent (typed in the simulator). */
export async function callerLine(db: Db, input: { callSid: string; body: string }): Promise<void> {
  const body = input.body.trim();
  const row = await callHandoff(db, input.callSid);
  if (row?.handoff.status !== 'assigned' || body === '') throw new ConversationError('not-live', 'Nobody is on the line.');
  const { handoff, interaction } = row;
  await storeInbound(db, { sid: null, from: interaction.fromNumber, to: interaction.toNumber, body }, { interactionId: interaction.id, customerId: interaction.customerId, agentId: handoff.assignedAgentId, channel: 'voice' });
  await db.execute(notifySql({ kind: 'message', handoffId: handoff.id, ...(handoff.assignedAgentId && { agentId: handoff.assignedAgentId }) }));
}
