import { test, expect, Page } from '@playwright/test';
import { hydrated } from './hydrated';
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

test('grouping by owning team: one group per team list, each with its whole size, collapsible', async ({ page }) => {
  // A service of two teams (written in the other order) and one of none.
  const made = [
    { identifier: 'e2e-grouped-two', title: 'E2E grouped two teams', team: ['platform', 'payments'] },
    { identifier: 'e2e-grouped-none', title: 'E2E grouped no team', team: [] },
  ];
  for (const e of made) {
    await page.request.delete(`/v1/blueprints/service/entities/${e.identifier}`); // left over, if any
    const created = await page.request.post('/v1/blueprints/service/entities', {
      data: { ...e, properties: { tier: 'bronze', lifecycle: 'production' } },
    });
    expect([200, 201]).toContain(created.status());
  }
  try {
    await page.goto('/catalog/services');
    await hydrated(page);
    await openMenu(page, 'group-menu');
    await page.getByRole('group', { name: 'Group by' }).getByRole('link', { name: 'Owning teams' }).click();
    await expect(page).toHaveURL(/group=(%24|\$)team/);
    await expect(page.locator('summary', { hasText: 'Grouped by Owning teams' })).toBeVisible();

    // Each group header gives the size of the whole group, over every page:
    // the first group's size is the number of services of exactly that team.
    const toggles = page.locator('tr.group-row button.group-toggle');
    const first = toggles.first();
    await expect(first).toContainText('Owning teams:');
    const label = (await first.innerText()).replace(/\s+/g, ' ');
    const [, team, size] = label.match(/Owning teams: (.+?) (\d+) entit/)!;
    const res = await page.request.post('/v1/blueprints/service/entities/search', {
      data: { query: { combinator: 'and', rules: [{ property: '$team', operator: 'containsAny', value: [team] }] }, limit: 1000 },
    });
    const owned = (await res.json()).entities.filter((e: { team: string[] }) => e.team.length === 1);
    expect(Number(size)).toBe(owned.length);

    // Two teams make one group of their own, in whichever order written;
    // no team comes last.
    await page.getByRole('searchbox').fill('e2e-grouped');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(/q=e2e-grouped/);
    await expect(toggles).toHaveCount(2);
    await expect(toggles.nth(0)).toContainText('Owning teams: payments, platform 1 entity');
    await expect(toggles.nth(1)).toContainText('Owning teams: No team 1 entity');

    // Collapsing a group takes its rows away; the arrow keys then skip it.
    await page.goto('/catalog/services?group=$team');
    await hydrated(page);
    const groups = page.locator('tbody.group');
    expect(await groups.count()).toBeGreaterThanOrEqual(3);
    const second = groups.nth(1);
    const secondRows = await second.locator('a.entity-link').count();
    expect(secondRows).toBeGreaterThan(0);
    const links = page.locator('a.entity-link');
    const before = await links.count();
    const toggle = second.getByRole('button');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(links).toHaveCount(before - secondRows);
    await expect(second.locator('tr:not(.group-row)')).toHaveCount(0);
    await groups.nth(0).locator('a.entity-link').last().focus();
    await page.keyboard.press('ArrowDown');
    await expect(groups.nth(2).locator('a.entity-link').first()).toBeFocused();
    // The keyboard opens it again (a real button: Enter and Space).
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(links).toHaveCount(before);
    await expect(second.locator('a.entity-link')).toHaveCount(secondRows);
    await groups.nth(0).getByRole('button').click();
    await groups.nth(1).getByRole('button').click();
    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: 'test-results/catalog-grouped-by-team.png' });
  } finally {
    for (const e of made) await page.request.delete(`/v1/blueprints/service/entities/${e.identifier}`);
  }
});

test('groups collapse before the bundle has loaded', async ({ page }) => {
  // The browser bundle never arrives: the page stays as the server sent it.
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto('/catalog/services?group=tier');
  const group = page.locator('tbody.group').first();
  const toggle = group.getByRole('button');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(group.locator('a.entity-link')).toHaveCount(0);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  expect(await group.locator('a.entity-link').count()).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as any).__portolanHydrated)).toBeFalsy();
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
