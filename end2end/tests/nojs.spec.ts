import { test, expect } from '@playwright/test';

// Editing, creating and filtering with JavaScript off: plain forms, the
// server's answers (field messages, the builder's rows) in the page.
test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an entity is edited: a refused field comes back with what was typed, then it saves', async ({ page }) => {
    const created = await page.request.post('/v1/blueprints/service/entities', {
      data: {
        identifier: 'nojs-edit', title: 'No-JS edit', team: ['payments'],
        properties: { tier: 'silver', lifecycle: 'production', lastIncident: '2026-03-04T05:06:07.891Z' },
      },
    });
    expect([200, 201]).toContain(created.status());
    await page.goto('/entity/service/nojs-edit?edit');
    const form = page.getByRole('region', { name: /^Edit / });
    await expect(form.getByRole('button', { name: 'Save' })).toBeEnabled();
    await form.getByLabel('Title').fill('No-JS edited');
    await form.getByLabel('Tier').selectOption('');
    await form.getByRole('button', { name: 'Save' }).click();

    // Back on the form: the message at its field, what was typed kept.
    await expect(page).toHaveURL(/\/entity\/service\/nojs-edit\?edit&reply=/);
    const again = page.getByRole('region', { name: /^Edit / });
    await expect(again.locator('#field-tier-error')).toContainText('required');
    await expect(again.getByRole('alert').first()).toBeVisible();
    await expect(again.getByLabel('Title')).toHaveValue('No-JS edited');
    await page.screenshot({ path: 'test-results/nojs-edit-refused.png', fullPage: true });

    await again.getByLabel('Tier').selectOption('gold');
    await again.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL(/\/entity\/service\/nojs-edit$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('No-JS edited');
    // Only what was changed changed: the incident time keeps its milliseconds.
    const saved = await (await page.request.get('/v1/blueprints/service/entities/nojs-edit')).json();
    expect(saved.entity.properties.tier).toBe('gold');
    expect(saved.entity.properties.lastIncident).toBe('2026-03-04T05:06:07.891Z');
  });

  test('an entity is created from its catalog page, after fixing what the server refused', async ({ page }) => {
    await page.goto('/catalog/services');
    await page.getByRole('link', { name: 'New service' }).click();
    const form = page.getByRole('region', { name: 'New service' });
    await form.getByLabel('Identifier').fill('nojs new');
    await form.getByLabel('Title').fill('Made without JavaScript');
    await form.getByRole('button', { name: 'Create' }).click();

    const again = page.getByRole('region', { name: 'New service' });
    await expect(again.locator('#field-identifier-error')).not.toBeEmpty();
    await expect(again.locator('#field-tier-error')).toContainText('required');
    await expect(again.getByLabel('Identifier')).toHaveValue('nojs new');
    await expect(again.getByLabel('Title')).toHaveValue('Made without JavaScript');

    await again.getByLabel('Identifier').fill('nojs-new');
    await again.getByLabel('Tier').selectOption('bronze');
    await again.getByLabel('Lifecycle').selectOption('experimental');
    await again.getByLabel('payments').check();
    await again.getByRole('button', { name: 'Create' }).click();
    await expect(page).toHaveURL(/\/entity\/service\/nojs-new$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Made without JavaScript');
  });

  test('the filter builder adds, updates, removes and applies rules as a plain form', async ({ page }) => {
    await page.goto('/catalog/services');
    await page.locator('details.filter-menu summary').click();
    await page.getByRole('link', { name: 'Open the filter builder' }).click();
    await expect(page).toHaveURL(/fb=1/);
    const builder = page.getByRole('group', { name: 'Filters' });
    await builder.getByRole('button', { name: '+ Add rule' }).click();
    await builder.getByRole('button', { name: '+ Add rule' }).click();
    await expect(builder.getByLabel('Property')).toHaveCount(2);
    await builder.getByLabel('Property').first().selectOption({ label: 'Tier' });
    // The server then offers Tier's operators and values.
    await builder.getByRole('button', { name: 'Update rules' }).click();
    await expect(builder.getByLabel('Value').first().locator('option', { hasText: 'gold' })).toHaveCount(1);
    await builder.getByLabel('Value').first().selectOption('gold');
    await builder.getByRole('button', { name: 'Remove this rule' }).nth(1).click();
    await expect(builder.getByLabel('Property')).toHaveCount(1);
    await page.screenshot({ path: 'test-results/nojs-filter-builder.png', fullPage: true });
    await builder.getByRole('button', { name: 'Apply filters' }).click();

    await expect(page).toHaveURL(/filter=/);
    await expect(page).not.toHaveURL(/fb=1/);
    await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Tier is gold');
    const tiers = await page.locator('tbody tr:not(.group-row)').allInnerTexts();
    expect(tiers.length).toBeGreaterThan(0);
    for (const row of tiers) expect(row).toContain('gold');
  });
});
