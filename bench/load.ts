/**
 * Load benchmark: plays Twilio for many concurrent calls and SMS conversations against a running
 * production server (`npm run build && npm start`), with signed webhooks and think time, and prints
 * per webhook kind requests/s, p50/p95/p99 and errors, the same for a baseline webhook that never
 * reaches Temporal (a call to an unknown number) measured in the same run, and the worker's peak RSS.
 *
 * A call: the demo IVR answers (menu) → key 2 (support: VIP check, hold for a technician) or key 1
 * and a spoken billing question (emotion check, hold for billing) → a poll of the hold music →
 * the caller hangs up in the queue → the status callback. A conversation: two texts to the SMS
 * care flow. Every one of these webhooks is a flow step answered by the interpreter workflow.
 *
 * BENCH_URL (default http://localhost:3000), BENCH_LOAD_LEVELS (concurrent callers per level,
 * default 1,10,50), BENCH_LOAD_SECONDS (per level, default 60), BENCH_THINK_MS (a caller's pause
 * between webhooks, default 300–900 ms: "300-900"), BENCH_SMS_SHARE (share of the concurrency that
 * texts instead of calls, default 0.2), BENCH_INFLIGHT (calls to hold open at once for the memory
 * figure, default 1000; 0 skips it), DATA_DIR (to find the token `npm start` generated and the
 * stack's processes), TWILIO_AUTH_TOKEN (when the server was given one).
 */
import path from 'node:path';
import { ownProcess, type ProcessSample, type StackProcess, stackProcesses } from './processes';
import { authTokenFor, ensureSmsFlow, FLOW_KINDS, type Kind, percentile, Player, type Sample, sleep, type Target } from './twilio-player';

const baseUrl = (process.env.BENCH_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const levels = (process.env.BENCH_LOAD_LEVELS ?? '1,10,50').split(',').map(Number);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const think = (process.env.BENCH_THINK_MS ?? '300-900').split('-').map(Number) as [number, number];
const smsShare = Number(process.env.BENCH_SMS_SHARE ?? 0.2);
const inFlight = Number(process.env.BENCH_INFLIGHT ?? 1000);

const target: Target = {
  baseUrl,
  // Twilio signs the public URL the server believes it has.
  publicBase: process.env.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? baseUrl,
  token: authTokenFor(process.env.DATA_DIR?.trim() || '.data', process.env.TWILIO_AUTH_TOKEN),
  think,
};

const dataDir = process.env.DATA_DIR?.trim() || '.data';

type Measured = StackProcess | 'bench';

/** CPU seconds and peak memory per kind of process of the stack under test, and of the bench itself. */
function measure(): Partial<Record<Measured, { cpu: number; rssMiB: number }>> {
  const result: Partial<Record<Measured, { cpu: number; rssMiB: number }>> = {};
  for (const [kind, list] of Object.entries(stackProcesses(dataDir)) as [StackProcess, ProcessSample[]][]) {
    result[kind] = { cpu: list.reduce((sum, p) => sum + p.cpu, 0), rssMiB: Math.max(...list.map((p) => p.rssMiB)) };
  }
  const own = ownProcess();
  if (own) result.bench = { cpu: own.cpu, rssMiB: own.rssMiB };
  return result;
}

function row(label: string, list: Sample[], elapsed: number) {
  const times = list.map((s) => s.ms).sort((a, b) => a - b);
  const errors = list.filter((s) => !s.ok).length;
  const apologies = list.filter((s) => s.apology).length;
  const f = (ms: number) => (Number.isNaN(ms) ? '–' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
  return `| ${label.padEnd(18)} | ${String(list.length).padStart(6)} | ${(list.length / elapsed).toFixed(1).padStart(6)} | ${f(percentile(times, 50)).padStart(8)} | ${f(percentile(times, 95)).padStart(8)} | ${f(percentile(times, 99)).padStart(8)} | ${String(errors).padStart(6)} | ${String(apologies).padStart(8)} |`;
}

/** Keeps `concurrency` callers busy for `seconds`, plus one baseline request every 200 ms. */
async function level(concurrency: number) {
  const player = new Player(target);
  const samples: Sample[] = player.samples;
  const deadline = Date.now() + seconds * 1000;
  const before = measure();
  let peakRss = before.worker?.rssMiB ?? 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, measure().worker?.rssMiB ?? 0)), 500);
  const texters = Math.round(concurrency * smsShare);
  const started = performance.now();
  const lanes = Array.from({ length: concurrency }, async (_, lane) => {
    await sleep(Math.random() * Math.min(2000, think[1] * 2));
    while (Date.now() < deadline) await (lane < texters ? player.conversation() : player.call()).catch(() => undefined);
  });
  const baselineLane = (async () => {
    while (Date.now() < deadline) {
      await player.baseline();
      await sleep(200);
    }
  })();
  await Promise.all([...lanes, baselineLane]);
  clearInterval(rssTimer);
  const after = measure();
  const elapsed = (performance.now() - started) / 1000;
  const flow = samples.filter((s) => FLOW_KINDS.includes(s.kind));
  const flowTimes = flow.map((s) => s.ms).sort((a, b) => a - b);
  const baseTimes = samples.filter((s) => s.kind === 'baseline').map((s) => s.ms).sort((a, b) => a - b);
  const callers = samples.filter((s) => s.kind === 'voice' || s.kind === 'sms');
  console.log(`\n${concurrency} concurrent (${concurrency - texters} calling, ${texters} texting), ${elapsed.toFixed(0)} s`);
  console.log('| webhook            |  count |  req/s |      p50 |      p95 |      p99 | errors | apology  |');
  console.log('|--------------------|--------|--------|----------|----------|----------|--------|----------|');
  for (const kind of [...FLOW_KINDS, 'wait', 'status', 'baseline'] as Kind[]) {
    const list = samples.filter((s) => s.kind === kind);
    if (list.length > 0) console.log(row(kind, list, elapsed));
  }
  console.log(row('all flow steps', flow, elapsed));
  const p99 = percentile(flowTimes, 99);
  const baseP99 = percentile(baseTimes, 99);
  console.log(
    `flow steps ${(flow.length / elapsed).toFixed(1)}/s · flow step p99 ${p99.toFixed(0)} ms = ${(p99 / baseP99).toFixed(1)}× the baseline p99 (${baseP99.toFixed(0)} ms) · ` +
      `errors ${flow.filter((s) => !s.ok).length} · apology fallback ${flow.filter((s) => s.apology).length} of ${callers.length} callers · worker peak RSS ${peakRss > 0 ? `${peakRss.toFixed(0)} MiB` : 'n/a (no local worker)'}`,
  );
  const cpu = (Object.keys(after) as Measured[])
    .filter((name) => before[name] !== undefined)
    .map((name) => ({ name, seconds: (after[name]?.cpu ?? 0) - (before[name]?.cpu ?? 0) }));
  const total = cpu.reduce((sum, p) => sum + p.seconds, 0);
  if (flow.length > 0 && cpu.length > 0) {
    console.log(
      `CPU per flow step ${((total * 1000) / flow.length).toFixed(1)} ms: ` +
        cpu.map((p) => `${p.name} ${((p.seconds * 1000) / flow.length).toFixed(1)} ms (${((100 * p.seconds) / elapsed).toFixed(0)}% of a core)`).join(' · '),
    );
  }
}

