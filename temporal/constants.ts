import { env } from '@/env';

/** Task queue that the interpreter workflows and their activities run on. */
export const TASK_QUEUE = env.TEMPORAL_TASK_QUEUE;

export const workflowIds = {
  call: (callSid: string) => `call:${callSid}`,
  conversation: (flowId: string, customerNumber: string) => `sms:${flowId}:${customerNumber}`,
} as const;
