import { test as setup, expect } from '@playwright/test';
import * as path from 'path';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../playwright.config';

// Signs in through the login form and keeps the session for the page tests.
setup('sign in as the admin', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Home', exact: true })).toBeVisible();
  await page.context().storageState({ path: path.join(__dirname, '..', '.tmp', 'admin.json') });
});
