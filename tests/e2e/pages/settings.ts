import type { Page } from '@playwright/test';

/** The options page's settings, through their labels. */
export async function chooseSetting(page: Page, label: string | RegExp): Promise<void> {
  await page.getByLabel(label).check();
  await page.getByText('Saved.').waitFor();
}
