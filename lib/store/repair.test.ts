import { deleteDB, openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_NAME, DB_VERSION, loadConnection } from './db';
import { isSound, openSoundDb } from './repair';

const connection = {
  webhookUrl: 'https://a.bitrix24.com/rest/1/abc123def456/',
  origin: 'https://a.bitrix24.com',
  userId: 1,
  userName: 'Anna',
  timeZone: null,
  scopes: ['crm'],
  connectedAt: 1,
};

describe('a broken database is rebuilt, keeping the connection', () => {
  it('a database from a newer version (downgrade)', async () => {
    const newer = await openDB(DB_NAME, DB_VERSION + 5, {
      upgrade(db) {
        db.createObjectStore('connection');
        db.createObjectStore('somethingNew');
      },
    });
    await newer.put('connection', connection, 'current');
    newer.close();
    const logs: string[] = [];
    const db = await openSoundDb((m) => logs.push(m));
    expect(isSound(db)).toBe(true);
    expect(await loadConnection(db)).toEqual(connection);
    expect(await db.count('activities')).toBe(0);
    expect(logs.join()).toMatch(/rebuilding/);
    expect(logs.join()).not.toContain('abc123def456');
    db.close();
  });

  it('a database with a store missing', async () => {
    const broken = await openDB(DB_NAME, DB_VERSION, {
      upgrade(db) {
        db.createObjectStore('connection');
        db.createObjectStore('meta');
      },
    });
    await broken.put('connection', connection, 'current');
    await broken.put('meta', { fullSyncAt: 5 }, 'sync');
    broken.close();
    const db = await openSoundDb(() => {});
    expect(isSound(db)).toBe(true);
    expect(await loadConnection(db)).toEqual(connection);
    // The sync state is gone: the next sync is a first sync.
    expect(await db.get('meta', 'sync')).toBeUndefined();
    db.close();
  });

  it('a missing database is simply created', async () => {
    await deleteDB(DB_NAME);
    const logs: string[] = [];
    const db = await openSoundDb((m) => logs.push(m));
    expect(isSound(db)).toBe(true);
    expect(logs).toEqual([]);
    db.close();
  });
});
