import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { verifyTwilioSignature } from '@/telephony/signature';
import { callEventParams, resolveWebhookUrl, signedRequest, smsParams, twilioSid, webhookUrl, WebhookUrlError } from './twilio-request';

const TOKEN = 'test-auth-token-123';
const call = { callSid: 'CA0123456789abcdef0123456789abcdef', from: '+15005550001', to: '+15005550100' };

describe('simulator requests', () => {
  it('signs a form post so that twilio.validateRequest accepts it, and only unchanged', () => {
    const url = webhookUrl('https://sb.example.com', '/api/twilio/voice', { testFlow: '6f1c1d7e-7c55-4c1b-9d52-5c7e0a8b2f11' });
    const request = signedRequest(url, callEventParams(call, { kind: 'start' }), TOKEN);
    const params = Object.fromEntries(new URLSearchParams(request.body));
    expect(params).toEqual(request.params);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const signature = request.headers['x-twilio-signature'];
    expect(signature).toBeDefined();
    expect(twilio.validateRequest(TOKEN, signature!, url, params)).toBe(true);
    expect(verifyTwilioSignature(signature!, url, params, TOKEN)).toBe(true);
    // The query string is signed too: a test run cannot be pointed at another flow.
    expect(twilio.validateRequest(TOKEN, signature!, url.replace('6f1c', '7f1c'), params)).toBe(false);
    expect(twilio.validateRequest(TOKEN, signature!, url, { ...params, From: '+15005550002' })).toBe(false);
    expect(twilio.validateRequest('another-token-123', signature!, url, params)).toBe(false);
  });

  it('builds Twilio-shaped parameters for each call event', () => {
    expect(callEventParams(call, { kind: 'start' })).toMatchObject({ CallSid: call.callSid, From: call.from, To: call.to, Caller: call.from, Called: call.to, CallStatus: 'ringing', Direction: 'inbound' });
    expect(callEventParams(call, { kind: 'gather', digits: '1' })).toMatchObject({ Digits: '1', CallStatus: 'in-progress' });
    expect(callEventParams(call, { kind: 'gather', digits: '1' })).not.toHaveProperty('SpeechResult');
    expect(callEventParams(call, { kind: 'gather', speech: ' I am furious ' })).toMatchObject({ SpeechResult: 'I am furious', Confidence: '0.92' });
    const empty = callEventParams(call, { kind: 'gather' });
    expect(empty).not.toHaveProperty('Digits');
    expect(empty).not.toHaveProperty('SpeechResult');
    expect(callEventParams(call, { kind: 'wait', queueTime: 4.4, position: 1 })).toMatchObject({ QueueTime: '4', QueuePosition: '1', QueueSid: `QU${call.callSid.slice(2)}` });
    expect(callEventParams(call, { kind: 'queueAction', result: 'leave', queueTime: 30 })).toMatchObject({ QueueResult: 'leave', QueueTime: '30' });
    expect(callEventParams(call, { kind: 'status', status: 'completed', duration: 61.6 })).toMatchObject({ CallStatus: 'completed', CallDuration: '62' });
    expect(smsParams({ messageSid: 'SM1', from: '+15005550001', to: '+15005550100', body: '你好' })).toMatchObject({ MessageSid: 'SM1', Body: '你好', NumMedia: '0' });
  });

  it('makes Twilio-looking sids', () => {
    expect(twilioSid('CA')).toMatch(/^CA[0-9a-f]{32}$/);
    expect(twilioSid('SM')).not.toBe(twilioSid('SM'));
  });

  it('only resolves URLs to this app’s Twilio webhooks', () => {
    const base = 'http://localhost:3000';
    const doc = 'http://localhost:3000/api/twilio/voice?testFlow=x';
    expect(resolveWebhookUrl('/api/twilio/gather?seq=2', doc, base)).toBe('http://localhost:3000/api/twilio/gather?seq=2');
    expect(resolveWebhookUrl('gather?seq=3', doc, base)).toBe('http://localhost:3000/api/twilio/gather?seq=3');
    expect(resolveWebhookUrl('http://localhost:3000/api/twilio/wait?seq=4#x', doc, base)).toBe('http://localhost:3000/api/twilio/wait?seq=4');
    expect(() => resolveWebhookUrl('https://evil.example.com/api/twilio/gather', doc, base)).toThrow(WebhookUrlError);
    expect(() => resolveWebhookUrl('/api/trpc/flows.list', doc, base)).toThrow(WebhookUrlError);
    expect(() => resolveWebhookUrl('/api/twilio/../trpc/x', doc, base)).toThrow(WebhookUrlError);
  });
});
