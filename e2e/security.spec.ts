import http from 'node:http';
import { expect, type Page, test } from '@playwright/test';
import { localUser, signIn, trpc } from './helpers';

/** Another site, served by the browser itself (page.route), to post and frame from. */
const EVIL = 'http://evil.test';

test.use({ viewport: { width: 1600, height: 1000 } });

/**
 * Console errors, uncaught errors, header warnings and Content-Security-Policy violations of a
 * page. The listener for violations is installed before any page script runs, so none is missed.
 */
async function problemsOf(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    // Chromium warns about a header it cannot parse, such as an unknown Permissions-Policy feature.
    if (message.type() === 'error' || (message.type() === 'warning' && /Permissions-Policy|Content.Security.Policy/i.test(message.text()))) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return problems;
}

const header = (headers: Record<string, string>, name: string) => headers[name.toLowerCase()];

test('pages carry a fresh nonce-based policy and the security headers; API answers a deny-all one', async ({ request }) => {
  const first = await request.get('/sign-in');
  const second = await request.get('/sign-in');
  const policy = header(first.headers(), 'content-security-policy');
  const nonce = /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(header(second.headers(), 'content-security-policy')).not.toContain(nonce);
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  // Every script of the page carries the nonce: nothing else would run.
  const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(3);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

  const api = await request.get('/api/health');
  expect(header(api.headers(), 'content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  const asset = await request.get('/icon.svg');
  for (const response of [first, api, asset]) {
    expect(response.headers()).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'permissions-policy': expect.stringContaining('microphone=()'),
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    // Served over http here: no HSTS.
    expect(response.headers()).not.toHaveProperty('strict-transport-security');
  }
});

test('the sign-in page, the canvas with monaco and the simulator run under the policy without a violation', async ({ page }) => {
  const problems = await problemsOf(page);
  await signIn(page, 'designer');
  // Signed in by React's own submit: the page's scripts ran.
  await expect(page).toHaveURL(/\/$/);

  const created = await trpc<{ id: string }>(page, 'flows.create', { name: `Under the policy ${Date.now()}`, template: 'demo-ivr' });
  expect(created.status).toBe(200);
  await page.goto(`/flows/${created.data.id}`);
  const nodes = page.locator('.react-flow__node');
  await expect(nodes.first()).toBeVisible();
  const before = await nodes.count();
  await page.getByTestId('palette-say').dragTo(page.getByTestId('canvas'), { targetPosition: { x: 900, y: 120 } });
  await expect(nodes).toHaveCount(before + 1);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

  // The welcome prompt is a template: monaco, with its worker and its suggestions.
  await page.getByTestId('node-welcome').dblclick();
  const editor = page.getByTestId('node-settings').locator('.monaco-editor').first();
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' {{cust');
  await expect(page.locator('.monaco-editor .suggest-widget')).toContainText('customer.');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

  await page.goto('/simulator');
  await page.getByTestId('sim-target').selectOption('number:+15005550100');
  const caller = page.getByTestId('sim-caller');
  await caller.selectOption((await caller.locator('option', { hasText: 'Maria Garcia' }).getAttribute('value'))!);
  await page.getByTestId('sim-call').click();
  await expect(page.getByTestId('sim-transcript')).toContainText('thanks for calling Switchboard.');
  await page.keyboard.press('1');
  await expect(page.getByTestId('sim-transcript')).toContainText('what is your billing question?');
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(page.getByTestId('sim-status')).toHaveText('Call ended');

  for (const path of ['/', '/flows', '/customers', `/flows/${created.data.id}/executions`, '/experiments']) {
    await page.goto(path);
    await expect(page.getByTestId('viewer')).toContainText(localUser('designer').email);
  }
  expect(problems).toEqual([]);
});

test('no other site can frame a page', async ({ page }) => {
  const target = new URL('/sign-in', test.info().project.use.baseURL).href;
  await page.route(`${EVIL}/**`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><iframe src="${target}"></iframe>` }));
  const heading = page.frameLocator('iframe').getByRole('heading', { name: 'Sign in to Switchboard' });
  await page.goto(`${EVIL}/frame.html`, { waitUntil: 'load' });
  await expect.poll(() => page.frames()[1]?.url()).not.toBe(target);
  await expect(heading).toHaveCount(0);

  // The same page with its security headers taken off renders in the frame: they are what refused it.
  await page.route(target, async (route) => {
    const response = await route.fetch();
    const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => !['x-frame-options', 'content-security-policy'].includes(name)));
    await route.fulfill({ response, headers });
  });
  await page.reload({ waitUntil: 'load' });
  await expect(heading).toBeVisible();
});

test('state-changing requests with cookies from another origin are refused; API keys work from anywhere', async ({ page, playwright }) => {
  await signIn(page, 'developer');
  const appOrigin = new URL(page.url()).origin;
  const post = (path: string, origin: string | undefined, data: unknown) =>
    page.request.post(path, { data, headers: origin === undefined ? {} : { origin } }).then(async (r) => ({ status: r.status(), body: await r.json().catch(() => null) }));

  const forged = await post('/api/trpc/flows.create', 'https://evil.example', { json: { name: 'Forged', template: 'blank' } });
  expect(forged.status).toBe(403);
  expect(forged.body).toMatchObject({ code: 'CROSS_SITE_REQUEST', error: expect.stringContaining('came from https://evil.example') });
  expect((await post('/api/trpc/flows.create', undefined, { json: { name: 'Forged', template: 'blank' } })).status).toBe(403);
  expect((await post('/api/auth/sign-out', 'https://evil.example', {})).status).toBe(403);
  expect((await trpc<{ name: string }[]>(page, 'flows.list', {}, 'query')).data.map((f) => f.name)).not.toContain('Forged');
  expect((await trpc(page, 'flows.create', { name: 'From the app', template: 'blank' })).status).toBe(200);

  const key = (await trpc<{ key: string }>(page, 'apiKeys.create', { name: 'from CI', role: 'developer' })).data.key;
  const ci = await playwright.request.newContext({ baseURL: appOrigin });
  const fromCi = await ci.post('/api/trpc/flows.create', { data: { json: { name: 'From CI', template: 'blank' } }, headers: { authorization: `Bearer ${key}`, origin: 'https://ci.example' } });
  expect(fromCi.status()).toBe(200);
  await ci.dispose();
});

test('a sign-in form on another site cannot sign the browser in (login CSRF), a server action included', async ({ browser }) => {
  // The app's own sign-in form as the server renders it: a server action with its hidden fields.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const source = await plain.newPage();
  await source.goto('/sign-in');
  const appOrigin = new URL(source.url()).origin;
  const form = await source.locator('form', { has: source.getByLabel('Password') }).evaluate((element) => element.outerHTML);
  await plain.close();

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const { email, password } = localUser('agent');
  const copy = form.replace(/<form([^>]*?)\saction="[^"]*"/, '<form$1').replace('<form', `<form action="${appOrigin}/sign-in"`);
  await page.route(`${EVIL}/**`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>Win a prize</title>${copy}` }));
  await page.goto(`${EVIL}/prize.html`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const [posted] = await Promise.all([page.waitForResponse((r) => r.url() === `${appOrigin}/sign-in` && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
  expect(posted.status()).toBe(403);
  expect(await posted.json()).toMatchObject({ code: 'CROSS_SITE_REQUEST', error: expect.stringContaining(`came from ${EVIL}`) });
  expect((await context.cookies()).map((c) => c.name)).not.toContain('better-auth.session_token');

  // The same form on the app itself signs in: the refusal above is the cross-site check, not a broken form.
  await page.goto(`${appOrigin}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('viewer')).toContainText(email);
  await context.close();
});

/** Posts a chunked body (no Content-Length) that never ends, until the server answers. */
function endlessPost(url: string, headers: Record<string, string>): Promise<{ status: number; sent: number; body: string }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const request = http.request(url, { method: 'POST', headers }, (response) => {
      clearInterval(pump);
      let body = '';
      response.on('data', (data: Buffer) => (body += data.toString()));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, sent, body });
      });
    });
    request.on('error', (error) => {
      clearInterval(pump);
      reject(error);
    });
    const pump = setInterval(() => {
      sent += chunk.length;
      request.write(chunk);
    }, 2);
  });
}

