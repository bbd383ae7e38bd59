import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it, vi } from 'vitest';
import { env } from '@/env';
import { signTwilioRequest } from '@/telephony/signature';
import { isNotFound } from './runtime';
import { replyUrls } from '@/telephony/replies';
import { callerInputFrom, handleQueueWait } from './voice';
import { TWILIO_MAX_BODY_BYTES, twilioWebhook } from './webhook';

const url = `${env.PUBLIC_BASE_URL}/api/twilio/voice?x=1`;
const params = { CallSid: 'CA1', From: '+15005550001', To: '+15005550100' };

function request(signature: string | null, body = new URLSearchParams(params).toString(), at = url) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return new Request(at, { method: 'POST', headers, body });
}

describe('twilioWebhook', () => {
  it('refuses a missing or forged signature with 403 without calling the handler', async () => {
    const handler = vi.fn(async () => '<Response/>');
    expect((await twilioWebhook(request(null), 'voice', handler)).status).toBe(403);
    expect((await twilioWebhook(request('Zm9yZ2Vk'), 'voice', handler)).status).toBe(403);
    const tampered = new URLSearchParams({ ...params, To: '+15005550999' }).toString();
    expect((await twilioWebhook(request(signTwilioRequest(url, params), tampered), 'voice', handler)).status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a body over 64 KB with 413 before verifying or handling it, declared or chunked', async () => {
    const handler = vi.fn(async () => '<Response/>');
    const big = { ...params, Body: 'x'.repeat(TWILIO_MAX_BODY_BYTES) };
    const declared = request(signTwilioRequest(url, big), new URLSearchParams(big).toString());
    expect((await twilioWebhook(declared, 'sms', handler)).status).toBe(413);
    const encoded = new TextEncoder().encode(new URLSearchParams(big).toString());
    const chunked = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(url, big) },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < encoded.length; i += 8192) controller.enqueue(encoded.slice(i, i + 8192));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.headers.get('content-length')).toBeNull();
    const refused = await twilioWebhook(chunked, 'sms', handler);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(handler).not.toHaveBeenCalled();
    // Twilio's own parameters, with the longest SMS, are far below the limit.
    const longest = { ...params, Body: '长'.repeat(1600), MediaUrl0: `https://api.twilio.com/${'m'.repeat(200)}` };
    expect((await twilioWebhook(request(signTwilioRequest(url, longest), new URLSearchParams(longest).toString()), 'sms', handler)).status).toBe(200);
  });

  it('passes a signed request to the handler with its params and query, as XML', async () => {
    const handler = vi.fn(async () => '<Response/>');
    // Reached on an internal host: the signature is checked against PUBLIC_BASE_URL.
    const internal = 'http://10.1.2.3:8080/api/twilio/voice?x=1';
    const response = await twilioWebhook(request(signTwilioRequest(url, params), undefined, internal), 'voice', handler);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(await response.text()).toBe('<Response/>');
    expect(handler).toHaveBeenCalledWith(expect.objectContaining({ params, url }));
  });

  // Found by webhooks-fuzz.temporal.test.ts (seed -615461138: MessageSid "\u0000" on
  // /message-status): NUL reached the database and the call or status lookup failed.
  it('checks the signature on what Twilio sent and hands the handler text without NUL', async () => {
    const handler = vi.fn(async () => '<Response/>');
    const odd = { CallSid: 'CA1', SpeechResult: 'bill\u0000ing', 'Odd\u0000Key': '\u0000' };
    const at = `${env.PUBLIC_BASE_URL}/api/twilio/message-status?key=k%00ey`;
    const response = await twilioWebhook(request(signTwilioRequest(at, odd), new URLSearchParams(odd).toString(), at), 'status', handler);
    expect(response.status).toBe(200);
    const [{ params: seen, query }] = handler.mock.calls[0] as unknown as [{ params: Record<string, string>; query: URLSearchParams }];
    expect(seen).toEqual({ CallSid: 'CA1', SpeechResult: 'billing', OddKey: '' });
    expect(query.get('key')).toBe('key');
  });

  it('answers fallback TwiML when the handler fails or is too slow', async () => {
    const signed = () => request(signTwilioRequest(url, params));
    const failed = await twilioWebhook(signed(), 'voice', async () => {
      throw new Error('database unreachable');
    });
    expect(failed.status).toBe(200);
    expect(await failed.text()).toContain("We're sorry");
    const slow = await twilioWebhook(signed(), 'sms', () => new Promise<string>(() => {}), { timeoutMs: 50 });
    expect(await slow.text()).toContain("<Message>Sorry, we can't reply right now.");
  });
});

describe('callerInputFrom', () => {
  it('reads keys first, then speech with its confidence, and nothing as a timeout', () => {
    expect(callerInputFrom({ Digits: '1', SpeechResult: 'two' })).toEqual({ kind: 'digits', text: '1' });
    expect(callerInputFrom({ SpeechResult: ' 账单 ', Confidence: '0.82' })).toEqual({ kind: 'speech', text: '账单', confidence: 0.82 });
    expect(callerInputFrom({ Digits: '', SpeechResult: '' })).toBeNull();
    expect(callerInputFrom({})).toBeNull();
  });
});

describe('isNotFound', () => {
  it("is Temporal's missing-workflow error, not any message that says so", () => {
    expect(isNotFound(new WorkflowNotFoundError('workflow execution already completed', 'call:CA1', undefined))).toBe(true);
    expect(isNotFound(new Error('customer not found'))).toBe(false);
    expect(isNotFound(Object.assign(new Error('x'), { name: 'WorkflowNotFoundError' }))).toBe(false);
  });
});

describe('the hold wait URL', () => {
  const at = 1_800_000_000_000;
  const query = (until: number) => new URL(replyUrls.wait(3, until, { verb: 'say', text: 'Please hold.' }), 'https://x.test').searchParams;
  const wait = (until: number, now: number) => handleQueueWait({ params: {}, url: '', query: query(until) }, now);

  it('plays the message then pauses until the next poll, and leaves once the hold is over', async () => {
    expect(await wait(at + 25_000, at)).toContain('<Say>Please hold.</Say><Pause length="10"/>');
    expect(await wait(at + 4_200, at)).toContain('<Pause length="5"/>');
    expect(await wait(at, at)).toContain('<Leave/>');
    expect(await handleQueueWait({ params: {}, url: '', query: new URLSearchParams('seq=3') }, at)).toContain('<Leave/>');
  });
});
