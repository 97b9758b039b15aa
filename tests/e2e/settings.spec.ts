import type { Worker } from '@playwright/test';
import { connectAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { addItemLinks, deal } from './pages/portal';
import { chooseSetting } from './pages/settings';
import { truthTotals } from './truth';

/** Whether the extension's copy holds an activity (read in the service worker's IndexedDB). */
function storedActivity(worker: Worker, id: number): Promise<boolean> {
  return worker.evaluate(
    (activityId) =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('counters-for-bitrix24');
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('activities').objectStore('activities').get(activityId);
          get.onsuccess = () => {
            db.close();
            resolve(get.result !== undefined);
          };
          get.onerror = () => resolve(false);
        };
        open.onerror = () => resolve(false);
      }),
    id,
  );
}

/** `2026-05-13T18:00:00+03:00` in the demo portal's offset. */
function portalTime(ms: number): string {
  const shifted = new Date(ms + 3 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+03:00`;
}

test.describe('Settings change how counters count', () => {
  test.beforeEach(async ({ optionsPage, portal, serviceWorker }) => {
    await useSettings(serviceWorker, { pollSeconds: 5 });
    await connectAndSync(optionsPage, portal, serviceWorker);
  });

  test('activity-responsible mode (worked example 7)', async ({ optionsPage, portal, serviceWorker, browserWithExtension }) => {
    await chooseSetting(optionsPage.page, 'The activity’s responsible person');
    const truth = truthTotals(portal.store, 1, Date.now(), { mode: 'activity' });
    await expect
      .poll(async () => (await readBadge(serviceWorker)).title)
      .toContain(`Planned: ${truth.planned}`);
    const page = await browserWithExtension.context.newPage();
    await page.goto(`${portal.origin}/crm/deal/details/5/`);
    const chip = (await addItemLinks(page, 'five', [deal(5)]))(deal(5));
    await expect(chip).toHaveAttribute('data-state', 'planned');
    await expect(chip).toHaveAttribute('data-count', '1');
    await expect(chip).toHaveAttribute('data-mine', 'true');
  });

  test('rule light time: an activity lights at deadline − 15 min, with no portal change', async ({
    optionsPage,
    portal,
    serviceWorker,
  }) => {
    await chooseSetting(optionsPage.page, 'From its reminder time on');
    // Whole seconds: the portal keeps deadlines to the second.
    const deadline = Math.ceil((Date.now() + 15 * 60_000 + 25_000) / 1000) * 1000;
    const id = portal.call('crm.activity.add', {
      fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 6, SUBJECT: 'Lights soon', DEADLINE: portalTime(deadline) },
    }).result as number;
    // Wait until a poll has brought it in, then slow the polls down: the change must come from the wake-up alarm.
    await expect.poll(() => storedActivity(serviceWorker, id), { timeout: 15_000 }).toBe(true);
    await useSettings(serviceWorker, { pollSeconds: 600 });
    const rules = { litRule: 'lightTime' as const };
    await expect
      .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 15_000 })
      .toContain(`Planned: ${truthTotals(portal.store, 1, Date.now(), rules).planned}`);
    const before = truthTotals(portal.store, 1, Date.now(), rules).planned;
    const after = truthTotals(portal.store, 1, deadline - 15 * 60_000 + 1000, rules).planned;
    expect(after).toBe(before + 1);
    await expect
      .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 45_000, intervals: [1000] })
      .toContain(`Planned: ${after}`);
    expect(Date.now()).toBeGreaterThanOrEqual(deadline - 15 * 60_000);
  });
});

test('chips per page kind: turned off on lists, they leave; turned on, they come back', async ({
  browserWithExtension,
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await connectAndSync(optionsPage, portal, serviceWorker);
  const list = await browserWithExtension.context.newPage();
  await list.goto(`${portal.origin}/crm/deal/list/`);
  await expect(list.locator('crm-counter-chip').first()).toBeAttached();
  const lists = optionsPage.page.getByLabel('In lists, kanban and the Activities view');
  await lists.uncheck();
  await expect(list.locator('crm-counter-chip')).toHaveCount(0);
  // Item pages keep theirs.
  const item = await browserWithExtension.context.newPage();
  await item.goto(`${portal.origin}/crm/deal/details/58/`);
  await expect(item.locator('crm-counter-chip').first()).toBeAttached();
  await lists.check();
  await expect(list.locator('crm-counter-chip').first()).toBeAttached();
});

test('a link moved elsewhere in the page keeps its chip right after it', async ({
  browserWithExtension,
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await connectAndSync(optionsPage, portal, serviceWorker);
  const page = await browserWithExtension.context.newPage();
  await page.goto(`${portal.origin}/crm/lead/list/`);
  const chip = (await addItemLinks(page, 'moving', [deal(1)]))(deal(1));
  await expect(chip).toHaveAttribute('data-state', 'planned');
  // A framework moving the link alone (keyed re-order) leaves the chip behind; the chip follows.
  await page.evaluate(() => {
    const link = document.querySelector('#moving a')!;
    const target = document.createElement('p');
    target.id = 'target';
    document.querySelector('main')!.append(target);
    target.append(link);
  });
  await expect(page.locator('#target a + crm-counter-chip')).toHaveAttribute('data-state', 'planned');
  await expect(page.locator('crm-counter-chip[data-entity-id="1"][data-entity-type-id="2"]')).toHaveCount(1);
});

test('two boxes ticked in one go both stay: the second click builds on the first before its save returns', async ({ optionsPage, serviceWorker }) => {
  const { page } = optionsPage;
  await optionsPage.open();
  const leads = page.getByLabel('Leads', { exact: true });
  const contacts = page.getByLabel('Contacts', { exact: true });
  const itemPages = page.getByLabel('On item pages and side panels');
  const elsewhere = page.getByLabel('Anywhere else on the portal');
  for (const box of [leads, contacts, itemPages, elsewhere]) await expect(box).toBeChecked();
  // Four clicks in one task: no save has returned before the last.
  await page.evaluate(() => {
    for (const text of ['Leads', 'Contacts', 'On item pages and side panels', 'Anywhere else on the portal']) {
      const label = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
      label?.querySelector('input')?.click();
    }
  });
  await expect.poll(async () => (await serviceWorker.evaluate(() => chrome.storage.local.get('settings'))).settings).toMatchObject({
    countedEntityTypes: [2, 4],
    chips: { lists: true, itemPages: false, elsewhere: false },
  });
  for (const box of [leads, contacts, itemPages, elsewhere]) await expect(box).not.toBeChecked();
  // As stored: the page read again shows the same.
  await page.reload();
  for (const box of [leads, contacts, itemPages, elsewhere]) await expect(box).not.toBeChecked();
  await expect(page.getByLabel('Deals', { exact: true })).toBeChecked();
});
