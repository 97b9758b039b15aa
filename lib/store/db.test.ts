import { describe, expect, it } from 'vitest';
import type { CrmItem } from '../domain';
import { type ConnectionRecord, eraseAll, loadConnection, openCountersDb, saveConnection } from './db';

const connection: ConnectionRecord = {
  webhookUrl: 'https://a.bitrix24.com/rest/1/abc123def456/',
  origin: 'https://a.bitrix24.com',
  userId: 1,
  userName: 'Anna Schmidt',
  timeZone: 'Europe/Berlin',
  scopes: ['crm', 'user'],
  connectedAt: 1,
};

const deal: CrmItem = {
  entityTypeId: 2,
  id: 5,
  title: 'Deal',
  responsibleId: 1,
  stageSemantic: 'P',
  stageId: 'NEW',
  categoryId: 0,
  isRecurring: false,
  isMyCompany: false,
  updatedAt: 0,
};

describe('store', () => {
  it('keeps the connection and the data for the same portal and user', async () => {
    const db = await openCountersDb();
    await saveConnection(db, connection);
    await db.put('items', deal);
    await saveConnection(db, { ...connection, connectedAt: 2 });
    expect((await loadConnection(db))?.connectedAt).toBe(2);
    expect(await db.count('items')).toBe(1);
    db.close();
  });

  it('erases the old copy when the portal changes', async () => {
    const db = await openCountersDb();
    await saveConnection(db, connection);
    await db.put('items', deal);
    await saveConnection(db, { ...connection, origin: 'https://b.bitrix24.com' });
    expect(await db.count('items')).toBe(0);
    db.close();
  });

  it('erases everything on disconnect', async () => {
    const db = await openCountersDb();
    await saveConnection(db, connection);
    await db.put('items', deal);
    await db.put('meta', { cursor: 1 }, 'sync');
    await eraseAll(db);
    expect(await loadConnection(db)).toBeNull();
    expect(await db.count('items')).toBe(0);
    expect(await db.count('meta')).toBe(0);
    db.close();
  });
});
