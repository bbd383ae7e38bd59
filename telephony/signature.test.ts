import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { signedUrl, signTwilioRequest, verifyTwilioSignature } from './signature';

const TOKEN = 'unit-test-auth-token';
const URL_SIGNED = 'https://sb.example.com/api/twilio/gather?seq=2';
const params = { CallSid: 'CA0123', Digits: '1', From: '+15005550001', To: '+15005550100' };

describe('Twilio signatures', () => {
  it('accepts what Twilio (the twilio package) signs for the same URL, params and token', () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, URL_SIGNED, params);
    expect(signTwilioRequest(URL_SIGNED, params, TOKEN)).toBe(signature);
    expect(verifyTwilioSignature(signature, URL_SIGNED, params, TOKEN)).toBe(true);
  });

  it('refuses a missing signature, a changed param, another URL or query, and another token', () => {
    const signature = signTwilioRequest(URL_SIGNED, params, TOKEN);
    expect(verifyTwilioSignature(null, URL_SIGNED, params, TOKEN)).toBe(false);
    expect(verifyTwilioSignature('', URL_SIGNED, params, TOKEN)).toBe(false);
    expect(verifyTwilioSignature(signature, URL_SIGNED, { ...params, Digits: '2' }, TOKEN)).toBe(false);
    expect(verifyTwilioSignature(signature, URL_SIGNED, { ...params, Extra: 'x' }, TOKEN)).toBe(false);
    expect(verifyTwilioSignature(signature, URL_SIGNED.replace('seq=2', 'seq=3'), params, TOKEN)).toBe(false);
    expect(verifyTwilioSignature(signature, 'https://evil.example.com/api/twilio/gather?seq=2', params, TOKEN)).toBe(false);
    expect(verifyTwilioSignature(signature, URL_SIGNED, params, 'another-auth-token')).toBe(false);
  });

  it('checks against the public URL, not the host the request reached behind a proxy', () => {
    expect(signedUrl('http://10.0.0.7:3000/api/twilio/gather?seq=2', 'https://sb.example.com/')).toBe(URL_SIGNED);
    expect(signedUrl('http://localhost:3000/api/twilio/voice', 'https://sb.example.com')).toBe('https://sb.example.com/api/twilio/voice');
  });
});
