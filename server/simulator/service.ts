import 'server-only';
import { and, asc, desc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customerIdentities, customers, customerTags, flows, interactions, messages, phoneNumbers } from '@/db/schema';
import { env } from '@/env';
import { getDefinition } from '@/nodes/registry';
import type { Channel } from '@/workflows/catalog';
import { parseTwiml, type TwimlVerb } from './twiml-parse';
import {
  callEventParams,
  resolveWebhookUrl,
  signedRequest,
  smsParams,
  TEST_FLOW_PARAM,
  twilioSid,
  webhookUrl,
  WEBHOOK_PATHS,
  type CallEvent,
  type SimCall,
} from './twilio-request';

/**
 * The simulator plays Twilio's part: it builds Twilio-shaped form posts, signs them with the real
 * auth token, posts them over HTTP to this app's own webhooks at PUBLIC_BASE_URL, and hands the
 * TwiML back (raw and parsed) to the phone in the browser, which never sees the token.
 */

/** The number a draft test run "calls" when the flow has no number of its own yet. */
export const SIMULATOR_TEST_NUMBER = '+15005550199';

export class SimulatorError extends Error {}

/** Who is calling: a known customer (their phone identity is used) or any number. */
export type SimCaller = { customerId: string } | { number: string };

export interface CallSession {
  callSid: string;
  to: string;
  caller: SimCaller;
  testFlowId: string | null;
}

export interface WebhookExchange {
  url: string;
  params: Record<string, string>;
  status: number;
  ms: number;
  twiml: string;
  verbs: TwimlVerb[];
  error: string | null;
}

async function callerNumber(db: Db, caller: SimCaller): Promise<string> {
  if ('number' in caller) return caller.number;
  const [row] = await db
    .select({ value: customerIdentities.value })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.customerId, caller.customerId), eq(customerIdentities.kind, 'phone')))
    .orderBy(asc(customerIdentities.createdAt))
    .limit(1);
  if (!row) throw new SimulatorError('This customer has no phone number to call from.');
  return row.value;
}

/** How requests reach the webhooks: HTTP to PUBLIC_BASE_URL; tests hand them to the route handlers. */
export interface Transport {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Twilio gives up after 15 s; the simulator waits a little longer to show what happened. */
  timeoutMs: number;
}

export const httpTransport: Transport = { fetch: (url, init) => fetch(url, init), timeoutMs: 20_000 };

/** Signs and posts one webhook, as Twilio would, and reads the TwiML answer. */
export async function postWebhook(url: string, params: Record<string, string>, transport: Transport = httpTransport): Promise<WebhookExchange> {
  const request = signedRequest(url, params);
  const started = performance.now();
  let status = 0;
  let twiml = '';
  let error: string | null = null;
  let verbs: TwimlVerb[] = [];
  try {
    const response = await transport.fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(transport.timeoutMs), redirect: 'manual', cache: 'no-store' });
    status = response.status;
    twiml = await response.text();
    if (!response.ok) error = `The webhook answered ${response.status}`;
  } catch (e) {
    error = `The webhook did not answer: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (error === null) {
    try {
      verbs = parseTwiml(twiml).verbs;
    } catch (e) {
      error = `The webhook's answer is not TwiML: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return { url, params, status, ms: Math.round(performance.now() - started), twiml, verbs, error };
}

async function numberForFlow(db: Db, flowId: string, channel: 'voice' | 'sms'): Promise<string> {
  const column = channel === 'voice' ? phoneNumbers.voiceFlowId : phoneNumbers.smsFlowId;
  const [row] = await db.select({ number: phoneNumbers.number }).from(phoneNumbers).where(eq(column, flowId)).orderBy(phoneNumbers.number).limit(1);
  return row?.number ?? SIMULATOR_TEST_NUMBER;
}

