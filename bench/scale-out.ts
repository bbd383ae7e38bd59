/**
 * Scale-out benchmark: the path a contact center takes when it outgrows one box. Two web processes
 * and two workers share one Temporal server and one Postgres database; the load (bench/load.ts's
 * callers) goes to either web process at random, as through a load balancer. Prints the flow-step
 * figures, how the work spread over the processes, and the errors (target: none).
 *
 * Needs a production build (`npm run build`) and a Postgres server: DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), on which it makes and drops a scratch database.
 * BENCH_SCALE_LANES (concurrent callers, default 40), BENCH_SCALE_SECONDS (default 60).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateDb, openPostgres } from '@/db/client';
import { createScratchDatabase } from '@/db/scratch';
import { seed } from '@/server/demo/seed';
import { bindNumber, createFlow, publishFlow } from '@/server/flows/service';
import { templateDocument } from '@/server/flows/templates';
import { WORKER_NODE_ARGS } from '@/temporal/constants';
import { startDevServer } from '@/temporal/dev-server';
import { freePort } from '@/faults/stack';
import { stackProcesses } from './processes';
import { FLOW_KINDS, percentile, Player, SMS_NUMBER, sleep } from './twilio-player';

const lanes = Number(process.env.BENCH_SCALE_LANES ?? 40);
const seconds = Number(process.env.BENCH_SCALE_SECONDS ?? 60);
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const repo = path.resolve(import.meta.dirname, '..');

function waitFor(child: ChildProcess, pattern: RegExp, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve();
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output.slice(-2000)}`)));
  });
}

/** CPU seconds used so far by the Postgres server's backends for one database. */
function postgresCpu(database: string): number {
  let total = 0;
  for (const line of execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n')) {
    const [pid = '', ...args] = line.trim().split(/\s+/);
    if (!args.join(' ').startsWith('postgres: ') || !args.includes(database)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

export async function runScaleOutBench() {
  const scratch = await createScratchDatabase(server, 'sb_scale');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-scale-'));
  const children: ChildProcess[] = [];
  const temporalPort = await freePort();
  // The Temporal server inherits DATA_DIR, so stackProcesses finds it with the others.
  process.env.DATA_DIR = dataDir;
  const temporal = await startDevServer({ port: temporalPort, log: () => {} });
  const database = new URL(scratch.url).pathname.slice(1);
  try {
    const handle = openPostgres(scratch.url);
    await migrateDb(handle);
    await seed(handle.db);
    const sms = await createFlow(handle.db, templateDocument('sms-care', 'SMS care'));
    await publishFlow(handle.db, { flowId: sms.id, document: templateDocument('sms-care', 'SMS care'), message: 'scale-out bench' });
    await bindNumber(handle.db, { flowId: sms.id, number: SMS_NUMBER, channel: 'sms' });
    await handle.close();

    const ports = [await freePort(), await freePort()];
    // One public address, as a load balancer gives them: Twilio signs it, every web process checks it.
    const publicBase = `http://localhost:${await freePort()}`;
    const token = randomBytes(16).toString('hex');
    const env = {
      ...process.env,
      NODE_ENV: 'production' as const,
      DATA_DIR: dataDir,
      DATABASE_URL: scratch.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      PUBLIC_BASE_URL: publicBase,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      TWILIO_AUTH_TOKEN: token,
    };
    const start = (command: string, args: string[], extra: Record<string, string>, ready: RegExp, name: string) => {
      const child = spawn(command, args, { cwd: repo, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return waitFor(child, ready, name);
    };
    await Promise.all([
      ...[1, 2].map((n) => start(process.execPath, [...WORKER_NODE_ARGS], {}, /worker ready/, `worker ${n}`)),
      ...ports.map((port) => start(path.join(repo, 'node_modules', '.bin', 'next'), ['start', '-p', String(port)], { PORT: String(port) }, /Ready in|✓ Ready/, `web on ${port}`)),
    ]);

    const player = new Player({ baseUrl: `http://localhost:${ports[0]}`, baseUrls: ports.map((port) => `http://localhost:${port}`), publicBase, token, think: [300, 900] });
    const before = stackProcesses(dataDir);
    const databaseBefore = postgresCpu(database);
    const deadline = Date.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        await sleep(Math.random() * 2000);
        while (Date.now() < deadline) await (lane % 5 === 0 ? player.conversation() : player.call()).catch(() => undefined);
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const after = stackProcesses(dataDir);
    const databaseSeconds = postgresCpu(database) - databaseBefore;
    const flow = player.samples.filter((s) => FLOW_KINDS.includes(s.kind));
    const times = flow.map((s) => s.ms).sort((a, b) => a - b);
    console.log(`${lanes} concurrent callers over 2 web processes and 2 workers (one Temporal, one Postgres), ${elapsed.toFixed(0)} s`);
    console.log(
      `flow steps ${(flow.length / elapsed).toFixed(1)}/s · p50 ${percentile(times, 50).toFixed(0)} ms · p99 ${percentile(times, 99).toFixed(0)} ms · ` +
        `errors ${player.samples.filter((s) => !s.ok && s.kind !== 'status').length} (5xx or none: ${player.samples.filter((s) => s.status >= 500 || s.status === 0).length}) · apology fallback ${flow.filter((s) => s.apology).length}`,
    );
    for (const kind of ['worker', 'web', 'temporal'] as const) {
      const used = (after[kind] ?? []).map((p) => ({ pid: p.pid, seconds: p.cpu - ((before[kind] ?? []).find((b) => b.pid === p.pid)?.cpu ?? 0) })).filter((p) => p.seconds > 0.5);
      console.log(`  ${kind}: ${used.map((p) => `pid ${p.pid} ${((p.seconds * 1000) / flow.length).toFixed(1)} ms CPU per step (${((100 * p.seconds) / elapsed).toFixed(0)}% of a core)`).join(' · ')}`);
    }
    // Backends that ended during the run are missed, so this is a lower bound (the pools keep theirs open).
    console.log(`  postgres (backends of ${database}): ${((databaseSeconds * 1000) / flow.length).toFixed(1)} ms CPU per step (${((100 * databaseSeconds) / elapsed).toFixed(0)}% of a core)`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(3000);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await temporal.stop();
    await scratch.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await runScaleOutBench();
}
