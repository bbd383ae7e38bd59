import { expect, type Locator, type Page, test } from '@playwright/test';
import { signIn, trpc } from './helpers';

test.use({ viewport: { width: 1600, height: 1000 } });

/** Drags a node type from the palette onto the canvas; (x, y) is where the card's header lands, relative to the canvas. */
async function drop(page: Page, type: string, x: number, y: number) {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Drags from an output port's handle to a node's input handle, as a person would with the mouse. */
async function connect(page: Page, from: Locator, to: Locator) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

const port = (page: Page, node: string, id: string) => page.getByTestId(`port-${node}-${id}`);
const input = (page: Page, node: string) => page.getByTestId(`target-${node}`);

test('a designer builds a flow by drag and drop, fixes a diagnostic, publishes, reloads and rolls back', async ({ page }) => {
  await signIn(page, 'designer');

  await page.goto('/flows');
  const name = `Canvas journey ${Date.now()}`;
  await page.getByTestId('new-flow-name').fill(name);
  await page.getByTestId('new-flow-template').selectOption('blank');
  await page.getByTestId('create-flow').click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('flow-editor')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  await drop(page, 'incoming-call', 120, 100);
  await drop(page, 'ivr-menu', 400, 100);
  await drop(page, 'tag-condition', 700, 60);
  await drop(page, 'send-sms', 700, 360);
  await drop(page, 'escalate', 990, 200);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  // The IVR menu comes with two options: one handle each, plus "No answer" and "Not understood".
  await expect(page.getByTestId('node-ivr-menu-1').locator('.node-port')).toHaveCount(4);

  await connect(page, port(page, 'incoming-call-1', 'next'), input(page, 'ivr-menu-1'));
  await connect(page, port(page, 'ivr-menu-1', 'option-1'), input(page, 'tag-condition-1'));
  await connect(page, port(page, 'ivr-menu-1', 'option-2'), input(page, 'send-sms-1'));
  await connect(page, port(page, 'tag-condition-1', 'matched'), input(page, 'escalate-1'));
  await connect(page, port(page, 'tag-condition-1', 'noMatch'), input(page, 'send-sms-1'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  // Send SMS's "Sent" port leads nowhere: the compiler says so on the card and in the problems list.
  await expect(page.getByTestId('problems-toggle')).toHaveAttribute('data-errors', '1');
  await expect(page.getByTestId('node-send-sms-1')).toHaveAttribute('data-state', 'error');
  await page.getByTestId('problems-toggle').click();
  const problem = page.getByTestId('problem');
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveAttribute('data-code', 'PORT_NOT_CONNECTED');
  await expect(problem).toContainText("port 'sent' is not connected");

  // Publishing is refused with the reason while the error stands.
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-refused')).toContainText("port 'sent' is not connected");
  await expect(page.getByTestId('publish-confirm')).toBeDisabled();
  await page.keyboard.press('Escape');

  // The problem focuses its node; fix it by connecting the port.
  await problem.click();
  await expect(page.getByTestId('node-settings')).toHaveAttribute('data-node-id', 'send-sms-1');
  await page.getByTestId('panel-settings').getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('fit-view').click();
  await page.waitForTimeout(400);
  await connect(page, port(page, 'send-sms-1', 'sent'), input(page, 'escalate-1'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  await expect(page.getByTestId('problems-toggle')).toHaveAttribute('data-errors', '0');
  await expect(page.getByTestId('no-problems')).toBeVisible();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

  await page.getByTestId('publish').click();
  await page.getByTestId('publish-message').fill('First version');
  await page.getByTestId('publish-confirm').click();
  await expect(page.getByTestId('notice')).toContainText('Published version 1');
  await expect(page.getByTestId('live-status')).toContainText('Live: version 1');

  await page.reload();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  await expect(page.getByTestId('problems-toggle')).toHaveAttribute('data-errors', '0');
  await expect(page.getByTestId('flow-name')).toHaveValue(name);
  await expect(page.getByTestId('live-status')).toContainText('Live: version 1');

  // Version 2 renames the SMS node.
  await page.getByTestId('node-send-sms-1').dblclick();
  await page.getByTestId('node-title').fill('Sorry text');
  await expect(page.getByTestId('node-send-sms-1')).toContainText('Sorry text');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-message').fill('Renamed the SMS');
  await page.getByTestId('publish-confirm').click();
  await expect(page.getByTestId('live-status')).toContainText('Live: version 2');

  await page.getByTestId('versions-toggle').click();
  await expect(page.getByTestId('version-2')).toContainText('Renamed the SMS');
  await expect(page.getByTestId('version-2')).toContainText('Live');
  await expect(page.getByTestId('version-1')).toContainText('First version');
  await page.getByTestId('compare-previous-2').click();
  await expect(page.getByTestId('diff-changed')).toContainText('label');
  await page.getByTestId('diff-dialog').getByRole('button', { name: 'Close' }).click();

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('rollback-1').click();
  await expect(page.getByTestId('version-3')).toContainText('Rollback to version 1');
  await expect(page.getByTestId('version-3')).toContainText('Live');
  await expect(page.getByTestId('live-status')).toContainText('Live: version 3');
  await expect(page.getByTestId('node-send-sms-1')).not.toContainText('Sorry text');
  await expect(page.getByTestId('node-send-sms-1')).toContainText('Send SMS');

  await page.reload();
  await expect(page.getByTestId('node-send-sms-1')).toContainText('Send SMS');
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
});

test('a second tab follows changes saved elsewhere, and is told of a conflict instead of overwriting', async ({ page, browser }) => {
  await signIn(page, 'designer');
  const created = await trpc<{ id: string }>(page, 'flows.create', { name: `Two tabs ${Date.now()}`, template: 'demo-ivr' });
  expect(created.status).toBe(200);
  // A browser of its own (a clock is per browser context), signed in as the same designer.
  const otherContext = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const other = await otherContext.newPage();
  await signIn(other, 'designer');
  await page.goto(`/flows/${created.data.id}`);
  await other.goto(`/flows/${created.data.id}`);
  await expect(other.getByTestId('node-welcome')).toBeVisible();

  // This tab renames a node; the other tab, with nothing unsaved, shows the new name by itself.
  await page.getByTestId('node-welcome').dblclick();
  await page.getByTestId('node-title').fill('Greeting');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await expect(other.getByTestId('node-welcome')).toContainText('Greeting', { timeout: 15_000 });

  // Both edit. The other tab's clock is paused so its edit is still unsaved when this tab saves;
  // when its time runs on it is told of the conflict and overwrites nothing.
  await other.clock.install();
  await other.clock.pauseAt(Date.now() + 100);
  await other.getByTestId('node-welcome').dblclick();
  await other.getByTestId('node-title').fill('Greeting from tab two');
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-status', 'unsaved');
  await page.getByTestId('node-title').fill('Greeting from tab one');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await other.clock.runFor(5000);
  await expect(other.getByTestId('conflict-banner')).toBeVisible();
  await other.clock.resume();
  await other.getByTestId('conflict-reload').click();
  await expect(other.getByTestId('node-welcome')).toContainText('Greeting from tab one');
  await page.reload();
  await expect(page.getByTestId('node-welcome')).toContainText('Greeting from tab one');
  await otherContext.close();
});
