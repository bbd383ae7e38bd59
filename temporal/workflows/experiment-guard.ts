import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

const { checkExperimentGuardrails } = proxyActivities<typeof activities>({ startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 3 } });

/** One pass over the running experiments' guardrails; started by the schedule in temporal/schedules.ts. */
export async function experimentGuardWorkflow(): Promise<{ checked: number; paused: string[] }> {
  return checkExperimentGuardrails();
}
