import { type Browser, expect, type Page, test } from '@playwright/test';
import { localUser, signIn, trpc } from './helpers';

/**
 * The agent inbox on the real runtime (issue 11): callers in the simulator, agents and a supervisor
 * each in their own browser context, routing through Temporal and live updates over the stream.
 *
 * The tests share one app and its agents, so they run in order and leave the agents as they found
 * them: the senior agent away, nothing held. Demo data they rely on: the demo line routes an upset
 * billing caller (Maria) to billing; agent@ and senior@ have billing; the seed has the soothing
 * script "Calm an upset customer", the "Insults" QA rule blocking "stupid" and the wrap-up code
 * "billing-resolved".
 */

const DEMO_NUMBER = '+15005550100';
const ANGRY = 'This is ridiculous, I am furious about this bill!';
const SENIOR = { email: 'senior@switchboard.local', password: 'switchboard-senior' };

test.describe.configure({ mode: 'serial' });

async function chooseCaller(page: Page, name: string) {
  const select = page.getByTestId('sim-caller');
  const value = await select.locator('option', { hasText: name }).getAttribute('value');
  await select.selectOption(value!);
}

/** A new browser context for one person, signed in. */
async function person(browser: Browser, role: Parameters<typeof signIn>[1], credentials = localUser(role)) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, role, credentials);
  return page;
}

/** Opens the inbox and waits until it is live; an agent marked missed says they are back. */
async function openInbox(page: Page) {
  await page.goto('/inbox');
  await expect(page.getByTestId('inbox-live')).toHaveAttribute('data-live', 'true');
  const state = page.getByTestId('inbox-state');
  await expect(state).not.toHaveAttribute('data-state', 'offline');
  if ((await state.getAttribute('data-state')) === 'missed') await page.keyboard.press('p');
  await expect(page.getByTestId('inbox-choice')).toHaveAttribute('data-choice', 'available');
}

/** Maria calls the demo line, picks billing and says she is furious: the flow queues her for billing. */
async function upsetBillingCall(page: Page) {
  await page.goto('/simulator');
  await page.getByTestId('sim-target').selectOption(`number:${DEMO_NUMBER}`);
  await chooseCaller(page, 'Maria Garcia');
  await page.getByTestId('sim-call').click();
  await expect(page.getByTestId('sim-gather')).toBeVisible();
  await page.keyboard.press('1');
  await expect(page.getByTestId('sim-transcript')).toContainText('In a few words, what is your billing question?');
  await page.getByTestId('sim-say-input').fill(ANGRY);
  await page.getByTestId('sim-say-input').press('Enter');
  await expect(page.getByTestId('sim-hold')).toContainText('On hold in billing');
}

/** Shortcut keys without modifiers work outside text fields: leave the one with focus first. */
async function shortcut(page: Page, key: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(key);
}

/** Wrap-up code, first contact, survey or not; the conversation leaves the list. */
async function resolveOpen(page: Page, sendCsat: boolean) {
  await shortcut(page, 'w');
  const dialog = page.getByTestId('inbox-resolve-dialog');
  await expect(dialog).toBeVisible();
  await page.getByTestId('inbox-wrap-code').selectOption('billing-resolved');
  await dialog.getByLabel('Yes').check();
  await page.getByTestId('inbox-csat').setChecked(sendCsat);
  await page.getByTestId('inbox-resolve-submit').click();
  await expect(dialog).toBeHidden();
}

