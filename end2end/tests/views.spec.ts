import { test, expect, Page } from '@playwright/test';
import { signInMember } from './members';

/// Opens a toolbar menu (a <details>) unless it is open already: a menu
/// used to change the view may stay open over the new view.
async function openMenu(page: Page, menu: string) {
  const details = page.locator(`details.${menu}`);
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

/// The identifiers in the table, in order.
async function rowIds(page: Page) {
  return page.locator('tbody tr:not(.group-row) td code').allTextContents();
}

test('filter with the builder, save the view, reload: the same rows', async ({ page }) => {
  await page.goto('/catalog/services');
  await openMenu(page, 'filter-menu');
  const builder = page.getByRole('group', { name: 'Filters' });
  await builder.getByRole('button', { name: '+ Add rule' }).click();
  await builder.getByLabel('Property').selectOption({ label: 'Tier' });
  // Only the operators a string enum allows, and its values as choices.
  await expect(builder.getByLabel('Operator').locator('option')).not.toHaveText(['is greater than']);
  await builder.getByLabel('Value').selectOption('gold');
  await builder.getByRole('button', { name: '+ Add rule' }).click();
  await builder.getByLabel('Property').nth(1).selectOption({ label: 'Monthly cost (USD)' });
  await builder.getByLabel('Operator').nth(1).selectOption({ label: 'is greater than' });
  await expect(builder.getByLabel('Value').nth(1)).toHaveAttribute('type', 'number');
  await builder.getByLabel('Value').nth(1).fill('1000');
  await page.screenshot({ path: 'test-results/catalog-filter-builder.png', fullPage: true });
  await builder.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/filter=/);
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips).toContainText('Tier is gold');
  await expect(chips).toContainText('Monthly cost (USD) is greater than 1000');
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toContainText('gold');
  const filtered = await rowIds(page);
  expect(filtered.length).toBeGreaterThan(0);

  // Sort by cost, then save the view.
  await page.getByRole('link', { name: 'Monthly cost (USD)', exact: true }).click();
  await expect(page).toHaveURL(/sort=monthlyCost/);
  const sorted = await rowIds(page);
  await openMenu(page, 'views-menu');
  await page.getByLabel('Save this view as').fill('Costly gold');
  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page).toHaveURL(/view=Costly%20gold/);
  await page.reload();
  await expect(page.locator('summary', { hasText: 'Costly gold' })).toBeVisible();
  expect(await rowIds(page)).toEqual(sorted);
  await expect(chips).toContainText('Tier is gold');

  // Removing a chip drops that rule (a plain link).
  await chips.getByRole('link', { name: /Remove filter: Monthly cost/ }).click();
  await expect(chips).not.toContainText('Monthly cost');
  await page.screenshot({ path: 'test-results/catalog-saved-view.png', fullPage: true });
});

test('columns hide, show and move; grouping shows each group with its size', async ({ page }) => {
  await page.goto('/catalog/services');
  await openMenu(page, 'columns-menu');
  const columns = page.getByRole('group', { name: 'Columns' });
  await columns.locator('li', { hasText: 'Identifier' }).getByRole('link', { name: 'Hide' }).click();
  await expect(page).toHaveURL(/cols=/);
  await expect(page.locator('thead')).not.toContainText('Identifier');
  await expect(page.locator('summary', { hasText: /^Columns · \d+ hidden/ })).toBeVisible();
  await openMenu(page, 'columns-menu');
  await page.getByRole('link', { name: 'Move Owning teams earlier' }).click();
  await expect(page.locator('thead th').first()).toHaveText('Owning teams');

  await openMenu(page, 'group-menu');
  await page.getByRole('group', { name: 'Group by' }).getByRole('link', { name: 'Tier' }).click();
  await expect(page).toHaveURL(/group=tier/);
  const groups = page.locator('tr.group-row');
  await expect(groups.first()).toContainText('Tier:');
  await expect(groups.first()).toContainText(/\d+ entit/);
  await page.screenshot({ path: 'test-results/catalog-grouped.png', fullPage: true });

  // The keyboard moves between rows: arrow down from the first title link.
  const links = page.locator('a.entity-link');
  await links.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(links.last()).toBeFocused();
});

