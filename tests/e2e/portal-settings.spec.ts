// Settings per portal (issue #17): with two portals connected, what is counted
// is chosen for one portal and changes that portal's numbers only.
import { startPortal } from '../../demo/server';
import { connectAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { truthTotals } from './truth';

/** One portal's line of the badge title (two or more portals: `HOST: Incoming: N, Planned: M, …`). */
async function badgeLine(worker: Parameters<typeof readBadge>[0], origin: string): Promise<string> {
  const host = new URL(origin).host;
  return (await readBadge(worker)).title.split('\n').find((line) => line.startsWith(`${host}: `)) ?? '';
}

test('counted types chosen for the second portal change its counts only', async ({ optionsPage, popupPage, portal, serviceWorker }) => {
  const second = await startPortal({ port: 0, quiet: true });
  try {
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAndSync(optionsPage, portal, serviceWorker);
    await optionsPage.connect(second.webhookUrl);
    const all = truthTotals(portal.store, 1);
    const counts = (t: { incoming: number; planned: number }) => `Incoming: ${t.incoming}, Planned: ${t.planned}`;
    await expect.poll(() => badgeLine(serviceWorker, second.origin), { timeout: 30_000 }).toContain(counts(truthTotals(second.store, 1)));

    // "Settings for" picks the second portal; its own Deals box is unchecked, the first portal's stays.
    const page = optionsPage.page;
    const settingsFor = page.getByRole('combobox', { name: 'Settings for' });
    await expect(settingsFor).toHaveValue(portal.origin);
    await settingsFor.selectOption(second.origin);
    const deals = page.getByRole('checkbox', { name: 'Deals', exact: true });
    await deals.uncheck();
    await page.getByText('Saved.').waitFor();

    const withoutDeals = truthTotals(second.store, 1, Date.now(), { countedEntityTypes: [1, 3, 4] });
    expect(counts(withoutDeals)).not.toBe(counts(all));
    await expect.poll(() => badgeLine(serviceWorker, second.origin), { timeout: 20_000 }).toContain(counts(withoutDeals));
    expect(await badgeLine(serviceWorker, portal.origin)).toContain(counts(all));
    // The diagnostics follow the same choice.
    await page.getByRole('button', { name: 'Copy diagnostics' }).click();
    await expect(page.locator('[data-diagnostics]')).toHaveValue(new RegExp(`"host": "${new URL(second.origin).host}"`));

    // The popup shows each portal's own numbers.
    await popupPage.open();
    expect(await popupPage.counts()).toEqual({ incoming: all.incoming, planned: all.planned });
    await popupPage.page.getByRole('combobox', { name: 'Portal', exact: true }).selectOption(second.origin);
    await expect(popupPage.incoming).toHaveAttribute('data-count', String(withoutDeals.incoming));
    await expect(popupPage.planned).toHaveAttribute('data-count', String(withoutDeals.planned));

    // Back on the first portal, the options page shows its own choice.
    await settingsFor.selectOption(portal.origin);
    await expect(deals).toBeChecked();
  } finally {
    await second.close();
  }
});
