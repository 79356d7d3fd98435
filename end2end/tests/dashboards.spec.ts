import { test, expect, Page, Locator } from '@playwright/test';
import * as path from 'path';
import { hydrated } from './hydrated';
import { signInMember } from './members';
import { OIDC_PORT } from '../playwright.config';

// Dashboards: an admin builds one with a widget of every kind in the editor
// (each previewed by the server as it is configured), arranges it, saves it
// and finds it as saved, in the page and through the API in Port's shape;
// members see them for themselves and may not change them.
const DASHBOARD = 'e2e-widgets';
const FRAMED = `http://127.0.0.1:${OIDC_PORT}/framed`;
const ADMIN_STATE = path.join(__dirname, '..', '.tmp', 'admin.json');

test.describe.configure({ mode: 'serial' });

/// The rows of the dashboard shown (read-only or in the editor): each
/// row's widgets, left to right, as [id, width in columns].
async function layoutOf(page: Page): Promise<[string, number][][]> {
  return page.locator('.dashboard-grid .dashboard-row').evaluateAll((rows) =>
    rows.map((row) =>
      Array.from(row.querySelectorAll(':scope > .dashboard-cell')).map((cell) => [
        cell.querySelector('section.widget')?.getAttribute('data-widget') ?? '',
        Number((cell as HTMLElement).style.getPropertyValue('--span').trim()),
      ] as [string, number]),
    ),
  );
}

/// Makes a change in the widget form and waits for the server's preview
/// of it (every change is previewed, one after the other).
async function previewed(page: Page, change: () => Promise<unknown>) {
  const answered = page.waitForResponse((r) => r.url().includes('/api/preview_widget'));
  await change();
  await answered;
}

/// Sets one key of the widget form: a select is chosen, a text committed
/// (inputs commit on `change`, so the focus leaves them).
async function setKey(page: Page, form: Locator, key: string, value: string) {
  const input = form.locator(`#widget-key-${key}`);
  const tag = await input.evaluate((el) => el.tagName);
  await previewed(page, async () => {
    if (tag === 'SELECT') {
      await input.selectOption(value);
    } else {
      await input.fill(value);
      await input.press('Tab');
    }
  });
}

type WidgetSpec = {
  type: string;
  title: string;
  keys: [string, string][];
  /// What the widget draws (in the preview and on the saved dashboard).
  draws: string;
  screenshot?: string;
};

/// The services of the demo, owned and not owned by the payments team
/// (the members signed in by `signInMember` are in it).
async function services(page: Page) {
  const res = await page.request.post('/v1/blueprints/service/entities/search', {
    data: { query: { combinator: 'and', rules: [] }, limit: 1000 },
  });
  expect(res.status()).toBe(200);
  const entities: { identifier: string; team: string[] }[] = (await res.json()).entities;
  const owned = entities.filter((e) => e.team.includes('payments')).map((e) => e.identifier);
  const others = entities.filter((e) => !e.team.includes('payments')).map((e) => e.identifier);
  return { owned, others };
}

/// The entities a dashboard's table widget links to, in order.
async function tableEntities(page: Page, widget: string) {
  const links = page.locator(`section.widget[data-widget="${widget}"] tbody tr td:first-child a`);
  return (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '')))
    .map((href) => decodeURIComponent(href.split('/').pop() ?? ''));
}

/// Filled in by the first test: the widgets' ids by title, and the layout saved.
const ids: Record<string, string> = {};
let savedLayout: [string, number][][] = [];

