import { randomBytes } from 'node:crypto';
import { env } from '@/env';
import { signTwilioRequest } from '@/telephony/signature';
import { twilioRoutes } from './webhook-routes';

/**
 * Drives the real webhook route handlers the way Twilio does: form posts signed with the twilio
 * package, following the action URLs the previous TwiML named. For integration tests.
 */

/** The webhook route handlers by path, for tests that reach them in-process. */
export const webhookRoutes: Readonly<Record<string, (request: Request) => Promise<Response>>> = twilioRoutes;

export function sid(prefix: 'CA' | 'SM'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

export interface WebhookAnswer {
  status: number;
  body: string;
}

/** Posts a signed (or, with `signature`, deliberately forged) webhook to the route for the URL's path. */
export async function postWebhook(pathOrUrl: string, params: Record<string, string>, options: { signature?: string | null } = {}): Promise<WebhookAnswer> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${env.PUBLIC_BASE_URL}${pathOrUrl}`;
  const route = webhookRoutes[new URL(url).pathname];
  if (!route) throw new Error(`no Twilio route at ${url}`);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const signature = options.signature === undefined ? signTwilioRequest(url, params) : options.signature;
  if (signature !== null) headers['x-twilio-signature'] = signature;
  const response = await route(new Request(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() }));
  return { status: response.status, body: await response.text() };
}

function decode(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
}

/** The value of `attribute` on the first `<tag>` of the TwiML, entity-decoded. */
export function twimlAttribute(twiml: string, tag: string, attribute: string): string | null {
  const element = new RegExp(`<${tag}\\b[^>]*>`).exec(twiml)?.[0];
  const value = element ? new RegExp(`\\s${attribute}="([^"]*)"`).exec(element)?.[1] : undefined;
  return value === undefined ? null : decode(value);
}

/** A simulated caller: remembers the call's URLs and posts what the caller does. */
export class TestCall {
  last = '';

  constructor(
    readonly from: string,
    readonly to: string,
    readonly callSid = sid('CA'),
  ) {}

  private params(extra: Record<string, string> = {}): Record<string, string> {
    return { AccountSid: `AC${'0'.repeat(32)}`, CallSid: this.callSid, From: this.from, To: this.to, Direction: 'inbound', CallStatus: 'in-progress', ...extra };
  }

  private async post(url: string | null, extra: Record<string, string>): Promise<string> {
    if (url === null) throw new Error(`nothing to answer in:\n${this.last}`);
    const answer = await postWebhook(url, this.params(extra));
    if (answer.status !== 200) throw new Error(`webhook ${url} answered ${answer.status}: ${answer.body}`);
    this.last = answer.body;
    return answer.body;
  }

  start(): Promise<string> {
    return this.post('/api/twilio/voice', { CallStatus: 'ringing' });
  }

  get gatherUrl(): string | null {
    return twimlAttribute(this.last, 'Gather', 'action');
  }

  press(digits: string): Promise<string> {
    return this.post(this.gatherUrl, { Digits: digits });
  }

  speak(text: string, confidence = 0.9): Promise<string> {
    return this.post(this.gatherUrl, { SpeechResult: text, Confidence: String(confidence) });
  }

  silence(): Promise<string> {
    return this.post(this.gatherUrl, {});
  }

  /** Polls the hold's wait URL (does not replace `last`, which still holds the `<Enqueue>`). */
  async waitPoll(queueTime: number): Promise<string> {
    const url = twimlAttribute(this.last, 'Enqueue', 'waitUrl');
    if (url === null) throw new Error(`not on hold:\n${this.last}`);
    const answer = await postWebhook(url, this.params({ QueueTime: String(queueTime), QueuePosition: '1' }));
    return answer.body;
  }

  leaveQueue(result: string): Promise<string> {
    return this.post(twimlAttribute(this.last, 'Enqueue', 'action'), { QueueResult: result, QueueTime: '30' });
  }

  async status(callStatus: string): Promise<number> {
    return (await postWebhook('/api/twilio/status', this.params({ CallStatus: callStatus, CallDuration: '42' }))).status;
  }
}

/** Posts an inbound SMS; returns the webhook's TwiML. */
export async function textIn(from: string, to: string, body: string, messageSid = sid('SM')): Promise<WebhookAnswer & { messageSid: string }> {
  const answer = await postWebhook('/api/twilio/sms', { AccountSid: `AC${'0'.repeat(32)}`, MessageSid: messageSid, SmsMessageSid: messageSid, From: from, To: to, Body: body, NumMedia: '0' });
  return { ...answer, messageSid };
}
