// The extension's IndexedDB, owned by the background: the connection's
// queries and the one shared handle. The schema is in schema.ts, which
// repair.ts also builds on (so neither imports the other's importer).
import { openSoundDb } from './repair';
import { type ConnectionRecord, CRM_STORES, type Db } from './schema';

export * from './schema';

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
    shared = openSoundDb().then((db) => {
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
