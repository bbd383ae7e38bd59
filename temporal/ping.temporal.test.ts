import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { ensureSchedules, GUARDRAIL_SCHEDULE_ID, TAG_RULES_SCHEDULE_ID } from './schedules';
import { createWorker } from './worker';

describe('Temporal runtime', () => {
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const taskQueue = `ping-${Date.now()}`;

  beforeAll(async () => {
    const native = await NativeConnection.connect({ address: env.TEMPORAL_TARGET });
    worker = await createWorker(native, taskQueue);
    running = worker.run();
    client = new Client({ connection: await Connection.connect({ address: env.TEMPORAL_TARGET }) });
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
  });

  it('runs a workflow on the dev server, through an activity that queries the database', async () => {
    const result = await client.workflow.execute('pingWorkflow', { taskQueue, workflowId: `ping-${Date.now()}`, args: ['hello 你好'] });
    expect(result).toBe('pong: hello 你好');
  });

  it('keeps one guardrail schedule, created once, whose workflow checks the running experiments', async () => {
    await ensureSchedules(taskQueue);
    await ensureSchedules(taskQueue);
    const handle = client.schedule.getHandle(GUARDRAIL_SCHEDULE_ID);
    try {
      const schedule = await handle.describe();
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'experimentGuardWorkflow', taskQueue });
      expect(schedule.spec.intervals).toEqual([expect.objectContaining({ every: 15 * 60_000 })]);
      const result = await client.workflow.execute('experimentGuardWorkflow', { taskQueue, workflowId: `guard-${Date.now()}` });
      expect(result).toEqual({ checked: expect.any(Number), paused: [] });
    } finally {
      await handle.delete();
    }
  });

  it('keeps a nightly schedule of the tag rules, whose workflow runs the full pass', async () => {
    await ensureSchedules(taskQueue);
    const handle = client.schedule.getHandle(TAG_RULES_SCHEDULE_ID);
    try {
      const schedule = await handle.describe();
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'tagRulesPassWorkflow', taskQueue });
      expect(schedule.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
      const result = await client.workflow.execute('tagRulesPassWorkflow', { taskQueue, workflowId: `tags-${Date.now()}` });
      expect(result).toMatchObject({ added: expect.any(Number), removed: expect.any(Number), failed: {} });
    } finally {
      await handle.delete();
      await client.schedule.getHandle(GUARDRAIL_SCHEDULE_ID).delete().catch(() => undefined);
    }
  });
});
