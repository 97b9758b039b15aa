// The extension's IndexedDB, owned by the background: the connection's
// queries and the one shared handle. The schema is in schema.ts, which
// repair.ts also builds on (so neither imports the other's importer).
import { deleteDB } from 'idb';
import { openSoundDb } from './repair';
import { type ConnectionRecord, CRM_STORES, type Db, DB_NAME } from './schema';

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

const shared = new Map<string, Promise<Db>>();

/** The background's one connection to a portal's database (the first slot's by default), opened on first use. */
export function getDb(name: string = DB_NAME): Promise<Db> {
  let handle = shared.get(name);
  if (!handle) {
    handle = openSoundDb(undefined, name).then((db) => {
      // Another context upgrading the schema (or deleting the database) asks us to let go.
      db.addEventListener('versionchange', () => {
        db.close();
        if (shared.get(name) === handle) shared.delete(name);
      });
      return db;
    });
    handle.catch(() => {
      if (shared.get(name) === handle) shared.delete(name);
    });
    shared.set(name, handle);
  }
  return handle;
}

/** Closes and deletes a portal's database (a disconnected portal that is not the first slot). */
export async function deleteDb(name: string): Promise<void> {
  const handle = shared.get(name);
  shared.delete(name);
  if (handle) (await handle.catch(() => null))?.close();
  await deleteDB(name);
}
