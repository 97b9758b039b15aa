// The connected portals' registry: pure helpers (which database a portal gets,
// its storage keys, its host) and the stored list's normalization.
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DB_NAME } from './db-name';
import { dbNameFor, hostOf, normalizeRegistry, type PortalSlot, readRegistry, REGISTRY_KEY, slotKey, withoutSlot, withSlot, writeRegistry } from './portals';

const A = 'https://a.bitrix24.com';
const B = 'https://b.bitrix24.de';
const C = 'https://crm.example.org:8443';

describe('portal slots', () => {
  it('the first portal gets the database of before several portals; the next ones get their own', () => {
    let slots = withSlot([], A);
    expect(slots).toEqual([{ origin: A, dbName: DB_NAME }]);
    slots = withSlot(slots, B);
    slots = withSlot(slots, C);
    expect(slots).toEqual([
      { origin: A, dbName: DB_NAME },
      { origin: B, dbName: `${DB_NAME}@${B}` },
      { origin: C, dbName: `${DB_NAME}@${C}` },
    ]);
  });

  it('reconnecting an origin keeps its place and database (a copy, not the same array)', () => {
    const slots = withSlot(withSlot([], A), B);
    const again = withSlot(slots, A);
    expect(again).toEqual(slots);
    expect(again).not.toBe(slots);
    expect(withSlot(again, B)).toEqual(slots);
  });

  it('the first slot is taken again by the next new portal once its portal is disconnected', () => {
    let slots = withSlot(withSlot([], A), B);
    slots = withoutSlot(slots, A);
    expect(slots).toEqual([{ origin: B, dbName: `${DB_NAME}@${B}` }]);
    expect(dbNameFor(C, slots)).toBe(DB_NAME);
    slots = withSlot(slots, C);
    expect(slots).toEqual([
      { origin: B, dbName: `${DB_NAME}@${B}` },
      { origin: C, dbName: DB_NAME },
    ]);
    // A coming back is a new portal now: the first slot is C's, so A gets a database of its own.
    expect(withSlot(slots, A).at(-1)).toEqual({ origin: A, dbName: `${DB_NAME}@${A}` });
  });

  it('a portal disconnected and connected again while the first slot is taken gets its own database again', () => {
    let slots = withSlot(withSlot([], A), B);
    slots = withSlot(withoutSlot(slots, B), B);
    expect(slots).toEqual([
      { origin: A, dbName: DB_NAME },
      { origin: B, dbName: `${DB_NAME}@${B}` },
    ]);
  });

  it('withoutSlot of an origin not there changes nothing', () => {
    const slots = withSlot([], A);
    expect(withoutSlot(slots, B)).toEqual(slots);
    expect(withoutSlot([], A)).toEqual([]);
  });

  it('slotKey: the first slot keeps the key of before, another gets its origin after a space', () => {
    expect(slotKey('chosenPersonId', { origin: A, dbName: DB_NAME })).toBe('chosenPersonId');
    expect(slotKey('chosenPersonId', { origin: B, dbName: `${DB_NAME}@${B}` })).toBe(`chosenPersonId ${B}`);
    expect(slotKey('sync-poll', { origin: C, dbName: `${DB_NAME}@${C}` })).toBe('sync-poll https://crm.example.org:8443');
    // It follows the database, not the position: the first slot taken by a later portal keeps the plain keys.
    expect(slotKey('notified', { origin: C, dbName: DB_NAME })).toBe('notified');
  });

  it.each([
    ['https://a.bitrix24.com', 'a.bitrix24.com'],
    ['https://a.bitrix24.com:443', 'a.bitrix24.com'],
    ['http://crm.example.org:80', 'crm.example.org'],
    ['http://crm.example.org:443', 'crm.example.org:443'],
    ['https://crm.example.org:8443', 'crm.example.org:8443'],
    ['http://127.0.0.1:5173', '127.0.0.1:5173'],
    ['https://Portal.Example.COM', 'portal.example.com'],
    ['not a url', 'not a url'],
  ])('hostOf(%s) = %s', (origin, host) => {
    expect(hostOf(origin)).toBe(host);
  });
});

describe('normalizeRegistry', () => {
  it('anything but a list is no list', () => {
    for (const raw of [undefined, null, 0, 'portals', {}, { 0: { origin: A, dbName: DB_NAME } }]) expect(normalizeRegistry(raw)).toBeNull();
  });

  it('keeps well-formed slots only, the first per origin and per database, in order', () => {
    const raw = [
      null,
      7,
      'https://x.bitrix24.com',
      { origin: A },
      { dbName: DB_NAME },
      { origin: 5, dbName: DB_NAME },
      { origin: A, dbName: DB_NAME, extra: true },
      { origin: A, dbName: `${DB_NAME}@${A}` },
      { origin: B, dbName: DB_NAME },
      { origin: B, dbName: `${DB_NAME}@${B}` },
      [C, DB_NAME],
    ];
    expect(normalizeRegistry(raw)).toEqual([
      { origin: A, dbName: DB_NAME },
      { origin: B, dbName: `${DB_NAME}@${B}` },
    ]);
    expect(normalizeRegistry([])).toEqual([]);
  });

  it('reads and writes the list in storage.local under its key', async () => {
    expect(await readRegistry()).toBeNull();
    const slots: PortalSlot[] = withSlot(withSlot([], A), B);
    await writeRegistry(slots);
    expect((await fakeBrowser.storage.local.get(REGISTRY_KEY))[REGISTRY_KEY]).toEqual(slots);
    expect(await readRegistry()).toEqual(slots);
    await fakeBrowser.storage.local.set({ [REGISTRY_KEY]: [{ origin: A, dbName: DB_NAME }, { origin: A, dbName: 'x' }, 'junk'] });
    expect(await readRegistry()).toEqual([{ origin: A, dbName: DB_NAME }]);
  });
});
