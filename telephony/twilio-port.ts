import { and, eq } from 'drizzle-orm';
import twilio, { type Twilio } from 'twilio';
import { getDb, type Db } from '@/db/client';
import { messages } from '@/db/schema';
import { env } from '@/env';
import { outboundRow, type OutboundSms, type SendSmsResult, type TelephonyPort } from './port';

/**
 * Twilio's REST API. The message row is written first under its idempotency key; a retry finds it
 * and, once it was sent, returns the stored sid instead of sending again.
 */
export function twilioPort(options: { client?: Twilio; db?: () => Promise<Db> } = {}): TelephonyPort {
  const client = options.client ?? defaultClient();
  const database = options.db ?? getDb;
  return {
    kind: 'twilio',
    async sendSms(message: OutboundSms): Promise<SendSmsResult> {
      const db = await database();
      await db
        .insert(messages)
        .values({ ...outboundRow(message), status: 'queued' })
        .onConflictDoNothing({ target: messages.idempotencyKey });
      const [row] = await db.select().from(messages).where(eq(messages.idempotencyKey, message.idempotencyKey));
      if (row?.status === 'sent' && row.externalSid) return { ok: true, sid: row.externalSid };
      try {
        const sent = await client.messages.create({ to: message.to, from: message.from, body: message.body });
        await db
          .update(messages)
          .set({ status: 'sent', externalSid: sent.sid, error: null })
          .where(and(eq(messages.idempotencyKey, message.idempotencyKey), eq(messages.direction, 'outbound')));
        return { ok: true, sid: sent.sid };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        await db
          .update(messages)
          .set({ status: 'failed', error: text })
          .where(and(eq(messages.idempotencyKey, message.idempotencyKey), eq(messages.direction, 'outbound')));
        return { ok: false, error: text };
      }
    },
  };
}

function defaultClient(): Twilio {
  if (!env.TWILIO_ACCOUNT_SID) throw new Error('TWILIO_ACCOUNT_SID is not set');
  return twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN);
}
