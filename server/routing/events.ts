import 'server-only';
import { sql, type SQL } from 'drizzle-orm';

/**
 * Live updates for the inbox and supervisor views: every routing state change sends a notice on
 * this Postgres channel (in the same statement or transaction as the change), so every web
 * process hears every change. Notices carry ids only; listeners re-read what they show.
 */
export const ROUTING_CHANNEL = 'routing';

export interface RoutingNotice {
  /** What changed, e.g. a handoff event kind ('offered', 'accepted' …), 'message', 'note', 'agent'. */
  kind: string;
  handoffId?: string;
  agentId?: string;
}

/** `select pg_notify(...)` for one notice; run it with the change (Postgres sends it on commit). */
export function notifySql(notice: RoutingNotice): SQL {
  return sql`select pg_notify(${ROUTING_CHANNEL}, ${JSON.stringify(notice)})`;
}
