import { expect, type Page, test } from '@playwright/test';
import { signIn } from './helpers';

const DEMO_NUMBER = '+15005550100';
const MARIA = '+15005550003';
const ANGRY = 'This is ridiculous, I am furious about this bill!';

async function chooseCaller(page: Page, name: string) {
  const select = page.getByTestId('sim-caller');
  const value = await select.locator('option', { hasText: name }).getAttribute('value');
  await select.selectOption(value!);
}

test('call the demo flow in the simulator, get routed, see the SMS, and follow the path in the execution', async ({ page }) => {
  await signIn(page, 'designer');
  await page.goto('/simulator');
  await page.getByTestId('sim-target').selectOption(`number:${DEMO_NUMBER}`);
  await chooseCaller(page, 'Maria Garcia');
  await expect(page.getByTestId('sim-caller-tags')).toContainText('new-customer');

  await page.getByTestId('sim-call').click();
  const transcript = page.getByTestId('sim-transcript');
  await expect(transcript).toContainText('Hello Maria, thanks for calling Switchboard.');
  await expect(page.getByTestId('sim-gather')).toContainText(/Waiting for your answer: \d s/);

  // The keypad takes keys from the keyboard too.
  await page.keyboard.press('1');
  await expect(transcript).toContainText('In a few words, what is your billing question?');
  await page.getByTestId('sim-say-input').fill(ANGRY);
  await page.getByTestId('sim-say-input').press('Enter');

  await expect(page.getByTestId('sim-hold')).toContainText('On hold in billing');
  await expect(page.getByTestId('sim-hold-message')).toHaveText('All our billing specialists are busy. Please hold.');

  const thread = page.getByTestId('sms-thread');
  await expect(thread).toContainText(`Sorry for the trouble, Maria. A billing specialist is taking your call now. Reference: ${ANGRY}`);
  const outbox = (await (await page.request.get(`/api/sandbox/outbox?to=${encodeURIComponent(MARIA)}`)).json()) as { messages: { body: string }[] };
  expect(outbox.messages.map((m) => m.body)).toContain(`Sorry for the trouble, Maria. A billing specialist is taking your call now. Reference: ${ANGRY}`);

  await expect(page.getByTestId('sim-execution-link')).toBeVisible();
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(page.getByTestId('sim-status')).toHaveText('Call ended');
  await expect(transcript).toContainText('You hung up.');
  await page.getByTestId('sim-execution-link').click();

  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]+\/executions\/[0-9a-f-]+$/);
  await expect(page.getByTestId('exec-status')).toContainText(/Abandoned|Completed/);
  for (const nodeId of ['start', 'welcome', 'main-menu', 'ask-reason', 'mood', 'sorry-sms', 'mark-risk', 'route-billing']) {
    await expect(page.getByTestId(`exec-node-${nodeId}`)).toHaveAttribute('data-run-state', 'visited');
  }
  for (const nodeId of ['is-vip', 'route-tech', 'route-general', 'goodbye']) {
    await expect(page.getByTestId(`exec-node-${nodeId}`)).toHaveAttribute('data-run-state', 'unvisited');
  }
  await expect(page.getByTestId('rf__edge-e-mood-upset')).toHaveClass(/exec-edge-taken/);
  await expect(page.getByTestId('rf__edge-e-mood-neutral')).not.toHaveClass(/exec-edge-taken/);
  await expect(page.getByTestId('exec-emotion')).toContainText('upset');
  await expect(page.getByTestId('exec-messages')).toContainText('Sorry for the trouble, Maria.');
  await expect(page.getByTestId('exec-handoffs')).toContainText('billing');

  // Step by step: focusing the reason step shows the caller's words and dims what came after.
  const reasonStep = page.locator('[data-testid^="exec-step-"][data-node-id="ask-reason"]');
  await reasonStep.click();
  await expect(page.getByTestId('exec-step-detail')).toContainText(ANGRY);
  await expect(page.getByTestId('exec-node-ask-reason')).toHaveAttribute('data-run-state', 'focused');
  await expect(page.getByTestId('exec-node-sorry-sms')).toHaveAttribute('data-run-state', 'later');
  await expect(page.getByTestId('exec-step-emotion')).toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('exec-node-mood')).toHaveAttribute('data-run-state', 'focused');
  // The step that scored the emotion shows it; the tag timeline names the step that added the tag.
  await expect(page.getByTestId('exec-step-emotion')).toContainText('upset');
  await expect(page.getByTestId('exec-tags-applied')).toContainText('+ complaint-risk');

  await page.getByRole('link', { name: /Executions of Demo IVR/ }).click();
  await expect(page.getByTestId('execution-row').first()).toContainText('Maria Garcia');
});

test('a draft runs as a test run, kept out of the executions list unless asked for', async ({ page }) => {
  await signIn(page, 'designer');
  await page.goto('/simulator');
  const draftValue = await page.getByTestId('sim-target').locator('option', { hasText: 'Demo IVR — draft' }).getAttribute('value');
  const flowId = draftValue!.replace('flow:', '');
  // "Test" on the canvas saves the draft and opens it in the simulator.
  await page.goto(`/flows/${flowId}`);
  await page.getByTestId('test-run').click();
  await expect(page).toHaveURL(new RegExp(`/simulator\\?flow=${flowId}`));
  await expect(page.getByTestId('sim-test-note')).toContainText('Test run of the current draft of Demo IVR');
  await chooseCaller(page, 'Alice Chen');
  await expect(page.getByTestId('sim-caller-tags')).toContainText('vip');
  await page.getByTestId('sim-call').click();
  // Alice is a VIP: the menu is skipped and she goes straight to an agent.
  await expect(page.getByTestId('sim-transcript')).toContainText('Hello Alice, thanks for calling Switchboard.');
  await expect(page.getByTestId('sim-hold')).toContainText('On hold in general');
  await page.getByRole('button', { name: 'Hang up' }).click();
  // The hang-up re-renders the phone; a click on the link before it settles could be lost.
  await expect(page.getByTestId('sim-status')).toHaveText('Call ended');
  await page.getByTestId('sim-execution-link').click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]+$/);
  await expect(page.getByText('test run', { exact: true })).toBeVisible();

  await page.goto(`/flows/${flowId}`);
  await page.getByTestId('executions-link').click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}/executions`));
  await expect(page.getByTestId('executions')).not.toContainText('test run');
  await page.getByTestId('filter-tests').check();
  await expect(page.getByTestId('executions')).toContainText('test run');
});
