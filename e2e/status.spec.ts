import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page, 'admin');
});

test('the status page shows a healthy database and Temporal', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'System status' })).toBeVisible();
  const database = page.getByTestId('health-database');
  const temporal = page.getByTestId('health-temporal');
  await expect(database.getByText('Healthy')).toBeVisible();
  await expect(temporal.getByText('Healthy')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Flows' }).first()).toBeVisible();
});

test('the locale switcher turns the page into Simplified Chinese', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('heading', { name: '系统状态' })).toBeVisible();
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('heading', { name: 'System status' })).toBeVisible();
});
