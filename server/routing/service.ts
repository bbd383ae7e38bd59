import 'server-only';
import type { Db } from '@/db/client';
import type { AGENT_CHOICES } from '@/db/schema/routing';
import type { AcceptResult, AgentRow } from './assign';

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

/** The viewer's agent row (linked by email on first sight), or null when they are not an agent. */
export async function agentForViewer(db: Db, viewer: AgentViewer): Promise<AgentRow | null> {
  void db; void viewer;
  throw new Error('not implemented yet');
}

/** An inbox tab is open: the agent is online; when they just came online and are free, the backlog drains to them. */
export async function heartbeat(db: Db, agentId: string): Promise<void> {
  void db; void agentId;
  throw new Error('not implemented yet');
}

/** The agent's own choice; choosing available clears "missed" and drains the backlog to them. */
export async function setChoice(db: Db, agentId: string, choice: (typeof AGENT_CHOICES)[number]): Promise<void> {
  void db; void agentId; void choice;
  throw new Error('not implemented yet');
}

export async function acceptHandoff(db: Db, agentId: string, handoffId: string): Promise<AcceptResult> {
  void db; void agentId; void handoffId;
  throw new Error('not implemented yet');
}

export async function declineHandoff(db: Db, agentId: string, handoffId: string): Promise<boolean> {
  void db; void agentId; void handoffId;
  throw new Error('not implemented yet');
}

/** Offers the waiting backlog to an agent with free capacity (after a resolve, a choice, a heartbeat). */
export async function drainTo(db: Db, agentId: string): Promise<void> {
  void db; void agentId;
  throw new Error('not implemented yet');
}

/** A supervisor moves a waiting (queued or offered) handoff to one agent. */
export async function reassignHandoff(db: Db, input: { handoffId: string; toAgentId: string; byUserId: string }): Promise<boolean> {
  void db; void input;
  throw new Error('not implemented yet');
}
