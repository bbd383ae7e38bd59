import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { temporalClient } from './client';
import { TASK_QUEUE } from './constants';
import { workflowTypes } from './workflows/api';

/** How often the experiments' guardrails are checked when nobody opens the page. */
export const GUARDRAIL_CHECK_EVERY = '15 minutes';
export const GUARDRAIL_SCHEDULE_ID = 'experiment-guardrails';

/**
 * The durable periodic jobs (Temporal Schedules: they survive restarts, and a missed run is not
 * run twice). Created once; a worker starting again finds them there.
 */
export async function ensureSchedules(taskQueue = TASK_QUEUE): Promise<void> {
  const client = await temporalClient();
  try {
    await client.schedule.create({
      scheduleId: GUARDRAIL_SCHEDULE_ID,
      spec: { intervals: [{ every: GUARDRAIL_CHECK_EVERY }] },
      action: { type: 'startWorkflow', workflowType: workflowTypes.experimentGuard, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
