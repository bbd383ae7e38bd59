import { expect, type Page, test } from '@playwright/test';
import { signIn, trpc } from './helpers';

/** A number, a caller and a tag of their own per run, so a rerun against the same server starts clean. */
const RUN = String(Date.now() % 100_000).padStart(5, '0');
const NUMBER = `+1500558${RUN.slice(1)}`;
const CALLER = `+155512${RUN}`;
const TAG = `formula-${RUN}`;

const node = (id: string, type: string, config: Record<string, unknown>, x: number) => ({ id, type, typeVersion: 1, position: { x, y: 0 }, config });
const edge = (source: string, sourcePort: string, target: string) => ({ id: `e-${source}-${sourcePort}`, source, sourcePort, target });

/** A line that greets a caller with TAG as a parent, and asks everyone else twice what they need. */
async function parentsLine(page: Page) {
  const created = await trpc<{ id: string }>(page, 'flows.create', { name: `Parents line ${RUN}`, template: 'blank' });
  expect(created.status, JSON.stringify(created.error)).toBe(200);
  const id = created.data.id;
  const flow = await trpc<{ draft: Record<string, unknown>; draftRevision: number }>(page, 'flows.get', { id }, 'query');
  const document = {
    ...flow.data.draft,
    nodes: [
      node('start', 'incoming-call', {}, 0),
      node('is-parent', 'tag-condition', { mode: 'any', tags: [TAG] }, 200),
      node('welcome-back', 'end', { message: 'Welcome back! Our baby care team is here for you.', outcome: 'completed' }, 400),
      node('ask', 'collect-input', { prompt: 'What can we help you with?', mode: 'speech', variable: 'need', timeoutSeconds: 20 }, 400),
      node('ask-more', 'collect-input', { prompt: 'Anything else?', mode: 'speech', variable: 'more', timeoutSeconds: 20 }, 600),
      node('thanks', 'end', { message: 'Thank you, goodbye.', outcome: 'completed' }, 800),
    ],
    edges: [
      edge('start', 'next', 'is-parent'),
      edge('is-parent', 'matched', 'welcome-back'),
      edge('is-parent', 'noMatch', 'ask'),
      edge('ask', 'collected', 'ask-more'),
      edge('ask', 'timeout', 'thanks'),
      edge('ask-more', 'collected', 'thanks'),
      edge('ask-more', 'timeout', 'thanks'),
    ],
  };
  const saved = await trpc(page, 'flows.saveDraft', { id, document, expectedRevision: flow.data.draftRevision });
  expect(saved.status, JSON.stringify(saved.error)).toBe(200);
  const published = await trpc(page, 'flows.publish', { id, message: 'parents line', number: NUMBER });
  expect(published.status, JSON.stringify(published.error)).toBe(200);
}

async function callFromCaller(page: Page) {
  await page.goto('/simulator');
  await page.getByTestId('sim-target').selectOption(`number:${NUMBER}`);
  await page.getByTestId('sim-caller').selectOption('new');
  await page.getByLabel("Caller's number").fill(CALLER);
  await page.getByTestId('sim-call').click();
}

async function say(page: Page, words: string) {
  await page.getByTestId('sim-say-input').fill(words);
  await page.getByTestId('sim-say-input').press('Enter');
}

test('an admin writes a tag rule in the form and previews it; a caller who says the keyword twice is tagged with the reason, and the next call takes the tagged branch', async ({ page }) => {
  await signIn(page, 'admin');
  await parentsLine(page);

  // The rule, in the form: said 奶粉 or baby formula at least twice in 30 days → TAG.
  await page.goto('/settings/tags');
  const form = page.getByTestId('tag-rule-form');
  await form.getByLabel('Rule name').fill(`Formula buyers ${RUN}`);
  await form.getByLabel('Tag', { exact: true }).fill(TAG);
  const row = form.getByRole('group', { name: 'Condition 1' });
  await row.getByLabel('Fact').selectOption({ label: 'Said or wrote' });
  await row.getByLabel('Keywords').fill('奶粉, baby formula');
  await row.getByLabel('Comparison').selectOption({ label: 'at least' });
  await row.getByLabel('Times').fill('2');
  await form.getByRole('button', { name: 'Preview' }).click();
  // Nobody has said it twice yet.
  await expect(page.getByTestId('tag-preview-summary')).toContainText('0 customers match');
  await form.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByTestId('tag-rule-saved')).toContainText(`Formula buyers ${RUN}`);
  await expect(page.getByTestId('tag-rules')).toContainText(TAG);

  // Two things said in one call, one with each keyword.
  await callFromCaller(page);
  const transcript = page.getByTestId('sim-transcript');
  await expect(transcript).toContainText('What can we help you with?');
  await say(page, '我想问一下奶粉什么时候到');
  await expect(transcript).toContainText('Anything else?');
  await say(page, 'and do you have baby formula for newborns');
  await expect(transcript).toContainText('Thank you, goodbye.');
  await expect(page.getByTestId('sim-status')).toHaveText('Call ended');

  // The rule ran as the call ended: the profile has the tag, and says why.
  await expect(async () => {
    await page.goto(`/customers?q=${encodeURIComponent(CALLER)}`);
    await page.getByTestId('customers').locator('tbody').getByRole('link').first().click();
    const tag = page.locator(`[data-testid="customer-tag"][data-tag="${TAG}"]`);
    await expect(tag).toBeVisible({ timeout: 1000 });
    await expect(tag).toContainText(`rule “Formula buyers ${RUN}”`);
    await expect(tag.getByTestId('customer-tag-reason')).toContainText('奶粉 / baby formula');
    await expect(tag.getByTestId('customer-tag-reason')).toContainText(': 2');
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('tag-history')).toContainText(TAG);

  // The preview now finds the caller, with the same facts.
  await page.goto('/settings/tags');
  await page.getByRole('button', { name: `Edit rule “Formula buyers ${RUN}”` }).click();
  await page.getByTestId('tag-rule-form').getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('tag-preview-summary')).toContainText('1 customer matches');

  // The next call takes the tagged branch.
  await callFromCaller(page);
  await expect(page.getByTestId('sim-transcript')).toContainText('Welcome back! Our baby care team is here for you.');
});

test('an admin turns on a value score computed from data, previews it on real customers, saves it, and turns it off again', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/settings/tags');
  const value = page.getByTestId('score-value');
  await value.getByTestId('score-enabled-value').check();
  await expect(page.getByTestId('score-words-value')).toContainText('spent in the last 365 days');
  await page.getByTestId('score-preview-value').click();
  const preview = page.getByTestId('score-preview-result-value');
  await expect(preview.locator('tbody tr')).toHaveCount(10);
  await page.getByTestId('score-save').click();
  await expect(page.getByTestId('score-saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('score-enabled-value')).toBeChecked();
  // Off again: the demo's scores stay as seeded for the journeys after this one.
  await page.getByTestId('score-enabled-value').uncheck();
  await page.getByTestId('score-save').click();
  await expect(page.getByTestId('score-saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('score-enabled-value')).not.toBeChecked();
});
