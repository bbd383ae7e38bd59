import { expect, type Page } from '@playwright/test';

export type Role = 'admin' | 'designer' | 'developer' | 'agent' | 'manager';

/** The local users `npm start` seeds into a fresh data directory (see server/auth/seed-users.ts). */
export function localUser(role: Role) {
  return { email: `${role}@switchboard.local`, password: `switchboard-${role}` };
}

/** Signs in through the sign-in page, as a person would; any earlier session is dropped first. */
export async function signIn(page: Page, role: Role, credentials = localUser(role), options: { timeout?: number } = {}) {
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('viewer')).toContainText(credentials.email, options);
}

/**
 * Calls a tRPC procedure over HTTP with the page's cookies (superjson envelope), from the page's
 * origin as its own fetch would be (the cross-site check refuses a mutation with cookies and no Origin).
 */
export async function trpc<T = unknown>(page: Page, path: string, input: unknown, kind: 'query' | 'mutation' = 'mutation') {
  const response =
    kind === 'mutation'
      ? await page.request.post(`/api/trpc/${path}`, { data: { json: input }, headers: { origin: new URL(page.url()).origin } })
      : await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  const body = await response.json();
  return { status: response.status(), data: body?.result?.data?.json as T, error: body?.error?.json };
}