test('an admin builds a dashboard with every widget kind, arranges it, and finds it as saved', async ({ page }) => {
  test.setTimeout(120_000);
  await page.request.delete(`/v1/pages/${DASHBOARD}`); // left over from an earlier run, if any
  const listed = await page.request.get('/v1/blueprints/service/entities');
  expect(listed.status()).toBe(200);
  const entity: { identifier: string; title?: string } = (await listed.json()).entities[0];

  // A new, empty dashboard from the sidebar.
  await page.goto('/');
  await hydrated(page);
  await page.locator('.sidebar').getByText('+ New dashboard').click();
  await page.locator('#new-dashboard-title').fill('E2E widgets');
  await page.locator('#new-dashboard-icon').fill('Dashboard');
  await page.locator('#new-dashboard-description').fill('One widget of every kind');
  // A folder that does not exist yet is made (found again by its title on a re-run).
  await page.locator('#new-dashboard-folder').fill('E2E folder');
  await page.getByRole('button', { name: 'Create dashboard' }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${DASHBOARD}$`));
  await expect(page.getByRole('heading', { name: 'This dashboard has no widgets yet' })).toBeVisible();
  const folder = page.locator('.sidebar .nav-folder').filter({ hasText: 'E2E folder' });
  await expect(folder.getByRole('link', { name: 'E2E widgets' })).toBeVisible();
  // The demo's overview sits in its own folder.
  await expect(page.locator('.sidebar .nav-folder').filter({ hasText: 'Insights' }).getByRole('link', { name: 'Engineering overview' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Edit dashboard' }).click();
  await expect(page.getByText('Editing dashboard')).toBeVisible();

  const widgets: WidgetSpec[] = [
    { type: 'entities-number-chart', title: 'E2E number', keys: [['blueprint', 'service']], draws: '.widget-number' },
    {
      type: 'entities-pie-chart', title: 'E2E pie', keys: [['blueprint', 'service'], ['property', 'tier']],
      draws: 'svg.chart-pie path', screenshot: 'test-results/dashboard-editor-widget-form.png',
    },
    { type: 'entities-bar-chart', title: 'E2E bar', keys: [['blueprint', 'deployment'], ['property', 'status']], draws: 'svg.chart-bar' },
    {
      type: 'line-chart', title: 'E2E line',
      keys: [['blueprint', 'deployment'], ['measureTimeBy', 'deployedAt'], ['timeInterval', 'week'], ['timeRange', '63']],
      draws: 'svg.chart-line-chart',
    },
    { type: 'table-entities-explorer', title: 'E2E table', keys: [['blueprint', 'service']], draws: 'table' },
    { type: 'markdown', title: 'E2E markdown', keys: [['markdown', 'Roll back **first**, understand second.']], draws: '.markdown strong' },
    { type: 'entity-info', title: 'E2E entity', keys: [['blueprint', 'service'], ['entity', entity.identifier]], draws: '.entity-card-title' },
    { type: 'links', title: 'E2E links', keys: [['links', '[{"title":"Services","url":"/catalog/services"}]']], draws: '.widget-links-list a' },
    { type: 'iframe-widget', title: 'E2E iframe', keys: [['urlType', 'public'], ['url', FRAMED]], draws: '.iframe-widget iframe' },
  ];

  const form = page.locator('section.widget-form');
  const grid = page.locator('.dashboard-grid.editing');
  for (const [n, w] of widgets.entries()) {
    await previewed(page, () => page.getByRole('button', { name: 'Add widget' }).click());
    await expect(form).toBeVisible();
    // The form starts as a number chart.
    if (w.type !== 'entities-number-chart') {
      const typeSelect = form.locator('label.field').filter({ hasText: /^Type/ }).locator('select');
      await previewed(page, () => typeSelect.selectOption(w.type));
    }
    for (const [key, value] of w.keys) await setKey(page, form, key, value);
    // The title last: a preview showing it was computed with every key above.
    await setKey(page, form, 'title', w.title);
    const preview = form.locator('.widget-preview');
    await expect(preview.locator('.widget-title')).toHaveText(w.title);
    await expect(preview.locator('.field-error')).toHaveCount(0);
    await expect(preview.locator(w.draws).first()).toBeAttached();
    if (w.type === 'entity-info') await expect(preview.locator('.entity-card-title')).toContainText(entity.title || entity.identifier);
    if (w.screenshot) await page.screenshot({ path: w.screenshot, fullPage: true });
    const add = form.getByRole('button', { name: 'Add to dashboard' });
    await expect(add).toBeEnabled();
    await add.click();
    await expect(form).toHaveCount(0);
    await expect(grid.locator('section.widget')).toHaveCount(n + 1);
    const card = grid.locator('section.widget').filter({ has: page.getByRole('heading', { name: w.title, exact: true }) });
    const widgetId = await card.getAttribute('data-widget');
    expect(widgetId).toBeTruthy();
    ids[w.title] = widgetId!;
  }
  expect(new Set(Object.values(ids)).size).toBe(widgets.length);

  // New widgets take half a row each: two a row, the ninth alone.
  const id = (title: string) => ids[`E2E ${title}`];
  expect(await layoutOf(page)).toEqual([
    [[id('number'), 6], [id('pie'), 6]],
    [[id('bar'), 6], [id('line'), 6]],
    [[id('table'), 6], [id('markdown'), 6]],
    [[id('entity'), 6], [id('links'), 6]],
    [[id('iframe'), 6]],
  ]);
  // One wider; one down a row (the next row is full, so it gets a row of
  // its own below that one).
  await page.getByRole('group', { name: 'Arrange E2E iframe', exact: true }).getByRole('button', { name: 'Make wider' }).click();
  await page.getByRole('group', { name: 'Arrange E2E number', exact: true }).getByRole('button', { name: 'Move down a row' }).click();
  const arranged: [string, number][][] = [
    [[id('pie'), 6]],
    [[id('bar'), 6], [id('line'), 6]],
    [[id('number'), 6]],
    [[id('table'), 6], [id('markdown'), 6]],
    [[id('entity'), 6], [id('links'), 6]],
    [[id('iframe'), 7]],
  ];
  await expect.poll(() => layoutOf(page)).toEqual(arranged);

  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page.getByRole('button', { name: 'Edit dashboard' })).toBeVisible();
  await expect(page.locator('.form-error')).toHaveCount(0);
  await expect.poll(() => layoutOf(page)).toEqual(arranged);

  // Reloaded: the same rows, widths and widgets, each drawn as its kind.
  await page.reload();
  await hydrated(page);
  expect(await layoutOf(page)).toEqual(arranged);
  for (const w of widgets) {
    const card = page.locator(`section.widget[data-widget="${ids[w.title]}"]`);
    await expect(card.locator('h2.widget-title')).toHaveText(w.title);
    if (w.type === 'iframe-widget') {
      await expect(card.locator(w.draws)).toHaveAttribute('src', FRAMED);
    } else {
      await expect(card.locator(w.draws).first()).toBeVisible();
    }
  }
  await expect(page.locator('.widget-error')).toHaveCount(0);
  savedLayout = arranged;

  // The API answers it in Port's shape: one dashboard-widget holding the
  // widgets and the layout.
  const res = await page.request.get(`/v1/pages/${DASHBOARD}`);
  expect(res.status()).toBe(200);
  const saved = (await res.json()).page;
  expect(saved.identifier).toBe(DASHBOARD);
  expect(saved.title).toBe('E2E widgets');
  expect(saved.widgets).toHaveLength(1);
  const outer = saved.widgets[0];
  expect(outer.type).toBe('dashboard-widget');
  expect(outer.widgets).toHaveLength(9);
  expect(outer.layout.map((row: { columns: { id: string; size: number }[] }) => row.columns.map((c) => [c.id, c.size])))
    .toEqual(arranged);
  const byTitle = (title: string) => outer.widgets.find((w: { title: string }) => w.title === title);
  for (const w of widgets) {
    expect(byTitle(w.title).type).toBe(w.type);
    expect(byTitle(w.title).id).toBe(ids[w.title]);
  }
  expect(byTitle('E2E pie')).toMatchObject({ blueprint: 'service', property: 'tier' });
  expect(byTitle('E2E line')).toMatchObject({ blueprint: 'deployment', measureTimeBy: 'deployedAt', timeInterval: 'week', timeRange: 63 });
  expect(byTitle('E2E links').links).toEqual([{ title: 'Services', url: '/catalog/services' }]);
  expect(byTitle('E2E iframe')).toMatchObject({ url: FRAMED, urlType: 'public' });
  expect(byTitle('E2E entity')).toMatchObject({ blueprint: 'service', entity: entity.identifier });
});

test('a javascript: iframe URL is refused in the editor and through the API', async ({ page }) => {
  await page.goto(`/dashboard/${DASHBOARD}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Edit dashboard' }).click();
  const form = page.locator('section.widget-form');
  await previewed(page, () => page.getByRole('button', { name: 'Add widget' }).click());
  await previewed(page, () => form.locator('label.field').filter({ hasText: /^Type/ }).locator('select').selectOption('iframe-widget'));
  await setKey(page, form, 'title', 'Script');
  await setKey(page, form, 'url', 'javascript:alert(1)');
  const urlError = form.locator('.field').filter({ has: page.locator('#widget-key-url') }).locator('.field-error');
  await expect(urlError).toContainText('http');
  await expect(urlError).toContainText('javascript:alert(1)');
  await expect(form.getByRole('button', { name: 'Add to dashboard' })).toBeDisabled();
  await expect(form.locator('.widget-preview')).toContainText('.url');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toHaveCount(0);

  // The same widget sent to the API, in Port's shape.
  const res = await page.request.put(`/v1/pages/${DASHBOARD}`, {
    data: {
      title: 'E2E widgets',
      widgets: [{
        id: `${DASHBOARD}-dashboard`,
        type: 'dashboard-widget',
        layout: [{ height: 400, columns: [{ id: 'w-script', size: 12 }] }],
        widgets: [{ id: 'w-script', type: 'iframe-widget', title: 'Script', url: 'javascript:alert(1)', urlType: 'public' }],
      }],
    },
  });
  expect(res.status()).toBe(422);
  const body = await res.json();
  expect(body.message).toContain('w-script');
  expect(body.message).toContain('url');
  expect(body.errors.map((e: { field: string }) => e.field)).toContain('widgets[w-script].url');
  // Nothing was saved.
  const kept = (await (await page.request.get(`/v1/pages/${DASHBOARD}`)).json()).page;
  expect(kept.widgets[0].widgets).toHaveLength(9);
});

test("a member sees dashboards for themselves, cannot edit them, and a forged change is refused", async ({ page, browser }) => {
  const { context, member } = await signInMember(page, browser, 'dora@example.com');
  const { owned, others } = await services(page);
  expect(owned.length).toBeGreaterThan(0);
  expect(others.length).toBeGreaterThan(0);

  await member.goto('/');
  await expect(member.getByRole('heading', { level: 1, name: 'Home', exact: true })).toBeVisible();
  await expect(member.locator('section.widget[data-widget="services-by-tier"] svg.chart-pie')).toBeVisible();
  await expect(member.getByRole('button', { name: 'Edit dashboard' })).toHaveCount(0);
  // "My teams' services": only the payments team's.
  const table = member.locator('section.widget[data-widget="my-services"]');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const mine = await tableEntities(member, 'my-services');
  expect(mine.length).toBeGreaterThan(0);
  for (const id of mine) expect(owned).toContain(id);
  await expect(table.locator('.widget-footer')).toContainText(`of ${owned.length}`);
  await member.screenshot({ path: 'test-results/dashboard-home-member.png', fullPage: true });
  // The admin is not in payments: their table is another one.
  await page.goto('/');
  await expect(page.locator('section.widget[data-widget="my-services"]')).toBeVisible();
  expect(await tableEntities(page, 'my-services')).not.toEqual(mine);

  await member.goto(`/dashboard/${DASHBOARD}`);
  await expect(member.getByRole('heading', { level: 1, name: 'E2E widgets', exact: true })).toBeVisible();
  await expect(member.locator('section.widget')).toHaveCount(9);
  await expect(member.getByRole('button', { name: 'Edit dashboard' })).toHaveCount(0);

  const forged = await member.request.put(`/v1/pages/${DASHBOARD}`, {
    data: {
      title: 'Taken over',
      widgets: [{ id: 'note', type: 'markdown', title: 'Note', markdown: 'mine now' }],
      layout: [{ height: 200, columns: [{ id: 'note', size: 12 }] }],
    },
  });
  expect(forged.status()).toBe(403);
  const kept = (await (await page.request.get(`/v1/pages/${DASHBOARD}`)).json()).page;
  expect(kept.title).toBe('E2E widgets');
  expect(kept.widgets[0].widgets).toHaveLength(9);
  await context.close();
});

test('a viewer narrows a dashboard to their teams with its page filter, and resets it', async ({ page, browser }) => {
  const { context, member } = await signInMember(page, browser, 'eli@example.com');
  const { owned, others } = await services(page);
  const figure = member.locator('section.widget[data-widget="services-count"] .widget-number .figure');
  await member.goto('/dashboard/overview');
  await hydrated(member);
  await expect(figure).toHaveText((owned.length + others.length).toLocaleString('en-US'));
  const filters = member.locator('form.dashboard-filters');
  await expect(filters.getByLabel('Owning teams')).toBeVisible();

  // A choice of teams, not a query to write.
  await filters.getByLabel('Owning teams').selectOption({ label: 'My teams' });
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(member).toHaveURL(/filter\.teams=/);
  await expect(filters.getByLabel('Owning teams')).toHaveValue(/My Teams/);
  await expect(figure).toHaveText(owned.length.toLocaleString('en-US'));
  await member.screenshot({ path: 'test-results/dashboard-page-filter.png', fullPage: true });

  await filters.getByRole('link', { name: 'Reset' }).click();
  await expect(member).toHaveURL(/\/dashboard\/overview$/);
  await expect(figure).toHaveText((owned.length + others.length).toLocaleString('en-US'));
  await expect(filters.getByRole('link', { name: 'Reset' })).toHaveCount(0);
  await context.close();
});

test('screenshots: the demo home dashboard and the new dashboard', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  const widget = (id: string) => page.locator(`section.widget[data-widget="${id}"]`);
  await expect(widget('services').locator('.widget-number')).toBeVisible();
  await expect(widget('failed-deployments').locator('.widget-number')).toHaveAttribute('data-color', /red|green/);
  await expect(widget('deployments-per-week').locator('svg.chart-line-chart')).toBeVisible();
  await expect(widget('services-by-tier').locator('svg.chart-pie')).toBeVisible();
  await expect(widget('deployments-by-status').locator('svg.chart-bar')).toBeVisible();
  await expect(widget('handbook').locator('.markdown strong')).toBeVisible();
  await expect(widget('links').locator('.widget-links-list a')).toHaveCount(4);
  await expect(page.getByRole('button', { name: 'Edit dashboard' })).toBeVisible();
  await page.screenshot({ path: 'test-results/dashboard-home.png', fullPage: true });

  await page.goto(`/dashboard/${DASHBOARD}`);
  await hydrated(page);
  await expect(page.locator('section.widget')).toHaveCount(9);
  await expect(page.locator('svg.chart-pie')).toBeVisible();
  await page.screenshot({ path: 'test-results/dashboard-e2e-widgets.png', fullPage: true });
});

test('dashboards are drawn on the server: they show without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: ADMIN_STATE });
  const page = await context.newPage();
  await page.goto('/');
  const titles = await page.locator('.dashboard-grid h2.widget-title').allTextContents();
  expect(titles).toEqual(expect.arrayContaining([
    'Services', 'Failed deployments', 'Average deployment', 'Monthly cost of services',
    'Deployments per week, by status', 'Services by tier', "My teams' services", 'Deployments by status',
    'How we ship', 'Links',
  ]));
  await expect(page.locator('section.widget[data-widget="services-by-tier"] svg.chart-pie')).toBeVisible();
  await expect(page.locator('svg.chart-line-chart')).toBeVisible();

  // The new dashboard too, as saved.
  await page.goto(`/dashboard/${DASHBOARD}`);
  await expect(page.locator('section.widget')).toHaveCount(9);
  if (savedLayout.length) expect(await layoutOf(page)).toEqual(savedLayout);
  await expect(page.locator('svg.chart-pie')).toBeVisible();
  await context.close();
});
