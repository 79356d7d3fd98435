import { Page } from '@playwright/test';

/// Waits until the WASM bundle has loaded and hydrated the page, lazy
/// parts (an entity form, a page's chunks) included: before that, typing
/// into a search-as-you-type field fetches nothing.
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__portolanHydrated === true, null, { timeout: 15_000 });
}
