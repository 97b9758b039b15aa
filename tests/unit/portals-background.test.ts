// Several portals in the background, without a portal to talk to: the list
// (migration of an empty profile, concurrent additions, another context's
// writes), notification clicks opening the portal their ID names, and
// Disconnect of the first slot, of another, and of every portal.
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { disconnect } from '../../lib/background/connection';
import { notificationClicked } from '../../lib/background/notifications';
import { addSlot, connectedPortal, connectedPortals, dbOf, listSlots, removeSlot, watchSlots } from '../../lib/background/portals';
import { sessidStore } from '../../lib/background/sessid';
import { setupSync } from '../../lib/background/sync';
import { DEFAULT_SETTINGS, loadChosenPerson, loadPortalWay, saveChosenPerson } from '../../lib/settings';
import { type ConnectionRecord, DB_NAME, deleteDb, getDb, saveConnection } from '../../lib/store/db';
import { REGISTRY_KEY, slotKey } from '../../lib/store/portals';
import { putMeta } from '../../lib/store/sync-store';
import { makeActivity, makeItem } from '../../lib/counters/testing';

const A = 'https://a.bitrix24.com';
const B = 'https://b.bitrix24.de';
const C = 'https://crm.example.org:8443';
const dbNameOf = (origin: string) => `${DB_NAME}@${origin}`;

const record = (origin: string, userId = 1): ConnectionRecord => ({
  webhookUrl: `${origin}/rest/${userId}/abc123def456/`,
  origin,
  userId,
  userName: `User ${userId}`,
  timeZone: 'Europe/Berlin',
  scopes: ['crm', 'user'],
  connectedAt: 0,
});

/** As Connect saves a checked connection (lib/background/connection.ts replaceWith), without the check. */
async function connected(origin: string) {
  const slot = await addSlot(origin);
  const db = await dbOf(slot);
  await saveConnection(db, record(origin));
  await db.put('items', makeItem({ entityTypeId: 2, id: 1 }));
  await db.put('activities', { ...makeActivity({ id: 1 }), itemKeys: ['2:1'] });
  await putMeta(db, 'bucket', { level: 1, at: 1 });
  return slot;
}

const databases = async () => (await indexedDB.databases()).map((d) => d.name ?? '').sort();

beforeEach(async () => {
  // Every test has a fresh IndexedDB (tests/unit/setup.ts): let go of the handles kept from the one before.
  for (const name of [DB_NAME, ...[A, B, C].map(dbNameOf)]) await deleteDb(name);
});

describe('the list of portals', () => {
  it('an empty profile migrates to an empty list, saved', async () => {
    expect(await listSlots()).toEqual([]);
    expect((await fakeBrowser.storage.local.get(REGISTRY_KEY))[REGISTRY_KEY]).toEqual([]);
    expect(await connectedPortals()).toEqual([]);
  });

  it('a saved list is the list: the first database is not read for a connection then', async () => {
    await saveConnection(await getDb(DB_NAME), record(A));
    await fakeBrowser.storage.local.set({ [REGISTRY_KEY]: [{ origin: B, dbName: dbNameOf(B) }] });
    expect(await listSlots()).toEqual([{ origin: B, dbName: dbNameOf(B) }]);
    // B's database has no connection: listed, but not a connected portal.
    expect(await connectedPortals()).toEqual([]);
    expect(await connectedPortal(B)).toBeNull();
    expect(await connectedPortal(A)).toBeNull();
  });

  it('portals connected at once each get their slot, one database each', async () => {
    await Promise.all([addSlot(A), addSlot(B), addSlot(C), addSlot(B)]);
    const slots = await listSlots();
    expect(slots.map((s) => s.origin).sort()).toEqual([A, B, C].sort());
    expect(new Set(slots.map((s) => s.dbName)).size).toBe(3);
    expect(slots.filter((s) => s.dbName === DB_NAME)).toHaveLength(1);
    expect((await fakeBrowser.storage.local.get(REGISTRY_KEY))[REGISTRY_KEY]).toEqual(slots);
    await Promise.all([removeSlot(A), removeSlot(C)]);
    expect(await listSlots()).toEqual(slots.filter((s) => s.origin === B));
  });

  it('a list written by another context is read again', async () => {
    watchSlots();
    await addSlot(A);
    expect((await listSlots()).map((s) => s.origin)).toEqual([A]);
    await fakeBrowser.storage.local.set({ [REGISTRY_KEY]: [{ origin: A, dbName: DB_NAME }, { origin: B, dbName: dbNameOf(B) }] });
    expect((await listSlots()).map((s) => s.origin)).toEqual([A, B]);
  });
});

