import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';

// Runs before each Temporal test file imports anything, so `env` sees the test server and a
// private data directory (PGlite lives there unless DATABASE_URL points at a server).
process.env.TEMPORAL_ADDRESS = inject('temporalAddress');
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-temporal-'));
// Route-side code starts workflows on TASK_QUEUE; each test file gets its own, served by its own worker.
process.env.TEMPORAL_TASK_QUEUE = `switchboard-test-${process.pid}-${Date.now().toString(36)}`;

// Keep the SDK's INFO chatter (bundle stats, worker state changes) out of test output.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by an earlier file in this worker process.
}
