import 'server-only';
import type { Client } from '@temporalio/client';
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

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error.name === 'WorkflowNotFoundError' || /not found/i.test(error.message));
}
