import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { messages } from '@/db/schema';
import { outboundRow, type OutboundSms, type SendSmsResult, type TelephonyPort } from './port';

/** A Twilio-shaped message sid, so sandbox rows look like real ones. */
export function sandboxSid(): string {
  return `SM${randomUUID().replace(/-/g, '')}`;
}

/**
 * Sends nothing: stores the message as sent, where the simulator, `/api/sandbox/outbox` and tests
 * read it. The unique idempotency key makes a retried send return the first row instead of a second.
 */
export const sandboxPort: TelephonyPort = {
  kind: 'sandbox',
  async sendSms(message: OutboundSms): Promise<SendSmsResult> {
    const db = await getDb();
    const [inserted] = await db
      .insert(messages)
      .values({ ...outboundRow(message), externalSid: sandboxSid(), status: 'sent' })
      .onConflictDoNothing({ target: messages.idempotencyKey })
      .returning({ sid: messages.externalSid });
    if (inserted?.sid) return { ok: true, sid: inserted.sid };
    const [existing] = await db.select({ sid: messages.externalSid }).from(messages).where(eq(messages.idempotencyKey, message.idempotencyKey));
    return existing?.sid ? { ok: true, sid: existing.sid } : { ok: false, error: 'message could not be stored' };
  },
};
