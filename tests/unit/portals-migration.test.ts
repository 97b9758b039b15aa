// Several portals (issue #17, item 6): a profile as the single-portal version
// left it — its connection and copy in the first database, its settings, way,
// Employee choice, refused writes and notification memory in storage.local,
// no 'portals' list — is the first portal with all of it intact. Connecting a
// second portal then leaves every one of the first's records and keys as they were.
// (One scenario per file: the background's database handles and syncs are per module.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DemoPortal } from '../../demo/server';
import { setupActions, writesRefused } from '../../lib/background/actions';
import { currentBadgeInputs } from '../../lib/background/badge';
import { connect } from '../../lib/background/connection';
import { setupNotifications } from '../../lib/background/notifications';
import { setupPortalCheck } from '../../lib/background/portal-check';
import { connectedPortals, listSlots } from '../../lib/background/portals';
import { getCounterIndex, getSyncStatus, setupSync, syncNow } from '../../lib/background/sync';
import { popupView } from '../../lib/background/views';
import { makeActivity, makeItem, makePerson } from '../../lib/counters/testing';
import { DEFAULT_SETTINGS, loadChosenPerson, loadSettings, saveChosenPerson } from '../../lib/settings';
import { type ConnectionRecord, DB_NAME, type Db, getDb, saveConnection, toStored } from '../../lib/store/db';
import { hostOf, REGISTRY_KEY } from '../../lib/store/portals';
import { EMPTY_SYNC_STATE, putMeta } from '../../lib/store/sync-store';
import { startTestPortal } from './sync-harness';

const HOUR = 3_600_000;
let first: DemoPortal;
let second: DemoPortal;
beforeAll(async () => {
  [first, second] = await Promise.all([startTestPortal({ seed: 71, openActivities: 40 }), startTestPortal({ seed: 72, openActivities: 40 })]);
});
afterAll(() => Promise.all([first.close(), second.close()]));

/** Every record of a database, store by store (meta with its keys). */
async function dump(db: Db) {
  const stores = ['connection', 'items', 'activities', 'people', 'departments', 'meta', 'stagedItems', 'stagedActivities'] as const;
  const out: Record<string, unknown> = {};
  for (const store of stores) {
    const keys = await db.getAllKeys(store);
    out[store] = await Promise.all(keys.map(async (key) => [key, await db.get(store, key as never)]));
  }
  return out;
}