test('an offline agent is never offered work, the backlog drains to an agent who comes online, and a declined offer goes to the next agent', async ({ browser }) => {
  test.setTimeout(240_000);
  const supervisor = await person(browser, 'manager');
  await supervisor.goto('/inbox');
  await expect(supervisor).toHaveURL(/\/inbox\/supervisor$/);
  await expect(supervisor.getByTestId('supervisor-live')).toHaveAttribute('data-live', 'true');

  // The local agent opens the inbox, then closes it: once the heartbeats stop they are offline.
  const firstVisit = await person(browser, 'agent');
  await openInbox(firstVisit);
  // The supervisor saw them online first: else an "offline" left from before would pass at once.
  await expect(supervisor.getByTestId('supervisor-state-available')).toContainText('Local agent');
  await firstVisit.context().close();
  await expect(supervisor.getByTestId('supervisor-state-offline')).toContainText('Local agent', { timeout: 120_000 });

  // The senior agent is online but away: nobody can take the call.
  const senior = await person(browser, 'agent', SENIOR);
  await openInbox(senior);
  await senior.keyboard.press('p');
  await expect(senior.getByTestId('inbox-choice')).toHaveAttribute('data-choice', 'away');
  await expect(senior.getByTestId('inbox-state')).toHaveAttribute('data-state', 'away');

  const caller = await person(browser, 'designer');
  await upsetBillingCall(caller);
  const waiting = supervisor.getByTestId('supervisor-waiting-row').filter({ hasText: 'Maria Garcia' });
  await expect(waiting).toContainText('Queued');
  // Longer than an offer's 20 s: still nobody rang, offline and away agents alike.
  for (let i = 0; i < 10; i++) {
    await expect(waiting).not.toContainText('Ringing at');
    await expect(senior.getByTestId('inbox-offer')).toHaveCount(0);
    await supervisor.waitForTimeout(2_500);
  }

  // The local agent comes back: the waiting call rings at once.
  const agent = await person(browser, 'agent');
  await agent.goto('/inbox');
  const offer = agent.getByTestId('inbox-offer');
  await expect(offer).toContainText('Maria Garcia', { timeout: 30_000 });
  await expect(agent.getByTestId('inbox-offer-countdown')).toContainText(/\d+ s/);

  // The senior agent becomes available; the local agent declines: the offer goes to the senior.
  await senior.keyboard.press('p');
  await expect(senior.getByTestId('inbox-choice')).toHaveAttribute('data-choice', 'available');
  await agent.keyboard.press('d');
  await expect(offer).toHaveCount(0);
  await expect(agent.getByTestId('inbox-state')).toHaveAttribute('data-state', 'missed');
  await expect(senior.getByTestId('inbox-offer')).toContainText('Maria Garcia', { timeout: 30_000 });
  await senior.keyboard.press('a');
  await expect(senior.getByTestId('inbox-transcript')).toContainText(ANGRY);
  await expect(caller.getByTestId('sim-bridge')).toContainText('Connected to Sam Rivera');

  // Leave things as found: the caller hangs up, the senior wraps up and goes away.
  await caller.getByRole('button', { name: 'Hang up' }).click();
  await expect(senior.getByTestId('inbox-handoff-status')).toHaveText('Wrap-up');
  await resolveOpen(senior, false);
  await expect(senior.getByTestId('inbox-empty')).toBeVisible();
  await senior.keyboard.press('p');
  await expect(senior.getByTestId('inbox-choice')).toHaveAttribute('data-choice', 'away');
  for (const page of [senior, agent, caller, supervisor]) await page.context().close();
});

