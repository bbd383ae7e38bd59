import { can, type Permission, type Role } from './permissions';

/** Pages anyone may open; `/api/*` handles its own access (tRPC sessions/keys, Twilio signatures). */
export const PUBLIC_PAGES = ['/sign-in', '/reset-password'] as const;

export function isPublicPage(pathname: string): boolean {
  return PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

const SAME_SITE = 'http://same-site.invalid';

/**
 * Where to go after signing in. `next` comes from the URL, so only a path on this site is kept:
 * resolving it against a placeholder origin catches `//host`, `/\host` and the like.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/')) return '/';
  try {
    const url = new URL(next, SAME_SITE);
    return url.origin === SAME_SITE ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

/**
 * What a page needs, by path prefix (longest first wins): the proxy refuses the page and the nav
 * hides its link. The procedures behind each page check again on the server.
 */
const RULES: { prefix: string; anyOf: readonly Permission[] }[] = [
  { prefix: '/flows', anyOf: ['flows.read'] },
  { prefix: '/simulator', anyOf: ['simulator.use'] },
  { prefix: '/inbox', anyOf: ['inbox.work', 'routing.supervise'] },
  { prefix: '/inbox/supervisor', anyOf: ['routing.supervise'] },
  { prefix: '/customers', anyOf: ['customers.read'] },
  // The CSV import is for those who write customer data (admins, developers), not for readers.
  { prefix: '/customers/import', anyOf: ['customers.write'] },
  { prefix: '/experiments', anyOf: ['analytics.read'] },
  { prefix: '/settings/users', anyOf: ['users.manage'] },
  { prefix: '/settings/audit', anyOf: ['audit.read'] },
  { prefix: '/settings/api-keys', anyOf: ['apikeys.manage'] },
  { prefix: '/settings/agents', anyOf: ['settings.manage'] },
  { prefix: '/settings/queues', anyOf: ['settings.manage'] },
  { prefix: '/settings/wrap-codes', anyOf: ['settings.manage'] },
  { prefix: '/settings/scripts', anyOf: ['settings.manage'] },
  { prefix: '/settings/kpis', anyOf: ['settings.manage'] },
  { prefix: '/settings/tags', anyOf: ['settings.manage'] },
  // Admins manage the rules; supervisors read what they caught.
  { prefix: '/settings/qa', anyOf: ['settings.manage', 'routing.supervise'] },
  { prefix: '/settings', anyOf: ['settings.manage', 'users.manage', 'audit.read', 'apikeys.manage'] },
];
const PAGE_RULES = [...RULES].sort((a, b) => b.prefix.length - a.prefix.length);

export function mayOpen(role: Role | undefined, pathname: string): boolean {
  const rule = PAGE_RULES.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
  return !rule || rule.anyOf.some((p) => can(role, p));
}

/** The sections listed on /settings (their texts under `settings.sections`). */
export const SETTINGS_SECTIONS = ['users', 'audit', 'api-keys', 'tags'] as const;

/** The routing sections (their texts under `routingSettings.sections`). */
export const ROUTING_SETTINGS_SECTIONS = ['agents', 'queues', 'wrap-codes', 'scripts', 'qa'] as const;
