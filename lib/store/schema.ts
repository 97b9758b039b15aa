// The extension's IndexedDB schema: stores, records and versions (the
// queries live in db.ts, the repair of a broken database in repair.ts). It
// lives in the extension's origin, which content scripts and pages cannot
// read: the webhook secret is kept here and nowhere else.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { type CrmActivity, type CrmItem, type Department, itemKey, type Person } from '../domain';

import { DB_NAME } from './db-name';

export { DB_NAME };
export const DB_VERSION = 2;

/**
 * The saved connection. `webhookUrl` holds the secret: never send it out of
 * the background. With the browser's login (`mode: 'login'`) there is no
 * URL: the browser holds the session, and its sessid lives in storage.session.
 */
export interface ConnectionRecord {
  /** Absent on records saved before the login mode existed: those are webhooks. */
  mode?: 'webhook' | 'login';
  /** The webhook's base URL; '' in login mode. */
  webhookUrl: string;
  origin: string;
  userId: number;
  userName: string;
  timeZone: string | null;
  scopes: string[];
  connectedAt: number;
}

export interface CountersDb extends DBSchema {
  connection: { key: 'current'; value: ConnectionRecord };
  items: { key: [number, number]; value: CrmItem; indexes: { byResponsible: number } };
  /** Open activities; `itemKeys` (v2) indexes them by every item they are bound to. */
  activities: { key: number; value: StoredActivity; indexes: { byResponsible: number; byItem: string } };
  /** v2: rows of a full sync (first or reconciliation) in progress; live stores change only when it commits. */
  stagedItems: { key: [number, number]; value: CrmItem };
  stagedActivities: { key: number; value: StoredActivity };
  people: { key: number; value: Person };
  departments: { key: number; value: Department };
  /** Sync cursors, status and other small records, by name. */
  meta: { key: string; value: unknown };
}

/** An activity as stored: the domain record plus the `itemKey`s of its bindings, for the byItem index. */
export type StoredActivity = CrmActivity & { itemKeys: string[] };

export function toStored(a: CrmActivity): StoredActivity {
  return { ...a, itemKeys: [...new Set(a.bindings.map(itemKey))] };
}

/** Stores that hold data copied from the portal: what Disconnect erases. */
export const CRM_STORES = ['items', 'activities', 'people', 'departments', 'meta', 'stagedItems', 'stagedActivities'] as const;

export type Db = IDBPDatabase<CountersDb>;

export function openCountersDb(name: string = DB_NAME): Promise<Db> {
  return openDB<CountersDb>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('connection');
        const items = db.createObjectStore('items', { keyPath: ['entityTypeId', 'id'] });
        items.createIndex('byResponsible', 'responsibleId');
        const activities = db.createObjectStore('activities', { keyPath: 'id' });
        activities.createIndex('byResponsible', 'responsibleId');
        db.createObjectStore('people', { keyPath: 'id' });
        db.createObjectStore('departments', { keyPath: 'id' });
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        const activities = tx.objectStore('activities');
        activities.createIndex('byItem', 'itemKeys', { multiEntry: true });
        db.createObjectStore('stagedItems', { keyPath: ['entityTypeId', 'id'] });
        db.createObjectStore('stagedActivities', { keyPath: 'id' });
        // v1 rows have no itemKeys: add them in the upgrade transaction.
        void activities.openCursor().then(async function migrate(cursor): Promise<void> {
          if (!cursor) return;
          const row = cursor.value as CrmActivity & { itemKeys?: string[] };
          if (!row.itemKeys) await cursor.update(toStored(row));
          return migrate(await cursor.continue());
        });
      }
    },
  });
}
