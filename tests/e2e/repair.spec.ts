import { connectAndSync, expect, readBadge, test, useSettings } from './fixtures';
import { truthTotals } from './truth';

test('a broken database is rebuilt by a fresh sync, with no user action', async ({
  optionsPage,
  portal,
  serviceWorker,
}) => {
  await useSettings(serviceWorker, { pollSeconds: 5 });
  await connectAndSync(optionsPage, portal, serviceWorker);
  // Break it: a "newer version" without the activities store (as a downgrade or a bad migration would leave it).
  await optionsPage.page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const probe = indexedDB.open('counters-for-bitrix24');
        probe.onsuccess = () => {
          const version = probe.result.version;
          probe.result.close();
          const open = indexedDB.open('counters-for-bitrix24', version + 1);
          open.onupgradeneeded = () => open.result.deleteObjectStore('activities');
          open.onsuccess = () => {
            open.result.close();
            resolve();
          };
          open.onerror = () => reject(open.error);
          open.onblocked = () => reject(new Error('blocked by another connection'));
        };
      }),
  );
  // The next poll finds the database broken, rebuilds it and syncs from scratch.
  const storedActivities = () =>
    optionsPage.page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('counters-for-bitrix24');
          open.onsuccess = () => {
            try {
              const count = open.result.transaction('activities').objectStore('activities').count();
              count.onsuccess = () => {
                open.result.close();
                resolve(count.result);
              };
            } catch {
              open.result.close();
              resolve(-1);
            }
          };
          open.onerror = () => resolve(-1);
        }),
    );
  const open = [...portal.store.activities.values()].filter((a) => !a.completed).length;
  await expect.poll(storedActivities, { timeout: 30_000 }).toBe(open);
  const truth = truthTotals(portal.store, 1);
  await expect
    .poll(async () => (await readBadge(serviceWorker)).title, { timeout: 15_000 })
    .toContain(`Incoming: ${truth.incoming}`);
  await optionsPage.page.reload();
  await expect(optionsPage.connectedAs(/Connected as/)).toBeVisible();
});
