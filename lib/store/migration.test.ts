import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { makeActivity } from '../counters/testing';
import { DB_NAME, openCountersDb } from './db';
import { applyChangeSet, commitStaging, EMPTY_SYNC_STATE, emptyChangeSet, loadSyncState, stageRows, takeLock } from './sync-store';

describe('schema v2', () => {
  it('migrates a v1 database: keeps its rows, adds the byItem index and the staging stores', async () => {
    const v1 = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('connection');
        const items = db.createObjectStore('items', { keyPath: ['entityTypeId', 'id'] });
        items.createIndex('byResponsible', 'responsibleId');
        const activities = db.createObjectStore('activities', { keyPath: 'id' });
        activities.createIndex('byResponsible', 'responsibleId');
        db.createObjectStore('people', { keyPath: 'id' });
        db.createObjectStore('departments', { keyPath: 'id' });
        db.createObjectStore('meta');
      },
    });
    await v1.put('activities', makeActivity({ id: 7, bindings: [{ entityTypeId: 2, entityId: 1 }, { entityTypeId: 3, entityId: 4 }] }));
    v1.close();
    const db = await openCountersDb();
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames]).toEqual(expect.arrayContaining(['stagedItems', 'stagedActivities']));
    expect(await db.getAllKeysFromIndex('activities', 'byItem', '3:4')).toEqual([7]);
  });

  it('applies a change set with the sync state in one transaction, and swaps staging in one', async () => {
    const db = await openCountersDb();
    const change = emptyChangeSet();
    change.upsertActivities.push(makeActivity({ id: 1 }), makeActivity({ id: 2 }));
    await applyChangeSet(db, change, { ...EMPTY_SYNC_STATE, lastSyncAt: 5 });
    expect(await db.count('activities')).toBe(2);
    expect((await loadSyncState(db)).lastSyncAt).toBe(5);
    await stageRows(db, { activities: [makeActivity({ id: 3 })] }, { kind: 'reconcile', stage: 'commit' } as never);
    expect(await db.count('activities')).toBe(2);
    await commitStaging(db, { ...EMPTY_SYNC_STATE, fullSyncAt: 9 });
    expect(await db.getAllKeys('activities')).toEqual([3]);
    expect(await db.count('stagedActivities')).toBe(0);
    expect(await db.get('meta', 'fullSync')).toBeUndefined();
  });

  it('the lease lock: one owner at a time until it expires', async () => {
    const db = await openCountersDb();
    expect(await takeLock(db, 'a', 1000, 100)).toBe(true);
    expect(await takeLock(db, 'b', 1050, 100)).toBe(false);
    expect(await takeLock(db, 'a', 1060, 100)).toBe(true);
    expect(await takeLock(db, 'b', 1161, 100)).toBe(true);
  });
});

describe('lock owners known dead', () => {
  it('a lease of a killed worker is taken over at once', async () => {
    const db = await openCountersDb();
    expect(await takeLock(db, 'old:1', 1000, 60_000)).toBe(true);
    expect(await takeLock(db, 'new:1', 1001, 60_000, (owner) => !owner.startsWith('new:'))).toBe(true);
    // Within one worker, another engine still waits for the lease.
    expect(await takeLock(db, 'new:2', 1002, 60_000, (owner) => !owner.startsWith('new:'))).toBe(false);
  });
});
