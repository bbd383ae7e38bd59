import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { env } from '@/env';

/** The Temporal CLI release the dev server is built from when no binary is around. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function onPath(command: string): string | undefined {
  try {
    const found = execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

export function cachedCliPath(cacheDir = env.CACHE_DIR) {
  return path.join(cacheDir, 'bin', 'temporal');
}

/** TEMPORAL_CLI, then PATH, then the cache directory; builds it there with Go when possible. */
export function findTemporalCli(log: (line: string) => void = console.log): string | undefined {
  if (env.TEMPORAL_CLI) {
    if (!fs.existsSync(env.TEMPORAL_CLI)) throw new Error(`TEMPORAL_CLI points at ${env.TEMPORAL_CLI}, which does not exist`);
    return env.TEMPORAL_CLI;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const cached = cachedCliPath();
  if (fs.existsSync(cached)) return cached;
  if (!onPath('go')) return undefined;
  log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${path.dirname(cached)}.`);
  log('This happens once and takes a few minutes; later starts reuse it.');
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const started = Date.now();
  const ticker = setInterval(() => log(`  still building… ${Math.round((Date.now() - started) / 1000)} s`), 15_000);
  try {
    execFileSync('go', ['install', TEMPORAL_CLI_MODULE], {
      // The child inherits the environment (PATH, GOPROXY, …); only GOBIN is ours.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, GOBIN: path.dirname(cached) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } finally {
    clearInterval(ticker);
  }
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return cached;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** Settles when the server process has gone (never, for a server the SDK downloaded and runs itself). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** SQLite file for the server's state; omit for an in-memory server (tests). */
  dbFile?: string;
  namespace?: string;
  log?: (line: string) => void;
  output?: (chunk: Buffer) => void;
}

export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`Temporal did not become ready at ${address}: ${String(lastError)}`);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? console.log;
  const address = `127.0.0.1:${options.port}`;
  const namespace = options.namespace ?? 'default';
  const cli = findTemporalCli(log);
  if (!cli) return startWithSdkDownloader(options, address);

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', namespace, '--log-level', 'error'];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    // WAL without a sync per commit: every workflow task is a SQLite transaction, and a dev server
    // that fsyncs each one spends its time waiting on the disk. A crash of the process loses
    // nothing; only a power cut could lose the last moments.
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = options.output ?? (() => {});
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const early = exited.then(({ code, signal }) => {
    throw new Error(`temporal server exited early with ${signal ? `signal ${signal}` : `code ${code}`}`);
  });
  // Once the server is ready, its exit is the supervisor's business, not an error here.
  early.catch(() => {});
  await Promise.race([waitForTemporal(address), early]);
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    exited,
    stop: () => stopChild(child),
  };
}

/** Last resort on machines with internet access: the SDK downloads a dev server itself. */
async function startWithSdkDownloader(options: DevServerOptions, address: string): Promise<DevServer> {
  const log = options.log ?? console.log;
  log('No Temporal CLI and no Go toolchain found; asking the Temporal SDK to download a dev server.');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const testEnv = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      uiPort: options.uiPort,
      ui: options.uiPort !== undefined,
      dbFilename: options.dbFile,
      namespace: options.namespace,
    },
  });
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    exited: new Promise(() => {}),
    stop: () => testEnv.teardown(),
  };
}

export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}
