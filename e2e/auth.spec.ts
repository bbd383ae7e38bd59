import { expect, test } from '@playwright/test';
import { localUser, signIn, trpc } from './helpers';

test('pages need a session and tRPC answers 401 without one', async ({ page }) => {
  await page.goto('/customers');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcustomers$/);
  const anonymous = await trpc(page, 'customers.list', undefined, 'query');
  expect(anonymous.status).toBe(401);
  expect((await page.request.get('/api/health')).status()).toBe(200);
});

test('a wrong password is refused on the sign-in page', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('agent@switchboard.local');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('Wrong email or password.');
});

test('signing in works without JavaScript, and the password never reaches a URL', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const requests: { method: string; url: string }[] = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  const { email, password } = localUser('agent');

  await page.goto('/sign-in?next=%2Fcustomers');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('Wrong email or password.');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  expect((await context.cookies()).map((c) => c.name)).not.toContain('better-auth.session_token');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByTestId('viewer')).toContainText(email);
  // The list shows 200 of the demo's 1,000+ customers (its history's callers): search for 王伟.
  await page.goto('/customers?q=13812345678');
  await expect(page.getByTestId('customers')).toContainText('+8613812345678');
  expect((await context.cookies()).find((c) => c.name === 'better-auth.session_token')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  expect(requests.filter((r) => r.method === 'POST').map((r) => new URL(r.url).pathname)).toEqual(['/sign-in', '/sign-in']);
  for (const secret of [password, 'not-the-password']) {
    expect(requests.filter((r) => r.url.includes(secret) || r.url.includes(encodeURIComponent(secret)))).toEqual([]);
  }
  await context.close();
});

test('asking for a reset link works without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(localUser('manager').email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If the address has an account, a reset link is on its way');
  await page.getByRole('link', { name: 'Back to sign-in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Switchboard' })).toBeVisible();
  await context.close();
});

test('forms handled in JavaScript post their fields, never put them in a URL, before it has loaded', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(localUser('admin').email);
  await page.getByLabel('Password').fill(localUser('admin').password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('viewer')).toContainText(localUser('admin').email);

  await page.goto('/settings/users');
  const invite = page.getByRole('form', { name: 'Invite a user' });
  await invite.getByLabel('Email').fill('too.early@example.com');
  await invite.getByLabel('Name').fill('Too Early');
  const [posted] = await Promise.all([page.waitForRequest((r) => r.isNavigationRequest() && r.method() === 'POST'), invite.getByRole('button', { name: 'Invite' }).click()]);
  expect(new URL(posted.url()).pathname).toBe('/settings/users');
  expect((await posted.response())?.status()).toBe(200);

  await expect(page).toHaveURL(/\/settings\/users$/);
  expect(urls.filter((u) => u.includes('too.early') || u.includes('Too'))).toEqual([]);

  await page.goto('/settings/api-keys');
  await expect(page.getByRole('form', { name: 'Create key' })).toHaveAttribute('method', 'post');
  await context.close();
});

test('an agent finds no flow editing, and sees customers unmasked', async ({ page }) => {
  await signIn(page, 'agent');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Inbox' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Flows' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);

  await page.goto('/flows');
  await expect(page).toHaveURL(/\/forbidden\?from=%2Fflows/);
  await expect(page.getByTestId('forbidden')).toContainText('Agent');
  expect((await trpc(page, 'flows.list', {}, 'query')).status).toBe(403);
  expect((await trpc(page, 'flows.create', { name: 'Sneaky', template: 'blank' })).status).toBe(403);

  await page.goto('/customers?q=13812345678');
  await expect(page.getByTestId('customers')).toContainText('+8613812345678');
});

test('a designer reaches the flows and sees customers masked', async ({ page }) => {
  await signIn(page, 'designer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click();
  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByRole('heading', { name: 'Flows' }).first()).toBeVisible();

  await page.goto('/customers?q=13812345678');
  const table = page.getByTestId('customers');
  await expect(table).toContainText('+86 138****5678');
  await expect(table).toContainText('w***i@example.cn');
  await expect(table).not.toContainText('+8613812345678');
});

test('a designer publishes and the audit log shows it', async ({ page }) => {
  await signIn(page, 'designer');
  const created = await trpc<{ id: string }>(page, 'flows.create', { name: 'Audited flow', template: 'demo-ivr' });
  expect(created.status).toBe(200);
  const published = await trpc(page, 'flows.publish', { id: created.data.id, message: 'first cut' });
  expect(published.status, JSON.stringify(published.error)).toBe(200);

  await signIn(page, 'manager');
  await page.goto('/settings/audit');
  await page.getByLabel('Action').selectOption('flow.publish');
  await page.getByRole('button', { name: 'Filter' }).click();
  const log = page.getByTestId('audit-log');
  await expect(log).toContainText('Flow published');
  await expect(log).toContainText(localUser('designer').email);
  await expect(log).toContainText(created.data.id);
});

test('an admin invites a user, who signs in with the temporary password until deactivated', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/settings/users');
  const invite = page.getByRole('form', { name: 'Invite a user' });
  await invite.getByLabel('Email').fill('new.agent@example.com');
  await invite.getByLabel('Name').fill('New Agent');
  await invite.getByLabel('Role').selectOption('agent');
  await invite.getByRole('button', { name: 'Invite' }).click();
  const password = (await page.getByTestId('temporary-password').locator('code').textContent()) ?? '';
  expect(password.length).toBeGreaterThanOrEqual(12);

  await page.getByLabel('Role of new.agent@example.com').selectOption('manager');
  await expect(page.getByLabel('Role of new.agent@example.com')).toHaveValue('manager');

  await signIn(page, 'manager', { email: 'new.agent@example.com', password });
  await signIn(page, 'admin');
  await page.goto('/settings/users');
  await page.getByTestId('user-new.agent@example.com').getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByTestId('user-new.agent@example.com')).toContainText('Deactivated');

  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('new.agent@example.com');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('This account is deactivated. Ask an admin.');

  await signIn(page, 'manager');
  await page.goto('/settings/audit');
  await expect(page.getByTestId('audit-log')).toContainText('User deactivated');
  await expect(page.getByTestId('audit-log')).toContainText('Role changed');
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'developer');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
});
