import { test, expect, Page, Browser } from '@playwright/test';
import { hydrated } from './hydrated';
import { ADMIN_EMAIL, ADMIN_PASSWORD, OIDC_PORT, SSO_PORT, IDLE_PORT } from '../playwright.config';

const sso = `http://127.0.0.1:${SSO_PORT}`;
const idp = `http://127.0.0.1:${OIDC_PORT}`;
const idle = `http://127.0.0.1:${IDLE_PORT}`;

async function passwordSignIn(page: Page, password = ADMIN_PASSWORD) {
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/// From the portal's login page through the provider's login form.
async function ssoSignIn(page: Page, login: string, start = '/catalog/services') {
  await page.goto(`${sso}${start}`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp}/`));
  await page.locator('input[name="login"]').fill(login);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function teamsOf(page: Page, email: string) {
  await page.goto(`${sso}/users-teams`);
  const row = page.locator('tbody tr', { hasText: email });
  await expect(row).toHaveCount(1);
  return row.locator('.chips');
}

test.describe('password sign-in without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a wrong password is refused, the right one lands where the user was going', async ({ page }) => {
    await page.goto('/catalog/services?q=cart');
    await expect(page).toHaveURL(/\/login\?next=%2Fcatalog%2Fservices%3Fq%3Dcart$/);
    await page.screenshot({ path: 'test-results/login.png', fullPage: true });

    const refused = page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST');
    await passwordSignIn(page, 'not-the-password');
    expect((await refused).status()).toBe(401);
    await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password.');
    await expect(page.getByLabel('E-mail')).toHaveValue(ADMIN_EMAIL);
    await page.screenshot({ path: 'test-results/login-wrong-password.png', fullPage: true });

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/catalog\/services\?q=cart$/);
    await expect(page.locator('tbody tr')).toHaveCount(4);
    await expect(page.locator('.user-name')).toHaveText('Portal Admin');

    // Signing out is a plain form too; afterwards nothing opens.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('status')).toHaveText('You are signed out.');
    await page.goto('/builder');
    await expect(page).toHaveURL(/\/login\?next=%2Fbuilder$/);
  });
});

test.describe('sessions', () => {
  test('an idle session sends the browser to the login page and back', async ({ page }) => {
    // This instance ends sessions after 4 idle seconds.
    await page.goto(`${idle}/builder`);
    await passwordSignIn(page);
    await expect(page).toHaveURL(`${idle}/builder`);
    await hydrated(page);

    // A page load after the idle limit: the server says why.
    await page.waitForTimeout(5_000);
    await page.goto(`${idle}/dashboard/overview`);
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard%2Foverview&ended=idle$/);
    await expect(page.getByRole('status')).toContainText('period without activity');
    await passwordSignIn(page);
    await expect(page).toHaveURL(`${idle}/dashboard/overview`);
    await hydrated(page);

    // A click inside the running app after the limit: its server call gets
    // 401 and the app goes to the login page, then back.
    await page.waitForTimeout(5_000);
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Services', exact: true }).click();
    await expect(page).toHaveURL(/\/login\?next=%2Fcatalog%2Fservices&ended=session$/);
    await expect(page.getByRole('status')).toHaveText('Your session has ended. Sign in again.');
    await passwordSignIn(page);
    await expect(page).toHaveURL(`${idle}/catalog/services`);
  });
});

test.describe('single sign-on with OpenID Connect', () => {
  test.beforeEach(async ({ request }) => {
    expect((await request.post(`${idp}/__test/reset`)).ok()).toBeTruthy();
  });

  test('first login creates the user and their teams; the next login re-syncs the teams', async ({ page, browser, request }) => {
    // Group names the demo data does not use (a group named like a team
    // made in Portolan is left alone by design).
    const groups = (g: string[]) => request.post(`${idp}/__test/accounts/alice`, { data: { groups: g } });
    expect((await groups(['idp-platform', 'idp-payments'])).ok()).toBeTruthy();
    await ssoSignIn(page, 'alice');
    await expect(page).toHaveURL(`${sso}/catalog/services`);
    await expect(page.locator('.user-name')).toHaveText('Alice Anderson');
    await expect(page.locator('.user-role')).toHaveText('Member');
    const chips = await teamsOf(page, 'alice@example.com');
    await expect(chips).toContainText('idp-payments');
    await expect(chips).toContainText('idp-platform');
    await page.goto(`${sso}/users-teams?tab=teams`);
    await expect(page.locator('tbody tr', { hasText: 'idp-platform' })).toContainText('Synced from Test IdP');
    await page.screenshot({ path: 'test-results/sso-teams.png', fullPage: true });

    // The provider moves Alice to other groups; her next login follows.
    expect((await groups(['idp-platform', 'idp-security'])).ok()).toBeTruthy();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?signed_out=1$/);
    const fresh = await (browser as Browser).newContext();
    const again = await fresh.newPage();
    await ssoSignIn(again, 'alice', '/users-teams');
    await expect(again).toHaveURL(`${sso}/users-teams`);
    const row = again.locator('tbody tr', { hasText: 'alice@example.com' }).locator('.chips');
    await expect(row).toContainText('idp-security');
    await expect(row).toContainText('idp-platform');
    await expect(row).not.toContainText('idp-payments');
    await fresh.close();
  });

  test('a refusal by the provider is shown in plain words, with a way to try again', async ({ page }) => {
    await ssoSignIn(page, 'mallory');
    await expect(page).toHaveURL(/\/login\?error=access_denied/);
    await expect(page.getByRole('alert')).toHaveText(
      'Single sign-on failed: User is not assigned to the client application.',
    );
    await expect(page.getByRole('link', { name: 'Sign in with Test IdP' })).toBeVisible();
    await page.screenshot({ path: 'test-results/sso-access-denied.png', fullPage: true });
  });

  test('an unverified e-mail and a forged callback are refused', async ({ page }) => {
    await ssoSignIn(page, 'carol');
    await expect(page.getByRole('alert')).toContainText('has not verified the e-mail address carol@example.com');
    const forged = await page.goto(`${sso}/auth/oidc/callback?code=made-up&state=made-up`);
    expect(forged?.status()).toBe(400);
    await expect(page.getByRole('alert')).toContainText('was not started here');
  });

  test('a replayed authorization code is refused, in the same browser and in another', async ({ page, browser }) => {
    let callback = '';
    page.on('request', (r) => {
      if (r.url().startsWith(`${sso}/auth/oidc/callback`)) callback = r.url();
    });
    await ssoSignIn(page, 'dave');
    await expect(page.locator('.user-name')).toBeVisible();
    const code = new URL(callback).searchParams.get('code');
    expect(code).toBeTruthy();
    // The same browser: the sign-in that code belonged to is over.
    const again = await page.goto(callback);
    expect(again?.status()).toBe(400);
    // Another browser starts its own sign-in and slips the used code in: its
    // state matches, but the provider refuses the code (used, and not its PKCE).
    const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const other = await theirs.newPage();
    let state = '';
    other.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin === idp && url.searchParams.get('state')) state = url.searchParams.get('state')!;
    });
    await other.goto(`${sso}/auth/oidc/start`);
    await expect(other).toHaveURL(new RegExp(`^${idp}/`));
    expect(state).toBeTruthy();
    const replayed = await other.goto(`${sso}/auth/oidc/callback?code=${encodeURIComponent(code!)}&state=${encodeURIComponent(state)}`);
    expect(replayed?.status()).toBe(401);
    await expect(other.getByRole('alert')).toContainText('did not accept the authorization code');
    await theirs.close();
  });
});
