import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, inject } from 'vitest';
import { createScratchDatabase } from '@/db/scratch';

// Runs before each Temporal test file imports anything, so `env` sees the test server and a
// private data directory (PGlite lives there unless DATABASE_URL points at a server).
process.env.TEMPORAL_ADDRESS = inject('temporalAddress');
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-temporal-'));
// Route-side code starts workflows on TASK_QUEUE; each test file gets its own, served by its own worker.
process.env.TEMPORAL_TASK_QUEUE = `switchboard-test-${process.pid}-${Date.now().toString(36)}`;
// Against a Postgres server, each file gets a database of its own, as it gets its own PGlite.
if (process.env.DATABASE_URL) {
  const scratch = await createScratchDatabase(process.env.DATABASE_URL, 'sb_temporal');
  process.env.DATABASE_URL = scratch.url;
  afterAll(scratch.drop);
}

// Keep the SDK's INFO chatter (bundle stats, worker state changes) out of test output.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by an earlier file in this worker process.
}
