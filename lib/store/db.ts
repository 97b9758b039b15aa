// The extension's IndexedDB, owned by the background. It lives in the
// extension's origin, which content scripts and pages cannot read: the
// webhook secret is kept here and nowhere else.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { CrmActivity, CrmItem, Department, Person } from '../domain';

export const DB_NAME = 'counters-for-bitrix24';
export const DB_VERSION = 1;

/** The saved connection. `webhookUrl` holds the secret: never send it out of the background. */
export interface ConnectionRecord {
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
  activities: { key: number; value: CrmActivity; indexes: { byResponsible: number } };
  people: { key: number; value: Person };
  departments: { key: number; value: Department };
  /** Sync cursors, status and other small records, by name. */
  meta: { key: string; value: unknown };
}

/** Stores that hold data copied from the portal: what Disconnect erases. */
export const CRM_STORES = ['items', 'activities', 'people', 'departments', 'meta'] as const;

export type Db = IDBPDatabase<CountersDb>;

export function openCountersDb(): Promise<Db> {
  return openDB<CountersDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
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
    },
  });
}

export async function loadConnection(db: Db): Promise<ConnectionRecord | null> {
  return (await db.get('connection', 'current')) ?? null;
}

/** Saves a connection; when it points at another portal or user, the old copy is erased in the same transaction. */
export async function saveConnection(db: Db, record: ConnectionRecord): Promise<void> {
  const tx = db.transaction(['connection', ...CRM_STORES], 'readwrite');
  const previous = await tx.objectStore('connection').get('current');
  if (previous && (previous.origin !== record.origin || previous.userId !== record.userId)) {
    await Promise.all(CRM_STORES.map((name) => tx.objectStore(name).clear()));
  }
  await tx.objectStore('connection').put(record, 'current');
  await tx.done;
}

/** Forgets the webhook and every CRM record, in one transaction. */
export async function eraseAll(db: Db): Promise<void> {
  const tx = db.transaction(['connection', ...CRM_STORES], 'readwrite');
  await Promise.all([tx.objectStore('connection').clear(), ...CRM_STORES.map((name) => tx.objectStore(name).clear())]);
  await tx.done;
}

let shared: Promise<Db> | null = null;

/** The background's one connection to the database, opened on first use. */
export function getDb(): Promise<Db> {
  if (!shared) {
    shared = openCountersDb().then((db) => {
      // Another context upgrading the schema asks us to let go.
      db.addEventListener('versionchange', () => {
        db.close();
        shared = null;
      });
      return db;
    });
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}
