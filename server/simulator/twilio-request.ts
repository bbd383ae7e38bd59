import 'server-only';
import { randomBytes } from 'node:crypto';
import { signTwilioRequest } from '@/telephony/signature';

/**
 * Twilio-shaped webhook requests, built and signed the way Twilio does it, so the simulator
 * exercises the same route handlers and the same signature check as a real phone call.
 */

export const SIMULATOR_ACCOUNT_SID = `AC${'5'.repeat(32)}`;
/** The query parameter that makes a call or message run a flow's current draft as a test run. */
export const TEST_FLOW_PARAM = 'testFlow';

export const WEBHOOK_PATHS = {
  voice: '/api/twilio/voice',
  gather: '/api/twilio/gather',
  wait: '/api/twilio/wait',
  status: '/api/twilio/status',
  sms: '/api/twilio/sms',
} as const;

/** A Twilio-looking sid (`CA…`, `SM…`): prefix and 32 hex characters. */
export function twilioSid(prefix: 'CA' | 'SM' | 'QU'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

export interface SimCall {
  callSid: string;
  /** The caller. */
  from: string;
  /** The number called. */
  to: string;
}

/** The parameters Twilio sends with every voice webhook of a call. */
export function callParams(call: SimCall, callStatus: string): Record<string, string> {
  return {
    AccountSid: SIMULATOR_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: call.callSid,
    CallStatus: callStatus,
    Called: call.to,
    Caller: call.from,
    Direction: 'inbound',
    From: call.from,
    To: call.to,
  };
}

export type CallEvent =
  | { kind: 'start' }
  | { kind: 'gather'; digits?: string; speech?: string; confidence?: number }
  | { kind: 'wait'; queueTime: number; position: number }
  | { kind: 'queueAction'; result: string; queueTime: number }
  | { kind: 'redirect' }
  | { kind: 'status'; status: string; duration: number };

/** The form parameters of one call webhook, as Twilio would post them. */
export function callEventParams(call: SimCall, event: CallEvent): Record<string, string> {
  switch (event.kind) {
    case 'start':
      return callParams(call, 'ringing');
    case 'gather': {
      const params = callParams(call, 'in-progress');
      if (event.digits !== undefined && event.digits !== '') params.Digits = event.digits;
      if (event.speech !== undefined && event.speech.trim() !== '') {
        params.SpeechResult = event.speech.trim();
        params.Confidence = String(event.confidence ?? 0.92);
      }
      return params;
    }
    case 'wait':
      return {
        ...callParams(call, 'in-progress'),
        QueuePosition: String(event.position),
        QueueSid: queueSid(call),
        QueueTime: String(Math.max(0, Math.round(event.queueTime))),
        AvgQueueTime: '0',
        CurrentQueueSize: String(event.position),
        MaxQueueSize: '100',
      };
    case 'queueAction':
      return {
        ...callParams(call, event.result === 'hangup' ? 'completed' : 'in-progress'),
        QueueResult: event.result,
        QueueSid: queueSid(call),
        QueueTime: String(Math.max(0, Math.round(event.queueTime))),
      };
    case 'redirect':
      return callParams(call, 'in-progress');
    case 'status':
      return { ...callParams(call, event.status), CallDuration: String(Math.max(0, Math.round(event.duration))), Timestamp: new Date().toUTCString() };
    default: {
      const unknown: never = event;
      throw new Error(`unknown call event ${JSON.stringify(unknown)}`);
    }
  }
}

/** A stable queue sid per call: the simulator has one queue per hold. */
function queueSid(call: SimCall): string {
  return `QU${call.callSid.slice(2)}`;
}

export function smsParams(input: { messageSid: string; from: string; to: string; body: string }): Record<string, string> {
  return {
    AccountSid: SIMULATOR_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    MessageSid: input.messageSid,
    SmsMessageSid: input.messageSid,
    SmsSid: input.messageSid,
    MessagingServiceSid: '',
    From: input.from,
    To: input.to,
    Body: input.body,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
  };
}

export class WebhookUrlError extends Error {}

/**
 * Resolves a URL from TwiML (absolute, or relative to the document that contained it) and makes
 * sure it is one of this app's Twilio webhooks: the simulator signs what it posts, so it must
 * never sign or post anywhere else.
 */
export function resolveWebhookUrl(url: string, relativeTo: string, baseUrl: string): string {
  let resolved: URL;
  try {
    resolved = new URL(url, relativeTo);
  } catch {
    throw new WebhookUrlError(`not a URL: ${url}`);
  }
  const base = new URL(baseUrl);
  if (resolved.origin !== base.origin) throw new WebhookUrlError(`${resolved.origin} is not this app (${base.origin})`);
  const basePath = base.pathname.replace(/\/$/, '');
  if (!resolved.pathname.startsWith(`${basePath}/api/twilio/`)) throw new WebhookUrlError(`${resolved.pathname} is not a Twilio webhook of this app`);
  resolved.hash = '';
  return resolved.toString();
}

/** The full URL of a webhook path under the public base URL, with optional query parameters. */
export function webhookUrl(baseUrl: string, path: string, query: Record<string, string | undefined> = {}): string {
  const url = new URL(`${baseUrl.replace(/\/$/, '')}${path}`);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  params: Record<string, string>;
}

/** A form POST exactly as Twilio sends it: urlencoded body, `X-Twilio-Signature` over URL + params. */
export function signedRequest(url: string, params: Record<string, string>, authToken?: string): SignedRequest {
  return {
    url,
    params,
    body: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest(url, params, authToken),
      'user-agent': 'TwilioProxy/1.1 (Switchboard simulator)',
    },
  };
}
