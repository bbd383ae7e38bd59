/**
 * `npm run dev` / `npm start`: one command for the whole stack — database, Temporal dev server,
 * worker and Next.js — with prefixed logs, readiness waits, a clean shutdown on Ctrl-C, and
 * supervision: a process that crashes is started again while the others keep serving.
 */
// First: in production mode it provides the secrets env.ts then checks.
import { localSecretsFile } from './local-secrets';
import fs from 'node:fs';
import path from 'node:path';
import { migrateDb, openPglite, openPostgres, pgliteDir, sharedPglitePortFile, type DbHandle } from '@/db/client';
import { startPgliteServer } from '@/db/pglite-server';
import { seedIfEmpty } from '@/server/demo/seed';
import { LOCAL_USERS, presentLocalUsers, seedLocalUsers } from '@/server/auth/seed-users';
import { env } from '@/env';
import { createRedactor } from '@/server/logging/redact';
import { WORKER_NODE_ARGS } from '@/temporal/constants';
import { startDevServer, type DevServer } from '@/temporal/dev-server';
import { spawnReady, supervise, type Supervisor } from './supervisor';

const prod = process.argv.includes('--prod');
const colors = { db: 35, temporal: 36, worker: 33, web: 32, dev: 34 } as const;
type Source = keyof typeof colors;

// Every line printed goes through here: request logs, worker and Temporal output lose their credentials.
const redact = createRedactor([env.TWILIO_AUTH_TOKEN, env.AUTH_SECRET, env.ENCRYPTION_KEY, env.TEMPORAL_API_KEY]);

function log(source: Source, line: string) {
  const tag = `\x1b[${colors[source]}m${source.padEnd(8)}\x1b[0m│ `;
  process.stdout.write(`${tag}${redact(line)}\n`);
}

function prefixLines(source: Source) {
  let buffered = '';
  return (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) log(source, line);
  };
}

/** The supervised processes, stopped in reverse order; then the database. */
const services: Supervisor[] = [];
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log('dev', 'shutting down…');
  // All at once: Ctrl-C also reached the children, and none may be restarted while the others stop.
  await Promise.all(services.reverse().map((service) => service.stop().catch((e) => log('dev', `stop failed: ${e}`))));
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => log('dev', `cleanup failed: ${e}`));
  log('dev', 'stopped.');
  process.exit(code);
}

/** Runs `command` (a file in node_modules/.bin, or an absolute path) under supervision. */
async function run(source: Source, command: string, args: string[], ready: (line: string) => boolean): Promise<void> {
  const bin = path.isAbsolute(command) ? command : path.resolve('node_modules', '.bin', command);
  // The worker finishes its tasks in flight when asked to stop; give it the time.
  const start = () => spawnReady(bin, args, { ready, output: prefixLines(source), graceMs: 10_000 });
  services.push(await supervise(source, start, (line) => log(source, line)));
}

let signInUsers: typeof LOCAL_USERS = [];

async function startDatabase(): Promise<void> {
  let handle: DbHandle;
  if (env.DATABASE_URL) {
    handle = openPostgres(env.DATABASE_URL);
  } else {
    const dir = pgliteDir();
    log('db', `PGlite at ${dir}`);
    const local = await openPglite(dir);
    handle = local;
    await migrateDb(handle);
    const server = await startPgliteServer(local.pglite);
    const { port } = server;
    fs.writeFileSync(sharedPglitePortFile(), String(port));
    log('db', `shared with the app and worker on 127.0.0.1:${port}`);
    cleanups.push(async () => {
      fs.rmSync(sharedPglitePortFile(), { force: true });
      await server.stop();
      await local.close();
    });
  }
  await migrateDb(handle);
  const seeded = await seedIfEmpty(handle.db);
  log('db', seeded ? 'demo data loaded (empty database)' : 'existing data kept');
  if (await seedLocalUsers(handle.db, { production: env.NODE_ENV === 'production', local: !env.DATABASE_URL })) {
    log('db', `local users created (one per role: ${LOCAL_USERS.map((u) => u.role).join(', ')})`);
  }
  signInUsers = await presentLocalUsers(handle.db);
  if (handle.kind === 'postgres') await handle.close();
}

async function main() {
  fs.mkdirSync(env.DATA_DIR, { recursive: true });
  if (localSecretsFile) log('dev', `secrets: generated for this local trial in ${localSecretsFile}; a deployment sets AUTH_SECRET, ENCRYPTION_KEY and TWILIO_AUTH_TOKEN itself`);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  await startDatabase();

  let temporal: DevServer | undefined;
  if (env.TEMPORAL_EMBEDDED) {
    log('temporal', `starting dev server on ${env.TEMPORAL_TARGET} (state in ${path.resolve(env.DATA_DIR, 'temporal.db')})`);
    const start = async () => {
      temporal = await startDevServer({
        port: env.TEMPORAL_PORT,
        uiPort: env.TEMPORAL_UI_PORT,
        dbFile: path.resolve(env.DATA_DIR, 'temporal.db'),
        namespace: env.TEMPORAL_NAMESPACE,
        log: (line) => log('temporal', line),
        output: prefixLines('temporal'),
      });
      return temporal;
    };
    services.push(await supervise('temporal', start, (line) => log('temporal', line)));
    log('temporal', `ready; web UI at ${temporal?.uiUrl}`);
  } else {
    log('temporal', `using the cluster at ${env.TEMPORAL_TARGET}`);
  }

  await run('worker', process.execPath, [...WORKER_NODE_ARGS], (line) => line.includes('worker ready'));
  const nextArgs = prod ? ['start', '-p', String(env.PORT)] : ['dev', '-p', String(env.PORT)];
  await run('web', 'next', nextArgs, (line) => /Ready in|ready started|✓ Ready/i.test(line));
  await fetch(`http://127.0.0.1:${env.PORT}/api/health`).catch(() => undefined);

  log('dev', '');
  log('dev', `Switchboard is running at http://localhost:${env.PORT}`);
  if (temporal?.uiUrl) log('dev', `Temporal web UI at ${temporal.uiUrl}`);
  if (signInUsers.length) {
    log('dev', 'Sign in as (local users; change or remove them before going live):');
    for (const u of signInUsers) log('dev', `  ${u.role.padEnd(10)} ${u.email.padEnd(30)} ${u.password}`);
  }
  log('dev', 'Press Ctrl-C to stop.');
}

main().catch((error) => {
  for (const line of String(error instanceof Error ? error.stack : error).split('\n')) log('dev', line);
  void shutdown(1);
});
