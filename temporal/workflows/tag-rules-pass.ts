import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

const { runTagRulesPass } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 minutes', retry: { maximumAttempts: 3 } });

/** One full pass of the tag rules; started nightly by the schedule in temporal/schedules.ts. */
export async function tagRulesPassWorkflow(): Promise<Awaited<ReturnType<typeof runTagRulesPass>>> {
  return runTagRulesPass();
}
