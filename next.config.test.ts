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

  it('sends the fixed security headers with every response, and a deny-all policy with API answers', async () => {
    vi.resetModules();
    const { default: config } = await import('./next.config');
    const rules = (await config.headers?.()) ?? [];
    const all = Object.fromEntries(rules.find((r) => r.source === '/:path*')!.headers.map((h) => [h.key, h.value]));
    expect(all).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Permissions-Policy': expect.stringContaining('microphone=()'),
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    // Pages get theirs, with a nonce, from proxy.ts: two policies would both apply.
    expect(all).not.toHaveProperty('Content-Security-Policy');
    const api = rules.find((r) => r.source === '/api/:path*')!.headers;
    expect(api).toEqual([{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }]);
  });
});

