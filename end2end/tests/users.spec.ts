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
  await expect(invitee.getByRole('heading', { name: 'Welcome to Portolan' })).toBeVisible();
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
