import { expect, test } from '@playwright/test';
import { localUser, signIn } from './helpers';

/**
 * Routing settings as an admin uses them (issue 11): a queue is added, refused when its id is
 * taken, edited (Escape leaves the form), deleted; every change is in the audit log. The queue is
 * its own, so the demo data the other journeys rely on stays as seeded.
 */

test('an admin adds, edits and deletes a queue; a taken id is refused with the reason; every change is audited', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/settings/queues');
  const form = page.getByRole('form', { name: 'New skill' });
  await form.getByLabel('Id').fill('e2e-warranty');
  await form.getByLabel('Name', { exact: true }).fill('Warranty');
  await form.getByLabel('Service level (seconds)').fill('20');
  await form.getByRole('button', { name: 'Save' }).click();
  const row = page.getByTestId('skill-e2e-warranty');
  await expect(row).toContainText('Warranty');
  await expect(row).toContainText('20 s');

  // The same id again: refused, and the form says why.
  await form.getByLabel('Id').fill('e2e-warranty');
  await form.getByLabel('Name', { exact: true }).fill('Another');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toHaveText('A skill with the id “e2e-warranty” exists already.');
  await expect(page.getByTestId('skills').getByText('Another')).toHaveCount(0);

  // Edit, then leave with Escape: nothing changes; edit again and save.
  await row.getByRole('button', { name: 'Edit' }).click();
  const editing = page.getByRole('form', { name: 'Edit skill e2e-warranty' });
  await editing.getByLabel('Name', { exact: true }).fill('Not saved');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('form', { name: 'New skill' })).toBeVisible();
  await expect(row).toContainText('Warranty');
  await row.getByRole('button', { name: 'Edit' }).click();
  await editing.getByLabel('Name', { exact: true }).fill('Warranty claims');
  await editing.getByLabel('Service level (seconds)').fill('45');
  await editing.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('Warranty claims');
  await expect(row).toContainText('45 s');

  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);

  await page.goto('/settings/audit');
  const log = page.getByTestId('audit-log');
  for (const [action, name] of [
    ['Setting added', 'Warranty'],
    ['Setting changed', 'Warranty claims'],
    ['Setting deleted', 'Warranty claims'],
  ]) {
    const entry = log.locator('tr', { hasText: action }).filter({ hasText: 'skill e2e-warranty' });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(`"name":"${name}"`);
    await expect(entry).toContainText(localUser('admin').email);
  }
});
