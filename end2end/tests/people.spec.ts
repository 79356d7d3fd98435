import { test, expect } from '@playwright/test';
import { hydrated } from './hydrated';

// The users & teams tabs as an admin's tools (issue 27 item 4): invite
// with a moderator role and teams, filter, change someone's moderated
// blueprints and teams, delete with confirmation; rename and describe a
// team, follow what it owns into the catalog; and find those changes on
// the audit page. Everything made here is removed after.

const invitee = 'people-e2e@example.com';

test.afterAll(async ({ browser }) => {
  const context = await browser.newContext();
  await context.request.delete(`/v1/users/${invitee}`);
  await context.request.delete('/v1/teams/people-crew');
  await context.request.delete('/v1/teams/people-renamed');
  await context.close();
});

test('an admin invites a moderator into a team, filters, edits and deletes them', async ({ page }) => {
  const crew = await page.request.post('/v1/teams', { data: { name: 'people-crew' } });
  expect([200, 201, 409]).toContain(crew.status());
  await page.goto('/users-teams');
  await hydrated(page);
  const panel = page.getByRole('region', { name: 'Invite someone' });
  await panel.getByLabel('Invite by e-mail').fill(invitee);
  await panel.getByText('Moderates & teams…').click();
  await panel.getByLabel('Service', { exact: true }).check();
  await panel.getByLabel('people-crew', { exact: true }).check();
  await page.screenshot({ path: 'test-results/users-invite-roles.png', fullPage: true });
  await panel.getByRole('button', { name: 'Invite' }).click();
  await expect(panel.getByLabel('Invitation link')).toHaveValue(/\/invite\/[0-9a-f]{64}$/);
  const row = page.locator('tbody tr', { hasText: invitee });
  await expect(row).toContainText('service-moderator');
  await expect(row.locator('.chips')).toContainText('people-crew');

  // Filters: by team, by role, by status, by text; a plain GET form.
  const filters = page.getByRole('search', { name: 'Filter users' });
  await filters.getByLabel('Team').selectOption('people-crew');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/team=people-crew/);
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await expect(page.locator('.table-summary')).toHaveText(/^1 of \d+ people$/);
  await page.goto('/users-teams?role=Moderator&status=Invited');
  await expect(page.locator('tbody tr', { hasText: invitee })).toHaveCount(1);
  for (const text of await page.locator('tbody tr td:nth-child(3)').allTextContents()) {
    expect(text).toContain('-moderator');
  }
  await page.goto('/users-teams?q=nobody-matches-this');
  await expect(page.getByText('Nobody matches this filter.')).toBeVisible();
  await page.screenshot({ path: 'test-results/users-filter-empty.png', fullPage: true });

  // Moderates & teams: moderator of nothing, member of payments instead.
  await page.goto(`/users-teams?q=${encodeURIComponent(invitee)}`);
  await hydrated(page);
  const mine = page.locator('tbody tr', { hasText: invitee });
  await mine.getByText('Moderates & teams…').click();
  const editor = mine.getByRole('group', { name: `Moderated blueprints and teams of ${invitee}` });
  await expect(editor.getByLabel('Service', { exact: true })).toBeChecked();
  await page.screenshot({ path: 'test-results/users-edit-access.png', fullPage: true });
  await editor.getByLabel('Service', { exact: true }).uncheck();
  await editor.getByLabel('Environment', { exact: true }).check();
  await editor.getByLabel('people-crew', { exact: true }).uncheck();
  await editor.getByLabel('payments', { exact: true }).check();
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(mine.locator('td').nth(2)).toHaveText('Member, environment-moderator');
  await expect(mine.locator('.chips')).toHaveText('payments');

  // Deleting asks first.
  await mine.getByText('Delete…').click();
  const confirm = mine.getByRole('group', { name: `Delete the account of ${invitee}` });
  await expect(confirm).toContainText('Entities and history stay');
  await confirm.getByRole('button', { name: 'Delete account' }).click();
  await expect(page.locator('tbody tr', { hasText: invitee })).toHaveCount(0);

  // Each change is on the audit page, with what changed.
  await page.goto(`/audit-log?resources=user&entity=${encodeURIComponent(invitee)}`);
  const rows = page.locator('.audit-table > tbody > tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('Deleted');
  await expect(rows.nth(1)).toContainText('Updated');
  await expect(rows.nth(2)).toContainText('Created');
  await rows.nth(1).locator('summary').click();
  await expect(rows.nth(1).locator('.diff-table')).toContainText('moderatedBlueprints');
  await expect(rows.nth(1).locator('.diff-table')).toContainText('environment');
  await page.screenshot({ path: 'test-results/audit-user-changes.png', fullPage: true });
});