describe('notification clicks', () => {
  it('open the item on the portal the ID names: b24c: the first slot, b24c@ORIGIN another', async () => {
    await connected(A);
    await connected(C);
    const opened: string[] = [];
    vi.spyOn(fakeBrowser.tabs, 'create').mockImplementation(async (props) => {
      opened.push(props.url!);
      return { id: opened.length } as never;
    });
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([] as never);
    const click = async (id: string) => {
      await fakeBrowser.notifications.create(id, { type: 'basic', iconUrl: '', title: 't', message: 'm' });
      await notificationClicked(id);
      expect(Object.keys(await fakeBrowser.notifications.getAll())).not.toContain(id);
      return opened.splice(0);
    };
    expect(await click('b24c:2:15:99')).toEqual([`${A}/crm/deal/details/15/`]);
    expect(await click(`b24c@${C} 1:7:5`)).toEqual([`${C}/crm/lead/details/7/`]);
    expect(await click(`b24c@${C} 1032:3:6`)).toEqual([`${C}/crm/type/1032/details/3/`]);
    expect(await click(`b24c@${C} summary`)).toEqual([`${C}/crm/deal/activity/`]);
    expect(await click('b24c:summary')).toEqual([`${A}/crm/deal/activity/`]);
    // A portal not connected (any more): nothing opens.
    expect(await click(`b24c@${B} 2:1:1`)).toEqual([]);
    // Not ours, or malformed: left alone.
    await notificationClicked('b24c@nospace');
    await notificationClicked('other:2:1:1');
    expect(opened).toEqual([]);

    // The first slot's portal disconnected: its IDs open nothing; the other's still open on it.
    await disconnect(A);
    expect(await click('b24c:2:15:99')).toEqual([]);
    expect(await click(`b24c@${C} 2:9:1`)).toEqual([`${C}/crm/deal/details/9/`]);
  });
});

