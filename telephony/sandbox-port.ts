import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { getDb, type Db } from '@/db/client';
import { interactions, messages } from '@/db/schema';
import { outboundRow, type CallAgent, type CallControlResult, type OutboundSms, type SendSmsResult, type TelephonyPort } from './port';

/** A Twilio-shaped message sid, so sandbox rows look like real ones. */
export function sandboxSid(): string {
  return `SM${randomUUID().replace(/-/g, '')}`;
}

/**
 * Sends nothing: stores the message as sent, where the simulator, `/api/sandbox/outbox` and tests
 * read it. The unique idempotency key makes a retried send return the first row instead of a second.
 *
 * Calls are the simulator's: it plays Twilio, so there is no call to redirect. The bridge is the
 * handoff itself — the simulator reads who holds the call's handoff (server/routing/conversation.ts
 * callBridge), shows "connected to <agent>" while it is assigned and hangs up (posting the status
 * callback, as Twilio would) once it no longer is. Both commands only check that the call is one.
 */
export function createSandboxPort(database: () => Promise<Db> = getDb): TelephonyPort {
  const knownCall = async (callSid: string): Promise<CallControlResult> => {
    const db = await database();
    const [call] = await db
      .select({ id: interactions.id })
      .from(interactions)
      .where(and(eq(interactions.externalId, callSid), eq(interactions.channel, 'voice')))
      .limit(1);
    return call ? { ok: true } : { ok: false, error: `no call ${callSid}` };
  };
  return {
    kind: 'sandbox',
    async sendSms(message: OutboundSms): Promise<SendSmsResult> {
      const db = await database();
      const [inserted] = await db
        .insert(messages)
        .values({ ...outboundRow(message), externalSid: sandboxSid(), status: 'sent' })
        .onConflictDoNothing({ target: messages.idempotencyKey })
        .returning({ sid: messages.externalSid });
      if (inserted?.sid) return { ok: true, sid: inserted.sid };
      const [existing] = await db.select({ sid: messages.externalSid }).from(messages).where(eq(messages.idempotencyKey, message.idempotencyKey));
      return existing?.sid ? { ok: true, sid: existing.sid } : { ok: false, error: 'message could not be stored' };
    },
    connectCall: (callSid: string, _agent: CallAgent) => knownCall(callSid),
    hangupCall: (callSid: string) => knownCall(callSid),
    // The simulator shows the caller waiting again from the handoff's state (conversation.callBridge).
    holdCall: (callSid: string) => knownCall(callSid),
  };
}

export const sandboxPort: TelephonyPort = createSandboxPort();
