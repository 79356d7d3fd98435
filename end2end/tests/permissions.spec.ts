import { test, expect, Page } from '@playwright/test';
import { signInMember } from './members';

/// The identifiers of services owned, and not owned, by payments.
async function services(page: Page) {
  const res = await page.request.post('/v1/blueprints/service/entities/search', {
    data: { query: { combinator: 'and', rules: [] }, limit: 1000 },
  });
  const entities: { identifier: string; team: string[] }[] = (await res.json()).entities;
  const owned = entities.filter((e) => e.team.includes('payments')).map((e) => e.identifier);
  const others = entities.filter((e) => !e.team.includes('payments')).map((e) => e.identifier);
  return { owned, others };
}

test('a member sees only the pages and edit buttons the policy allows, and a forged call is refused', async ({ page, browser }) => {
  const { context, member } = await signInMember(page, browser, 'mia@example.com');
  const sidebar = member.locator('.sidebar');
  await expect(sidebar.getByRole('link', { name: 'Services', exact: true })).toBeVisible();
  await expect(sidebar.getByRole('link', { name: 'Clusters' })).toHaveCount(0);
  await member.screenshot({ path: 'test-results/member-home.png', fullPage: true });
  const hidden = await member.goto('/catalog/clusters');
  expect(hidden?.status()).toBe(403);
  await expect(member.getByRole('alert')).toContainText('ask an admin for access');
  await member.screenshot({ path: 'test-results/member-hidden-page.png', fullPage: true });
  // The admin still sees it.
  await page.goto('/');
  await expect(page.locator('.sidebar').getByRole('link', { name: 'Clusters' })).toBeVisible();

  const { owned, others } = await services(page);
  expect(owned.length).toBeGreaterThan(0);
  expect(others.length).toBeGreaterThan(0);
  await member.goto(`/entity/service/${owned[0]}`);
  await expect(member.getByRole('link', { name: 'Edit' })).toBeVisible();
  await expect(member.getByText('Delete…')).toHaveCount(0);
  await member.goto(`/entity/service/${others[0]}`);
  await expect(member.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(member.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await member.screenshot({ path: 'test-results/member-not-owner.png', fullPage: true });

  // The same edit forged outside the UI, straight to the server function.
  const forged = await member.request.post('/api/save_entity', {
    form: { blueprint: 'service', identifier: others[others.length - 1], version: '1', 'properties[tier]': 'bronze' },
  });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).message).toContain('you may not');

  // My teams: only the services of the member's team, and the link keeps it.
  await member.goto('/catalog/services');
  await member.getByRole('button', { name: 'My teams' }).click();
  await expect(member).toHaveURL(/mine=1/);
  await expect(member.getByRole('button', { name: 'My teams' })).toHaveAttribute('aria-pressed', 'true');
  const rows = member.locator('tbody tr');
  await expect(rows).toHaveCount(owned.length);
  for (let i = 0; i < owned.length; i++) await expect(rows.nth(i)).toContainText('payments');
  await member.screenshot({ path: 'test-results/catalog-my-teams.png', fullPage: true });
  await context.close();
});

test('editing an entity: a field error next to its field, a save in the page and its history, and a conflict', async ({ page, browser }) => {
  const { context, member } = await signInMember(page, browser, 'noah@example.com');
  const { owned } = await services(page);
  const id = owned[1] ?? owned[0];
  await member.goto(`/entity/service/${id}`);
  await member.getByRole('link', { name: 'Edit' }).click();
  await expect(member).toHaveURL(new RegExp(`/entity/service/${id}\\?edit`));
  const form = member.getByRole('region', { name: /^Edit / });
  await form.getByLabel('On call').fill('not an e-mail');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.locator('#field-onCall-error')).toContainText('e-mail');
  await expect(form.getByLabel('On call')).toHaveAttribute('aria-invalid', 'true');
  await member.screenshot({ path: 'test-results/entity-form-error.png', fullPage: true });

  await form.getByLabel('On call').fill('mia@example.com');
  await form.getByLabel('Monthly cost (USD)').fill('4321');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(member).toHaveURL(new RegExp(`/entity/service/${id}$`));
  const details = member.locator('section.panel').filter({ has: member.getByRole('heading', { name: 'Properties' }) });
  await expect(details).toContainText('mia@example.com');
  await expect(details).toContainText('4321');
  const history = member.getByRole('region', { name: 'History' });
  await expect(history.locator('tbody tr').first()).toContainText('noah@example.com');
  await expect(history.locator('tbody tr').first()).toContainText('monthlyCost');
  await member.screenshot({ path: 'test-results/entity-saved.png', fullPage: true });
  // The catalog table shows the new value too.
  await member.goto(`/catalog/services?q=${id}`);
  await expect(member.locator('tbody tr', { hasText: id }).first()).toContainText('mia@example.com');

  // Someone else saves while the form is open: told so, nothing overwritten.
  await member.goto(`/entity/service/${id}?edit`);
  const again = member.getByRole('region', { name: /^Edit / });
  await again.getByLabel('Monthly cost (USD)').fill('1');
  const theirs = await page.request.patch(`/v1/blueprints/service/entities/${id}`, {
    data: { properties: { monthlyCost: 999 } },
  });
  expect(theirs.status()).toBe(200);
  await again.getByRole('button', { name: 'Save' }).click();
  await expect(member.getByRole('alert').first()).toContainText('Someone else saved this entity first');
  await member.screenshot({ path: 'test-results/entity-conflict.png', fullPage: true });
  await member.getByRole('link', { name: 'Reload the latest version' }).click();
  await expect(member.getByRole('region', { name: /^Edit / }).getByLabel('Monthly cost (USD)')).toHaveValue('999');
  await context.close();
});

test('an admin deletes an entity after confirming and lands on its catalog page', async ({ page }) => {
  const res = await page.request.post('/v1/blueprints/deployment/entities/search', {
    data: { query: { combinator: 'and', rules: [] }, limit: 1 },
  });
  const victim: string = (await res.json()).entities[0].identifier;
  await page.goto(`/entity/deployment/${victim}`);
  await page.getByText('Delete…').click();
  const confirm = page.getByRole('group', { name: 'Confirm deletion' });
  await expect(confirm).toContainText('This cannot be undone');
  await page.screenshot({ path: 'test-results/entity-delete-confirm.png', fullPage: true });
  await confirm.getByRole('button', { name: 'Delete for good' }).click();
  await expect(page).toHaveURL(/\/catalog\/deployments$/);
  const gone = await page.request.get(`/v1/blueprints/deployment/entities/${victim}`);
  expect(gone.status()).toBe(404);
});
