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
