import { and, eq } from 'drizzle-orm';
import twilio, { type Twilio } from 'twilio';
import { getDb, type Db } from '@/db/client';
import { messages, type MESSAGE_STATUSES } from '@/db/schema';
import { env } from '@/env';
import type { Language } from '@/nodes/sdk';
import { outboundRow, type CallAgent, type CallControlResult, type CallHold, type OutboundSms, type SendSmsResult, type TelephonyPort } from './port';
import { replyUrls, type SayVerb } from './replies';
import { renderVoiceReply } from './twiml';

type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Where Twilio reports what became of a message; the key names our row. */
export function messageStatusUrl(idempotencyKey: string, base = env.PUBLIC_BASE_URL): string {
  return `${base}/api/twilio/message-status?key=${encodeURIComponent(idempotencyKey)}`;
}

/** A message Twilio created this long before our row still counts as ours (clocks differ). */
const CLOCK_SLACK_MS = 60_000;

/**
 * Twilio's REST API, sending at most once per idempotency key. Twilio's Messages API takes no
 * idempotency key, so the attempt is recorded first: the row goes to `sending` before the request,
 * and a retry that finds it there (the worker died mid-request) looks for the message Twilio may
 * have taken — its sid on the row from the status callback, or a matching message in Twilio's
 * list — before it sends again.
 */
export function twilioPort(options: { client?: Twilio; db?: () => Promise<Db> } = {}): TelephonyPort {
  const client = options.client ?? defaultClient();
  const database = options.db ?? getDb;
  return {
    kind: 'twilio',
    async sendSms(message: OutboundSms): Promise<SendSmsResult> {
      const db = await database();
      const byKey = and(eq(messages.idempotencyKey, message.idempotencyKey), eq(messages.direction, 'outbound'));
      await db
        .insert(messages)
        .values({ ...outboundRow(message), status: 'queued' })
        .onConflictDoNothing({ target: messages.idempotencyKey });
      const [row] = await db.select().from(messages).where(byKey);
      if (row?.externalSid) return { ok: true, sid: row.externalSid };
      if (row?.status === 'sending') {
        const taken = await findTaken(client, message, row.createdAt);
        if (taken !== null) {
          await db.update(messages).set({ status: 'sent', externalSid: taken, error: null }).where(byKey);
          return { ok: true, sid: taken };
        }
      }
      await db.update(messages).set({ status: 'sending' }).where(byKey);
      try {
        const sent = await client.messages.create({ to: message.to, from: message.from, body: message.body, statusCallback: messageStatusUrl(message.idempotencyKey) });
        await db.update(messages).set({ status: 'sent', externalSid: sent.sid, error: null }).where(byKey);
        return { ok: true, sid: sent.sid };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        await db.update(messages).set({ status: 'failed', error: text }).where(byKey);
        return { ok: false, error: text };
      }
    },
    async connectCall(callSid: string, agent: CallAgent): Promise<CallControlResult> {
      if (agent.phone.trim() === '') return { ok: false, error: `${agent.name} has no phone number to dial` };
      // New TwiML on a live call replaces what it runs: the caller leaves the <Enqueue> for the <Dial>.
      return callUpdate(() => client.calls(callSid).update({ twiml: connectTwiml(agent) }));
    },
    async hangupCall(callSid: string): Promise<CallControlResult> {
      return callUpdate(() => client.calls(callSid).update({ status: 'completed' }));
    },
    async holdCall(callSid: string, hold: CallHold): Promise<CallControlResult> {
      // The agent's leg ends as the caller leaves the <Dial> for the queue; the next accept's connectCall takes them out of it.
      return callUpdate(() => client.calls(callSid).update({ twiml: holdTwiml(hold) }));
    },
  };
}

/** What a caller an agent took runs: the agent's phone is dialled and bridged in; when either hangs up, the call ends. */
export function connectTwiml(agent: CallAgent): string {
  const response = new twilio.twiml.VoiceResponse();
  response.dial({ answerOnBridge: true }, agent.phone);
  return response.toString();
}

/** What a transferred caller hears: a word, then the hold's wait URL (music and message) until the next agent takes them, else the goodbye. */
export const TRANSFER_WORDS: Record<Language, { transferring: string; holding: string; goodbye: string }> = {
  'en-US': { transferring: 'Please hold while I transfer you.', holding: 'Please hold, the next agent will be with you shortly.', goodbye: 'Sorry, nobody is free right now. Please call again later. Goodbye.' },
  'zh-CN': { transferring: '请稍候，正在为您转接。', holding: '请稍候，下一位坐席将很快为您服务。', goodbye: '抱歉，目前没有空闲的坐席，请稍后再拨。再见。' },
};

export function holdTwiml(hold: CallHold, baseUrl = env.PUBLIC_BASE_URL): string {
  const words = TRANSFER_WORDS[hold.language];
  const say = (text: string): SayVerb => ({ verb: 'say', text, language: hold.language });
  return renderVoiceReply(
    {
      // No action URL: once the caller leaves the queue by its deadline, the call goes on to the goodbye.
      verbs: [say(words.transferring), { verb: 'enqueue', queue: hold.queue, waitUrl: replyUrls.wait(0, hold.until, say(words.holding)) }, say(words.goodbye), { verb: 'hangup' }],
    },
    baseUrl,
  );
}

async function callUpdate(update: () => Promise<unknown>): Promise<CallControlResult> {
  try {
    await update();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The sid of a message Twilio already holds for this attempt, or null. */
async function findTaken(client: Twilio, message: OutboundSms, attemptedAt: Date): Promise<string | null> {
  const recent = await client.messages.list({ to: message.to, from: message.from, limit: 20 });
  const match = recent.find((candidate) => candidate.body === message.body && candidate.dateCreated.getTime() >= attemptedAt.getTime() - CLOCK_SLACK_MS);
  return match?.sid ?? null;
}

/** How far along a message is; a late callback never moves a row back. */
const PROGRESS: Record<MessageStatus, number> = { received: 0, queued: 1, sending: 2, sent: 3, delivered: 4, undelivered: 4, failed: 4 };

/** Twilio's MessageStatus in our terms. */
export function messageStatusOf(twilioStatus: string): MessageStatus {
  switch (twilioStatus) {
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      // queued, accepted, scheduled, sending, sent: Twilio has the message.
      return 'sent';
  }
}

/**
 * Applies a message status callback (`MessageSid`, `MessageStatus`, `ErrorCode`) to the outbound
 * row named by `key` (or by the sid): records the sid and moves the status forward only.
 */
export async function recordMessageStatus(db: Db, input: { key: string | null; sid: string; status: string; errorCode?: string }): Promise<boolean> {
  const where = input.key ? and(eq(messages.idempotencyKey, input.key), eq(messages.direction, 'outbound')) : and(eq(messages.externalSid, input.sid), eq(messages.direction, 'outbound'));
  const [row] = await db.select({ status: messages.status, externalSid: messages.externalSid }).from(messages).where(where);
  if (!row) return false;
  const status = messageStatusOf(input.status);
  const forward = PROGRESS[status] > PROGRESS[row.status];
  await db
    .update(messages)
    .set({
      externalSid: row.externalSid ?? input.sid,
      ...(forward && { status }),
      ...(forward && input.errorCode && { error: `Twilio error ${input.errorCode}` }),
    })
    .where(where);
  return true;
}

function defaultClient(): Twilio {
  if (!env.TWILIO_ACCOUNT_SID) throw new Error('TWILIO_ACCOUNT_SID is not set');
  return twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN);
}
