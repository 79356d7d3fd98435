import { test, expect } from '@playwright/test';

test('an admin invites someone, who sets a password through the link and is signed in', async ({ page, browser }) => {
  await page.goto('/users-teams');
  const panel = page.getByRole('region', { name: 'Invite someone' });
  await panel.getByLabel('Invite by e-mail').fill('grace@example.com');
  await panel.getByRole('button', { name: 'Invite' }).click();
  const link = panel.getByLabel('Invitation link');
  await expect(link).toHaveValue(/\/invite\/[0-9a-f]{64}$/);
  await expect(page.locator('tbody tr', { hasText: 'grace@example.com' })).toContainText('Invited');
  await page.screenshot({ path: 'test-results/users-invite.png', fullPage: true });
  const url = await link.inputValue();

  // The invitee, in their own browser.
  const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitee = await theirs.newPage();
  await invitee.goto(url);
  await expect(invitee.getByRole('status')).toContainText('grace@example.com');
  await invitee.getByLabel('First name').fill('Grace');
  await invitee.getByLabel('Last name').fill('Hopper');
  await invitee.getByLabel('Password (at least 10 characters)').fill('compilers-1952');
  await invitee.getByLabel('Repeat the password').fill('compilers-1952');
  await invitee.screenshot({ path: 'test-results/invitation.png', fullPage: true });
  await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(invitee.getByRole('heading', { level: 1, name: 'Home', exact: true })).toBeVisible();
  await expect(invitee.locator('.user-name')).toHaveText('Grace Hopper');
  // A member sees no invitation form.
  await invitee.goto('/users-teams');
  await expect(invitee.locator('tbody tr', { hasText: 'grace@example.com' })).toContainText('Active');
  await expect(invitee.getByRole('region', { name: 'Invite someone' })).toHaveCount(0);
  // The link was single-use.
  const reused = await invitee.goto(url);
  expect(reused?.status()).toBe(404);
  await theirs.close();
});

test('an admin creates a team, adds and removes a member, and deletes it after confirming', async ({ page }) => {
  await page.goto('/users-teams?tab=teams');
  const form = page.getByRole('region', { name: 'Create a team' });
  await form.getByLabel('New team').fill('release-crew');
  await form.getByLabel('Description').fill('Ships the release train');
  await form.getByRole('button', { name: 'Create team' }).click();
  const row = page.locator('tbody tr', { hasText: 'release-crew' });
  await expect(row).toContainText('Ships the release train');
  await expect(row).toContainText('Created in Portolan');

  await row.getByLabel('Add a member to release-crew').selectOption('admin@portolan.test');
  await row.getByRole('button', { name: 'Add' }).click();
  await expect(row.locator('.member-chip')).toHaveText(['admin@portolan.test×']);
  await page.screenshot({ path: 'test-results/teams-admin.png', fullPage: true });
  await row.getByRole('button', { name: 'Remove admin@portolan.test from release-crew' }).click();
  await expect(row.locator('.member-chip')).toHaveCount(0);

  // Deleting asks first; a team that owns entities says so instead.
  await row.locator('summary', { hasText: 'Delete' }).click();
  const confirm = row.getByRole('group', { name: 'Delete the team release-crew' });
  await expect(confirm).toContainText('Delete release-crew?');
  await confirm.getByRole('button', { name: 'Delete team' }).click();
  await expect(page.locator('tbody tr', { hasText: 'release-crew' })).toHaveCount(0);
  const payments = page.locator('tbody tr', { hasText: 'Payment processing' });
  await payments.locator('summary', { hasText: 'Delete' }).click();
  await payments.getByRole('button', { name: 'Delete team' }).click();
  await expect(page.getByRole('alert')).toContainText('owns');
  await expect(payments).toBeVisible();
});

test('a person makes API credentials, sees the secret once, and uses them', async ({ page, request }) => {
  await page.goto('/credentials');
  await expect(page.getByRole('heading', { name: 'API credentials' })).toBeVisible();
  const mine = page.getByRole('region', { name: 'Your credentials' });
  await mine.getByRole('button', { name: /Create credentials|Rotate secret/ }).click();
  const secret = mine.getByLabel('Client secret');
  await expect(secret).toHaveValue(/^[0-9a-f]{64}$/);
  const clientId = await mine.getByLabel('Client id').inputValue();
  const clientSecret = await secret.inputValue();
  await page.screenshot({ path: 'test-results/credentials.png', fullPage: true });

  const token = await request.post('/v1/auth/access_token', { data: { clientId, clientSecret } });
  expect(token.status()).toBe(200);
  const { accessToken } = await token.json();
  const users = await request.get('/v1/users', { headers: { Authorization: `Bearer ${accessToken}` } });
  expect(users.status()).toBe(200);

  // After a reload the secret is gone; revoking ends the token.
  await page.reload();
  await expect(mine.getByLabel('Client secret')).toHaveCount(0);
  await expect(mine).toContainText(clientId);
  await mine.getByRole('button', { name: 'Revoke' }).click();
  await expect(mine.getByRole('button', { name: 'Create credentials' })).toBeVisible();
  const after = await request.get('/v1/users', { headers: { Authorization: `Bearer ${accessToken}` } });
  expect(after.status()).toBe(401);
});

test('changing a role asks first and says what changes, with and without JavaScript', async ({ page, browser }) => {
  const email = 'role-change@example.com';
  const invited = await page.request.post('/v1/users/invite', { data: { invitee: { email, roles: ['Member'] } } });
  expect([200, 201, 409]).toContain(invited.status());
  await page.goto('/users-teams');
  const row = page.locator('tbody tr', { hasText: email });
  await expect(row).toContainText('Member');
  await row.getByText('Make Admin…').click();
  const confirm = row.getByRole('group', { name: `Change the role of ${email}` });
  await expect(confirm).toContainText('They may then change the data model, permissions, pages and people');
  await page.screenshot({ path: 'test-results/users-role-confirm.png' });
  await confirm.getByRole('button', { name: 'Make Admin' }).click();
  await expect(row.locator('td').nth(2)).toHaveText('Admin');

  // The same form works as a plain post before (and without) JavaScript.
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const nojs = await context.newPage();
  await nojs.goto('/users-teams');
  const plain = nojs.locator('tbody tr', { hasText: email });
  await plain.getByText('Make Member…').click();
  await plain.getByRole('button', { name: 'Make Member' }).click();
  await expect(nojs).toHaveURL(/\/users-teams$/);
  await expect(nojs.locator('tbody tr', { hasText: email }).locator('td').nth(2)).toHaveText('Member');
  await context.close();
});
