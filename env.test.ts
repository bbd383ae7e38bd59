import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('env', () => {
  it('runs with no variables set', () => {
    const e = parseEnv({});
    expect(e.PORT).toBe(3000);
    expect(e.PUBLIC_BASE_URL).toBe('http://localhost:3000');
    expect(e.TELEPHONY).toBe('sandbox');
    expect(e.TEMPORAL_EMBEDDED).toBe(true);
    expect(e.TEMPORAL_TARGET).toBe('127.0.0.1:7233');
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseEnv({ TWILIO_ACCOUNT_SID: 'nope' })).toThrow(/TWILIO_ACCOUNT_SID/);
  });

  it('switches to Twilio and an external Temporal when configured', () => {
    const e = parseEnv({
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      PUBLIC_BASE_URL: 'https://sb.example.com/',
    });
    expect(e.TELEPHONY).toBe('twilio');
    expect(e.TEMPORAL_EMBEDDED).toBe(false);
    expect(e.TEMPORAL_TARGET).toBe('temporal.internal:7233');
    expect(e.PUBLIC_BASE_URL).toBe('https://sb.example.com');
  });
});