test('an upset caller reaches the signed-in agent with the whole story; the agent answers, QA blocks an insult, and wraps up', async ({ browser }) => {
  test.setTimeout(180_000);
  const agent = await person(browser, 'agent');
  await openInbox(agent);
  // The senior agent stays away (the test before left them so); make sure of it.
  const senior = await person(browser, 'agent', SENIOR);
  expect((await trpc(senior, 'inbox.setChoice', { choice: 'away' })).status).toBe(200);
  await senior.context().close();

  const caller = await person(browser, 'designer');
  await upsetBillingCall(caller);

  // The offer rings with a countdown; A accepts.
  const offer = agent.getByTestId('inbox-offer');
  await expect(offer).toContainText('Maria Garcia', { timeout: 30_000 });
  await expect(offer).toContainText('billing');
  await expect(agent.getByTestId('inbox-offer-countdown')).toContainText(/\d+ s/);
  await agent.keyboard.press('a');
  await expect(offer).toHaveCount(0);
  await expect(caller.getByTestId('sim-bridge')).toContainText('Connected to Local agent');

  // The whole story: what the flow said, what Maria pressed and said, her emotion, tags, the soothing script.
  const transcript = agent.getByTestId('inbox-transcript');
  await expect(transcript).toContainText('Hello Maria, thanks for calling Switchboard.');
  await expect(transcript).toContainText('In a few words, what is your billing question?');
  await expect(transcript).toContainText(ANGRY);
  await expect(agent.getByTestId('inbox-emotion-warning')).toBeVisible();
  await expect(agent.getByTestId('inbox-emotion')).toContainText('Upset');
  await expect(agent.getByTestId('inbox-tags')).toContainText('complaint-risk');
  await expect(agent.getByTestId('inbox-tags')).toContainText('new-customer');
  await expect(agent.getByTestId('inbox-reason')).not.toBeEmpty();
  await expect(agent.getByTestId('inbox-execution-link')).toHaveAttribute('href', /\/flows\/[0-9a-f-]+\/executions\/[0-9a-f-]+$/);
  const soothing = agent.getByTestId('inbox-script-1');
  await expect(soothing).toContainText('Calm an upset customer');
  await expect(soothing).toContainText('soothing');

  // Alt+1 puts the soothing script, with Maria's name, in the reply; Ctrl+Enter sends it to the call.
  await shortcut(agent, 'Alt+1');
  const reply = agent.getByTestId('inbox-reply');
  await expect(reply).toHaveValue(/^I'm really sorry, Maria, .*Local agent/);
  const soothingText = await reply.inputValue();
  await reply.press('Control+Enter');
  await expect(reply).toHaveValue('');
  await expect(caller.getByTestId('sim-transcript')).toContainText(soothingText.slice(0, 40));
  await expect(transcript).toContainText(soothingText.slice(0, 40));

  // A QA rule blocks an insult: the reason shows, the text stays, nothing reaches the caller.
  await reply.fill('That is a stupid question.');
  await reply.press('Control+Enter');
  await expect(agent.getByTestId('inbox-qa-blocked')).toContainText('Stay polite');
  await expect(reply).toHaveValue('That is a stupid question.');
  await expect(caller.getByTestId('sim-transcript')).not.toContainText('stupid');

  // The caller answers: it reaches the inbox without a refresh.
  await caller.getByTestId('sim-say-input').fill('Thank you, that helps a lot');
  await caller.getByTestId('sim-say-input').press('Enter');
  await expect(transcript).toContainText('Thank you, that helps a lot');

  // A private note stays private.
  await reply.fill('');
  await shortcut(agent, 'n');
  await agent.keyboard.type('Promised to check the late fee');
  await agent.keyboard.press('Control+Enter');
  await expect(agent.getByTestId('inbox-notes')).toContainText('Promised to check the late fee');
  await expect(caller.getByTestId('sim-transcript')).not.toContainText('late fee');

  // The caller hangs up: wrap-up, then resolve with a wrap-up code.
  await caller.getByRole('button', { name: 'Hang up' }).click();
  await expect(agent.getByTestId('inbox-handoff-status')).toHaveText('Wrap-up');
  await resolveOpen(agent, false);
  await expect(agent.getByTestId('inbox-empty')).toBeVisible();
  for (const page of [agent, caller]) await page.context().close();
});

test('an SMS customer gets the agent’s reply in their thread, answers back into the inbox, and gets the CSAT survey after resolve', async ({ browser }) => {
  test.setTimeout(180_000);
  const caller = await person(browser, 'designer');
  // A text line for the test: incoming SMS straight to billing, run as a draft from the simulator.
  const flow = {
    format: 'switchboard.flow/1',
    name: 'Inbox e2e SMS line',
    nodes: [
      { id: 'start', type: 'incoming-sms', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      {
        id: 'to-billing',
        type: 'route-to-skill',
        typeVersion: 1,
        position: { x: 320, y: 0 },
        config: { skill: 'billing', reason: 'Texted about a bill', waitMessage: 'Thanks, an agent will text you shortly.', timeoutSeconds: 600, language: 'en-US' },
      },
    ],
    edges: [{ id: 'e-start', source: 'start', sourcePort: 'next', target: 'to-billing' }],
  };
  await caller.goto('/');
  const imported = await trpc<{ ok: boolean; flowId: string }>(caller, 'flows.import', { json: JSON.stringify(flow) });
  expect(imported.status, JSON.stringify(imported.error)).toBe(200);
  expect(imported.data.ok).toBe(true);

  const agent = await person(browser, 'agent');
  await openInbox(agent);

  await caller.goto(`/simulator?flow=${imported.data.flowId}`);
  await chooseCaller(caller, 'Bob Miller');
  const thread = caller.getByTestId('sms-thread');
  await caller.getByTestId('sim-sms-input').fill('My bill is wrong, can someone help?');
  await caller.getByTestId('sim-sms-input').press('Enter');
  await expect(thread).toContainText('Thanks, an agent will text you shortly.');

  const offer = agent.getByTestId('inbox-offer');
  await expect(offer).toContainText('Bob Miller', { timeout: 30_000 });
  await expect(offer).toContainText('SMS');
  await agent.keyboard.press('Enter');
  await expect(offer).toHaveCount(0);
  const transcript = agent.getByTestId('inbox-transcript');
  await expect(transcript).toContainText('My bill is wrong, can someone help?');
  // Bob is tagged elderly: the patient, step-by-step script is suggested.
  await expect(agent.getByTestId('inbox-scripts')).toContainText('Step by step, patiently');

  const reply = agent.getByTestId('inbox-reply');
  await reply.fill('Hello Bob, I can fix that for you. Which month is it?');
  await reply.press('Control+Enter');
  await expect(reply).toHaveValue('');
  await expect(thread).toContainText('Hello Bob, I can fix that for you. Which month is it?');

  await caller.getByTestId('sim-sms-input').fill('It is the March bill, thank you!');
  await caller.getByTestId('sim-sms-input').press('Enter');
  await expect(transcript).toContainText('It is the March bill, thank you!');

  await resolveOpen(agent, true);
  await expect(agent.getByTestId('inbox-empty')).toBeVisible();
  await expect(thread).toContainText('How did we do? Reply 1–5');
  for (const page of [agent, caller]) await page.context().close();
});
