import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRETS, parseEnv } from './env';

const real = {
  AUTH_SECRET: 'k3J9x2QmV7pL0sT8wY4zR6nB1cF5hD0a',
  ENCRYPTION_KEY: '9c41e0b7d26f8a35c1e4b9d07a6f2385e1c0b4d97f6a3e28c5b1d0e9a7f43b26',
  TWILIO_AUTH_TOKEN: '7d3e9a1f0c5b8e2d4a6f1c9b3e7d0a52',
};

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
      ...real,
    });
    expect(e.TELEPHONY).toBe('twilio');
    expect(e.TEMPORAL_EMBEDDED).toBe(false);
    expect(e.TEMPORAL_TARGET).toBe('temporal.internal:7233');
    expect(e.PUBLIC_BASE_URL).toBe('https://sb.example.com');
  });

  it('refuses every development secret in production, naming each and how to make one', () => {
    const attempt = () => parseEnv({ NODE_ENV: 'production' });
    expect(attempt).toThrow(/AUTH_SECRET: is the development default .*openssl rand -base64 32/);
    expect(attempt).toThrow(/ENCRYPTION_KEY: is the development default .*openssl rand -hex 32/);
    expect(attempt).toThrow(/TWILIO_AUTH_TOKEN: is the development default .*Twilio console/);
    for (const name of Object.keys(real) as (keyof typeof real)[]) {
      const others = { ...real, [name]: DEVELOPMENT_SECRETS[name] };
      expect(() => parseEnv({ NODE_ENV: 'production', ...others })).toThrow(new RegExp(`${name}: is the development default`));
    }
    expect(parseEnv({ NODE_ENV: 'production', ...real }).NODE_ENV).toBe('production');
  });

  it('refuses short and made-up secrets in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', ...real, AUTH_SECRET: 'short-but-16-chars' })).toThrow(/AUTH_SECRET: is too short \(18 characters; at least 32\)/);
    expect(() => parseEnv({ NODE_ENV: 'production', ...real, AUTH_SECRET: 'a'.repeat(40) })).toThrow(/AUTH_SECRET: is too weak/);
    expect(() => parseEnv({ NODE_ENV: 'production', ...real, ENCRYPTION_KEY: '0'.repeat(64) })).toThrow(/ENCRYPTION_KEY: is too weak/);
  });

  it('refuses the development secrets as soon as real Twilio is configured, in development too', () => {
    const sid = `AC${'0123456789abcdef'.repeat(2)}`;
    expect(() => parseEnv({ TWILIO_ACCOUNT_SID: sid })).toThrow(/TWILIO_AUTH_TOKEN: is the development default published in the repository; it must be set with TWILIO_ACCOUNT_SID set/);
    expect(parseEnv({ TWILIO_ACCOUNT_SID: sid, ...real }).TELEPHONY).toBe('twilio');
  });

  it('needs https for PUBLIC_BASE_URL in production, except on this machine', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', ...real, PUBLIC_BASE_URL: 'http://sb.example.com' })).toThrow(/PUBLIC_BASE_URL: must be an https:\/\/ URL in production/);
    expect(parseEnv({ NODE_ENV: 'production', ...real, PUBLIC_BASE_URL: 'https://sb.example.com' }).PUBLIC_BASE_URL).toBe('https://sb.example.com');
    expect(parseEnv({ NODE_ENV: 'production', ...real, PUBLIC_BASE_URL: 'http://127.0.0.1:3100' }).PUBLIC_BASE_URL).toBe('http://127.0.0.1:3100');
    expect(parseEnv({ NODE_ENV: 'production', ...real }).PUBLIC_BASE_URL).toBe('http://localhost:3000');
  });

  it('keeps development free of configuration', () => {
    expect(parseEnv({ NODE_ENV: 'development' }).AUTH_SECRET).toBe(DEVELOPMENT_SECRETS.AUTH_SECRET);
  });

  it('stops a production process at start-up with one readable message', () => {
    const { VITEST: _vitest, NODE_ENV: _nodeEnv, ...inherited } = process.env;
    const run = spawnSync('npx', ['tsx', 'temporal/worker.ts'], {
      env: { ...inherited, NODE_ENV: 'production', AUTH_SECRET: '', ENCRYPTION_KEY: '', TWILIO_AUTH_TOKEN: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration:');
    expect(run.stderr).toMatch(/AUTH_SECRET: is the development default/);
    expect(run.stderr).not.toMatch(/at .*\(/);
  }, 60_000);
});

describe('env while Next.js builds', () => {
  it('leaves the secrets to the running server', () => {
    expect(parseEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' }).NODE_ENV).toBe('production');
    expect(() => parseEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-server' })).toThrow(/AUTH_SECRET/);
  });
});
