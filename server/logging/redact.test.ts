import { describe, expect, it } from 'vitest';
import { createRedactor, RESET_LINK_LOG_PREFIX } from './redact';

const redact = createRedactor(['twilio-auth-token-1234', 'a secret/with+chars']);

describe('log redaction', () => {
  it('redacts credentials in the query of a request log line and keeps the rest', () => {
    expect(redact(' GET /sign-in?email=manager%40switchboard.local&password=switchboard-manager 200 in 35ms')).toBe(
      ' GET /sign-in?email=manager%40switchboard.local&password=[redacted] 200 in 35ms',
    );
    expect(redact('GET /reset-password?token=Yk3jZ8qA&lang=en 200')).toBe('GET /reset-password?token=[redacted]&lang=en 200');
    expect(redact('GET /api/x?api_key=abc123&apiKey=def456&client_secret=s3 200')).toBe(
      'GET /api/x?api_key=[redacted]&apiKey=[redacted]&client_secret=[redacted] 200',
    );
    expect(redact('GET /api/health 200 in 4ms (next.js: 2ms, application-code: 2ms)')).toBe('GET /api/health 200 in 4ms (next.js: 2ms, application-code: 2ms)');
  });

  it('redacts credential headers however they are printed', () => {
    expect(redact('Authorization: Bearer sb_Qm9vZm9vYmFyYmF6cXV4cXV1eA')).toBe('Authorization: [redacted]');
    expect(redact('X-Twilio-Signature: 0NkXg4mVAx6n1dzIKqWo7ZhB1Mc=')).toBe('X-Twilio-Signature: [redacted]');
    expect(redact('cookie: better-auth.session_token=abc.def%3D; switchboard-locale=en')).toBe('cookie: [redacted]');
    expect(redact("headers: { authorization: 'Bearer abc.def', 'x-twilio-signature': 'c2lnbmF0dXJl', accept: '*/*' }")).toBe(
      "headers: { authorization: [redacted], 'x-twilio-signature': [redacted], accept: '*/*' }",
    );
    expect(redact('calling with Bearer eyJhbGciOi.payload.sig now')).toBe('calling with Bearer [redacted] now');
  });

  it('redacts session cookies, JSON fields and logfmt values', () => {
    expect(redact('set better-auth.session_token=Vgs8CI7K.2IxQ%2FWI4%3D; Path=/')).toBe('set better-auth.session_token=[redacted]; Path=/');
    expect(redact('body {"email":"a@b.c","password":"hunter2hunter2","newPassword": "x y z"}')).toBe(
      'body {"email":"a@b.c","password":"[redacted]","newPassword": "[redacted]"}',
    );
    expect(redact("{ password: 'hunter2hunter2', name: 'Ann' }")).toBe(`{ password: "[redacted]", name: 'Ann' }`);
    expect(redact('level=INFO msg="signed in" token=abc123 user=ann')).toBe('level=INFO msg="signed in" token=[redacted] user=ann');
  });

  it('redacts API keys, reset tokens in paths and passwords in URLs anywhere', () => {
    expect(redact('created sb_Qm9vZm9vYmFyYmF6cXV4cXV1eA for ci')).toBe('created sb_[redacted] for ci');
    expect(redact('GET /api/auth/reset-password/tK9fPq2LmN?callbackURL=%2Freset-password 302')).toBe(
      'GET /api/auth/reset-password/[redacted]?callbackURL=%2Freset-password 302',
    );
    expect(redact('connecting to postgres://app:pa55word@db:5432/switchboard')).toBe('connecting to postgres://app:[redacted]@db:5432/switchboard');
  });

  it('removes the values it is told are secret, raw and URL-encoded', () => {
    expect(redact('token twilio-auth-token-1234 in a message')).toBe('token [redacted] in a message');
    expect(redact('q=a%20secret%2Fwith%2Bchars and a secret/with+chars')).toBe('q=[redacted] and [redacted]');
  });

  it('leaves ordinary lines alone', () => {
    for (const line of [
      'worker ready on task queue "switchboard" at 127.0.0.1:7233',
      '  admin      admin@switchboard.local        switchboard-admin',
      'time=2026-01-01T00:00:00Z level=INFO msg="Started" component=frontend address=127.0.0.1:7233',
      'POST /api/twilio/voice 200 in 120ms',
      '✓ Ready in 2.3s',
    ]) {
      expect(redact(line)).toBe(line);
    }
  });

  it('keeps the reset link it prints on purpose for a local database', () => {
    const line = `${RESET_LINK_LOG_PREFIX} ann@example.com: http://localhost:3000/api/auth/reset-password/tK9fPq2LmN?callbackURL=%2Freset-password`;
    expect(redact(line)).toBe(line);
  });
});