test('a member cannot see or reach what a page initial filter leaves out', async ({ page, browser }) => {
  const { context, member } = await signInMember(page, browser, 'gus@example.com');
  await member.goto('/catalog/gold-services');
  await expect(member.locator('.prefilter-hint')).toContainText('Pre-filtered');
  await expect(member.locator('summary', { hasText: 'Initial filter' })).toHaveCount(0);
  const tiers = member.locator('tbody tr');
  const count = await tiers.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await expect(tiers.nth(i)).toContainText('gold');
  await member.screenshot({ path: 'test-results/catalog-prefiltered-member.png', fullPage: true });

  // URL tampering only narrows further.
  const silver = encodeURIComponent(JSON.stringify({ combinator: 'or', rules: [
    { property: 'tier', operator: '=', value: 'silver' }, { property: 'tier', operator: 'isNotEmpty' }] }));
  await member.goto(`/catalog/gold-services?filter=${silver}`);
  for (const row of await member.locator('tbody tr').all()) await expect(row).toContainText('gold');

  // So does calling the server function directly.
  const direct = await member.request.post('/api/get_catalog_page', {
    form: { page: 'gold-services', sort: '', search: '', offset: '0', filter: '' },
  });
  expect(direct.status()).toBe(200);
  const body = await direct.json();
  expect(body.page.dataset).toBeUndefined();
  for (const e of body.list.entities) expect(e.properties.tier).toBe('gold');
  // And the one the page loads, whose rows come rendered.
  const view = await member.request.post('/api/get_catalog_view', {
    form: { page: 'gold-services', 'params[sort]': '', offset: '0' },
  });
  expect(view.status()).toBe(200);
  const rendered = await view.json();
  expect(JSON.parse(rendered.editing).dataset).toBeNull();
  // (A text may be followed by an empty comment, the renderer's marker.)
  expect(rendered.html.table).toContain('">gold<');
  expect(rendered.html.table).not.toContain('">silver<');
  const forged = await member.request.post('/api/set_page_filter', { form: { page: 'gold-services', filter: '' } });
  expect(forged.status()).toBe(403);
  await context.close();
});

test('an admin edits a page initial filter with the builder', async ({ page }) => {
  await page.goto('/catalog/gold-services');
  await expect(page.locator('.prefilter-hint')).toContainText('Tier is gold');
  await openMenu(page, 'initial-filter-menu');
  const builder = page.locator('.initial-filter-menu').getByRole('group', { name: 'Filters' });
  await expect(builder.getByLabel('Value')).toHaveValue('gold');
  await builder.getByLabel('Operator').selectOption({ label: 'is any of' });
  await builder.getByRole('group', { name: 'Values' }).getByLabel('silver').check();
  await builder.getByRole('group', { name: 'Values' }).getByLabel('gold').check();
  await page.screenshot({ path: 'test-results/catalog-initial-filter-editor.png', fullPage: true });
  await builder.getByRole('button', { name: 'Save initial filter' }).click();
  await expect(page.locator('.prefilter-hint')).toContainText('Tier is any of');
  // Put the demo's filter back for the other tests.
  const restored = await page.request.post('/api/set_page_filter', {
    form: { page: 'gold-services', filter: JSON.stringify({ combinator: 'and', rules: [{ property: 'tier', operator: '=', value: 'gold' }] }) },
  });
  expect(restored.status()).toBe(200);
});

test('an admin turns the current view into a page of its own', async ({ page }) => {
  const silver = encodeURIComponent(JSON.stringify({ combinator: 'and', rules: [{ property: 'tier', operator: '=', value: 'silver' }] }));
  await page.goto(`/catalog/services?filter=${silver}`);
  await openMenu(page, 'initial-filter-menu');
  await page.getByLabel("Or make a new page that always shows this view's rows").fill('Silver services');
  await page.getByRole('button', { name: 'Create page' }).click();
  await expect(page).toHaveURL(/\/catalog\/silver-services$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Silver services');
  await expect(page.locator('.sidebar').getByRole('link', { name: 'Silver services' })).toBeVisible();
  await expect(page.locator('.prefilter-hint')).toContainText('Tier is silver');
  for (const row of await page.locator('tbody tr').all()) await expect(row).toContainText('silver');
});
