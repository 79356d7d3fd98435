import { test, expect } from '@playwright/test';
import { hydrated } from './hydrated';

// The audit log page: an admin finds an entity's title change and a
// team's change by filtering, opens a row to its before and after, and
// pages back with the cursor; the filters work without JavaScript too.

// Everything here is made for this file and removed after it, so the
// specs that run later see the demo data as it was (the payments team's
// services fit one page; its description is unchanged).
const paged = Array.from({ length: 60 }, (_, i) => `audit-paged-${i}`);

test.afterAll(async ({ browser }) => {
  const context = await browser.newContext();
  const request = context.request;
  for (let i = 0; i < paged.length; i += 50) {
    await request.post('/v1/blueprints/service/bulk/entities/delete', {
      data: { entities: paged.slice(i, i + 50) },
    });
  }
  await request.delete('/v1/blueprints/service/entities/audit-e2e');
  await request.delete('/v1/teams/audit-crew');
  await context.close();
});

test('an admin finds a title change and a team change, and opens the row', async ({ page }) => {
  const crew = await page.request.post('/v1/teams', { data: { name: 'audit-crew', description: 'Before' } });
  expect([200, 201, 409]).toContain(crew.status());
  const created = await page.request.post('/v1/blueprints/service/entities', {
    data: {
      identifier: 'audit-e2e', title: 'Audit before', team: ['audit-crew'],
      properties: { tier: 'silver', lifecycle: 'production' },
    },
  });
  expect([200, 201]).toContain(created.status());
  const renamed = await page.request.patch('/v1/blueprints/service/entities/audit-e2e', {
    data: { title: 'Audit after' },
  });
  expect(renamed.status()).toBe(200);
  const team = await page.request.patch('/v1/teams/audit-crew', {
    data: { description: 'Moves the money, audited' },
  });
  expect(team.status()).toBe(200);

  // From the entity page's History, all of its history.
  await page.goto('/entity/service/audit-e2e');
  await page.getByRole('link', { name: 'All history' }).click();
  await expect(page).toHaveURL(/\/audit-log\?entity=audit-e2e&blueprint=service$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await hydrated(page);

  // The sidebar shows admins the page.
  await expect(page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Audit log' })).toBeVisible();

  // Filter by identifier and action with the form.
  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByLabel('Blueprint').fill('');
  await filters.getByLabel('Identifier').fill('audit-e2e');
  await filters.getByLabel('Action').selectOption('UPDATE');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/entity=audit-e2e/);
  await expect(page).toHaveURL(/action=UPDATE/);
  const rows = page.locator('.audit-table > tbody > tr');
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  await expect(row).toContainText('admin@portolan.test');
  await expect(row).toContainText('Updated');
  await expect(row).toContainText('Success');
  await expect(row.getByRole('link', { name: 'service / audit-e2e' })).toHaveAttribute('href', '/entity/service/audit-e2e');
  // Open the row: the title, before and after, and nothing that did not change.
  await row.getByText('1 field').click();
  const diff = row.locator('.diff-table');
  await expect(diff).toBeVisible();
  await expect(diff.locator('tbody tr')).toHaveCount(1);
  await expect(diff.locator('tbody tr').first()).toContainText('title');
  await expect(diff.locator('.diff-before')).toHaveText('Audit before');
  await expect(diff.locator('.diff-after')).toHaveText('Audit after');
  await page.screenshot({ path: 'test-results/audit-log.png', fullPage: true });

  // The team's change, by resource type.
  await page.goto('/audit-log');
  await hydrated(page);
  await filters.getByLabel('Resource type').selectOption('team');
  await filters.getByLabel('Identifier').fill('audit-crew');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/resources=team/);
  const teamRow = page.locator('.audit-table > tbody > tr').first();
  await expect(teamRow).toContainText('audit-crew');
  await teamRow.locator('summary').click();
  await expect(teamRow.locator('.diff-table')).toContainText('description');
  await expect(teamRow.locator('.diff-after')).toHaveText('Moves the money, audited');
  await page.screenshot({ path: 'test-results/audit-log-team.png', fullPage: true });
});

test('older entries are a link away, each shown once', async ({ page }) => {
  const entities = paged.map((identifier) => ({
    identifier, team: [], properties: { tier: 'bronze', lifecycle: 'experimental' },
  }));
  const bulk = await page.request.post('/v1/blueprints/service/entities/bulk', { data: { entities } });
  expect(bulk.status()).toBeLessThan(300);
  await page.goto('/audit-log');
  const first = await page.locator('.audit-table > tbody > tr').evaluateAll(rows => rows.map(r => r.getAttribute('data-audit-id')));
  expect(first.length).toBe(50);
  await page.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(/before=\d+/);
  await expect(page.getByRole('link', { name: '← Newest' })).toBeVisible();
  const second = await page.locator('.audit-table > tbody > tr').evaluateAll(rows => rows.map(r => r.getAttribute('data-audit-id')));
  expect(second.length).toBeGreaterThan(0);
  expect(second.filter(id => first.includes(id))).toEqual([]);
  expect(Number(second[0])).toBeLessThan(Number(first[first.length - 1]));
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the filter form is a plain GET form and rows open', async ({ page }) => {
    await page.goto('/audit-log');
    const filters = page.getByRole('search', { name: 'Filter the audit log' });
    await filters.getByLabel('Resource type').selectOption('blueprint');
    await filters.getByLabel('Status').selectOption('SUCCESS');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/\/audit-log\?resources=blueprint&.*status=SUCCESS/);
    // The form keeps what was chosen.
    await expect(page.getByLabel('Resource type')).toHaveValue('blueprint');
    const rows = page.locator('.audit-table > tbody > tr');
    await expect(rows.first()).toBeVisible();
    for (const text of await rows.locator('.audit-kind').allTextContents()) {
      expect(text).toBe('Blueprint');
    }
    await expect(rows.first().getByRole('link')).toHaveAttribute('href', /^\/builder#/);
    await rows.first().locator('summary').click();
    await expect(rows.first().locator('.diff-table')).toBeVisible();
  });
});
