import { expect, type Page, test } from '@playwright/test';
import { signIn, trpc } from './helpers';

/** A number of its own per run, so a rerun against the same server finds no experiment live on it. */
const NUMBER = `+1500556${String(Date.now() % 10_000).padStart(4, '0')}`;
const CALLS = 6;

/** A designer's flow from the demo template with two published versions, bound to NUMBER. */
async function flowWithTwoVersions(page: Page) {
  const created = await trpc<{ id: string }>(page, 'flows.create', { name: `Experiment flow ${Date.now()}`, template: 'demo-ivr' });
  expect(created.status, JSON.stringify(created.error)).toBe(200);
  const id = created.data.id;
  const first = await trpc(page, 'flows.publish', { id, message: 'first cut', number: NUMBER });
  expect(first.status, JSON.stringify(first.error)).toBe(200);
  // A small change: version 2 greets differently.
  const flow = await trpc<{ draft: { nodes: { id: string; config: Record<string, unknown> }[] }; draftRevision: number }>(page, 'flows.get', { id }, 'query');
  const nodes = flow.data.draft.nodes.map((n) => (n.id === 'welcome' ? { ...n, config: { ...n.config, text: 'Hello {{customer.firstName}}, welcome to version two.' } } : n));
  const saved = await trpc(page, 'flows.saveDraft', { id, document: { ...flow.data.draft, nodes }, expectedRevision: flow.data.draftRevision });
  expect(saved.status, JSON.stringify(saved.error)).toBe(200);
  const second = await trpc(page, 'flows.publish', { id, message: 'second cut', number: NUMBER });
  expect(second.status, JSON.stringify(second.error)).toBe(200);
  return id;
}

/** Places a simulated call from `from` to NUMBER; resolves with the call's sid. */
async function call(page: Page, from: string) {
  const placed = await trpc<{ session: { callSid: string } }>(page, 'simulator.placeCall', { target: { to: NUMBER }, caller: { number: from } });
  expect(placed.status, JSON.stringify(placed.error)).toBe(200);
  return placed.data.session.callSid;
}

/** The version the call's execution ran, once the runtime has opened it. */
async function versionOfCall(page: Page, callSid: string): Promise<number | null> {
  let version: number | null = null;
  await expect
    .poll(async () => {
      const execution = await trpc<{ id: string } | null>(page, 'simulator.execution', { callSid }, 'query');
      if (!execution.data) return null;
      version = (await trpc<{ version: number | null }>(page, 'executions.get', { id: execution.data.id }, 'query')).data?.version ?? null;
      return version;
    })
    .not.toBeNull();
  return version;
}

test('a manager plans and runs an experiment between two versions, sees the exposures, and promotes a version', async ({ page }) => {
  await signIn(page, 'designer');
  await flowWithTwoVersions(page);

  await signIn(page, 'manager');
  await page.goto('/experiments');
  await page.getByTestId('new-experiment').click();
  const form = page.getByTestId('experiment-form');
  await form.getByTestId('experiment-name').fill(`Greeting test ${NUMBER}`);
  await form.getByTestId('experiment-number').selectOption(`${NUMBER}|voice`);
  await form.getByTestId('variant-version-0').selectOption({ label: 'Version 1: first cut' });
  await form.getByTestId('variant-version-1').selectOption({ label: 'Version 2: second cut (live)' });

  // The weights must add up to 100: the sum shows live, and "Split evenly" puts it right.
  await form.getByTestId('variant-weight-0').fill('70');
  await expect(form.getByTestId('weights-total')).toContainText('must add up to 100');
  await form.getByRole('button', { name: 'Split evenly' }).click();
  await expect(form.getByTestId('weights-total')).toHaveText('Total 100 %');
  await expect(form.getByTestId('variant-weight-0')).toHaveValue('50');

  // The plan before the start: a fresh number has no traffic, so no baseline to size the sample on.
  await expect(form.getByTestId('experiment-plan')).toContainText('No baseline');
  await form.getByTestId('experiment-create').click();

  await expect(page).toHaveURL(/\/experiments\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('experiment-status')).toHaveText('Draft');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('experiment-status')).toHaveText('Running');

  // Calls from different callers (assignment is sticky per caller).
  const stamp = String(Date.now() % 100_000).padStart(5, '0');
  for (let i = 0; i < CALLS; i += 1) await call(page, `+1500557${stamp}${i}`);

  await expect(async () => {
    await page.reload();
    const a = Number(await page.getByTestId('exposures-A').textContent());
    const b = Number(await page.getByTestId('exposures-B').textContent());
    expect(a + b).toBe(CALLS);
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('experiment-verdict')).toContainText('Not enough data');
  await expect(page.getByTestId('experiment-funnels')).toBeVisible();

  // Promote A (version 1, not the live one): the confirmation names the version and the number.
  await page.getByTestId('promote-variant').selectOption({ label: 'A (version 1)' });
  await page.getByTestId('promote').click();
  const confirm = page.getByTestId('promote-confirm');
  await expect(confirm).toContainText(`make version 1 live on ${NUMBER}`);
  await confirm.getByTestId('promote-confirm-button').click();
  await expect(page.getByTestId('experiment-status')).toHaveText('Completed');
  await expect(page.getByTestId('experiment-promoted')).toContainText(`version 1`);
  // A finished experiment keeps its results.
  await expect(page.getByTestId('experiment-verdict')).toContainText('Not enough data');

  // Every new call to the number now runs version 1.
  const after = await call(page, `+1500558${stamp}0`);
  expect(await versionOfCall(page, after)).toBe(1);

  await page.goto('/experiments');
  const row = page.getByTestId('experiment-row').filter({ hasText: NUMBER });
  await expect(row).toContainText('Completed');
  await expect(row).toContainText('A → version 1, 50 %');
});
