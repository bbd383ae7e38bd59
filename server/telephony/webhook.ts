import 'server-only';
import { KB, withBodyLimit } from '@/server/http/body-limit';
import { withTimeout } from '@/temporal/client';
import { signedUrl, SIGNATURE_HEADER, verifyTwilioSignature } from '@/telephony/signature';
import { fallbackVoiceTwiml, renderMessagingReply } from '@/telephony/twiml';

/** Twilio gives up after 15 s; answer well before, whatever Temporal or the database are doing. */
export const WEBHOOK_BUDGET_MS = 10_000;

/** Twilio's form parameters take a few KB (an SMS body is at most 1,600 characters); more is not Twilio. */
export const TWILIO_MAX_BODY_BYTES = 64 * KB;

export const SMS_APOLOGY = "Sorry, we can't reply right now. Please try again in a few minutes.";

export interface TwilioWebhookRequest {
  /** Form parameters as Twilio posted them. */
  params: Record<string, string>;
  /** The URL Twilio signed (public base URL + path + query). */
  url: string;
  query: URLSearchParams;
}

export type WebhookKind = 'voice' | 'sms' | 'status';

export interface WebhookOptions {
  timeoutMs?: number;
}

const xml = (body: string, status = 200) => new Response(body, { status, headers: { 'content-type': 'text/xml; charset=utf-8' } });

export function fallbackFor(kind: WebhookKind): string {
  switch (kind) {
    case 'voice':
      return fallbackVoiceTwiml();
    case 'sms':
      return renderMessagingReply(SMS_APOLOGY);
    case 'status':
      return renderMessagingReply();
    default: {
      const unknown: never = kind;
      throw new Error(`unknown webhook kind ${String(unknown)}`);
    }
  }
}

/**
 * The shell of every Twilio webhook: refuse a body over 64 KB (413), verify `X-Twilio-Signature`
 * (403 and nothing else when it is missing or wrong), run the handler within the time budget, and
 * answer fallback TwiML instead of an error when it fails or is too slow.
 */
export async function twilioWebhook(
  request: Request,
  kind: WebhookKind,
  handler: (input: TwilioWebhookRequest) => Promise<string>,
  options: WebhookOptions = {},
): Promise<Response> {
  const limited = await withBodyLimit(request, TWILIO_MAX_BODY_BYTES);
  if (limited instanceof Response) return limited;
  const body = await limited.text();
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  const url = signedUrl(request.url);
  if (!verifyTwilioSignature(request.headers.get(SIGNATURE_HEADER), url, params)) {
    return new Response('Invalid Twilio signature', { status: 403, headers: { 'content-type': 'text/plain' } });
  }
  try {
    return xml(await withTimeout(handler(withoutNul({ params, url, query: new URL(url).searchParams })), options.timeoutMs ?? WEBHOOK_BUDGET_MS));
  } catch (error) {
    console.error(`[twilio ${kind}] answering with fallback TwiML:`, error instanceof Error ? error.message : error);
    return xml(fallbackFor(kind));
  }
}

/**
 * The request as handlers see it: without NUL characters, which Postgres cannot store in text.
 * Twilio's text is data the flow records (speech, messages, sids): one NUL in a SpeechResult made
 * the step's write fail and the call end with an apology, one in a MessageSid or `?key=` made the
 * status lookup fail (found by webhooks-fuzz.temporal.test.ts). The signature was checked on what
 * Twilio sent. Bodies are decoded as UTF-8, so they hold no unpaired surrogates.
 */
function withoutNul(request: TwilioWebhookRequest): TwilioWebhookRequest {
  const strip = (text: string) => text.replaceAll('\u0000', '');
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.params)) params[strip(key)] = strip(value);
  const query = new URLSearchParams();
  for (const [key, value] of request.query) query.append(strip(key), strip(value));
  return { params, url: request.url, query };
}
