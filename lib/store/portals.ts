// The connected portals: which ones, in the order they were connected, and
// where each keeps its copy. Every portal has a database of its own (so its
// store, cursors, bucket and lock are its own), and small per-portal values
// in storage.local under keys of its own. The first slot is the database and
// the keys the extension used before it knew several portals: a single
// connection saved then is the first portal now, its data where it was.
import { browser } from 'wxt/browser';
import { DB_NAME } from './db-name';

export interface PortalSlot {
  origin: string;
  /** Its IndexedDB database: DB_NAME for the first slot, else one named after the origin. */
  dbName: string;
}

/** storage.local key of the list (no secret: origins and database names). */
export const REGISTRY_KEY = 'portals';

/** The database a new portal gets: the first slot when free, else one of its own. */
export function dbNameFor(origin: string, taken: readonly PortalSlot[]): string {
  return taken.some((slot) => slot.dbName === DB_NAME) ? `${DB_NAME}@${origin}` : DB_NAME;
}

/** A storage.local key of this portal's own: the first slot keeps the key as it was before several portals. */
export function slotKey(base: string, slot: Pick<PortalSlot, 'dbName' | 'origin'>): string {
  return slot.dbName === DB_NAME ? base : `${base} ${slot.origin}`;
}

/** Completes a stored list: well-formed slots only, one per origin, one per database. */
export function normalizeRegistry(raw: unknown): PortalSlot[] | null {
  if (!Array.isArray(raw)) return null;
  const slots: PortalSlot[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== 'object') continue;
    const { origin, dbName } = entry as Partial<PortalSlot>;
    if (typeof origin !== 'string' || typeof dbName !== 'string') continue;
    if (slots.some((s) => s.origin === origin || s.dbName === dbName)) continue;
    slots.push({ origin, dbName });
  }
  return slots;
}

/** Adds or keeps an origin's slot (reconnecting an origin keeps its place and database). */
export function withSlot(slots: readonly PortalSlot[], origin: string): PortalSlot[] {
  if (slots.some((slot) => slot.origin === origin)) return [...slots];
  return [...slots, { origin, dbName: dbNameFor(origin, slots) }];
}

export function withoutSlot(slots: readonly PortalSlot[], origin: string): PortalSlot[] {
  return slots.filter((slot) => slot.origin !== origin);
}

export async function readRegistry(): Promise<PortalSlot[] | null> {
  return normalizeRegistry((await browser.storage.local.get(REGISTRY_KEY))[REGISTRY_KEY]);
}

export async function writeRegistry(slots: readonly PortalSlot[]): Promise<void> {
  await browser.storage.local.set({ [REGISTRY_KEY]: slots });
}

/** A portal's host as the contract names it: `:port` only when not the scheme's default. */
export function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
