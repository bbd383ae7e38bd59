import type { Language } from '@/nodes/sdk';

/**
 * The plain JSON reply a voice workflow returns for a webhook. Workflow code cannot import
 * `twilio`, so it describes the TwiML and `twiml.ts` renders it in the route handler.
 * URLs are paths (`/api/twilio/gather?seq=2`); the renderer makes them absolute.
 */
export interface SayVerb {
  verb: 'say';
  text: string;
  voice?: string;
  language?: Language;
  /** Seconds of silence after the text. */
  pauseAfter?: number;
}

export interface GatherVerb {
  verb: 'gather';
  input: 'dtmf' | 'speech' | 'dtmf speech';
  /** Seconds to wait for the first key or word. */
  timeout: number;
  numDigits?: number;
  finishOnKey?: string;
  hints?: string[];
  language?: Language;
  actionUrl: string;
  prompt: SayVerb[];
}

export interface EnqueueVerb {
  verb: 'enqueue';
  queue: string;
  waitUrl: string;
  /** Absent: once the caller leaves the queue, the call goes on to the next verb. */
  actionUrl?: string;
}

export interface DialVerb {
  verb: 'dial';
  number: string;
}

export interface PauseVerb {
  verb: 'pause';
  length: number;
}

export interface RedirectVerb {
  verb: 'redirect';
  url: string;
}

export type Verb = SayVerb | GatherVerb | EnqueueVerb | DialVerb | PauseVerb | RedirectVerb | { verb: 'hangup' } | { verb: 'leave' };

export interface VoiceReply {
  verbs: Verb[];
}

/** Where Twilio posts back; `seq` names the turn so a retried post is recognised. */
export const replyUrls = {
  gather: (seq: number) => `/api/twilio/gather?seq=${seq}`,
  queueAction: (seq: number) => `/api/twilio/gather?seq=${seq}&kind=queue`,
  /**
   * A hold's wait URL says until when the caller holds and what they hear meanwhile, so the web can
   * answer Twilio's polls alone. Twilio signs the URL it requests: a changed one is refused.
   */
  wait: (seq: number, until: number, message: SayVerb) => `/api/twilio/wait?seq=${seq}&until=${Math.round(until)}&say=${encodeURIComponent(JSON.stringify(message))}`,
} as const;

/** The hold a wait URL describes, or null when it does not describe one. */
export function holdFromWaitUrl(query: URLSearchParams): { until: number; message: SayVerb } | null {
  const until = Number(query.get('until'));
  let message: unknown;
  try {
    message = JSON.parse(query.get('say') ?? '');
  } catch {
    return null;
  }
  const valid = typeof message === 'object' && message !== null && (message as SayVerb).verb === 'say' && typeof (message as SayVerb).text === 'string';
  return Number.isFinite(until) && until > 0 && valid ? { until, message: message as SayVerb } : null;
}

export function say(text: string, options: Omit<SayVerb, 'verb' | 'text'> = {}): SayVerb {
  return { verb: 'say', text, ...options };
}

export const hangup: Verb = { verb: 'hangup' };
export const leave: Verb = { verb: 'leave' };
