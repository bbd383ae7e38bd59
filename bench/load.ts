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
 * texts instead of calls, default 0.2), DATA_DIR (to find the token `npm start` generated),
 * TWILIO_AUTH_TOKEN (when the server was given one).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signTwilioRequest } from '@/telephony/signature';

const baseUrl = (process.env.BENCH_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const levels = (process.env.BENCH_LOAD_LEVELS ?? '1,10,50').split(',').map(Number);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const [thinkMin, thinkMax] = (process.env.BENCH_THINK_MS ?? '300-900').split('-').map(Number) as [number, number];
const smsShare = Number(process.env.BENCH_SMS_SHARE ?? 0.2);

const DEMO_NUMBER = '+15005550100';
const SMS_NUMBER = '+15005550199';
const UNKNOWN_NUMBER = '+15005550999';
const APOLOGY = "We're sorry";

/** The token the server checks signatures with: the one `npm start` generated for its data directory, or the given one. */
function authToken(): string {
  const file = path.resolve(process.env.DATA_DIR?.trim() || '.data', 'local-secrets.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { TWILIO_AUTH_TOKEN?: string };
    if (stored.TWILIO_AUTH_TOKEN) return stored.TWILIO_AUTH_TOKEN;
  }
  return process.env.TWILIO_AUTH_TOKEN ?? 'switchboard-sandbox-auth-token';
}

const token = authToken();
/** Where the server believes it lives: Twilio signs the public URL, so the bench signs that too. */
const publicBase = process.env.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? baseUrl;

type Kind = 'voice' | 'gather' | 'wait' | 'queue' | 'status' | 'sms' | 'baseline';
const FLOW_KINDS: Kind[] = ['voice', 'gather', 'wait', 'queue', 'sms'];

interface Sample {
  kind: Kind;
  ms: number;
  ok: boolean;
  apology: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const think = () => sleep(thinkMin + Math.random() * (thinkMax - thinkMin));
const sid = (prefix: string) => `${prefix}${Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;
const caller = () => `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;

function attribute(twiml: string, tag: string, name: string): string | null {
  const element = new RegExp(`<${tag}\\b[^>]*>`).exec(twiml)?.[0];
  const value = element ? new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1] : undefined;
  return value === undefined ? null : value.replace(/&amp;/g, '&');
}

async function post(samples: Sample[], kind: Kind, pathOrUrl: string, params: Record<string, string>): Promise<string> {
  const target = pathOrUrl.startsWith('http') ? pathOrUrl : `${publicBase}${pathOrUrl}`;
  const signature = signTwilioRequest(target, params, token);
  const local = target.replace(publicBase, baseUrl);
  const started = performance.now();
  let body = '';
  let ok = false;
  try {
    const response = await fetch(local, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(20_000),
    });
    body = await response.text();
    ok = response.status === 200;
  } catch {
    ok = false;
  }
  const apology = body.includes(APOLOGY);
  samples.push({ kind, ms: performance.now() - started, ok: ok && !apology, apology });
  return body;
}

async function call(samples: Sample[]) {
  const base = { AccountSid: `AC${'0'.repeat(32)}`, CallSid: sid('CA'), From: caller(), To: DEMO_NUMBER, Direction: 'inbound', CallStatus: 'in-progress' };
  let twiml = await post(samples, 'voice', '/api/twilio/voice', { ...base, CallStatus: 'ringing' });
  try {
    await think();
    const billing = Math.random() < 0.5;
    twiml = await post(samples, 'gather', attribute(twiml, 'Gather', 'action') ?? '/api/twilio/gather?seq=0', { ...base, Digits: billing ? '1' : '2' });
    if (billing) {
      await think();
      twiml = await post(samples, 'gather', attribute(twiml, 'Gather', 'action') ?? '/api/twilio/gather?seq=1', {
        ...base,
        SpeechResult: 'I was charged twice this month and I would like a refund',
        Confidence: '0.91',
      });
    }
    const waitUrl = attribute(twiml, 'Enqueue', 'waitUrl');
    const action = attribute(twiml, 'Enqueue', 'action');
    if (waitUrl && action) {
      await think();
      await post(samples, 'wait', waitUrl, { ...base, QueueTime: '5', QueuePosition: '1' });
      await think();
      await post(samples, 'queue', action, { ...base, QueueResult: 'hangup', QueueTime: '8' });
    }
  } finally {
    await post(samples, 'status', '/api/twilio/status', { ...base, CallStatus: 'completed', CallDuration: '20' });
  }
}

async function conversation(samples: Sample[]) {
  const from = caller();
  const text = (body: string) => {
    const messageSid = sid('SM');
    return post(samples, 'sms', '/api/twilio/sms', { AccountSid: `AC${'0'.repeat(32)}`, MessageSid: messageSid, SmsMessageSid: messageSid, From: from, To: SMS_NUMBER, Body: body, NumMedia: '0' });
  };
  await text('hello');
  await think();
  await text('1');
}

async function baseline(samples: Sample[]) {
  await post(samples, 'baseline', '/api/twilio/voice', { AccountSid: `AC${'0'.repeat(32)}`, CallSid: sid('CA'), From: caller(), To: UNKNOWN_NUMBER, CallStatus: 'ringing' });
}

