import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { getDb } from '@/db/client';
import { type AdvanceResult, advanceHandoff as advance } from '@/server/routing/assign';
import { temporalClient } from '@/temporal/client';
import { TASK_QUEUE, workflowIds } from '@/temporal/constants';
import { signalNames, workflowTypes } from '@/temporal/workflows/api';

/** One round of a handoff's wait (temporal/workflows/handoff.ts). */
export async function advanceHandoff(input: { handoffId: string }): Promise<AdvanceResult> {
  return advance(await getDb(), input.handoffId);
}

/** The task queue of the running activity's workflow: handoff workflows run beside the calls that made them. */
function currentTaskQueue(): string {
  try {
    return Context.current().info.taskQueue;
  } catch {
    return TASK_QUEUE;
  }
}

/** Starts the waiting of new handoffs, once each: a retry finds the workflow running (or done). */
export async function startHandoffWorkflows(handoffIds: readonly string[]): Promise<void> {
  if (handoffIds.length === 0) return;
  const client = await temporalClient();
  const taskQueue = currentTaskQueue();
  await Promise.all(
    handoffIds.map((handoffId) =>
      client.workflow
        .start(workflowTypes.handoff, {
          workflowId: workflowIds.handoff(handoffId),
          taskQueue,
          args: [{ handoffId }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        })
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }),
    ),
  );
}

/** Wakes the handoffs' workflows after the call or conversation closed or ended them. */
export async function signalHandoffWorkflows(handoffIds: readonly string[], reason: string): Promise<void> {
  if (handoffIds.length === 0) return;
  const client = await temporalClient();
  await Promise.all(
    handoffIds.map((handoffId) =>
      client.workflow
        .getHandle(workflowIds.handoff(handoffId))
        .signal(signalNames.handoffChanged, reason)
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }),
    ),
  );
}
