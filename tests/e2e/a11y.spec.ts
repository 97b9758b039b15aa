import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { connectAndSync, expect, test } from './fixtures';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('options and popup have no serious accessibility violations', async ({
  optionsPage,
  popupPage,
  portal,
  serviceWorker,
}) => {
  // Four axe runs, each a few seconds of CPU: 20 s on this 2-core machine, over a minute while other jobs load it.
  test.setTimeout(120_000);
  expect(await seriousViolations(optionsPage.page)).toEqual([]);
  await popupPage.open();
  await expect(popupPage.page.getByText('Not connected')).toBeVisible();
  expect(await seriousViolations(popupPage.page)).toEqual([]);

  await connectAndSync(optionsPage, portal, serviceWorker);
  expect(await seriousViolations(optionsPage.page)).toEqual([]);
  await popupPage.open();
  await expect(popupPage.incoming).toBeVisible();
  expect(await seriousViolations(popupPage.page)).toEqual([]);
});

test('the popup works with the keyboard alone', async ({ optionsPage, popupPage, portal, serviceWorker }) => {
  await connectAndSync(optionsPage, portal, serviceWorker);
  await popupPage.open();
  await expect(popupPage.incoming).toBeVisible();
  await popupPage.page.keyboard.press('Tab');
  await expect(popupPage.employee).toBeFocused();
  // Tab reaches the first entry; arrows move between entries.
  const first = popupPage.page.locator('.entry > a').first();
  await first.focus();
  await popupPage.page.keyboard.press('ArrowDown');
  await expect(popupPage.page.locator('.entry > a').nth(1)).toBeFocused();
  await popupPage.page.keyboard.press('ArrowUp');
  await expect(first).toBeFocused();
});
