import 'server-only';
import type { Db } from '@/db/client';
import type { agents, handoffs, HandoffStatus } from '@/db/schema/routing';

/**
 * The routing engine's atomic statements (owner: routing engine). Each state change is one
 * statement or one transaction that locks what it changes (`FOR UPDATE SKIP LOCKED` where several
 * processes race), writes a handoff_events row and a routing notice (./events.ts).
 */

export type HandoffRow = typeof handoffs.$inferSelect;
export type AgentRow = typeof agents.$inferSelect;

export type OfferResult =
  | { kind: 'offered'; agentId: string; expiresAt: Date }
  /** Nobody eligible now; `nextRelaxAt` is when the requirement relaxes next (null: never). */
  | { kind: 'waiting'; nextRelaxAt: Date | null }
  /** Already offered, assigned or closed: nothing to do. */
  | { kind: 'busy'; status: HandoffStatus };

/** Offers a queued handoff to the best eligible agent, if any, as a reservation that expires. */
export async function offerHandoff(db: Db, handoffId: string, now = new Date()): Promise<OfferResult> {
  void db; void handoffId; void now;
  throw new Error('not implemented yet');
}

/** Offers the best waiting handoff this agent is eligible for (the backlog drains to a free agent). */
export async function offerNextToAgent(db: Db, agentId: string, now = new Date()): Promise<{ handoffId: string; expiresAt: Date } | null> {
  void db; void agentId; void now;
  throw new Error('not implemented yet');
}

export type AcceptResult = { ok: true; handoff: HandoffRow } | { ok: false; reason: 'expired' | 'not-yours' | 'closed' };

/** The offered agent takes the handoff: offered → assigned. */
export async function acceptOffer(db: Db, handoffId: string, agentId: string, now = new Date()): Promise<AcceptResult> {
  void db; void handoffId; void agentId; void now;
  throw new Error('not implemented yet');
}

/** The offer lapsed or the agent declined: back to queued, and the agent is marked missed. */
export async function releaseOffer(db: Db, handoffId: string, agentId: string, kind: 'declined' | 'missed', now = new Date()): Promise<boolean> {
  void db; void handoffId; void agentId; void kind; void now;
  throw new Error('not implemented yet');
}

/** Moves a queued handoff to another queue or agent with a note; its context stays with it. */
export async function transferHandoff(
  db: Db,
  input: { handoffId: string; byAgentId: string | null; toSkill?: string; toAgentId?: string; note?: string },
  now = new Date(),
): Promise<HandoffRow | null> {
  void db; void input; void now;
  throw new Error('not implemented yet');
}

/** The conversation is over (customer hung up, or the agent ended it): assigned → wrap-up. */
export async function endHandoff(db: Db, handoffId: string, by: 'customer' | 'agent', now = new Date()): Promise<boolean> {
  void db; void handoffId; void by; void now;
  throw new Error('not implemented yet');
}

/** Wrap-up done: → resolved with the code and whether it was resolved on first contact. */
export async function resolveHandoff(
  db: Db,
  input: { handoffId: string; agentId: string; wrapCode: string; firstContactResolution: boolean },
  now = new Date(),
): Promise<HandoffRow | null> {
  void db; void input; void now;
  throw new Error('not implemented yet');
}

/** The customer left the queue (abandoned) or the node's timeout passed (timeout). */
export async function closeHandoff(db: Db, handoffId: string, status: 'abandoned' | 'timeout', now = new Date()): Promise<boolean> {
  void db; void handoffId; void status; void now;
  throw new Error('not implemented yet');
}
