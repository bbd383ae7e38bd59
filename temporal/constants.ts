import { env } from '@/env';

/** Task queue that the interpreter workflows and their activities run on. */
export const TASK_QUEUE = env.TEMPORAL_TASK_QUEUE;

export const workflowIds = {
  call: (callSid: string) => `call:${callSid}`,
  conversation: (flowId: string, customerNumber: string) => `sms:${flowId}:${customerNumber}`,
  handoff: (handoffId: string) => `handoff:${handoffId}`,
} as const;

/**
 * How the launcher (and tests) run a worker: Node with tsx's loader, under the react-server condition
 * that server modules need (as `npm run worker` does). Not the tsx CLI: its signal relay SIGKILLs a
 * child that takes more than a few milliseconds to acknowledge Ctrl-C, which a busy worker may.
 * `sandbox-calls.mjs` is a preload so that it also runs in the SDK's workflow threads.
 */
export const WORKER_NODE_ARGS = ['--conditions=react-server', '--import', 'tsx', '--import', './temporal/sandbox-calls.mjs', 'temporal/worker.ts'] as const;
