/**
 * A whole stack for the fault suite: `npm start` (the production build, so run `npm run build`
 * first) on free ports and a throwaway data directory, with handles to its processes and its
 * database, so a test can kill parts of it and count what happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { type ProcessSample, type StackProcess, stackProcesses } from '@/bench/processes';
import { authTokenFor, type Target } from '@/bench/twilio-player';
import { WORKER_NODE_ARGS } from '@/temporal/constants';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Stack {
  baseUrl: string;
  dataDir: string;
  target(think?: [number, number]): Target;
  /** Every line the launcher printed. */
  readonly log: string[];
  waitForLog(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  processes(): Partial<Record<StackProcess, ProcessSample[]>>;
  /** Sends `signal` to every process of that kind; returns their pids. */
  kill(kind: StackProcess, signal: NodeJS.Signals): number[];
  /** SQL against the stack's database (its shared PGlite, or the Postgres it uses). */
  sql: postgres.Sql;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Use this Postgres instead of the embedded PGlite. */
  databaseUrl?: string;
  /** Where the fault suite's own checks read the database (defaults to databaseUrl). */
  checkDatabaseUrl?: string;
}

const repo = path.resolve(import.meta.dirname, '..');

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!fs.existsSync(path.join(repo, '.next', 'BUILD_ID'))) throw new Error('the fault suite runs against the production build: run `npm run build` first');
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-faults-'));
  // With a Postgres server `npm start` wants real secrets (it only makes its own for an embedded trial).
  const secrets = options.databaseUrl
    ? { AUTH_SECRET: randomBytes(32).toString('base64url'), ENCRYPTION_KEY: randomBytes(32).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') }
    : {};
  // The stack gets this machine's environment minus the test runner's own (NODE_ENV=test, VITEST…).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
  const child: ChildProcess = spawn(process.execPath, [...WORKER_NODE_ARGS.slice(0, -1), 'scripts/dev.ts', '--prod'], {
    cwd: repo,
    env: {
      ...inherited,
      ...secrets,
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl ?? '',
      TEMPORAL_ADDRESS: '',
      AUTH_SIGN_IN_LIMIT: '0',
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const listeners = new Set<() => void>();
  let buffered = '';
  const take = (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    // The launcher colours its prefixes.
    for (const line of lines) log.push(line.replace(/\x1b\[[0-9;]*m/g, ''));
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);

  const waitForLog = (pattern: RegExp, timeoutMs = 120_000, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = log.slice(from).find((candidate) => pattern.test(candidate));
        if (line === undefined) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(line);
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${log.slice(-30).join('\n')}`));
      }, timeoutMs);
      if (!check()) listeners.add(check);
    });

  await waitForLog(/Switchboard is running/, 180_000);
  const checkUrl = options.checkDatabaseUrl ?? options.databaseUrl ?? `postgres://postgres@127.0.0.1:${fs.readFileSync(path.join(dataDir, 'pglite.port'), 'utf8').trim()}/postgres`;
  const sql = postgres(checkUrl, { max: 1, prepare: false, onnotice: () => {} });
  const baseUrl = `http://localhost:${port}`;

  return {
    baseUrl,
    dataDir,
    log,
    waitForLog,
    target: (think = [100, 300]) => ({ baseUrl, publicBase: baseUrl, token: secrets.TWILIO_AUTH_TOKEN ?? authTokenFor(dataDir), think }),
    processes: () => stackProcesses(dataDir),
    kill(kind, signal) {
      const pids = (stackProcesses(dataDir)[kind] ?? []).map((p) => p.pid);
      for (const pid of pids) process.kill(pid, signal);
      return pids;
    },
    sql,
    async stop() {
      await sql.end({ timeout: 5 });
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      }
      for (const list of Object.values(stackProcesses(dataDir))) for (const p of list ?? []) process.kill(p.pid, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy in front of a database that a test can cut and restore: a network partition. */
export async function databaseProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
  return {
    port,
    /** Drops every connection and refuses new ones. */
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
