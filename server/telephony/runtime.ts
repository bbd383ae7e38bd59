import 'server-only';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type Db, getDb } from '@/db/client';
import { TASK_QUEUE } from '@/temporal/constants';
import { temporalClient } from '@/temporal/client';

/** What the webhook services need from the outside world; tests swap pieces out. */
export interface TelephonyDeps {
  db: () => Promise<Db>;
  temporal: () => Promise<Client>;
  taskQueue: string;
}

export function defaultDeps(overrides: Partial<TelephonyDeps> = {}): TelephonyDeps {
  return { db: getDb, temporal: temporalClient, taskQueue: TASK_QUEUE, ...overrides };
}

/** Temporal has no such workflow (never started here, or closed and gone): not any error that says "not found". */
export function isNotFound(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError;
}
