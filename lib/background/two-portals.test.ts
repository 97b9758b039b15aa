// Unit (issue #17): the schedules of two portals interleave without sharing a
// lock or a bucket. Two demo portals (two ports of 127.0.0.1: two origins),
// both connected and synced; a slow run on one does not hold up a poll of the
// other; Disconnect of one erases its records only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DemoPortal } from '../../demo/server';
import { DB_NAME, getDb } from '../store/db';
import { hostOf, REGISTRY_KEY } from '../store/portals';
import { getMeta, loadSyncState } from '../store/sync-store';
import { startTestPortal } from '../../tests/unit/sync-harness';
import { currentBadgeInputs } from './badge';
import { connect, disconnect } from './connection';
import { connectedPortals, listSlots } from './portals';
import { getCounterIndex, getSyncStatus, setupSync } from './sync';

let one: DemoPortal;
let two: DemoPortal;
beforeAll(async () => {
  [one, two] = await Promise.all([startTestPortal({ seed: 81, openActivities: 60 }), startTestPortal({ seed: 82, openActivities: 60 })]);
});
afterAll(() => Promise.all([one.close(), two.close()]));

const ring = (name: string) => fakeBrowser.alarms.onAlarm.trigger({ name, scheduledTime: Date.now() });
const databases = async () => (await indexedDB.databases()).map((d) => d.name ?? '').sort();