/** The single-portal version's profile: the first portal's connection and copy, and its keys. */
async function previousVersionProfile(now: number) {
  const connection: ConnectionRecord = {
    webhookUrl: first.webhookUrl,
    origin: first.origin,
    userId: 1,
    userName: 'Anna Schmidt',
    timeZone: 'Europe/Berlin',
    scopes: ['crm', 'user'],
    connectedAt: now - 48 * HOUR,
  };
  const db = await getDb(DB_NAME);
  await saveConnection(db, connection);
  const items = [
    makeItem({ entityTypeId: 2, id: 1, responsibleId: 1, title: 'Deal of Anna' }),
    makeItem({ entityTypeId: 2, id: 2, responsibleId: 2, title: 'Deal of Boris' }),
    makeItem({ entityTypeId: 1, id: 3, responsibleId: 1, title: 'Lead without activities' }),
  ];
  const activities = [
    // Incoming (an open channel activity of Anna's deal), an overdue to-do of Anna's and one of Boris's, one far ahead.
    makeActivity({ id: 11, ownerId: 1, responsibleId: 1, isIncomingChannel: true, providerId: 'CRM_EMAIL', typeId: 4, created: now - HOUR }),
    makeActivity({ id: 12, ownerId: 1, responsibleId: 1, deadline: now - 30 * HOUR }),
    makeActivity({ id: 13, ownerId: 2, responsibleId: 2, deadline: now - 2 * HOUR }),
    makeActivity({ id: 14, ownerId: 2, responsibleId: 2, deadline: now + 30 * 24 * HOUR }),
  ];
  const tx = db.transaction(['items', 'activities', 'people'], 'readwrite');
  for (const item of items) await tx.objectStore('items').put(item);
  for (const activity of activities) await tx.objectStore('activities').put(toStored(activity));
  for (const id of [1, 2, 3]) await tx.objectStore('people').put({ ...makePerson(id, 'Europe/Berlin'), fullName: ['', 'Anna Schmidt', 'Boris Ivanov', 'Carla Diaz'][id] });
  await tx.done;
  await putMeta(db, 'sync', {
    ...EMPTY_SYNC_STATE,
    fullSyncAt: now - HOUR,
    activityCursor: now - 60_000,
    itemCursor: now - 60_000,
    portalOffsetMinutes: 180,
    countedTypes: [1, 2, 3, 4],
    lastSyncAt: now - 20_000,
    lastReconcileAt: now - HOUR,
    lastPeopleAt: now - HOUR,
  });
  await putMeta(db, 'bucket', { level: 3, at: now - 20_000 });
  await putMeta(db, 'dealCategories', { 0: 'Sales', 4: 'Partners' });
  await putMeta(db, 'demand', [now - 10 * 60_000]);
  const keys = {
    settings: { ...DEFAULT_SETTINGS, pollSeconds: 120, weekStart: 0, chips: { lists: false, itemPages: true, elsewhere: true }, notifications: true },
    // "As your portal counts", and the portal said: light time, activity mode.
    portalWay: { way: { litRule: 'lightTime', mode: 'activity' }, at: now - HOUR },
    chosenPersonId: 2,
    writesRefused: true,
    // Anna's lists as they are: nothing new to announce.
    notified: { incoming: [11], planned: [12] },
  };
  await fakeBrowser.storage.local.set(keys);
  // The old version's poll, armed.
  await fakeBrowser.alarms.create('sync-poll', { when: now + 40_000 });
  return { connection, keys };
}

