import { test, expect } from '@playwright/test';
import * as fs from 'fs';

test('the catalog page exports its entities as a file whose entities match the catalog', async ({ page }) => {
  await page.goto('/catalog/environments');
  await page.getByText('Export', { exact: true }).click();
  const menu = page.getByRole('group', { name: 'Export entities' });
  await expect(menu).toBeVisible();
  await page.screenshot({ path: 'test-results/catalog-export-menu.png' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    menu.getByRole('link', { name: 'JSON Lines (re-importable)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('portolan-export.jsonl');
  const text = fs.readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\n').map((l) => JSON.parse(l));
  const exported = lines.filter((l) => l.entity).map((l) => l.entity.identifier).sort();
  const res = await page.request.post('/v1/blueprints/environment/entities/search', {
    data: { query: { combinator: 'and', rules: [] }, limit: 1000 },
  });
  const expected = (await res.json()).entities.map((e: { identifier: string }) => e.identifier).sort();
  expect(exported).toEqual(expected);
  expect(lines[0].blueprint.identifier).toBe('environment');

  const [terraform] = await Promise.all([
    page.waitForEvent('download'),
    menu.getByRole('link', { name: 'Terraform (port_entity)' }).click(),
  ]);
  const hcl = fs.readFileSync(await terraform.path(), 'utf8');
  expect(hcl.match(/resource "port_entity"/g)?.length).toBe(expected.length);
});

test('export carries the view: a search and a filter narrow the download, and the menu says how many', async ({ page }) => {
  const all = (await (await page.request.get('/v1/blueprints/service/entities')).json()).entities.length;
  const gold = JSON.stringify({ combinator: 'and', rules: [{ property: 'tier', operator: '=', value: 'gold' }] });
  await page.goto(`/catalog/services?filter=${encodeURIComponent(gold)}&q=api`);
  await page.getByText('Export', { exact: true }).click();
  const menu = page.getByRole('group', { name: 'Export entities' });
  const says = await menu.locator('p').innerText();
  const count = Number(/Download the (\d+) entit/.exec(says)?.[1]);
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThan(all);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    menu.getByRole('link', { name: 'JSON Lines (re-importable)' }).click(),
  ]);
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const entities = lines.filter((l) => l.entity).map((l) => l.entity);
  expect(entities).toHaveLength(count);
  for (const e of entities) {
    expect(e.properties.tier).toBe('gold');
    expect(`${e.identifier} ${e.title ?? ''}`.toLowerCase()).toContain('api');
  }
});
