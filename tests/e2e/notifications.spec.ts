import { connectAndSync, expect, test, useSettings } from './fixtures';

async function notifications(worker: import('@playwright/test').Worker): Promise<string[]> {
  return worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
}

test('a new incoming call raises one notification, never the ones there at the first sync', async ({
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await optionsPage.page.getByLabel(/Desktop notifications/).check();
  await optionsPage.page.getByText('Saved.').waitFor();
  await connectAndSync(optionsPage, portal, serviceWorker);
  // Give the first data change its turn: what was there is remembered, not announced.
  await optionsPage.page.waitForTimeout(1000);
  expect(await notifications(serviceWorker)).toEqual([]);

  const id = portal.call('crm.activity.add', {
    fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: 'Missed call from e2e', SETTINGS: { MISSED_CALL: 'Y' } },
  }).result as number;
  await expect.poll(() => notifications(serviceWorker), { timeout: 20_000 }).toEqual([`b24c:2:1:${id}`]);
  // The next polls do not announce it again.
  await optionsPage.page.waitForTimeout(6000);
  expect(await notifications(serviceWorker)).toEqual([`b24c:2:1:${id}`]);
});

test('turned on after the first sync: what is there then is remembered, the next call is announced', async ({ optionsPage, portal, serviceWorker }) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await connectAndSync(optionsPage, portal, serviceWorker);
  await optionsPage.page.getByLabel(/Desktop notifications/).check();
  await optionsPage.page.getByText('Saved.').waitFor();
  await expect.poll(() => serviceWorker.evaluate(async () => (await chrome.storage.local.get('notified')).notified !== undefined)).toBe(true);
  expect(await notifications(serviceWorker)).toEqual([]);

  const id = portal.call('crm.activity.add', {
    fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: 'Missed call after turning on', SETTINGS: { MISSED_CALL: 'Y' } },
  }).result as number;
  await expect.poll(() => notifications(serviceWorker), { timeout: 20_000 }).toEqual([`b24c:2:1:${id}`]);
});
