import 'server-only';
import type { Client } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';
import { agents, handoffs, type AGENT_CHOICES } from '@/db/schema';
import { temporalClient } from '@/temporal/client';
import { TASK_QUEUE, workflowIds } from '@/temporal/constants';
import { signalNames, workflowTypes } from '@/temporal/workflows/api';
import { notifyHandoffAccepted } from '@/server/telephony/handoffs';
import { type AcceptResult, acceptOffer, type AgentRow, type HandoffRow, offerNextToAgent, releaseOffer, transferHandoff } from './assign';
import { onAccepted } from './conversation';
import { notifySql } from './events';
import { isOnline } from './rules';

/**
 * What the web does for agents and supervisors (owner: routing engine): each call runs the atomic
 * statement in ./assign.ts, then tells the Temporal workflows that wait on it (the handoff's own
 * workflow, the call or conversation) and, on accept, ./conversation.ts onAccepted.
 */

export interface AgentViewer {
  userId: string;
  email: string;
  name: string;
}

/** What the service needs from the outside world; tests swap pieces out. */
export interface RoutingDeps {
  temporal: () => Promise<Client>;
  taskQueue: string;
  onAccepted: (db: Db, handoff: HandoffRow) => Promise<void>;
}

export function routingDeps(overrides: Partial<RoutingDeps> = {}): RoutingDeps {
  return { temporal: temporalClient, taskQueue: TASK_QUEUE, onAccepted, ...overrides };
}

/** The viewer's agent row (linked by email on first sight), or null when they are not an agent. */
export async function agentForViewer(db: Db, viewer: AgentViewer): Promise<AgentRow | null> {
  const [agent] = await db.select().from(agents).where(sql`lower(${agents.email}) = ${viewer.email.toLowerCase()}`);
  if (!agent) return null;
  if (agent.userId === viewer.userId) return agent;
  const [linked] = await db.update(agents).set({ userId: viewer.userId }).where(eq(agents.id, agent.id)).returning();
  return linked ?? agent;
}

/** An inbox tab is open: the agent is online; when they just came online and are free, the backlog drains to them. */
export async function heartbeat(db: Db, agentId: string, deps: RoutingDeps = routingDeps()): Promise<void> {
  const now = new Date();
  // The previous heartbeat, read and replaced in one statement.
  const [previous] = await queryRows<{ last_seen_at: string | Date | null }>(
    db,
    sql`update agents a set last_seen_at = ${now.toISOString()}::timestamptz
        from (select id, last_seen_at from agents where id = ${agentId} for update) old
        where a.id = old.id returning old.last_seen_at`,
  );
  if (!previous) return;
  const before = previous.last_seen_at === null ? null : new Date(previous.last_seen_at);
  if (isOnline(before, now)) return;
  await db.execute(notifySql({ kind: 'agent', agentId }));
  await drainTo(db, agentId, deps);
}

/** The agent's own choice; choosing available clears "missed" and drains the backlog to them. */
export async function setChoice(db: Db, agentId: string, choice: (typeof AGENT_CHOICES)[number], deps: RoutingDeps = routingDeps()): Promise<void> {
  const now = new Date();
  const updated = await db
    .update(agents)
    .set(
      choice === 'available'
        ? // Back from away: idle from now, so agents who stayed available come first.
          { choice, missedAt: null, idleSince: sql`case when ${agents.choice} = 'away' then ${now.toISOString()}::timestamptz else ${agents.idleSince} end` }
        : { choice },
    )
    .where(eq(agents.id, agentId))
    .returning({ id: agents.id });
  if (updated.length === 0) return;
  await db.execute(notifySql({ kind: 'agent', agentId }));
  if (choice === 'available') await drainTo(db, agentId, deps);
}

export async function acceptHandoff(db: Db, agentId: string, handoffId: string, deps: RoutingDeps = routingDeps()): Promise<AcceptResult> {
  const result = await acceptOffer(db, handoffId, agentId);
  if (result.ok) {
    await wakeHandoff(handoffId, 'accepted', deps);
    // The call or conversation first: a call connected to the agent must already know it was accepted.
    if (result.handoff.interactionId !== null) {
      const notice = await notifyHandoffAccepted(result.handoff.interactionId, { db: async () => db, temporal: deps.temporal, taskQueue: deps.taskQueue }, handoffId);
      // The hold's deadline (or a hang-up) won the race: the flow went on without the agent and
      // closes the handoff itself (closeHandoff), so nobody is connected to a call that is elsewhere.
      if (notice === 'ended') return { ok: false, reason: 'closed' };
    }
    await deps.onAccepted(db, result.handoff);
  } else if (result.reason === 'expired') {
    await wakeHandoff(handoffId, 'missed', deps);
  }
  return result;
}

export async function declineHandoff(db: Db, agentId: string, handoffId: string, deps: RoutingDeps = routingDeps()): Promise<boolean> {
  const released = await releaseOffer(db, handoffId, agentId, 'declined');
  if (released) await wakeHandoff(handoffId, 'declined', deps);
  return released;
}

/** Offers the waiting backlog to an agent with free capacity (after a resolve, a choice, a heartbeat). */
export async function drainTo(db: Db, agentId: string, deps: RoutingDeps = routingDeps()): Promise<void> {
  // At most one offer per free slot; the loop ends when the agent is full or nothing fits.
  for (let i = 0; i < 20; i += 1) {
    const offer = await offerNextToAgent(db, agentId);
    if (offer === null) return;
    // The handoff's workflow runs the offer's expiry timer.
    await wakeHandoff(offer.handoffId, 'offered', deps);
  }
}

/** A supervisor moves a waiting (queued or offered) handoff to one agent. */
export async function reassignHandoff(db: Db, input: { handoffId: string; toAgentId: string; byUserId: string }, deps: RoutingDeps = routingDeps()): Promise<boolean> {
  const [current] = await db
    .select({ status: handoffs.status })
    .from(handoffs)
    .where(eq(handoffs.id, input.handoffId));
  if (!current || (current.status !== 'queued' && current.status !== 'offered')) return false;
  const moved = await transferHandoff(db, { handoffId: input.handoffId, byAgentId: null, toAgentId: input.toAgentId, kind: 'reassigned', byUserId: input.byUserId });
  if (moved === null) return false;
  await wakeHandoff(input.handoffId, 'reassigned', deps);
  return true;
}

/**
 * Tells a handoff's workflow to look again, starting it when it is not running (it ended when the
 * handoff was assigned, and a transfer queues it again; or it was lost): nothing waits unwatched.
 */
export async function wakeHandoff(handoffId: string, reason: string, deps: RoutingDeps = routingDeps()): Promise<void> {
  const client = await deps.temporal();
  await client.workflow.signalWithStart(workflowTypes.handoff, {
    workflowId: workflowIds.handoff(handoffId),
    taskQueue: deps.taskQueue,
    args: [{ handoffId }],
    signal: signalNames.handoffChanged,
    signalArgs: [reason],
  });
}

