/**
 * Plays Twilio against a running server over HTTP: signed form posts to the webhooks, following the
 * URLs the TwiML names, with a caller's think time. Shared by the load benchmark and the fault suite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { signTwilioRequest } from '@/telephony/signature';

export const DEMO_NUMBER = '+15005550100';
export const SMS_NUMBER = '+15005550199';
export const UNKNOWN_NUMBER = '+15005550999';
/** The start of both fallback messages (telephony/twiml.ts): the runtime could not answer. */
export const APOLOGY = "We're sorry";
/** What an upset billing caller says: the flow texts them an apology and tags them. */
export const UPSET_REASON = 'This is the third time I am calling about this, it is ridiculous and I am furious';

export type Kind = 'voice' | 'gather' | 'wait' | 'queue' | 'status' | 'sms' | 'baseline';
/** Webhooks the flow answers (through Temporal). Hold-music polls (`wait`) are answered by the web alone, the status callback is a signal. */
export const FLOW_KINDS: readonly Kind[] = ['voice', 'gather', 'queue', 'sms'];

export interface Sample {
  kind: Kind;
  ms: number;
  status: number;
  /** 200 with TwiML that is not the fallback. */
  ok: boolean;
  apology: boolean;
}

export interface Target {
  /** Where requests go. */
  baseUrl: string;
  /** Several web processes behind one public address: each request goes to one of them at random. */
  baseUrls?: readonly string[];
  /** What Twilio believes the app's address is (PUBLIC_BASE_URL): it signs that URL. */
  publicBase: string;
  token: string;
  /** A caller's pause between webhooks, in ms. */
  think: [number, number];
}

/** The token a server checks signatures with: the one `npm start` generated for its data directory, else the given one. */
export function authTokenFor(dataDir: string, given?: string): string {
  const file = path.resolve(dataDir, 'local-secrets.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { TWILIO_AUTH_TOKEN?: string };
    if (stored.TWILIO_AUTH_TOKEN) return stored.TWILIO_AUTH_TOKEN;
  }
  return given ?? 'switchboard-sandbox-auth-token';
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const sid = (prefix: 'CA' | 'SM') => `${prefix}${Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;
export const randomCaller = () => `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;

export function attribute(twiml: string, tag: string, name: string): string | null {
  const element = new RegExp(`<${tag}\\b[^>]*>`).exec(twiml)?.[0];
  const value = element ? new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1] : undefined;
  return value === undefined ? null : value.replace(/&amp;/g, '&');
}

export class Player {
  readonly samples: Sample[] = [];

  constructor(readonly target: Target) {}

  think() {
    const [min, max] = this.target.think;
    return sleep(min + Math.random() * (max - min));
  }

