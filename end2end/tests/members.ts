import { expect, Browser, Page } from '@playwright/test';

// A member of the payments team, signed in through an invitation. The demo
// lets members edit the services their teams own, and shows the Clusters
// page only to the platform team (and admins).
export async function signInMember(page: Page, browser: Browser, email: string) {
  const invited = await page.request.post('/v1/users/invite', { data: { invitee: { email } } });
  expect(invited.status()).toBe(200);
  const link: string = (await invited.json()).invitation.link;
  const joined = await page.request.patch(`/v1/users/${email}`, { data: { teams: ['payments'] } });
  expect(joined.status()).toBe(200);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const member = await context.newPage();
  await member.goto(link.startsWith('http') ? new URL(link).pathname : link);
  await member.getByLabel('First name').fill('Mia');
  await member.getByLabel('Last name').fill('Payments');
  await member.getByLabel('Password (at least 10 characters)').fill('payments-member-1');
  await member.getByLabel('Repeat the password').fill('payments-member-1');
  await member.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(member.getByRole('heading', { level: 1, name: 'Home', exact: true })).toBeVisible();
  return { context, member };
}