describe('a single-portal profile after the update', () => {
  it('is the first portal with its data, settings and Employee choice; a second portal leaves all of it alone', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
    const now = Date.now();
    const { connection, keys } = await previousVersionProfile(now);
    const db = await getDb(DB_NAME);
    const before = await dump(db);
    expect(await fakeBrowser.storage.local.get(REGISTRY_KEY)).toEqual({});

    // The first read migrates: the old connection is the first slot, in the old database, and the list is saved.
    const slot = { origin: first.origin, dbName: DB_NAME };
    expect(await listSlots()).toEqual([slot]);
    expect((await fakeBrowser.storage.local.get(REGISTRY_KEY))[REGISTRY_KEY]).toEqual([slot]);
    const portals = await connectedPortals();
    expect(portals.map((p) => [p.slot, p.connection])).toEqual([[slot, connection]]);

    // Its settings in force: the user's, "as your portal counts" resolved by its way; the same with or without the slot.
    const settings = await loadSettings(slot);
    expect(settings).toMatchObject({ pollSeconds: 120, weekStart: 0, litRule: 'lightTime', counterMode: 'activity', notifications: true });
    expect(settings.chips.lists).toBe(false);
    expect(await loadSettings()).toEqual(settings);
    expect(await loadChosenPerson(slot)).toBe(2);
    expect(await writesRefused(slot)).toBe(true);

    // Its counters over its copy, without a sync (activity mode: each activity counts for its own responsible).
    const index = await getCounterIndex();
    expect(index).not.toBeNull();
    expect(await getCounterIndex(first.origin)).toBe(index);
    expect(index!.totals(1, now)).toMatchObject({ incoming: 1, planned: 1 });
    expect(index!.totals(2, now)).toMatchObject({ incoming: 0, planned: 1 });
    expect((await getSyncStatus()).phase).toBe('ready');
    expect(await getSyncStatus(first.origin)).toEqual(await getSyncStatus());

    // The popup: the first portal, the Employee chosen before, its pipelines and refused writes.
    const popup = await popupView(null, null);
    expect(popup.connection).toEqual({ origin: first.origin, userId: 1, userName: 'Anna Schmidt' });
    expect(popup.portals).toEqual([{ origin: first.origin, host: hostOf(first.origin), all: 2 }]);
    expect(popup.personId).toBe(2);
    expect(popup.totals).toMatchObject({ incoming: 0, planned: 1 });
    expect([...popup.planned.overdue, ...popup.planned.today].map((e) => e.activityId)).toEqual([13]);
    expect(popup.people.map((p) => p.id)).toEqual([1, 2]);
    expect(popup.dealCategoryNames).toEqual({ 0: 'Sales', 4: 'Partners' });
    expect(popup.writesRefused).toBe(true);
    expect(await popupView(first.origin, null)).toEqual({ ...popup, now: expect.any(Number), status: expect.anything() });
    expect(await currentBadgeInputs(now)).toEqual([
      { host: hostOf(first.origin), input: { kind: 'synced', incoming: 1, planned: 1, lastSyncAt: now - 20_000 } },
    ]);
    // Nothing above wrote to the copy or the keys.
    expect(await dump(db)).toEqual(before);
    for (const [key, value] of Object.entries(keys)) expect((await fakeBrowser.storage.local.get(key))[key]).toEqual(value);

    // The background starts as it does after the update (its old poll alarm armed: no sync at start), then a second portal connects.
    setupSync();
    setupActions();
    setupNotifications();
    setupPortalCheck(syncNow);
    first.stats.reset();
    expect((await connect(second.webhookUrl)).ok).toBe(true);
    const other = { origin: second.origin, dbName: `${DB_NAME}@${second.origin}` };
    expect(await listSlots()).toEqual([slot, other]);
    await vi.waitFor(async () => expect((await getSyncStatus(second.origin)).phase).toBe('ready'), { timeout: 8_000, interval: 50 });
    // Let what follows the second's first sync settle (its way, the settings listeners, its wake-up).
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(`counters-wake ${second.origin}`)).toBeDefined(), { timeout: 5_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 200));
    // The first's wake-up rings (its counters moved on their own): its notifications are checked against its memory, nothing new.
    const memoryWrites: string[] = [];
    fakeBrowser.storage.local.onChanged.addListener((changes) => memoryWrites.push(...Object.keys(changes).filter((k) => k.startsWith('notified'))));
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'counters-wake', scheduledTime: Date.now() });
    await vi.waitFor(() => expect(memoryWrites).toContain('notified'), { timeout: 2_000, interval: 20 });

    // The first: not asked a thing, its copy and every key as they were, its poll still armed.
    expect(first.stats.requests).toBe(0);
    expect(await dump(db)).toEqual(before);
    for (const [key, value] of Object.entries(keys)) expect((await fakeBrowser.storage.local.get(key))[key]).toEqual(value);
    expect(await fakeBrowser.alarms.get('sync-poll')).toBeDefined();
    expect(await loadChosenPerson(slot)).toBe(2);
    expect((await getCounterIndex(first.origin))!.totals(2, now)).toMatchObject({ incoming: 0, planned: 1 });
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toEqual([]);

    // The second: its own database and keys; no Employee chosen there yet, and choosing one leaves the first's.
    const secondDb = await getDb(other.dbName);
    expect((await secondDb.get('connection', 'current'))?.origin).toBe(second.origin);
    expect(await secondDb.count('activities')).toBeGreaterThan(0);
    expect(await loadChosenPerson(other)).toBeNull();
    expect((await popupView(second.origin, null)).personId).toBe(1);
    await saveChosenPerson(3, other);
    expect(await loadChosenPerson(other)).toBe(3);
    expect(await loadChosenPerson(slot)).toBe(2);
    expect(await writesRefused(other)).toBe(false);
    expect((await popupView(null, null)).personId).toBe(2);
    expect((await popupView(null, null)).portals.map((p) => p.origin)).toEqual([first.origin, second.origin]);
  });
});
