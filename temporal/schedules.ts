import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { temporalClient } from './client';
import { TASK_QUEUE } from './constants';
import { workflowTypes } from './workflows/api';

/** How often the experiments' guardrails are checked when nobody opens the page. */
export const GUARDRAIL_CHECK_EVERY = '15 minutes';
export const GUARDRAIL_SCHEDULE_ID = 'experiment-guardrails';
/** The tag rules' full pass: nightly at 03:00 UTC (each event also runs them for its customer). */
export const TAG_RULES_SCHEDULE_ID = 'tag-rules-nightly';
export const TAG_RULES_AT = { hour: 3, minute: 0 };

/**
 * The durable periodic jobs (Temporal Schedules: they survive restarts, and a missed run is not
 * run twice). Created once; a worker starting again finds them there.
 */
export async function ensureSchedules(taskQueue = TASK_QUEUE): Promise<void> {
  const client = await temporalClient();
  const schedules: Parameters<typeof client.schedule.create>[0][] = [
    {
      scheduleId: GUARDRAIL_SCHEDULE_ID,
      spec: { intervals: [{ every: GUARDRAIL_CHECK_EVERY }] },
      action: { type: 'startWorkflow', workflowType: workflowTypes.experimentGuard, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    },
    {
      scheduleId: TAG_RULES_SCHEDULE_ID,
      spec: { calendars: [TAG_RULES_AT] },
      action: { type: 'startWorkflow', workflowType: workflowTypes.tagRulesPass, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
    },
  ];
  for (const schedule of schedules) {
    try {
      await client.schedule.create(schedule);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
