import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { env } from '@/env';
import { connectionOptions } from './client';
import { TASK_QUEUE } from './constants';
import { ensureSchedules } from './schedules';
import { NO_WATCHDOG_MS } from './sandbox-calls.mjs';
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

/**
 * Written by `npm run build` beside Next.js's build: a production worker starts from it instead of
 * bundling the workflow code itself, which is most of its start-up time (a crashed worker is back sooner).
 */
export const PREBUILT_BUNDLE = path.join(root, '.next', 'workflow-bundle.js');

export async function writeWorkflowBundle(file = PREBUILT_BUNDLE): Promise<number> {
  const { code } = await bundleWorkflowCode({ workflowsPath, ...bundlerOptions, logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  return code.length;
}

/** Whether this process was started with the sandbox-calls preload, so the workflow threads have it too. */
function preloaded(): boolean {
  return process.execArgv.some((arg) => arg.includes('sandbox-calls'));
}

/** Workflows still cached by a worker that died move to the others after this long (the default is 10 s). */
const STICKY_TIMEOUT = '3s';

export async function createWorker(connection: NativeConnection, taskQueue = TASK_QUEUE, namespace = env.TEMPORAL_NAMESPACE) {
  const code = env.NODE_ENV === 'production' && fs.existsSync(PREBUILT_BUNDLE) ? { workflowBundle: { codePath: PREBUILT_BUNDLE } } : { workflowsPath, bundlerOptions };
  // Without the preload (a test runner, a plain `tsx`), keep the SDK's own guard. The SDK reads the
  // option (it overrides its default) but does not list it in its types, hence the cast.
  const watchdog = preloaded() ? ({ isolateExecutionTimeout: NO_WATCHDOG_MS } as Partial<WorkerOptions>) : {};
  return Worker.create({ connection, namespace, taskQueue, activities, stickyQueueScheduleToStartTimeout: STICKY_TIMEOUT, ...watchdog, ...code });
}

async function main() {
  // The SDK's own INFO lines (bundle stats, state changes) drown the app's logs.
  Runtime.install({ logger: new DefaultLogger(env.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  const connection = await NativeConnection.connect(connectionOptions());
  const worker = await createWorker(connection);
  // The periodic jobs; a failure here (Temporal busy) must not keep calls from being served.
  ensureSchedules().catch((error: unknown) => console.error(`could not create the schedules: ${error instanceof Error ? error.message : String(error)}`));
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
  const run = process.argv.includes('--bundle-only') ? writeWorkflowBundle().then((size) => console.log(`workflow bundle written to ${path.relative(root, PREBUILT_BUNDLE)} (${Math.round(size / 1024)} KiB)`)) : main();
  run.catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
