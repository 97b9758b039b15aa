import { connectAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { truthTotals } from './truth';

const GREY = [184, 192, 201, 255];

test.describe('Badge states', () => {
  test.beforeEach(async ({ serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
  });

  test('not connected, then syncing, then numbers', async ({ optionsPage, portal, serviceWorker }) => {
    expect(await readBadge(serviceWorker)).toMatchObject({ text: '' });
    expect((await readBadge(serviceWorker)).title).toContain('Not connected');
    portal.faults.set({ latencyMs: 400 });
    await optionsPage.connect(portal.webhookUrl);
    await expect.poll(async () => (await readBadge(serviceWorker)).title).toContain('Syncing');
    expect((await readBadge(serviceWorker)).text).toBe('');
    portal.faults.clear();
    await expect.poll(async () => (await readBadge(serviceWorker)).title, { timeout: 30_000 }).toContain('Incoming:');
  });

  test('a revoked webhook keeps the last good numbers, marked stale, with the reason', async ({
    optionsPage,
    portal,
    serviceWorker,
  }) => {
    await connectAndSync(optionsPage, portal, serviceWorker);
    const truth = truthTotals(portal.store, 1);
    const good = await readBadge(serviceWorker);
    portal.faults.set({ revoked: true });
    await expect
      .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 20_000 })
      .toContain('refused this webhook');
    const badge = await readBadge(serviceWorker);
    expect(badge.text).toBe(good.text);
    expect(badge.color).toEqual(good.color);
    expect(badge.title).toContain(`Incoming: ${truth.incoming}`);
    expect(badge.title).toMatch(/stale since/);
  });

  test('a first sync that fails shows ! in grey with the reason', async ({ optionsPage, portal, serviceWorker }) => {
    portal.faults.set({ latencyMs: 300 });
    await optionsPage.connect(portal.webhookUrl);
    await expect(optionsPage.connectedAs(/Connected as/)).toBeVisible();
    portal.faults.set({ revoked: true, latencyMs: 0 });
    await expect.poll(async () => (await readBadge(serviceWorker)).text, { timeout: 20_000 }).toBe('!');
    const badge = await readBadge(serviceWorker);
    expect(badge.color).toEqual(GREY);
    expect(badge.title).toContain('refused this webhook');
  });
});
