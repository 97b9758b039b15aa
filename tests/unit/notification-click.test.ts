// Clicking a notification opens its item on the portal (fired on the fake browser).
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { setupNotifications } from '../../lib/background/notifications';
import { getDb, saveConnection } from '../../lib/store/db';

describe('notification click', () => {
  it('opens the item of the notification in a new tab when no portal tab is open', async () => {
    await saveConnection(await getDb(), {
      webhookUrl: 'https://acme.bitrix24.com/rest/1/abc123def456/',
      origin: 'https://acme.bitrix24.com',
      userId: 1,
      userName: 'Anna Schmidt',
      timeZone: 'Europe/Berlin',
      scopes: ['crm'],
      connectedAt: 0,
    });
    setupNotifications();
    await fakeBrowser.notifications.create('b24c:2:15:99', { type: 'basic', iconUrl: '', title: 'Call', message: 'x' });
    await fakeBrowser.notifications.onClicked.trigger('b24c:2:15:99');
    await expect.poll(async () => (await fakeBrowser.tabs.query({})).map((tab) => tab.url)).toContain(
      'https://acme.bitrix24.com/crm/deal/details/15/',
    );
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toEqual([]);
  });

  it('ignores notifications of others', async () => {
    setupNotifications();
    const before = await fakeBrowser.tabs.query({});
    await fakeBrowser.notifications.onClicked.trigger('someone-else');
    expect(await fakeBrowser.tabs.query({})).toEqual(before);
  });
});