async function destination(db: Db, input: { to?: string; flowId?: string }, channel: 'voice' | 'sms') {
  if (input.flowId) {
    const [flow] = await db.select({ id: flows.id }).from(flows).where(eq(flows.id, input.flowId));
    if (!flow) throw new SimulatorError('That flow does not exist.');
    return { to: await numberForFlow(db, input.flowId, channel), testFlowId: input.flowId };
  }
  if (!input.to) throw new SimulatorError('Choose a number or a flow draft to call.');
  return { to: input.to, testFlowId: null };
}

/** Places a call: the incoming-call webhook with a fresh CallSid. */
export async function startCall(db: Db, input: { to?: string; flowId?: string; caller: SimCaller }, transport?: Transport) {
  const { to, testFlowId } = await destination(db, input, 'voice');
  const session: CallSession = { callSid: twilioSid('CA'), to, caller: input.caller, testFlowId };
  const call: SimCall = { callSid: session.callSid, from: await callerNumber(db, input.caller), to };
  const url = webhookUrl(env.PUBLIC_BASE_URL, WEBHOOK_PATHS.voice, { [TEST_FLOW_PARAM]: testFlowId ?? undefined });
  return { session, exchange: await postWebhook(url, callEventParams(call, { kind: 'start' }), transport) };
}

/**
 * One later event of a call. `url` is the action / waitUrl / redirect URL from the TwiML (resolved
 * against the document it came from, and refused unless it is one of this app's webhooks); the
 * status callback always goes to the status webhook.
 */
export async function callEvent(db: Db, input: { session: CallSession; event: Exclude<CallEvent, { kind: 'start' }>; url?: string; documentUrl?: string }, transport?: Transport) {
  const call: SimCall = { callSid: input.session.callSid, from: await callerNumber(db, input.session.caller), to: input.session.to };
  const url =
    input.event.kind === 'status'
      ? webhookUrl(env.PUBLIC_BASE_URL, WEBHOOK_PATHS.status)
      : resolveWebhookUrl(input.url ?? input.documentUrl ?? '', input.documentUrl ?? webhookUrl(env.PUBLIC_BASE_URL, WEBHOOK_PATHS.voice), env.PUBLIC_BASE_URL);
  return postWebhook(url, callEventParams(call, input.event), transport);
}

/** An inbound text message: the SMS webhook with a fresh MessageSid. */
export async function sendSms(db: Db, input: { to?: string; flowId?: string; caller: SimCaller; body: string }, transport?: Transport) {
  const { to, testFlowId } = await destination(db, input, 'sms');
  const from = await callerNumber(db, input.caller);
  const url = webhookUrl(env.PUBLIC_BASE_URL, WEBHOOK_PATHS.sms, { [TEST_FLOW_PARAM]: testFlowId ?? undefined });
  const exchange = await postWebhook(url, smsParams({ messageSid: twilioSid('SM'), from, to, body: input.body }), transport);
  return { to, exchange };
}

/**
 * The caller's message thread: what they sent to the number, what the number sent back, and
 * every other outbound message to the caller (the sandbox outbox), oldest first. Lines said on a
 * call (channel voice) are the call's, not the thread's.
 */
export async function thread(db: Db, input: { caller: SimCaller; number?: string; limit?: number }) {
  const from = await callerNumber(db, input.caller);
  const inbound = input.number ? and(eq(messages.fromNumber, from), eq(messages.toNumber, input.number)) : eq(messages.fromNumber, from);
  const rows = await db
    .select({
      id: messages.id,
      direction: messages.direction,
      body: messages.body,
      status: messages.status,
      error: messages.error,
      fromNumber: messages.fromNumber,
      toNumber: messages.toNumber,
      createdAt: messages.createdAt,
      interactionId: messages.interactionId,
      channel: interactions.channel,
    })
    .from(messages)
    .leftJoin(interactions, eq(interactions.id, messages.interactionId))
    .where(and(eq(messages.channel, 'sms'), or(and(eq(messages.direction, 'inbound'), inbound), and(eq(messages.direction, 'outbound'), eq(messages.toNumber, from)))))
    .orderBy(desc(messages.createdAt))
    .limit(input.limit ?? 100);
  return rows.reverse();
}

