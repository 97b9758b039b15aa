import { DEMO_SECRET, NO_CRM_SCOPE_SECRET } from '../../demo/config';
import { DEMO_EXTENSION_ID } from '../../lib/manifest';
import { expect, readBadge, test } from './fixtures';

const webhook = (origin: string, secret = DEMO_SECRET, user = 1) => `${origin}/rest/${user}/${secret}/`;

/** The full name of the webhook's owner, as the portal gives it. */
async function ownerName(webhookUrl: string): Promise<string> {
  const answer = await fetch(`${webhookUrl}user.current.json`).then((r) => r.json());
  return `${answer.result.NAME} ${answer.result.LAST_NAME}`.trim();
}

test('the demo build loads with its fixed extension ID', ({ extensionId }) => {
  expect(extensionId).toBe(DEMO_EXTENSION_ID);
});

test.describe('Connecting a portal', () => {
  test('explains a URL of the wrong shape', async ({ optionsPage }) => {
    await optionsPage.connect('https://example.bitrix24.com/crm/deal/list/');
    await expect(optionsPage.alert).toContainText('/rest/USER_ID/CODE/');
    await optionsPage.connect('http://example.bitrix24.com/rest/1/abc123def456/');
    await expect(optionsPage.alert).toContainText('https://');
    await optionsPage.connect('not a url');
    await expect(optionsPage.alert).toContainText('not a web address');
  });

  test('explains a wrong webhook code', async ({ optionsPage, portal }) => {
    await optionsPage.connect(webhook(portal.origin, 'wrongcode1234567'));
    await expect(optionsPage.alert).toContainText('refused this webhook');
  });

  test('names the missing crm scope', async ({ optionsPage, portal }) => {
    await optionsPage.connect(webhook(portal.origin, NO_CRM_SCOPE_SECRET));
    await expect(optionsPage.alert).toContainText('“crm”');
  });

  test('explains an unreachable portal', async ({ optionsPage }) => {
    await optionsPage.connect(webhook('http://127.0.0.1:9'));
    await expect(optionsPage.alert).toContainText('could not be reached');
  });

  test('explains an HTML answer and a plan without REST', async ({ optionsPage, portal }) => {
    portal.faults.set({ pHtml: 1 });
    await optionsPage.connect(webhook(portal.origin));
    await expect(optionsPage.alert).toContainText('answered with a web page');
    portal.faults.clear();
    portal.faults.set({ restUnavailable: true });
    await optionsPage.connect(webhook(portal.origin));
    await expect(optionsPage.alert).toContainText('does not allow webhooks');
  });

  test('connects, survives a reload, keeps the connection when a reconnect fails', async ({
    optionsPage,
    portal,
    serviceWorker,
  }) => {
    expect((await readBadge(serviceWorker)).title).toContain('Not connected');
    const name = await ownerName(portal.webhookUrl);
    await optionsPage.connect(portal.webhookUrl);
    await expect(optionsPage.connectedAs(name)).toBeVisible();
    await expect(optionsPage.alert).toBeEmpty();
    await expect.poll(async () => (await readBadge(serviceWorker)).title).not.toContain('Not connected');

    await optionsPage.page.reload();
    await expect(optionsPage.connectedAs(name)).toBeVisible();
    // The secret is never shown again.
    await expect(optionsPage.page.locator('body')).not.toContainText(DEMO_SECRET);

    await optionsPage.connect(webhook(portal.origin, 'wrongcode1234567'));
    await expect(optionsPage.alert).toContainText('refused this webhook');
    await expect(optionsPage.connectedAs(name)).toBeVisible();
    await optionsPage.page.reload();
    await expect(optionsPage.connectedAs(name)).toBeVisible();
  });

  test('keeps the secret out of storage that content scripts can read', async ({
    optionsPage,
    portal,
    serviceWorker,
  }) => {
    await optionsPage.connect(portal.webhookUrl);
    await expect(optionsPage.connectedAs(/Connected as/)).toBeVisible();
    const readable = await serviceWorker.evaluate(async () =>
      JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null)]),
    );
    expect(readable).not.toContain(DEMO_SECRET);
  });

  test('Disconnect forgets the webhook and erases the CRM data', async ({ optionsPage, portal, serviceWorker }) => {
    await optionsPage.connect(portal.webhookUrl);
    await expect(optionsPage.connectedAs(/Connected as/)).toBeVisible();
    // A record as a sync would leave it, in the extension origin's database.
    await optionsPage.page.evaluate(storedRecords, { plant: true });
    expect(await optionsPage.page.evaluate(storedRecords, { plant: false })).toBeGreaterThan(1);
    await optionsPage.disconnectButton.click();
    await expect(optionsPage.connectedAs(/Connected as/)).toHaveCount(0);
    expect(await optionsPage.page.evaluate(storedRecords, { plant: false })).toBe(0);
    await expect.poll(async () => (await readBadge(serviceWorker)).title).toContain('Not connected');
  });
});

/** Runs in an extension page: counts every record of the extension's database (after planting one item). */
async function storedRecords({ plant }: { plant: boolean }): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('counters-for-bitrix24');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const names = [...db.objectStoreNames];
  const tx = db.transaction(names, 'readwrite');
  if (plant) tx.objectStore('items').put({ entityTypeId: 2, id: 999_999, responsibleId: 1 });
  const counts = await Promise.all(
    names.map(
      (name) =>
        new Promise<number>((resolve) => {
          const request = tx.objectStore(name).count();
          request.onsuccess = () => resolve(request.result);
        }),
    ),
  );
  db.close();
  return counts.reduce((a, b) => a + b, 0);
}
