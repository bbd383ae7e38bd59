import 'server-only';
import type { Db } from '@/db/client';
import type { HandoffRow } from './assign';
import type { QaFinding } from './qa';

/**
 * An agent's conversation with the customer of a handoff (owner: conversation): the channel work
 * behind accept, reply, transfer, resolve, through the telephony port (Twilio or the sandbox).
 */

/** After an accept: SMS — the conversation stops holding; voice — the caller is connected to the agent. */
export async function onAccepted(db: Db, handoff: HandoffRow): Promise<void> {
  void db; void handoff;
  throw new Error('not implemented yet');
}

export type ReplyResult = { ok: true; messageId: string; warnings: QaFinding[] } | { ok: false; blocked: QaFinding[] };

/** The agent's reply: checked by the QA rules, then sent (SMS) or spoken/shown (voice). */
export async function sendAgentReply(db: Db, input: { handoffId: string; agentId: string; body: string }): Promise<ReplyResult> {
  void db; void input;
  throw new Error('not implemented yet');
}

/** A private note on the handoff (never sent). */
export async function addNote(db: Db, input: { handoffId: string; agentId: string; body: string }): Promise<{ id: string }> {
  void db; void input;
  throw new Error('not implemented yet');
}

/** Hands the customer to another skill or agent with a note; the context travels with the handoff. */
export async function transfer(db: Db, input: { handoffId: string; agentId: string; toSkill?: string; toAgentId?: string; note: string }): Promise<boolean> {
  void db; void input;
  throw new Error('not implemented yet');
}

export type ResolveResult = { ok: true; csatSent: boolean } | { ok: false; blocked: QaFinding[] };

/** Ends the conversation if still live, resolves with the wrap-up code, then sends the CSAT survey when asked. */
export async function resolve(
  db: Db,
  input: { handoffId: string; agentId: string; wrapCode: string; firstContactResolution: boolean; sendCsat: boolean },
): Promise<ResolveResult> {
  void db; void input;
  throw new Error('not implemented yet');
}