test('an admin renames and describes a team, and follows what a team owns into the catalog', async ({ page }) => {
  const crew = await page.request.post('/v1/teams', { data: { name: 'people-crew' } });
  expect([200, 201, 409]).toContain(crew.status());
  await page.goto('/users-teams?tab=teams');
  await hydrated(page);
  const row = page.locator('tbody tr', { hasText: 'people-crew' });
  await row.getByText('Edit…').click();
  const form = row.getByRole('group', { name: 'Edit the team people-crew' });
  await form.getByLabel('Name').fill('people-renamed');
  await form.getByLabel('Description').fill('Renamed in the browser');
  await page.screenshot({ path: 'test-results/teams-edit.png', fullPage: true });
  await form.getByRole('button', { name: 'Save team' }).click();
  const renamed = page.locator('tbody tr', { hasText: 'people-renamed' });
  await expect(renamed).toContainText('Renamed in the browser');
  await expect(page.locator('tbody tr', { hasText: 'people-crew' })).toHaveCount(0);

  // A taken name is refused in words, and nothing changes.
  await page.reload();
  await hydrated(page);
  await renamed.getByText('Edit…').click();
  const again = renamed.getByRole('group', { name: 'Edit the team people-renamed' });
  await again.getByLabel('Name').fill('payments');
  await again.getByRole('button', { name: 'Save team' }).click();
  await expect(page.getByRole('alert')).toContainText('`payments` is already taken');
  await expect(page.locator('tbody tr', { hasText: 'people-renamed' })).toHaveCount(1);

  // What payments owns, counted and linked to the catalog filtered by it.
  const payments = page.locator('tbody tr', { hasText: 'Payment processing' });
  const link = payments.getByRole('link', { name: /Services owned by payments/ });
  const label = await link.getAttribute('aria-label');
  const count = Number(label!.split(' ')[0]);
  expect(count).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/teams-owned.png', fullPage: true });
  await link.click();
  await expect(page).toHaveURL(/\/catalog\/services\?filter=/);
  await expect(page.locator('.entity-table tbody tr')).toHaveCount(Math.min(count, 50));
  for (const text of await page.locator('.entity-table tbody tr').allTextContents()) {
    expect(text).toContain('payments');
  }

  // The rename on the audit page, before and after.
  await page.goto('/audit-log?resources=team&entity=people-renamed');
  const rows = page.locator('.audit-table > tbody > tr');
  await rows.first().locator('summary').click();
  await expect(rows.first().locator('.diff-before').first()).toBeVisible();
  await expect(rows.first().locator('.diff-table')).toContainText('people-crew');
  await expect(rows.first().locator('.diff-table')).toContainText('people-renamed');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the users filter and a team edit are plain forms', async ({ page }) => {
    await page.goto('/users-teams');
    const filters = page.getByRole('search', { name: 'Filter users' });
    await filters.getByLabel('Role').selectOption('Admin');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/role=Admin/);
    await expect(filters.getByLabel('Role')).toHaveValue('Admin');
    const rows = page.locator('tbody tr');
    await expect(rows.first()).toContainText('Admin');
    for (const text of await page.locator('tbody tr td:nth-child(3)').allTextContents()) {
      expect(text).toContain('Admin');
    }
  });
});
