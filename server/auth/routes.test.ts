import { describe, expect, it } from 'vitest';
import { isPublicPage, mayOpen, safeNext } from './routes';

describe('page rules', () => {
  it('keeps sign-in and password reset open, nothing else', () => {
    expect(isPublicPage('/sign-in')).toBe(true);
    expect(isPublicPage('/reset-password')).toBe(true);
    expect(isPublicPage('/')).toBe(false);
    expect(isPublicPage('/sign-in-elsewhere')).toBe(false);
  });

  it('follows the permission table', () => {
    expect(mayOpen('agent', '/flows')).toBe(false);
    expect(mayOpen('agent', '/flows/abc')).toBe(false);
    expect(mayOpen('agent', '/inbox')).toBe(true);
    expect(mayOpen('agent', '/inbox/supervisor')).toBe(false);
    expect(mayOpen('manager', '/inbox/supervisor')).toBe(true);
    expect(mayOpen('manager', '/inbox')).toBe(true);
    expect(mayOpen('designer', '/inbox')).toBe(false);
    expect(mayOpen('designer', '/flows/abc')).toBe(true);
    expect(mayOpen('designer', '/settings')).toBe(false);
    expect(mayOpen('developer', '/settings')).toBe(true);
    expect(mayOpen('developer', '/settings/api-keys')).toBe(true);
    expect(mayOpen('developer', '/settings/users')).toBe(false);
    expect(mayOpen('manager', '/settings/audit')).toBe(true);
    expect(mayOpen('admin', '/settings/users')).toBe(true);
    expect(mayOpen('agent', '/')).toBe(true);
    for (const page of ['/settings/agents', '/settings/queues', '/settings/wrap-codes', '/settings/scripts', '/settings/tags']) {
      expect(mayOpen('admin', page)).toBe(true);
      expect(mayOpen('manager', page)).toBe(false);
      expect(mayOpen('developer', page)).toBe(false);
    }
    expect(mayOpen('admin', '/customers/import')).toBe(true);
    expect(mayOpen('developer', '/customers/import')).toBe(true);
    expect(mayOpen('developer', '/customers')).toBe(false);
    expect(mayOpen('manager', '/customers/import')).toBe(false);
    expect(mayOpen('agent', '/customers/import')).toBe(false);
    expect(mayOpen('manager', '/settings/qa')).toBe(true);
    expect(mayOpen('admin', '/settings/qa')).toBe(true);
    expect(mayOpen('agent', '/settings/qa')).toBe(false);
    expect(mayOpen('designer', '/settings/qa')).toBe(false);
  });

  it('sends people on after sign-in only to paths on this site', () => {
    expect(safeNext('/customers?tag=vip#top')).toBe('/customers?tag=vip#top');
    expect(safeNext('/flows/abc')).toBe('/flows/abc');
    for (const unsafe of [undefined, null, '', 'customers', 'https://evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)']) {
      expect(safeNext(unsafe)).toBe('/');
    }
  });
});
