// A database that cannot be opened as this version expects (a downgrade left
// a newer version, a store or index is missing, the browser reports it
// broken) is rebuilt: the connection is saved if it can still be read, the
// database is deleted and created anew, and the next sync is a first sync.
// The user does nothing.
import { deleteDB, openDB } from 'idb';
import { type ConnectionRecord, type Db, DB_NAME, openCountersDb } from './schema';

/** Every store and index this version needs, to tell a sound database from a broken one. */
const EXPECTED: Record<string, string[]> = {
  connection: [],
  items: ['byResponsible'],
  activities: ['byResponsible', 'byItem'],
  stagedItems: [],
  stagedActivities: [],
  people: [],
  departments: [],
  meta: [],
};

export function isSound(db: Db): boolean {
  const raw = db as unknown as IDBDatabase;
  const names = [...raw.objectStoreNames];
  if (!Object.keys(EXPECTED).every((store) => names.includes(store))) return false;
  const tx = raw.transaction(Object.keys(EXPECTED), 'readonly');
  return Object.entries(EXPECTED).every(([store, indexes]) => {
    const found = [...tx.objectStore(store).indexNames];
    return indexes.every((index) => found.includes(index));
  });
}

/** Reads the connection from whatever version is on disk, if it can. */
async function salvageConnection(name: string): Promise<ConnectionRecord | null> {
  try {
    const raw = await openDB(name);
    try {
      if (!raw.objectStoreNames.contains('connection')) return null;
      const record = (await raw.get('connection', 'current')) as ConnectionRecord | undefined;
      return record && (typeof record.webhookUrl === 'string' || record.mode === 'login') ? record : null;
    } finally {
      raw.close();
    }
  } catch {
    return null;
  }
}

/** Opens the database, rebuilding it when it is broken. `log` says why (never the secret). */
export async function openSoundDb(log: (message: string) => void = console.warn, name: string = DB_NAME): Promise<Db> {
  let reason: string;
  try {
    const db = await openCountersDb(name);
    if (isSound(db)) return db;
    db.close();
    reason = 'stores or indexes missing';
  } catch (error) {
    reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  }
  log(`[store] rebuilding the database (${reason}); the next sync is a first sync`);
  const connection = await salvageConnection(name);
  await deleteDB(name);
  const db = await openCountersDb(name);
  if (connection) await db.put('connection', connection, 'current');
  return db;
}
