import { test, expect } from '@playwright/test';
import { hydrated } from './hydrated';

test.describe('server-side rendering', () => {
  test.use({ javaScriptEnabled: false });

  test('home page renders without JavaScript', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Home', exact: true })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Portal' });
    await expect(nav.getByRole('link', { name: 'Services', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Engineering overview' })).toBeVisible();
    await expect(page.locator('section.widget[data-widget="services-by-tier"] svg.chart-pie')).toBeVisible();
  });

  test('catalog page reads, sorts, searches and pages without JavaScript', async ({ page }) => {
    // Other tests of the suite add services to the same portal: count first.
    const counted = await page.request.get('/v1/blueprints/service/entities-count');
    const total: number = (await counted.json()).count;
    expect(total).toBeGreaterThan(50);
    await page.goto('/catalog/services');
    await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
    await expect(page.locator('.result-count')).toHaveText(`Showing 1–50 of ${total}`);
    await expect(page.locator('tbody tr')).toHaveCount(50);

    await page.getByRole('link', { name: 'Next →' }).click();
    await expect(page.locator('.result-count')).toHaveText(`Showing 51–${Math.min(total, 100)} of ${total}`);

    await page.getByRole('searchbox').fill('cart');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(/q=cart/);
    await expect(page.locator('tbody tr')).toHaveCount(4);
  });

  test('unknown pages answer 404 with a real page', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to the home page' })).toBeVisible();
  });
});

test.describe('hydration', () => {
  test('sidebar toggle works once hydrated', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    const layout = page.locator('.layout');
    await expect(layout).not.toHaveClass(/collapsed/);
    await page.getByRole('button', { name: 'Collapse sidebar' }).click();
    await expect(layout).toHaveClass(/collapsed/);
    await page.getByRole('button', { name: 'Expand sidebar' }).click();
    await expect(layout).not.toHaveClass(/collapsed/);
  });

  test('navigation and sorting happen in the browser after hydration', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    // A marker on window survives client-side navigation, not a page load.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Deployments' }).click();
    await expect(page.getByRole('heading', { name: 'Deployments', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'Identifier' }).click();
    await expect(page).toHaveURL(/sort=%24identifier|sort=\$identifier/);
    // The header's sort state comes with the new rows: wait for it, not just the URL.
    await expect(page.locator('th[aria-sort="ascending"]')).toHaveText(/Identifier/);
    const ids = await page.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(ids.length).toBe(50);
    expect([...ids].sort()).toEqual(ids);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  });

  test('the sidebar draws Port icon names as icons, each on its own tint', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    const nav = page.getByRole('navigation', { name: 'Portal' });
    for (const name of ['Home', 'Services', 'Deployments', 'Clusters', 'Users & teams', 'Builder']) {
      const link = nav.getByRole('link', { name, exact: true });
      await expect(link.locator('.icon svg path')).toHaveCount(1);
    }
    // Tints differ by name (Services is a Microservice, Clusters a Cluster).
    const tint = (name: string) =>
      nav.getByRole('link', { name, exact: true }).locator('.icon').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await tint('Services')).not.toBe(await tint('Clusters'));
    await page.locator('.sidebar').screenshot({ path: 'test-results/sidebar-icons.png' });
  });

  test('pages log no console errors', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    page.on('pageerror', (err) => errors.push(err.message));
    for (const path of ['/', '/catalog/services', '/entity/service/cart-api', '/dashboard/overview', '/users-teams', '/users-teams?tab=teams', '/builder']) {
      await page.goto(path);
      await hydrated(page);
    }
    expect(errors).toEqual([]);
  });

  test('screenshots of every page', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    for (const [name, path] of [
      ['home', '/'], ['catalog', '/catalog/services'], ['entity', '/entity/service/cart-api'],
      ['dashboard', '/dashboard/overview'], ['users', '/users-teams'], ['teams', '/users-teams?tab=teams'],
      ['builder', '/builder'], ['not-found', '/nowhere'], ['empty-search', '/catalog/services?q=zzzz'],
    ]) {
      await page.goto(path);
      await hydrated(page);
      await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false });
    }
  });
});

test.describe('dates', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('are shown in the viewer time zone, also in views rendered after hydration', async ({ page }) => {
    await page.goto('/catalog/services');
    const first = page.locator('tbody time').first();
    await expect(first).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d GMT[−-][45]$/);
    await expect(first).toHaveAttribute('title', /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await hydrated(page);
    await page.getByRole('link', { name: 'Last update' }).click();
    await expect(page).toHaveURL(/sort=\$updatedAt/);
    await expect(page.locator('tbody time').first()).toHaveText(/GMT[−-][45]$/);
    await page.screenshot({ path: 'test-results/catalog-local-time.png', fullPage: true });
  });
});
