import { test, expect } from '@playwright/test';

test('an admin creates a service from its catalog page; problems show at their fields first', async ({ page }) => {
  await page.goto('/catalog/services');
  await page.getByRole('link', { name: 'New service' }).click();
  await expect(page).toHaveURL(/\/catalog\/services\?new$/);
  const form = page.getByRole('region', { name: 'New service' });
  await form.getByLabel('Identifier').fill('ledger reconciler');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form.locator('#field-identifier-error')).not.toBeEmpty();
  await expect(form.locator('#field-tier-error')).toContainText('required');
  await page.screenshot({ path: 'test-results/entity-create-errors.png', fullPage: true });

  await form.getByLabel('Identifier').fill('ledger-reconciler');
  await form.getByLabel('Title').fill('Ledger Reconciler');
  await form.getByLabel('payments').check();
  await form.getByLabel('Tier').selectOption('gold');
  await form.getByLabel('Lifecycle').selectOption('experimental');
  await form.getByLabel('Tags').fill('ledger\npci');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/entity\/service\/ledger-reconciler$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ledger Reconciler');
  await expect(page.locator('.subtitle')).toContainText('payments');
  await expect(page.getByRole('region', { name: 'History' })).toContainText('create');
  await page.screenshot({ path: 'test-results/entity-created.png', fullPage: true });
});