describe('two portals', () => {
  it('each has its own database, bucket, lock and alarms; a slow run on one does not hold up the other; Disconnect erases one only', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
    setupSync();
    expect((await connect(one.webhookUrl)).ok).toBe(true);
    expect((await connect(two.webhookUrl)).ok).toBe(true);
    const firstSlot = { origin: one.origin, dbName: DB_NAME };
    const secondSlot = { origin: two.origin, dbName: `${DB_NAME}@${two.origin}` };
    expect(await listSlots()).toEqual([firstSlot, secondSlot]);
    expect((await fakeBrowser.storage.local.get(REGISTRY_KEY))[REGISTRY_KEY]).toEqual([firstSlot, secondSlot]);
    // Both first syncs run at once, each into its own database.
    await vi.waitFor(
      async () => {
        expect((await getSyncStatus(one.origin)).phase).toBe('ready');
        expect((await getSyncStatus(two.origin)).phase).toBe('ready');
      },
      { timeout: 8_000, interval: 50 },
    );
    const db1 = await getDb(DB_NAME);
    const db2 = await getDb(secondSlot.dbName);
    expect(db2).not.toBe(db1);
    expect(await databases()).toEqual([DB_NAME, secondSlot.dbName].sort());
    expect((await db1.get('connection', 'current'))?.origin).toBe(one.origin);
    expect((await db2.get('connection', 'current'))?.origin).toBe(two.origin);
    const ids = async (db: typeof db1) => (await db.getAllKeys('activities')).sort((a, b) => a - b);
    const openIds = (portal: DemoPortal) => [...portal.store.activities.values()].filter((a) => !a.completed).map((a) => a.id).sort((a, b) => a - b);
    expect(await ids(db1)).toEqual(openIds(one));
    expect(await ids(db2)).toEqual(openIds(two));
    // Each portal's bucket in its own database; no lock left by either.
    expect(await getMeta(db1, 'bucket')).not.toBeNull();
    expect(await getMeta(db2, 'bucket')).not.toBeNull();
    expect(await getMeta(db1, 'lock')).toBeNull();
    expect(await getMeta(db2, 'lock')).toBeNull();
    // Alarms of their own: the first slot's as before several portals, the other's named after its origin.
    for (const name of ['sync-poll', `sync-poll ${two.origin}`]) expect(await fakeBrowser.alarms.get(name)).toBeDefined();
    await vi.waitFor(
      async () => {
        for (const name of ['counters-wake', `counters-wake ${two.origin}`]) expect(await fakeBrowser.alarms.get(name)).toBeDefined();
      },
      { timeout: 5_000, interval: 50 },
    );
    // The badge: a line per portal under its host, counts from each one's own copy.
    const now = Date.now();
    const inputs = await currentBadgeInputs(now);
    expect(inputs.map((i) => i.host)).toEqual([hostOf(one.origin), hostOf(two.origin)]);
    const totalsOne = (await getCounterIndex(one.origin))!.totals(1, now);
    const totalsTwo = (await getCounterIndex(two.origin))!.totals(1, now);
    expect(inputs.map((i) => i.input)).toEqual([
      { kind: 'synced', incoming: totalsOne.incoming, planned: totalsOne.planned, lastSyncAt: (await loadSyncState(db1)).lastSyncAt },
      { kind: 'synced', incoming: totalsTwo.incoming, planned: totalsTwo.planned, lastSyncAt: (await loadSyncState(db2)).lastSyncAt },
    ]);

    // A slow poll of the first (each request takes 1.2 s): its lock is held while the second's poll comes and goes.
    const before1 = await loadSyncState(db1);
    const before2 = await loadSyncState(db2);
    one.faults.set({ latencyMs: 1_200 });
    two.faults.set({ latencyMs: 150 });
    one.stats.reset();
    two.stats.reset();
    const slowStart = Date.now();
    await ring('sync-poll');
    await vi.waitFor(async () => expect(one.stats.requests).toBeGreaterThan(0), { timeout: 2_000, interval: 10 });
    const lock1 = await getMeta(db1, 'lock');
    expect(lock1).not.toBeNull();
    const bucket1 = await getMeta(db1, 'bucket');
    await ring(`sync-poll ${two.origin}`);
    // The second takes a lock of its own (another owner, in its own database) while the first's is held.
    await vi.waitFor(async () => expect(await getMeta(db2, 'lock')).not.toBeNull(), { timeout: 1_000, interval: 5 });
    const lock2 = await getMeta(db2, 'lock');
    expect(lock2!.owner).not.toBe(lock1!.owner);
    expect(await getMeta(db1, 'lock')).toEqual(lock1);
    // The second's poll is done while the first's is still in flight.
    await vi.waitFor(async () => expect((await loadSyncState(db2)).lastSyncAt).toBeGreaterThan(before2.lastSyncAt!), { timeout: 1_000, interval: 10 });
    expect(await getMeta(db1, 'lock')).toEqual(lock1);
    expect((await loadSyncState(db1)).lastSyncAt).toBe(before1.lastSyncAt);
    expect(two.stats.requests).toBeGreaterThan(0);
    // Its bucket moved in its own database; the first's did not move meanwhile.
    expect((await getMeta(db2, 'bucket'))!.at).toBeGreaterThanOrEqual(slowStart);
    expect(await getMeta(db1, 'bucket')).toEqual(bucket1);
    expect(await getMeta(db2, 'lock')).toBeNull();
    // Then the first's ends too, and releases its own lock.
    await vi.waitFor(async () => expect((await loadSyncState(db1)).lastSyncAt).toBeGreaterThan(before1.lastSyncAt!), { timeout: 5_000, interval: 20 });
    await vi.waitFor(async () => expect(await getMeta(db1, 'lock')).toBeNull(), { timeout: 1_000, interval: 20 });
    one.faults.clear();
    two.faults.clear();

    // Disconnect the second: its database, alarms and slot go; the first's stay as they were.
    const activities1 = await ids(db1);
    await disconnect(two.origin);
    expect(await listSlots()).toEqual([firstSlot]);
    expect(await databases()).toEqual([DB_NAME]);
    for (const name of [`sync-poll ${two.origin}`, `counters-wake ${two.origin}`]) expect(await fakeBrowser.alarms.get(name)).toBeUndefined();
    expect(await fakeBrowser.alarms.get('sync-poll')).toBeDefined();
    expect(await ids(db1)).toEqual(activities1);
    expect((await connectedPortals()).map((p) => p.connection.origin)).toEqual([one.origin]);
    expect((await getSyncStatus(two.origin)).phase).toBe('notConnected');
    expect(await getCounterIndex(two.origin)).toBeNull();
    expect((await getSyncStatus(one.origin)).phase).toBe('ready');
    expect((await currentBadgeInputs()).map((i) => i.host)).toEqual([hostOf(one.origin)]);
    // Its poll alarm ringing late asks nothing of anyone.
    one.stats.reset();
    two.stats.reset();
    await ring(`sync-poll ${two.origin}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(one.stats.requests + two.stats.requests).toBe(0);
  });
});