/**
 * Memory with many calls in flight: `count` callers reach the menu and stay there (a workflow each,
 * cached by the worker), then all hang up. Prints the worker's RSS before, at the peak and after.
 */
async function callsInFlight(count: number) {
  const player = new Player({ ...target, think: [0, 0] });
  const before = measure().worker?.rssMiB ?? 0;
  const open: Record<string, string>[] = [];
  const started = performance.now();
  // 20 at a time: a crowd of callers arriving within a minute or so, not one burst.
  for (let i = 0; i < count; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, async () => {
        const base = { AccountSid: `AC${'0'.repeat(32)}`, CallSid: `CA${crypto.randomUUID().replace(/-/g, '')}`, From: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, To: '+15005550100', CallStatus: 'in-progress' };
        await player.post('voice', '/api/twilio/voice', base);
        open.push(base);
      }),
    );
  }
  const ramp = (performance.now() - started) / 1000;
  await sleep(3000);
  const peak = measure().worker?.rssMiB ?? 0;
  const answered = player.samples.filter((s) => s.ok).length;
  for (let i = 0; i < open.length; i += 50) {
    await Promise.all(open.slice(i, i + 50).map((base) => player.post('status', '/api/twilio/status', { ...base, CallStatus: 'completed' })));
  }
  await sleep(5000);
  const after = measure().worker?.rssMiB ?? 0;
  console.log(
    `\n${count} calls in flight (all waiting at the menu, reached in ${ramp.toFixed(0)} s; ${answered} answered without the fallback): ` +
      `worker RSS ${before.toFixed(0)} MiB before, ${peak.toFixed(0)} MiB with them in flight, ${after.toFixed(0)} MiB after they hung up`,
  );
}

export async function runLoadBench() {
  console.log(`against ${baseUrl}; ${seconds} s per level; think time ${think[0]}–${think[1]} ms; a baseline webhook every 200 ms`);
  await ensureSmsFlow(baseUrl);
  for (const concurrency of levels) await level(concurrency);
  if (inFlight > 0) await callsInFlight(inFlight);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await runLoadBench();
}
