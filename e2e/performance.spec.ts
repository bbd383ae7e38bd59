import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

/**
 * A manager reads the demo flow's performance (the demo seed carries about 30 days of history):
 * KPI cards with their formulas, the charts, and the figures drawn on the canvas.
 */
test('a manager sees the KPIs with their formulas, the charts, and the figures on the canvas', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'manager');
  await page.goto('/flows');
  const row = page.getByTestId('flow-row').filter({ hasText: 'Demo IVR' }).first();
  const flowId = await row.getAttribute('data-flow-id');
  expect(flowId).toBeTruthy();

  // From the flow editor's toolbar.
  await page.goto(`/flows/${flowId}`);
  await page.getByTestId('performance-link').click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}/performance$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Performance of Demo IVR', { timeout: 60_000 });

  for (const id of ['contacts', 'containment', 'serviceLevel', 'fcr', 'csat']) {
    await expect(page.getByTestId(`kpi-${id}`)).toBeVisible();
  }
  expect(Number((await page.getByTestId('kpi-contacts').locator('.kpi-value').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0);
  await expect(page.getByTestId('kpi-formula-containment')).toContainText('no repeat contact from the same customer within 24 h');
  await expect(page.getByTestId('kpi-formula-serviceLevel')).toContainText('(default 30 s)');
  await expect(page.getByTestId('kpi-formula-fcr')).toContainText('within 7 days');
  await expect(page.getByTestId('kpi-containment')).toContainText(/On target|Off target/);
  await expect(page.getByTestId('performance-chart').locator('svg.recharts-surface').first()).toBeVisible();
  await expect(page.getByTestId('breakdown-version').locator('tbody tr').first()).toContainText(/v\d/);
  // The tag breakdown arrives on its own request: the demo customers' tags, each with its contacts.
  await expect(page.getByTestId('breakdown-tag').getByRole('rowheader', { name: 'vip' })).toBeVisible({ timeout: 30_000 });

  // The CSV: the series rows and the totals.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('performance-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^Demo-IVR_performance_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);

  // On the canvas: counts on the nodes and shares on the edges.
  await page.getByTestId('performance-tab-canvas').click();
  const menu = page.getByTestId('overlay-node-main-menu');
  await expect(menu).toBeVisible({ timeout: 60_000 });
  expect(Number((await page.getByTestId('overlay-entries-main-menu').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0);
  await expect(page.getByTestId('overlay-edge-e-welcome-next')).toHaveText(/\d+(\.\d)? %/);
  expect(await page.locator('[data-testid^="overlay-edge-"]').count()).toBeGreaterThan(3);

  // A node's panel links to the executions that went through it.
  await menu.click();
  const panel = page.getByTestId('overlay-panel');
  await expect(panel).toContainText('Left by');
  await panel.getByTestId('overlay-matching').click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}/executions\\?node=main-menu$`));
  await expect(page.getByTestId('filter-node')).toContainText('main-menu');
  await expect(page.getByTestId('execution-row').first()).toBeVisible();
  await page.getByTestId('clear-filter-node').click();
  await expect(page.getByTestId('filter-node')).toHaveCount(0);
});
