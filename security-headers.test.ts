import { describe, expect, it } from 'vitest';
import { createNonce, pageContentSecurityPolicy, pageSecurityHeaders } from './security-headers';

/** The policy as directive → sources. */
function parse(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));
}

describe('the pages’ Content-Security-Policy', () => {
  it('runs only scripts with the nonce (and what they load), never inline or evaluated code in production', () => {
    const policy = parse(pageContentSecurityPolicy({ nonce: 'abc123', dev: false, https: false }));
    expect(policy['script-src']).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'self'"]);
    expect(policy['form-action']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('lets next dev evaluate code and hot-reload, only in dev', () => {
    const policy = parse(pageContentSecurityPolicy({ nonce: 'n', dev: true, https: false }));
    expect(policy['script-src']).toContain("'unsafe-eval'");
    expect(policy['connect-src']).toContain('ws:');
  });

  it('upgrades requests and sends HSTS only when the app is served over https', () => {
    const https = pageSecurityHeaders({ nonce: 'n', dev: false, https: true });
    expect(parse(https['Content-Security-Policy'])).toHaveProperty('upgrade-insecure-requests');
    expect(https['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
    expect(pageSecurityHeaders({ nonce: 'n', dev: false, https: false })).not.toHaveProperty('Strict-Transport-Security');
  });

  it('makes a new unguessable nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