/** The processes of the stack on this machine, by what their command line contains. */
const PROCESSES = { worker: 'temporal/worker.ts', temporal: 'server start-dev', web: 'next-server', launcher: 'scripts/dev.ts' } as const;
type ProcessName = keyof typeof PROCESSES | 'bench';

interface ProcessSample {
  /** CPU seconds used so far (user + system). */
  cpu: number;
  rssMiB: number;
}

/** CPU time and memory of each process of the stack, from /proc; empty where it does not run here. */
function sampleProcesses(): Partial<Record<ProcessName, ProcessSample>> {
  const found: Partial<Record<ProcessName, ProcessSample>> = {};
  let lines: string[] = [];
  try {
    lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  } catch {
    return found;
  }
  const add = (name: ProcessName, pid: string) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const rss = (Number(fields[21]) * 4096) / 2 ** 20;
      const current = found[name];
      found[name] = { cpu: (current?.cpu ?? 0) + ticks / 100, rssMiB: Math.max(current?.rssMiB ?? 0, rss) };
    } catch {
      // The process ended between ps and /proc.
    }
  };
  for (const line of lines) {
    const [pid = '', ...args] = line.trim().split(/\s+/);
    const command = args.join(' ');
    for (const [name, needle] of Object.entries(PROCESSES) as [ProcessName, string][]) if (command.includes(needle) && !command.startsWith('npm')) add(name, pid);
  }
  add('bench', String(process.pid));
  return found;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
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
  const samples: Sample[] = [];
  const deadline = Date.now() + seconds * 1000;
  const before = sampleProcesses();
  let peakRss = before.worker?.rssMiB ?? 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, sampleProcesses().worker?.rssMiB ?? 0)), 500);
  const texters = Math.round(concurrency * smsShare);
  const started = performance.now();
  const lanes = Array.from({ length: concurrency }, async (_, lane) => {
    await sleep(Math.random() * Math.min(2000, thinkMax * 2));
    while (Date.now() < deadline) await (lane < texters ? conversation(samples) : call(samples)).catch(() => undefined);
  });
  const baselineLane = (async () => {
    while (Date.now() < deadline) {
      await baseline(samples);
      await sleep(200);
    }
  })();
  await Promise.all([...lanes, baselineLane]);
  clearInterval(rssTimer);
  const after = sampleProcesses();
  const elapsed = (performance.now() - started) / 1000;
  const flow = samples.filter((s) => FLOW_KINDS.includes(s.kind));
  const flowTimes = flow.map((s) => s.ms).sort((a, b) => a - b);
  const baseTimes = samples.filter((s) => s.kind === 'baseline').map((s) => s.ms).sort((a, b) => a - b);
  const callers = samples.filter((s) => s.kind === 'voice' || s.kind === 'sms');
  console.log(`\n${concurrency} concurrent (${concurrency - texters} calling, ${texters} texting), ${elapsed.toFixed(0)} s`);
  console.log('| webhook            |  count |  req/s |      p50 |      p95 |      p99 | errors | apology  |');
  console.log('|--------------------|--------|--------|----------|----------|----------|--------|----------|');
  for (const kind of [...FLOW_KINDS, 'status', 'baseline'] as Kind[]) {
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
  const cpu = (Object.keys(after) as ProcessName[])
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

/** The SMS care flow answers SMS_NUMBER; published once through the app's own API. */
async function ensureSmsFlow() {
  const email = process.env.BENCH_EMAIL ?? 'designer@switchboard.local';
  const password = process.env.BENCH_PASSWORD ?? 'switchboard-designer';
  const headers = { 'content-type': 'application/json', origin: baseUrl };
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, { method: 'POST', headers, body: JSON.stringify({ email, password }) });
  if (!signIn.ok) throw new Error(`sign-in as ${email} failed: ${signIn.status}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const trpc = async (procedure: string, input: unknown) => {
    const response = await fetch(`${baseUrl}/api/trpc/${procedure}`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ json: input }) });
    const body = (await response.json()) as { result?: { data?: { json?: unknown } }; error?: unknown };
    if (!response.ok) throw new Error(`${procedure}: ${response.status} ${JSON.stringify(body.error)}`);
    return body.result?.data?.json;
  };
  const numbers = (await fetch(`${baseUrl}/api/trpc/flows.numbers`, { headers: { cookie } }).then((r) => r.json())) as { result: { data: { json: { number: string; smsFlowId: string | null }[] } } };
  if (numbers.result.data.json.some((n) => n.number === SMS_NUMBER && n.smsFlowId !== null)) return;
  const { id } = (await trpc('flows.create', { name: 'Bench SMS care', template: 'sms-care' })) as { id: string };
  const published = (await trpc('flows.publish', { id, message: 'bench', number: SMS_NUMBER })) as { ok: boolean };
  if (!published.ok) throw new Error('could not publish the SMS care flow');
}

export async function runLoadBench() {
  console.log(`against ${baseUrl}; ${seconds} s per level; think time ${thinkMin}–${thinkMax} ms; a baseline webhook every 200 ms`);
  await ensureSmsFlow();
  for (const concurrency of levels) await level(concurrency);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await runLoadBench();
}
