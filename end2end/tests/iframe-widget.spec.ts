import { test, expect, Page } from '@playwright/test';
import { hydrated } from './hydrated';
import { OIDC_PORT } from '../playwright.config';

// Dashboards' iframe widgets (public/iframe-widget.js): a protected one signs
// in to the test provider with PKCE in a pop-up (the public client
// `portolan-widget`) and frames its /framed page, which shows who the access
// token belongs to; a public one that refuses to be framed is explained.
const idp = `http://127.0.0.1:${OIDC_PORT}`;
const host = `127.0.0.1:${OIDC_PORT}`;
const DASHBOARD = 'widgets-iframe';

const dashboard = {
  identifier: DASHBOARD,
  title: 'Iframes',
  type: 'dashboard',
  widgets: [
    {
      id: 'w-protected',
      type: 'iframe-widget',
      title: 'Protected',
      url: `${idp}/framed`,
      urlType: 'protected',
      authorizationUrl: `${idp}/auth`,
      tokenUrl: `${idp}/token`,
      clientId: 'portolan-widget',
      scopes: ['openid', 'email'],
    },
    {
      id: 'w-refused',
      type: 'iframe-widget',
      title: 'Refused',
      url: `${idp}/framed-refused`,
      urlType: 'public',
    },
  ],
  layout: [{ height: 400, columns: [{ id: 'w-protected', size: 6 }, { id: 'w-refused', size: 6 }] }],
};

// The detection of framing refusals needs the portal's CSP to name the
// widget origins in object-src as well as frame-src (see iframe-widget.js).
test.beforeAll(async ({ browser }) => {
  // Created through the REST API with the admin's session (the project's
  // storage state; a request without Origin or Sec-Fetch-Site passes the
  // same-origin check, like the other specs' API calls).
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.request.delete(`/v1/pages/${DASHBOARD}`); // left over from an earlier run, if any
  const created = await page.request.post('/v1/pages', { data: dashboard });
  expect(created.status(), await created.text()).toBe(201);
  await context.close();
});

async function openDashboard(page: Page) {
  await page.goto(`/dashboard/${DASHBOARD}`);
  await hydrated(page);
  return {
    protectedWidget: page.locator('.iframe-widget[data-widget="w-protected"]'),
    refusedWidget: page.locator('.iframe-widget[data-widget="w-refused"]'),
  };
}

test('a protected iframe widget signs in with PKCE in a pop-up and frames the page with the token', async ({ page }) => {
  const { protectedWidget } = await openDashboard(page);
  const status = protectedWidget.getByRole('status');
  await expect(status).toContainText(`This widget needs you to sign in to ${host}.`);

  const popupOpened = page.waitForEvent('popup');
  await protectedWidget.getByRole('button', { name: 'Sign in' }).click();
  const popup = await popupOpened;
  await expect(popup).toHaveURL(new RegExp(`^${idp}/interaction/`));
  await popup.getByLabel('Login').fill('alice');
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await closed; // the callback page hands the code over and closes itself

  const framed = protectedWidget.frameLocator('iframe');
  await expect(framed.locator('#framed-user')).toHaveText('alice@example.com');
  await expect(status).toBeHidden();
  // The token is kept for this browser session only.
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem('portolan.iframe-token.w-protected'),
    local: Object.keys(localStorage).filter((k) => k.startsWith('portolan.iframe')),
  }));
  expect(stored.session).toContain('"token"');
  expect(stored.local).toEqual([]);
  await page.screenshot({ path: 'test-results/iframe-widget-signed-in.png', fullPage: true });

  // A reload frames the page again with the stored token: no second sign-in.
  let popups = 0;
  page.on('popup', () => { popups += 1; });
  await page.reload();
  await hydrated(page);
  await expect(protectedWidget.frameLocator('iframe').locator('#framed-user')).toHaveText('alice@example.com');
  await expect(protectedWidget.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  expect(popups).toBe(0);
});

test('closing the sign-in pop-up cancels; Retry starts again', async ({ page }) => {
  // A fresh context (the admin's cookies, an empty sessionStorage): no token yet.
  const { protectedWidget } = await openDashboard(page);
  const popupOpened = page.waitForEvent('popup');
  await protectedWidget.getByRole('button', { name: 'Sign in' }).click();
  const popup = await popupOpened;
  await expect(popup.getByLabel('Login')).toBeVisible();
  await popup.close();

  await expect(protectedWidget.getByRole('status')).toContainText('Sign-in was cancelled.');
  const retry = protectedWidget.getByRole('button', { name: 'Retry' });
  await expect(retry).toBeVisible();
  await page.screenshot({ path: 'test-results/iframe-widget-cancelled.png', fullPage: true });

  // Retry opens the pop-up again; an account the provider refuses is reported.
  const again = page.waitForEvent('popup');
  await retry.click();
  const second = await again;
  await second.getByLabel('Login').fill('mallory');
  await second.getByRole('button', { name: 'Sign in' }).click();
  await expect(protectedWidget.getByRole('status'))
    .toContainText('Sign-in failed: User is not assigned to the client application.');
  await expect(protectedWidget.getByRole('button', { name: 'Retry' })).toBeVisible();
});

test('a page that refuses to be framed is explained, with a link to open it', async ({ page }) => {
  const { refusedWidget } = await openDashboard(page);
  const status = refusedWidget.getByRole('status');
  await expect(status).toContainText(`${host} refuses to be shown inside another site`);
  await expect(status).toContainText('frame-ancestors');
  const link = status.getByRole('link');
  await expect(link).toHaveAttribute('href', `${idp}/framed-refused`);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(refusedWidget.locator('iframe')).toBeHidden();
  await page.screenshot({ path: 'test-results/iframe-widget-refused.png', fullPage: true });
});

test('an iframe widget with a javascript: URL is refused with 422 naming the widget and its url', async ({ page }) => {
  const res = await page.request.post('/v1/pages', {
    data: {
      identifier: 'widgets-iframe-bad',
      title: 'Bad iframe',
      type: 'dashboard',
      widgets: [{ id: 'w-script', type: 'iframe-widget', title: 'Script', url: 'javascript:alert(1)', urlType: 'public' }],
      layout: [{ height: 400, columns: [{ id: 'w-script', size: 12 }] }],
    },
  });
  expect(res.status()).toBe(422);
  const body = await res.text();
  expect(body).toContain('w-script');
  expect(body).toContain('url');
});
