import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => vi.unstubAllEnvs());

describe('next.config', () => {
  it('lets dev serve the app as 127.0.0.1 and as the tunnel PUBLIC_BASE_URL names, and accepts its server actions', async () => {
    vi.stubEnv('PUBLIC_BASE_URL', 'https://sb-test.trycloudflare.com:8443/');
    vi.resetModules();
    const { default: config } = await import('./next.config');
    expect(config.allowedDevOrigins).toEqual(['127.0.0.1', 'sb-test.trycloudflare.com']);
    expect(config.experimental?.serverActions?.allowedOrigins).toEqual(['sb-test.trycloudflare.com:8443']);
    expect(config.logging).toMatchObject({ serverFunctions: false });
  });
});
