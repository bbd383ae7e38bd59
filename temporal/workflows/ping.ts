import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

const { recordPing } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** A round trip through the worker and the database: proves the whole runtime is wired. */
export async function pingWorkflow(message: string): Promise<string> {
  const stored = await recordPing(message);
  return `pong: ${stored}`;
}
