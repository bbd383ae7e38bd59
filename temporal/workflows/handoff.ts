import { condition, continueAsNew, defineSignal, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type * as activities from '../activities';
import { type HandoffWorkflowInput, signalNames } from './api';
import { workflowNow } from './interpreter';

/** Database rounds: short, retried for as long as it takes (a handoff must not be dropped by a database restart). */
const routing = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' },
});

export const handoffChangedSignal = defineSignal<[string?]>(signalNames.handoffChanged);

/** Rounds before the history starts afresh (a long wait with many offers stays small). */
const ROUNDS_PER_RUN = 200;

/**
 * A handoff's life while it waits for an agent (workflow id `handoff:<uuid>`). Each round is one
 * local activity (server/routing/assign.ts advanceHandoff): release a lapsed offer as missed,
 * relax the requirement when its step is due, offer to the best eligible agent. Then it sleeps
 * until the offer expires, the requirement relaxes next or the periodic recheck, unless a signal
 * (the web offered it from the backlog, an agent accepted or declined, the call closed it) wakes
 * it sooner. Ends once the handoff is assigned or closed; a transfer starts it again.
 */
export async function handoffWorkflow(input: HandoffWorkflowInput): Promise<{ status: string }> {
  let changed = false;
  setHandler(handoffChangedSignal, () => {
    changed = true;
  });
  for (let round = 0; round < ROUNDS_PER_RUN; round += 1) {
    changed = false;
    const next = await routing.advanceHandoff({ handoffId: input.handoffId });
    if (next.done) return { status: next.status };
    await condition(() => changed, Math.max(100, next.wakeAt - workflowNow()));
  }
  return continueAsNew<typeof handoffWorkflow>(input);
}
