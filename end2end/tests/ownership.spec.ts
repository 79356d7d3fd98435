import { test, expect } from '@playwright/test';

// The demo's deployments inherit their service's teams and mirror its tier.
test('a deployment shows its service teams and tier, and follows a change of them', async ({ page }) => {
  const res = await page.request.post('/v1/blueprints/deployment/entities/search', {
    data: { query: { combinator: 'and', rules: [] }, limit: 1 },
  });
  const deployment = (await res.json()).entities[0];
  const service: string = deployment.relations.service;
  const serviceRes = await page.request.get(`/v1/blueprints/service/entities/${service}`);
  const serviceEntity = (await serviceRes.json()).entity;
  expect(deployment.team).toEqual(serviceEntity.team);
  expect(deployment.properties.serviceTier).toBe(serviceEntity.properties.tier);

  await page.goto(`/entity/deployment/${deployment.identifier}`);
  const header = page.locator('.page-header');
  await expect(header).toContainText('teams inherited through service');
  const tier = page.locator('.field', { hasText: 'Service tier' });
  await expect(tier).toContainText(serviceEntity.properties.tier);
  await page.screenshot({ path: 'test-results/entity-inherited-teams.png', fullPage: true });

  // The service moves to another team: the deployment follows.
  const teams: string[] = (await (await page.request.get('/v1/teams')).json()).teams.map((t: { name: string }) => t.name);
  const other = teams.find((t) => !serviceEntity.team.includes(t))!;
  const moved = await page.request.patch(`/v1/blueprints/service/entities/${service}`, { data: { team: [other] } });
  expect(moved.status()).toBe(200);
  await page.reload();
  await expect(header).toContainText(other);

  // The deployments table has the tier and the inherited teams as columns.
  await page.goto(`/catalog/deployments?q=${deployment.identifier}`);
  await expect(page.locator('thead')).toContainText('Service tier');
  await expect(page.locator('thead')).toContainText('Service teams');
  const row = page.locator('tbody tr', { hasText: deployment.identifier });
  await expect(row).toContainText(other);
  await expect(row).toContainText(serviceEntity.properties.tier);
  await page.screenshot({ path: 'test-results/catalog-mirror-column.png', fullPage: true });

  // Back as it was, for the specs after this one.
  const back = await page.request.patch(`/v1/blueprints/service/entities/${service}`, { data: { team: serviceEntity.team } });
  expect(back.status()).toBe(200);
});