  /** Posts a signed webhook; records how it went. */
  async post(kind: Kind, pathOrUrl: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    const { baseUrl, publicBase, token } = this.target;
    const signed = pathOrUrl.startsWith('http') ? pathOrUrl : `${publicBase}${pathOrUrl}`;
    const signature = signTwilioRequest(signed, params, token);
    const started = performance.now();
    let body = '';
    let status = 0;
    try {
      const backends = this.target.baseUrls ?? [baseUrl];
      const backend = backends[Math.floor(Math.random() * backends.length)] ?? baseUrl;
      const response = await fetch(signed.replace(publicBase, backend), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(20_000),
      });
      status = response.status;
      body = await response.text();
    } catch {
      status = 0;
    }
    const apology = body.includes(APOLOGY);
    this.samples.push({ kind, ms: performance.now() - started, status, ok: status === 200 && !apology, apology });
    return { status, body };
  }

  /**
   * A call to the demo IVR: the menu, then key 2 (support: VIP check, hold for a technician) or
   * key 1 and an upset billing question (emotion check, apology SMS, tag, hold for billing), a poll
   * of the hold music, a hang-up in the queue, and the status callback. Returns the CallSid.
   */
  async call(options: { billing?: boolean; from?: string } = {}): Promise<string> {
    const base = { AccountSid: `AC${'0'.repeat(32)}`, CallSid: sid('CA'), From: options.from ?? randomCaller(), To: DEMO_NUMBER, Direction: 'inbound', CallStatus: 'in-progress' };
    let twiml = (await this.post('voice', '/api/twilio/voice', { ...base, CallStatus: 'ringing' })).body;
    try {
      await this.think();
      const billing = options.billing ?? Math.random() < 0.5;
      twiml = (await this.post('gather', attribute(twiml, 'Gather', 'action') ?? '/api/twilio/gather?seq=0', { ...base, Digits: billing ? '1' : '2' })).body;
      if (billing) {
        await this.think();
        twiml = (await this.post('gather', attribute(twiml, 'Gather', 'action') ?? '/api/twilio/gather?seq=1', { ...base, SpeechResult: UPSET_REASON, Confidence: '0.91' })).body;
      }
      const waitUrl = attribute(twiml, 'Enqueue', 'waitUrl');
      const action = attribute(twiml, 'Enqueue', 'action');
      if (waitUrl && action) {
        await this.think();
        await this.post('wait', waitUrl, { ...base, QueueTime: '5', QueuePosition: '1' });
        await this.think();
        await this.post('queue', action, { ...base, QueueResult: 'hangup', QueueTime: '8' });
      }
    } finally {
      await this.post('status', '/api/twilio/status', { ...base, CallStatus: 'completed', CallDuration: '20' });
    }
    return base.CallSid;
  }

  /** Two texts to the SMS care flow: a greeting, then "1" (order status). Returns the first MessageSid. */
  async conversation(from = randomCaller()): Promise<string> {
    const first = sid('SM');
    await this.text(from, 'hello', first);
    await this.think();
    await this.text(from, '1');
    return first;
  }

  text(from: string, body: string, messageSid = sid('SM')) {
    return this.post('sms', '/api/twilio/sms', { AccountSid: `AC${'0'.repeat(32)}`, MessageSid: messageSid, SmsMessageSid: messageSid, From: from, To: SMS_NUMBER, Body: body, NumMedia: '0' });
  }

  /** A call to a number nothing answers: the webhook never reaches Temporal. */
  baseline() {
    return this.post('baseline', '/api/twilio/voice', { AccountSid: `AC${'0'.repeat(32)}`, CallSid: sid('CA'), From: randomCaller(), To: UNKNOWN_NUMBER, CallStatus: 'ringing' });
  }
}

/** Signs in as a designer and publishes the SMS care template on SMS_NUMBER, unless something answers there already. */
export async function ensureSmsFlow(baseUrl: string, credentials = { email: 'designer@switchboard.local', password: 'switchboard-designer' }) {
  const headers = { 'content-type': 'application/json', origin: baseUrl };
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, { method: 'POST', headers, body: JSON.stringify(credentials) });
  if (!signIn.ok) throw new Error(`sign-in as ${credentials.email} failed: ${signIn.status}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const trpc = async (procedure: string, input: unknown) => {
    const response = await fetch(`${baseUrl}/api/trpc/${procedure}`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ json: input }) });
    const body = (await response.json()) as { result?: { data?: { json?: unknown } }; error?: unknown };
    if (!response.ok) throw new Error(`${procedure}: ${response.status} ${JSON.stringify(body.error)}`);
    return body.result?.data?.json;
  };
  const numbers = (await fetch(`${baseUrl}/api/trpc/flows.numbers`, { headers: { cookie } }).then((r) => r.json())) as { result: { data: { json: { number: string; smsFlowId: string | null }[] } } };
  if (numbers.result.data.json.some((n) => n.number === SMS_NUMBER && n.smsFlowId !== null)) return;
  const { id } = (await trpc('flows.create', { name: 'SMS care', template: 'sms-care' })) as { id: string };
  const published = (await trpc('flows.publish', { id, message: 'published by the bench', number: SMS_NUMBER })) as { ok: boolean };
  if (!published.ok) throw new Error('could not publish the SMS care flow');
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** p50 / p99 of `runs` runs of `work`, after one run that warms the caches. */
export async function timed(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
