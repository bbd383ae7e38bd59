import 'server-only';
import { eq } from 'drizzle-orm';
import { interactions } from '@/db/schema';
import { workflowIds } from '@/temporal/constants';
import { type HandoffAcceptedInput, signalNames } from '@/temporal/workflows/api';
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
 * Tells a waiting conversation or call that an agent took its handoff: an SMS flow stops holding; a
 * call's workflow knows that the caller leaving the queue next is the bridge to the agent, not a
 * give-up. Returns whether a running workflow was told.
 */
export async function notifyHandoffAccepted(interactionId: string, deps: TelephonyDeps = defaultDeps(), handoffId?: string): Promise<boolean> {
  const db = await deps.db();
  const [interaction] = await db.select().from(interactions).where(eq(interactions.id, interactionId));
  if (!interaction || interaction.status !== 'running') return false;
  const client = await deps.temporal();
  try {
    const input: HandoffAcceptedInput = handoffId === undefined ? {} : { handoffId };
    await client.workflow.getHandle(workflowIdOf(interaction)).signal(signalNames.handoffAccepted, input);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
