import { connectAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { truthTotals } from './truth';

test.describe('Triage from the popup', () => {
  test.beforeEach(async ({ optionsPage, portal, serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAndSync(optionsPage, portal, serviceWorker);
  });

  test('Done completes the activity on the portal; entry, counts and badge follow at once', async ({
    popupPage,
    portal,
    serviceWorker,
  }) => {
    await popupPage.open();
    const before = truthTotals(portal.store, 1);
    const entry = popupPage.entries(popupPage.planned).first();
    const activityId = Number(await entry.getAttribute('data-activity-id'));
    const pairs = portal.store.activities.get(activityId)!.bindings.length;
    await entry.getByRole('button', { name: /^Done/ }).click();
    await expect(popupPage.planned.locator(`[data-activity-id="${activityId}"]`)).toHaveCount(0);
    await expect.poll(() => portal.store.activities.get(activityId)?.completed).toBe(true);
    const after = truthTotals(portal.store, 1);
    expect(after.planned).toBeLessThan(before.planned);
    expect(after.planned).toBeGreaterThanOrEqual(before.planned - pairs);
    await expect(popupPage.planned).toHaveAttribute('data-count', String(after.planned));
    await expect.poll(async () => (await readBadge(serviceWorker)).title).toContain(`Planned: ${after.planned}`);
  });

  test('Postpone to tomorrow moves the deadline (keyboard: p)', async ({ popupPage, portal }) => {
    await popupPage.open();
    const entry = popupPage.entries(popupPage.planned).first();
    const activityId = Number(await entry.getAttribute('data-activity-id'));
    await entry.locator('a').focus();
    await popupPage.page.keyboard.press('p');
    await popupPage.page.getByRole('menuitem', { name: 'Tomorrow 9:00' }).click();
    await expect.poll(() => portal.store.activities.get(activityId)?.deadline ?? 0).toBeGreaterThan(Date.now());
    const deadline = portal.store.activities.get(activityId)!.deadline!;
    // 9:00 in Anna Schmidt's zone (Europe/Berlin).
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
    expect(berlin.format(deadline)).toBe('09:00');
    await expect(popupPage.planned.locator(`[data-activity-id="${activityId}"]`)).toHaveCount(0);
    const truth = truthTotals(portal.store, 1);
    await expect(popupPage.planned).toHaveAttribute('data-count', String(truth.planned));
  });

  test('keyboard triage: arrows move, d completes the focused entry', async ({ popupPage, portal }) => {
    await popupPage.open();
    const links = popupPage.page.locator('.entry > a');
    await links.first().focus();
    await popupPage.page.keyboard.press('ArrowDown');
    await expect(links.nth(1)).toBeFocused();
    const entry = popupPage.page.locator('.entry').nth(1);
    const activityId = Number(await entry.getAttribute('data-activity-id'));
    await popupPage.page.keyboard.press('d');
    await expect(popupPage.page.locator(`.entry[data-activity-id="${activityId}"]`)).toHaveCount(0);
    await expect.poll(() => portal.store.activities.get(activityId)?.completed).toBe(true);
  });

  test('a failing action rolls back and says so', async ({ popupPage, portal }) => {
    await popupPage.open();
    const entry = popupPage.entries(popupPage.incoming).first();
    const activityId = Number(await entry.getAttribute('data-activity-id'));
    const count = await popupPage.incoming.getAttribute('data-count');
    portal.faults.set({ pDrop: 1 });
    await entry.getByRole('button', { name: /^(Done|Processed)/ }).click();
    await expect(popupPage.incoming.locator(`[data-activity-id="${activityId}"]`)).toHaveCount(0);
    await expect(popupPage.page.getByRole('alert').filter({ hasText: /could not be reached|did not work/ })).toBeVisible({
      timeout: 20_000,
    });
    await expect(popupPage.incoming.locator(`[data-activity-id="${activityId}"]`)).not.toHaveCount(0);
    await expect(popupPage.incoming).toHaveAttribute('data-count', count ?? '');
    expect(portal.store.activities.get(activityId)?.completed).toBe(false);
  });

  test('a refused write explains, and the buttons explain from then on', async ({ popupPage, portal }) => {
    await popupPage.open();
    portal.faults.set({ denyWrites: true });
    const entry = popupPage.entries(popupPage.planned).first();
    await entry.getByRole('button', { name: /^Done/ }).click();
    await expect(popupPage.page.getByRole('alert').filter({ hasText: 'may not edit' })).toBeVisible();
    await expect(entry.getByRole('button', { name: /^Done/ })).toHaveAttribute('aria-disabled', 'true');
    await popupPage.page.reload();
    await expect(popupPage.entries(popupPage.planned).first().getByRole('button', { name: /^Done/ })).toHaveAttribute(
      'title',
      /may not edit/,
    );
  });
});
