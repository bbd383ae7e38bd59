import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { messages } from '@/db/schema';
import { env } from '@/env';
import type { Viewer } from '@/server/auth/viewer';
import { protectForViewer } from '@/server/privacy/protect';

export interface OutboxMessage {
  id: string;
  sid: string | null;
  to: string;
  from: string;
  body: string;
  status: string;
  interactionId: string | null;
  createdAt: string;
}

/** Outbound text messages the sandbox port stored, newest first; optionally only those to one number. */
async function listOutbox(db: Db, options: { to?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
  const outbound = and(eq(messages.direction, 'outbound'), eq(messages.channel, 'sms'));
  const where = options.to ? and(outbound, eq(messages.toNumber, options.to)) : outbound;
  const rows = await db
    .select()
    .from(messages)
    .where(where)
    .orderBy(desc(messages.createdAt))
    .limit(Math.min(Math.max(options.limit ?? 100, 1), 500));
  return rows.map((row) => ({
    id: row.id,
    sid: row.externalSid,
    to: row.toNumber,
    from: row.fromNumber,
    body: row.body,
    status: row.status,
    interactionId: row.interactionId,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** The outbox as `viewer` may read it (numbers masked as in any response); undefined unless telephony is the sandbox. */
export async function readOutbox(db: Db, viewer: Viewer, options: { to?: string; limit?: number }): Promise<OutboxMessage[] | undefined> {
  if (env.TELEPHONY !== 'sandbox') return undefined;
  return protectForViewer(viewer, await listOutbox(db, options));
}