/** The interaction a simulated call or conversation started, once the runtime has opened it. */
export async function findExecution(db: Db, input: { callSid?: string; interactionId?: string }) {
  const where = input.callSid ? and(eq(interactions.externalId, input.callSid), eq(interactions.channel, 'voice')) : input.interactionId ? eq(interactions.id, input.interactionId) : undefined;
  if (!where) return null;
  const [row] = await db
    .select({ id: interactions.id, flowId: interactions.flowId, status: interactions.status, isTest: interactions.isTest })
    .from(interactions)
    .where(where)
    .limit(1);
  return row ?? null;
}

/** What the simulator offers: numbers with their flows, flow drafts, and demo customers with tags. */
export async function simulatorOptions(db: Db) {
  const [numberRows, flowRows, customerRows] = await Promise.all([
    db
      .select({ number: phoneNumbers.number, label: phoneNumbers.label, voiceFlowId: phoneNumbers.voiceFlowId, smsFlowId: phoneNumbers.smsFlowId })
      .from(phoneNumbers)
      .where(eq(phoneNumbers.active, true))
      .orderBy(phoneNumbers.number),
    db.select({ id: flows.id, name: flows.name, draft: flows.draft, liveVersionId: flows.liveVersionId }).from(flows).where(eq(flows.status, 'active')).orderBy(flows.name),
    db
      .select({ id: customers.id, firstName: customers.firstName, lastName: customers.lastName, locale: customers.locale, phone: customerIdentities.value })
      .from(customers)
      .innerJoin(customerIdentities, and(eq(customerIdentities.customerId, customers.id), eq(customerIdentities.kind, 'phone')))
      .where(isNotNull(customers.firstName))
      // The most recently added callers (a real customer base has far more than a picker shows),
      // listed by name below.
      .orderBy(desc(customers.createdAt), asc(customers.id))
      .limit(200)
      .then((rows) => rows.sort((a, b) => (a.lastName ?? '').localeCompare(b.lastName ?? '') || (a.firstName ?? '').localeCompare(b.firstName ?? ''))),
  ]);
  const flowName = new Map(flowRows.map((f) => [f.id, f.name]));
  const ids = [...new Set(customerRows.map((c) => c.id))];
  const tagRows = ids.length > 0 ? await db.select().from(customerTags).where(inArray(customerTags.customerId, ids)).orderBy(customerTags.tag) : [];
  const tagsOf = new Map<string, string[]>();
  for (const t of tagRows) tagsOf.set(t.customerId, [...(tagsOf.get(t.customerId) ?? []), t.tag]);
  const seen = new Set<string>();
  return {
    numbers: numberRows.map((n) => ({
      number: n.number,
      label: n.label,
      voiceFlow: n.voiceFlowId ? { id: n.voiceFlowId, name: flowName.get(n.voiceFlowId) ?? '' } : null,
      smsFlow: n.smsFlowId ? { id: n.smsFlowId, name: flowName.get(n.smsFlowId) ?? '' } : null,
    })),
    flows: flowRows.map((f) => ({ id: f.id, name: f.name, published: f.liveVersionId !== null, channel: draftChannel(f.draft) })),
    customers: customerRows
      .filter((c) => !seen.has(c.id) && seen.add(c.id))
      .map((c) => ({ id: c.id, name: [c.firstName, c.lastName].filter(Boolean).join(' '), locale: c.locale, phone: c.phone, tags: tagsOf.get(c.id) ?? [] })),
  };
}

/**
 * Which channel a draft answers: the one its trigger node declares (the first trigger, as a draft
 * may have none or several while it is being built).
 */
export function draftChannel(draft: { nodes?: { type: string; typeVersion?: number }[] }): Channel | null {
  for (const node of draft.nodes ?? []) {
    const trigger = getDefinition(node.type, node.typeVersion)?.trigger;
    if (trigger !== undefined) return trigger;
  }
  return null;
}