test('oversized bodies get 413 at once, never a 500 or a hang: webhooks, tRPC, auth', async ({ page }) => {
  const base = test.info().project.use.baseURL!;
  const webhook = await page.request.post('/api/twilio/sms', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: `Body=${'x'.repeat(1024 * 1024)}` });
  expect(webhook.status()).toBe(413);
  expect(await webhook.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

  const chunked = await endlessPost(`${base}/api/twilio/voice`, { 'content-type': 'application/x-www-form-urlencoded' });
  expect(chunked.status).toBe(413);
  expect(chunked.sent).toBeLessThan(8 * 1024 * 1024);

  await signIn(page, 'designer');
  const origin = new URL(page.url()).origin;
  const huge = await page.request.post('/api/trpc/flows.import', { headers: { origin, 'content-type': 'application/json' }, data: JSON.stringify({ json: { json: 'x'.repeat(9 * 1024 * 1024) } }) });
  expect(huge.status()).toBe(413);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const endlessImport = await endlessPost(`${base}/api/trpc/flows.import`, { 'content-type': 'application/json', origin, cookie });
  expect(endlessImport.status).toBe(413);
  expect(endlessImport.body).toContain('at most 8 MB');

  const auth = await page.request.post('/api/auth/sign-in/email', { headers: { origin, 'content-type': 'application/json' }, data: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(100_000) }) });
  expect(auth.status()).toBe(413);
});
