// The connected portals in the background: the list (lib/store/portals.ts),
// read once per worker and kept in step with storage, each portal's
// database, and its saved connection. A profile saved before several portals
// is migrated on the first read: its one connection becomes the first portal,
// its database and keys unchanged.
import { browser } from 'wxt/browser';
import { type ConnectionRecord, type Db, getDb, loadConnection } from '../store/db';
import { DB_NAME } from '../store/db-name';
import { type PortalSlot, REGISTRY_KEY, readRegistry, withoutSlot, withSlot, writeRegistry } from '../store/portals';

export type { PortalSlot } from '../store/portals';

let cached: Promise<PortalSlot[]> | null = null;
/** Changes of the list, one at a time. */
let changing: Promise<unknown> = Promise.resolve();

/** The connected portals' slots, in the order they were connected. */
export function listSlots(): Promise<PortalSlot[]> {
  cached ??= loadSlots().catch((error) => {
    cached = null;
    throw error;
  });
  return cached;
}

async function loadSlots(): Promise<PortalSlot[]> {
  const stored = await readRegistry();
  if (stored) return stored;
  // Before several portals: the connection, if any, in the first database.
  const connection = await loadConnection(await getDb(DB_NAME));
  const slots = connection ? [{ origin: connection.origin, dbName: DB_NAME }] : [];
  await writeRegistry(slots);
  return slots;
}

/** Forgets the list read (unit tests: every test starts from fresh storage). */
export function resetSlotsCache(): void {
  cached = null;
}

/** Another context (or this one) wrote the list: read it again next time. */
export function watchSlots(): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && REGISTRY_KEY in changes) cached = null;
  });
}

export async function slotOf(origin: string): Promise<PortalSlot | null> {
  return (await listSlots()).find((slot) => slot.origin === origin) ?? null;
}

export async function dbOf(slot: PortalSlot): Promise<Db> {
  return getDb(slot.dbName);
}

/** The portals with their saved connections (a slot whose database lost its connection is left out). */
export async function connectedPortals(): Promise<{ slot: PortalSlot; db: Db; connection: ConnectionRecord }[]> {
  const slots = await listSlots();
  const found = await Promise.all(
    slots.map(async (slot) => {
      const db = await dbOf(slot);
      const connection = await loadConnection(db);
      return connection ? { slot, db, connection } : null;
    }),
  );
  return found.filter((entry) => entry !== null);
}

/** One portal's database and connection; null when that origin is not connected. */
export async function connectedPortal(origin: string): Promise<{ slot: PortalSlot; db: Db; connection: ConnectionRecord } | null> {
  const slot = await slotOf(origin);
  if (!slot) return null;
  const db = await dbOf(slot);
  const connection = await loadConnection(db);
  return connection ? { slot, db, connection } : null;
}

function change<T>(work: () => Promise<T>): Promise<T> {
  const next = changing.then(work, work);
  changing = next.catch(() => undefined);
  return next;
}

/** The slot of an origin about to be connected: its own if it has one, else a new one at the end. */
export function addSlot(origin: string): Promise<PortalSlot> {
  return change(async () => {
    const slots = withSlot(await listSlots(), origin);
    await writeRegistry(slots);
    cached = Promise.resolve(slots);
    return slots.find((slot) => slot.origin === origin)!;
  });
}

export function removeSlot(origin: string): Promise<void> {
  return change(async () => {
    const slots = withoutSlot(await listSlots(), origin);
    await writeRegistry(slots);
    cached = Promise.resolve(slots);
  });
}
