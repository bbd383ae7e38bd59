import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
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
});
