// Notifications of several portals: each portal's own memory and IDs (the
// first slot's as before several portals, 'b24c@ORIGIN …' for the others),
// each naming its portal's host; a click opens the item on that portal.
// (One scenario per file: the background's syncs and database handles are per module.)
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { notificationClicked, setupNotifications } from '../../lib/background/notifications';
import { addSlot, dbOf } from '../../lib/background/portals';
import { applyLocalChange, setupSync } from '../../lib/background/sync';
import { makeActivity, makeItem, makePerson } from '../../lib/counters/testing';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import { saveConnection, toStored } from '../../lib/store/db';
import { type PortalSlot, slotKey } from '../../lib/store/portals';
import { EMPTY_SYNC_STATE, putMeta } from '../../lib/store/sync-store';

const A = 'https://a.bitrix24.com';
const C = 'https://crm.example.org:8443';

/** A connected portal after its first full sync: one deal of the user's with a to-do far ahead; its poll armed (no sync runs). */
async function syncedPortal(origin: string, title: string): Promise<PortalSlot> {
  const slot = await addSlot(origin);
  const db = await dbOf(slot);
  await saveConnection(db, {
    webhookUrl: `${origin}/rest/1/abc123def456/`,
    origin,
    userId: 1,
    userName: 'Anna',
    timeZone: 'Europe/Berlin',
    scopes: ['crm'],
    connectedAt: 0,
  });
  await db.put('items', makeItem({ entityTypeId: 2, id: 1, title }));
  await db.put('activities', toStored(makeActivity({ id: 1, deadline: Date.now() + 30 * 86_400_000 })));
  await db.put('people', makePerson(1, 'Europe/Berlin'));
  await putMeta(db, 'sync', { ...EMPTY_SYNC_STATE, fullSyncAt: Date.now(), lastSyncAt: Date.now(), countedTypes: [1, 2, 3, 4] });
  await fakeBrowser.alarms.create(slotKey('sync-poll', slot), { delayInMinutes: 1 });
  return slot;
}

const incoming = (id: number) =>
  toStored(makeActivity({ id, subject: `Mail ${id}`, isIncomingChannel: true, providerId: 'CRM_EMAIL', typeId: 4, created: Date.now() }));

describe('notifications of two portals', () => {
  it('each portal remembers its own lists and names its notifications and host; a click opens on that portal', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, notifications: true } });
    const first = await syncedPortal(A, 'Deal on A');
    const other = await syncedPortal(C, 'Deal on C');
    setupSync();
    setupNotifications();
    // The wake-ups ring: each portal's lists are remembered under its own key, nothing is announced.
    for (const slot of [first, other]) await fakeBrowser.alarms.onAlarm.trigger({ name: slotKey('counters-wake', slot), scheduledTime: Date.now() });
    await vi.waitFor(async () => {
      const local = await fakeBrowser.storage.local.get(['notified', `notified ${C}`]);
      expect(local).toEqual({ notified: { incoming: [], planned: [] }, [`notified ${C}`]: { incoming: [], planned: [] } });
    });
    expect(await fakeBrowser.notifications.getAll()).toEqual({});

    // A new incoming activity on each portal.
    const created = vi.spyOn(fakeBrowser.notifications, 'create');
    await applyLocalChange({ upsertActivities: [incoming(21)], removeActivityIds: [], upsertItems: [], removeItems: [] }, C);
    await vi.waitFor(() => expect(created).toHaveBeenCalledTimes(1));
    expect(created.mock.calls[0][0]).toBe(`b24c@${C} 2:1:21`);
    expect(created.mock.calls[0][1]).toMatchObject({ title: 'kind_email', message: 'crm.example.org:8443\nDeal on C\nMail 21' });
    expect((await fakeBrowser.storage.local.get('notified')).notified).toEqual({ incoming: [], planned: [] });
    await applyLocalChange({ upsertActivities: [incoming(31)], removeActivityIds: [], upsertItems: [], removeItems: [] }, A);
    await vi.waitFor(() => expect(created).toHaveBeenCalledTimes(2));
    expect(created.mock.calls[1][0]).toBe('b24c:2:1:31');
    expect(created.mock.calls[1][1]).toMatchObject({ message: 'a.bitrix24.com\nDeal on A\nMail 31' });
    expect((await fakeBrowser.storage.local.get(`notified ${C}`))[`notified ${C}`]).toEqual({ incoming: [21], planned: [] });
    expect((await fakeBrowser.storage.local.get('notified')).notified).toEqual({ incoming: [31], planned: [] });

    // Clicks open each on its own portal.
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([] as never);
    const opened = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({ id: 1 } as never);
    await notificationClicked(`b24c@${C} 2:1:21`);
    await notificationClicked('b24c:2:1:31');
    expect(opened.mock.calls.map(([props]) => props.url)).toEqual([`${C}/crm/deal/details/1/`, `${A}/crm/deal/details/1/`]);
  });
});
