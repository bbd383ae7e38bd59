import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signTwilioRequest } from '../telephony/signature';
import { signIn, trpc } from './helpers';

/**
 * `npm run dev` as people use it: opened as http://127.0.0.1 (not the localhost Next.js allows by
 * default) and with its whole output captured, so a scripted session can be searched for secrets.
 * It runs beside the suite's `npm start`, on the next ports up.
 */
const port = Number(process.env.E2E_PORT ?? 3100) + 1;
const origin = `http://127.0.0.1:${port}`;
const publicBaseUrl = `http://localhost:${port}`;
const twilioAuthToken = `e2e-twilio-${randomBytes(12).toString('hex')}`;
const authSecret = `e2e-auth-secret-${randomBytes(12).toString('hex')}`;
const DEMO_NUMBER = '+15005550100';

let launcher: ChildProcess;
let output = '';

async function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  await expect.poll(() => pattern.test(output), { timeout: timeoutMs, message: `the launcher never printed ${pattern}` }).toBe(true);
  return pattern.exec(output)!;
}

async function stopLauncher() {
  if (launcher.exitCode !== null || launcher.signalCode !== null) return;
  const exited = new Promise((resolve) => launcher.once('exit', resolve));
  // The launcher shares its process group with Next.js, the worker and Temporal: stop them all.
  process.kill(-launcher.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-launcher.pid!, 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  launcher = spawn('npm', ['run', 'dev'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: `.data/e2e-dev-${Date.now()}`,
      TEMPORAL_PORT: String(Number(process.env.E2E_TEMPORAL_PORT ?? 7243) + 1),
      TEMPORAL_UI_PORT: String(Number(process.env.E2E_TEMPORAL_UI_PORT ?? 8243) + 1),
      DATABASE_URL: '',
      TWILIO_AUTH_TOKEN: twilioAuthToken,
      AUTH_SECRET: authSecret,
      AUTH_SIGN_IN_LIMIT: '0',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  const capture = (chunk: Buffer) => (output += chunk.toString());
  launcher.stdout!.on('data', capture);
  launcher.stderr!.on('data', capture);
  const exited = new Promise<never>((_, reject) => launcher.once('exit', (code) => reject(new Error(`npm run dev exited with ${code}:\n${output.slice(-3000)}`))));
  exited.catch(() => {});
  await Promise.race([waitForOutput(/Press Ctrl-C to stop\./, 240_000), exited]);
});

test.afterAll(async () => {
  if (launcher) await stopLauncher();
});

async function signInWithoutJavaScript(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: origin, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('viewer')).toContainText(email, { timeout: 120_000 });
  return page;
}

test('in dev, the app opened as 127.0.0.1 hydrates and signs in', async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await (await browser.newContext({ baseURL: origin })).newPage();
  await page.goto('/sign-in');
  // Switching the language happens in the browser: it only works once React has hydrated the page.
  // `next dev` may still be compiling and reload the page once; a choice made before then is lost,
  // so choose again until the page answers (an unhydrated page never does).
  await expect(async () => {
    await page.getByLabel(/^(Language|语言)$/).selectOption('zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录 Switchboard', { timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  // Back to English, choosing again while `next dev` may still reload the page (as above).
  await expect(async () => {
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Switchboard', { timeout: 5_000 });
  }).toPass({ timeout: 120_000 });

  const submissions: { url: string; navigation: boolean }[] = [];
  page.on('request', (r) => r.method() === 'POST' && submissions.push({ url: r.url(), navigation: r.isNavigationRequest() }));
  // `next dev` compiles the action and the next page on first use: slow on a busy machine.
  await signIn(page, 'designer', undefined, { timeout: 120_000 });
  expect(page.url()).toBe(`${origin}/`);
  // React submitted the form itself (a fetch, no page load), as only a hydrated page does.
  expect(submissions).toContainEqual({ url: `${origin}/sign-in`, navigation: false });
});

test('a scripted session leaves none of its secrets in the launcher output', async ({ browser, playwright }) => {
  test.setTimeout(300_000);
  const admin = await (await browser.newContext({ baseURL: origin })).newPage();
  await signIn(admin, 'admin', undefined, { timeout: 120_000 });
  const invited = await trpc<{ temporaryPassword: string }>(admin, 'users.invite', { email: 'log.scan@example.com', name: 'Log Scan', role: 'developer' });
  expect(invited.status, JSON.stringify(invited.error)).toBe(200);
  const password = invited.data.temporaryPassword;
  const adminSessionCookie = (await admin.context().cookies()).find((c) => c.name === 'better-auth.session_token')!.value;

  const developer = await signInWithoutJavaScript(browser, 'log.scan@example.com', password);
  const sessionCookie = (await developer.context().cookies()).find((c) => c.name === 'better-auth.session_token')!.value;
  // What a browser sent before the form was fixed: the password in the query.
  await developer.goto(`/sign-in?email=log.scan%40example.com&password=${encodeURIComponent(password)}`);

  const created = await trpc<{ key: string }>(developer, 'apiKeys.create', { name: 'log scan', role: 'developer' });
  expect(created.status, JSON.stringify(created.error)).toBe(200);
  const apiKey = created.data.key;
  const api = await playwright.request.newContext({ baseURL: origin });
  const me = await api.get('/api/trpc/session.me', { headers: { authorization: `Bearer ${apiKey}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).result.data.json).toMatchObject({ email: 'log.scan@example.com', via: 'apiKey' });

  const signatures: string[] = [];
  async function webhook(path: string, params: Record<string, string>, signature = signTwilioRequest(`${publicBaseUrl}${path}`, params, twilioAuthToken)) {
    signatures.push(signature);
    const response = await api.post(path, { form: params, headers: { 'x-twilio-signature': signature } });
    return { status: response.status(), body: await response.text() };
  }
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const call = { CallSid: callSid, AccountSid: `AC${'0'.repeat(32)}`, From: '+15005550003', To: DEMO_NUMBER, CallStatus: 'ringing' };
  const answered = await webhook('/api/twilio/voice', call);
  expect(answered.status).toBe(200);
  expect(answered.body).toContain('<Say');
  expect((await webhook('/api/twilio/voice', call, 'bm90LXRoZS1zaWduYXR1cmU=')).status).toBe(403);
  expect((await webhook('/api/twilio/status', { ...call, CallStatus: 'completed', CallDuration: '5' })).status).toBe(200);

  // A password reset without JavaScript: the link is the one line printed on purpose for a local database.
  const visitor = await (await browser.newContext({ baseURL: origin, javaScriptEnabled: false })).newPage();
  await visitor.goto('/sign-in');
  await visitor.getByRole('link', { name: 'Forgot your password?' }).click();
  await visitor.getByLabel('Email').fill('log.scan@example.com');
  await visitor.getByRole('button', { name: 'Send reset link' }).click();
  await expect(visitor.getByRole('status')).toContainText('a reset link is on its way');
  const link = (await waitForOutput(/password reset link for log\.scan@example\.com: (\S+)/, 30_000))[1]!; // (\S+) is in every match
  const resetToken = new URL(link).pathname.split('/').pop()!;
  await visitor.goto(link);
  await expect(visitor).toHaveURL(/\/reset-password\?token=/);
  const newPassword = `new-${randomBytes(9).toString('hex')}`;
  await visitor.getByLabel('New password', { exact: true }).fill(newPassword);
  await visitor.getByLabel('Repeat the new password').fill(newPassword);
  await visitor.getByRole('button', { name: 'Set password' }).click();
  await expect(visitor.getByRole('status')).toHaveText('Your password is changed. Sign in with the new one.');
  await signInWithoutJavaScript(browser, 'log.scan@example.com', newPassword);

  await stopLauncher();
  // Without colour codes, which could also split a secret in two.
  const printed = output.replace(/\x1b\[[\d;]*m/g, '');
  // The request log was there to leak: it shows the redacted query, reset path and webhooks.
  expect(printed).toContain('GET /sign-in?email=log.scan%40example.com&password=[redacted]');
  expect(printed).toContain('GET /api/auth/reset-password/[redacted]?');
  expect(printed).toContain('GET /reset-password?token=[redacted]');
  expect(printed).toContain('POST /api/twilio/voice 200');
  expect(printed).toContain('POST /api/twilio/voice 403');

  const secrets = {
    password,
    adminSessionCookie,
    newPassword,
    apiKey,
    sessionCookie,
    sessionToken: decodeURIComponent(sessionCookie).split('.')[0]!, // split always yields a first part
    twilioAuthToken,
    authSecret,
    ...Object.fromEntries(signatures.map((s, i) => [`signature ${i}`, s])),
    resetToken,
  };
  const leaks = Object.entries(secrets).flatMap(([name, secret]) =>
    printed
      .split('\n')
      .filter((l) => l.includes(secret) || l.includes(encodeURIComponent(secret)))
      .filter((l) => !(name === 'resetToken' && l.includes(`password reset link for log.scan@example.com: ${link}`)))
      .map((l) => `${name}: ${l}`),
  );
  expect(leaks).toEqual([]);
});
