import { test, expect } from '@playwright/test';
import { hydrated } from './hydrated';

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

test('the edit form picks related entities by search and changes teams', async ({ page }) => {
  const res = await page.request.post('/v1/blueprints/service/entities/search', {
    data: { query: { combinator: 'and', rules: [] }, limit: 3 },
  });
  const [a, b] = (await res.json()).entities;
  await page.goto(`/entity/service/${a.identifier}?edit`);
  await hydrated(page);
  const form = page.getByRole('region', { name: /^Edit / });
  const add = form.getByLabel('Add to Depends on');
  await add.fill(b.identifier.slice(0, 6));
  // The suggestions come from the server, for what was typed.
  await expect(form.locator('#field-rel-dependencies-choices option', { hasText: b.title ?? b.identifier })).toHaveCount(1);
  await add.fill(b.identifier);
  await add.press('Enter');
  await expect(form.getByLabel('Depends on', { exact: true })).toHaveValue(new RegExp(b.identifier));
  await form.getByLabel('search', { exact: true }).check();
  await page.screenshot({ path: 'test-results/entity-form-relations.png', fullPage: true });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(new RegExp(`/entity/service/${a.identifier}$`));
  await expect(page.locator('main')).toContainText(b.identifier);
  await expect(page.locator('.subtitle')).toContainText('search');
});

test('a catalog page opened with ?new hydrates, its form included', async ({ page }) => {
  // The form's code is a lazy chunk, loaded before hydration starts.
  await page.goto('/catalog/services?new');
  await hydrated(page);
  await expect(page.getByRole('region', { name: 'New service' }).getByRole('button', { name: 'Create' })).toBeEnabled();
});
