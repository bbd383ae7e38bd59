import { expect, test } from '@playwright/test';
import { signIn, trpc } from './helpers';

const RUN = String(Date.now() % 100_000).padStart(5, '0');

test('an admin dry-runs and imports a customer CSV: the bad rows are listed by line and column, the good rows land', async ({ page }) => {
  const csv = [
    'phone,email,member_id,first_name,last_name,locale,attr.tier',
    `+1555300${RUN.slice(1)},import.${RUN}@example.com,,Ivy,Import${RUN},en-US,gold`,
    '12345,bad@example.com,,Bad,Phone,,',
    `,,M-IMP-${RUN},"Quoted, Name",Import${RUN},zh-CN,silver`,
  ].join('\r\n');
  const file = { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) };

  await signIn(page, 'admin');
  await page.goto('/customers');
  await page.getByTestId('customers-import-link').click();
  await expect(page).toHaveURL(/\/customers\/import$/);
  await page.getByTestId('import-file').setInputFiles(file);

  await page.getByTestId('import-dry-run').click();
  await expect(page.getByTestId('import-summary')).toContainText('Dry run, nothing written: 2 customers would be created and 0 updated; 1 row');
  const error = page.getByTestId('import-error');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText('3');
  await expect(error).toContainText('phone');
  await expect(error).toContainText('"12345" is not in E.164 form');
  // Nothing was written by the dry run.
  await page.goto(`/customers?q=Import${RUN}`);
  await expect(page.getByTestId('customers-count')).toContainText('0 customers');

  await page.goto('/customers/import');
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-summary')).toContainText('Imported: 2 customers created, 0 updated; 1 row');
  await expect(page.getByTestId('import-error')).toContainText('"12345" is not in E.164 form');

  await page.goto(`/customers?q=Import${RUN}`);
  const rows = page.getByTestId('customers').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('customers')).toContainText('Quoted, Name');
  await expect(page.getByTestId('customers')).not.toContainText('Bad Phone');
});

test('an admin merges a duplicate profile after seeing the preview, sees one timeline, and can undo it', async ({ page }) => {
  await signIn(page, 'admin');
  // Two profiles of one person: the CRM knows her by email and member id, an order system wrote the member id in lower case.
  const member = `M-MRG-${RUN}`;
  const first = await trpc<{ id: string }>(page, 'customers.upsert', { identities: [{ kind: 'email', value: `mei.${RUN}@example.cn` }, { kind: 'member', value: member }], firstName: '美', lastName: `韩${RUN}` });
  expect(first.status, JSON.stringify(first.error)).toBe(200);
  const second = await trpc<{ id: string; created: boolean }>(page, 'customers.upsert', { identities: [{ kind: 'member', value: member.toLowerCase() }, { kind: 'phone', value: `+861390${RUN}11` }], firstName: '美', lastName: `韩${RUN}` });
  expect(second.data.created).toBe(true);
  const order = await trpc(page, 'customers.upsertOrders', { orders: [{ externalId: `mrg-${RUN}`, customer: { kind: 'member', value: member.toLowerCase() }, amount: 88, currency: 'CNY', placedAt: new Date().toISOString() }] });
  expect(order.status, JSON.stringify(order.error)).toBe(200);

  await page.goto(`/customers/${first.data.id}`);
  const suggestion = page.locator(`[data-testid="merge-suggestion"][data-customer-id="${second.data.id}"]`);
  await expect(suggestion).toBeVisible();
  await expect(suggestion.getByTestId('merge-reasons')).toContainText('member');
  await suggestion.getByRole('button', { name: 'Preview merge' }).click();
  const preview = page.getByTestId('merge-preview');
  await expect(preview.getByTestId('merge-preview-identities')).toContainText(`+861390${RUN}11`);
  await expect(preview.getByTestId('merge-counts')).toContainText('1');
  await preview.getByTestId('merge-confirm').click();

  // One profile: her phone and the order placed under the other profile are here now.
  await expect(page.getByTestId('merge-history-entry')).toContainText(`韩${RUN}`);
  await expect(page.getByTestId('identities')).toContainText(`+861390${RUN}11`);
  await expect(page.getByTestId('customer-timeline').locator('[data-kind="order"]')).toContainText('88');
  await page.goto(`/customers/${second.data.id}`);
  await expect(page.getByTestId('merged-into')).toContainText(`韩${RUN}`);

  await page.goto(`/customers/${first.data.id}`);
  await page.getByTestId('merge-undo').click();
  await expect(page.getByTestId('merge-history-entry')).toHaveAttribute('data-undone', 'true');
  await expect(page.getByTestId('identities')).not.toContainText(`+861390${RUN}11`);
});
