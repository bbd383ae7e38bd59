import 'server-only';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { interactions } from '@/db/schema';
import { workflowIds } from '@/temporal/constants';
import { type HandoffAcceptedInput, signalNames, updateNames } from '@/temporal/workflows/api';
import { defaultDeps, isNotFound, type TelephonyDeps } from './runtime';

type InteractionKey = Pick<typeof interactions.$inferSelect, 'channel' | 'workflowId' | 'flowId' | 'fromNumber' | 'isTest'>;

/**
 * The Temporal workflow of an interaction. Calls store it as is; SMS conversations store it with
 * the first MessageSid appended (a customer has many conversations over time on one workflow id).
 */
export function workflowIdOf(interaction: InteractionKey): string {
  if (interaction.channel === 'voice') return interaction.workflowId;
  const flowKey = interaction.flowId ?? 'draft';
  return workflowIds.conversation(interaction.isTest ? `test-${flowKey}` : flowKey, interaction.fromNumber);
}

/**
 * What became of telling a conversation or call that an agent took its handoff: `waiting` (it was
 * holding for it and now knows), `ended` (it runs, but its hold had ended: the deadline or a
 * hang-up won the race), `gone` (the call or conversation is over, e.g. an SMS flow that handed
 * the customer to an earlier agent; or its workflow is).
 */
export type AcceptNotice = 'waiting' | 'ended' | 'gone';

/**
 * Tells a waiting conversation or call that an agent took its handoff: an SMS flow stops holding; a
 * call's workflow knows that the caller leaving the queue next is the bridge to the agent, not a
 * give-up.
 */
export async function notifyHandoffAccepted(interactionId: string, deps: TelephonyDeps = defaultDeps(), handoffId?: string): Promise<AcceptNotice> {
  const db = await deps.db();
  const [interaction] = await db.select().from(interactions).where(eq(interactions.id, interactionId));
  if (!interaction || interaction.status !== 'running') return 'gone';
  const handle = (await deps.temporal()).workflow.getHandle(workflowIdOf(interaction));
  const input: HandoffAcceptedInput = handoffId === undefined ? {} : { handoffId };
  try {
    return (await handle.executeUpdate<boolean, [HandoffAcceptedInput]>(updateNames.handoffAccept, { args: [input] })) ? 'waiting' : 'ended';
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
  }
  // A run started before the update existed has no handler for it: the signal it knows.
  try {
    await handle.signal(signalNames.handoffAccepted, input);
    return 'waiting';
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    throw error;
  }
}
