import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { env } from '@/env';
import { connectionOptions } from './client';
import { TASK_QUEUE } from './constants';
import * as activities from './activities';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * Workflow bundle options: the `@/` alias the rest of the code base uses must resolve inside it too.
 * Preloaded modules are evaluated once per worker and shared by every workflow, instead of once per
 * workflow as the SDK does with the others: the sandbox settings, and the node steps (stateless).
 */
export const bundlerOptions: WorkerOptions['bundlerOptions'] = {
  preloadModules: ['@/temporal/workflows/sandbox', '@/nodes/steps'],
  webpackConfigHook: (config) => {
    config.resolve = config.resolve ?? {};
    config.resolve.alias = { ...(config.resolve.alias as Record<string, string>), '@': root };
    return config;
  },
};

export const workflowsPath = require.resolve('./workflows/index.ts');

export async function createWorker(connection: NativeConnection, taskQueue = TASK_QUEUE, namespace = env.TEMPORAL_NAMESPACE) {
  return Worker.create({ connection, namespace, taskQueue, workflowsPath, activities, bundlerOptions });
}

async function main() {
  // The SDK's own INFO lines (bundle stats, state changes) drown the app's logs.
  Runtime.install({ logger: new DefaultLogger(env.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  const connection = await NativeConnection.connect(connectionOptions());
  const worker = await createWorker(connection);
  // Ctrl-C reaches the whole process group, and then the launcher asks again with SIGTERM: shut down once.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    worker.shutdown();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
  console.log(`worker ready on task queue "${TASK_QUEUE}" at ${env.TEMPORAL_TARGET}`);
  await worker.run();
  await connection.close();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