describe('Disconnect', () => {
  /** Every per-portal key of a slot (as the first slot's are named before several portals, or after the origin). */
  const perPortal = (slot: { origin: string; dbName: string }) =>
    ['chosenPersonId', 'portalWay', 'writesRefused', 'notified'].map((base) => slotKey(base, slot));

  async function threePortals() {
    const slots = [await connected(A), await connected(B), await connected(C)];
    const values: Record<string, unknown> = { settings: { ...DEFAULT_SETTINGS, pollSeconds: 90 } };
    for (const slot of slots) {
      const [chosen, way, refused, notified] = perPortal(slot);
      Object.assign(values, {
        [chosen]: 2,
        [way]: { way: { litRule: 'lightTime', mode: 'activity' }, at: 1 },
        [refused]: true,
        [notified]: { incoming: [1], planned: [] },
      });
      await sessidStore(slot.origin).save(`sessid-of-${slot.origin}`);
      // Armed polls: setupSync's start runs no sync (nothing here answers).
      await fakeBrowser.alarms.create(slotKey('sync-poll', slot), { delayInMinutes: 1 });
      await fakeBrowser.alarms.create(slotKey('counters-wake', slot), { delayInMinutes: 5 });
    }
    await fakeBrowser.storage.local.set(values);
    setupSync();
    // Its start (each portal's wake-up) has read every database before a test disconnects one.
    await new Promise((r) => setTimeout(r, 50));
    return slots;
  }

  it('of one portal that is not the first: its database, keys, sessid and alarms go; the others stay', async () => {
    const [a, b, c] = await threePortals();
    await disconnect(B);
    expect(await listSlots()).toEqual([a, c]);
    expect(await databases()).toEqual([DB_NAME, c.dbName].sort());
    const local = await fakeBrowser.storage.local.get(null);
    for (const key of perPortal(b)) expect(local).not.toHaveProperty([key]);
    for (const key of [...perPortal(a), ...perPortal(c), 'settings']) expect(local).toHaveProperty([key]);
    expect(await sessidStore(B).load()).toBe('');
    expect(await sessidStore(A).load()).toBe(`sessid-of-${A}`);
    expect((await fakeBrowser.alarms.getAll()).map((alarm) => alarm.name).sort()).toEqual(
      ['sync-poll', 'counters-wake', `sync-poll ${C}`, `counters-wake ${C}`].sort(),
    );
    expect((await connectedPortals()).map((p) => p.connection.origin)).toEqual([A, C]);
  });

  it('of the first portal: its database stays, emptied, for the next new portal, which starts with none of its keys', async () => {
    const [a, b, c] = await threePortals();
    await disconnect(A);
    expect(await listSlots()).toEqual([b, c]);
    expect(await databases()).toEqual([DB_NAME, b.dbName, c.dbName].sort());
    const first = await getDb(DB_NAME);
    expect(await first.count('connection')).toBe(0);
    expect(await first.count('activities')).toBe(0);
    expect(await first.count('meta')).toBe(0);
    const local = await fakeBrowser.storage.local.get(null);
    for (const key of perPortal(a)) expect(local).not.toHaveProperty([key]);
    for (const key of [...perPortal(b), ...perPortal(c), 'settings']) expect(local).toHaveProperty([key]);
    expect(await fakeBrowser.alarms.get('sync-poll')).toBeUndefined();
    expect(await fakeBrowser.alarms.get(`sync-poll ${B}`)).toBeDefined();

    // A new portal takes the first database and the plain keys: nothing of A's is left there for it.
    const d = 'https://d.bitrix24.es';
    const slot = await addSlot(d);
    expect(slot).toEqual({ origin: d, dbName: DB_NAME });
    expect(await loadChosenPerson(slot)).toBeNull();
    expect(await loadPortalWay(slot)).toBeNull();
    expect(await loadChosenPerson(b)).toBe(2);
    await saveChosenPerson(4, slot);
    expect(await loadChosenPerson(b)).toBe(2);
    expect(await loadChosenPerson(c)).toBe(2);
  });

  it('while the badge or the popup reads the portals: no database of the disconnected portal is left behind', async () => {
    await connected(A);
    await connected(B);
    let reading = true;
    // What a badge paint or the popup does meanwhile: every listed portal's database and connection.
    const reader = (async () => {
      while (reading) await connectedPortals();
    })();
    await disconnect(B);
    reading = false;
    await reader;
    expect(await databases()).toEqual([DB_NAME]);
    expect((await connectedPortals()).map((p) => p.connection.origin)).toEqual([A]);
  });

  it('of every portal (null): every database emptied or gone, every per-portal key, sessid and alarm gone; settings stay', async () => {
    await threePortals();
    await disconnect(null);
    expect(await listSlots()).toEqual([]);
    expect((await fakeBrowser.storage.local.get(REGISTRY_KEY))[REGISTRY_KEY]).toEqual([]);
    // No record anywhere, and no database but the first's (emptied): forgetting the first portal's way is a
    // settings change whose listener goes over the listed portals; a portal being disconnected gets no new sync.
    expect(await databases()).toEqual([DB_NAME]);
    for (const name of await databases()) {
      const db = await openDB(name);
      for (const store of db.objectStoreNames) expect(await db.count(store), `${name} ${store}`).toBe(0);
      db.close();
    }
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).sort()).toEqual([REGISTRY_KEY, 'settings']);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
    expect(await connectedPortals()).toEqual([]);
  });
});
