// The check against the portal's own counters, wired into the sync, against
// the demo portal over HTTP with its crm.counter.list on: it rides in
// requests the sync makes anyway, never in the idle poll, and no answer of it
// ever stops the sync.
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { REP_SECRET, REP_USER_ID } from '../../demo/config';
import { defaultCounterList } from '../../demo/counter-list';
import type { DemoPortal } from '../../demo/server';
import { applyPortalChange, openCountersDb, startTestPortal, testEngine } from '../../tests/unit/sync-harness';
import { agreementState } from '../counters/agreement';
import { DEFAULT_SETTINGS, inForce, loadSettings, PORTAL_WAY_KEY, saveSettings } from '../settings';
import type { Db } from '../store/db';
import { DB_NAME } from '../store/db-name';
import { writeRegistry } from '../store/portals';
import { ABSENT_METHOD_EVERY_MS, CHECK_EVERY_MS, loadPortalChecks, PortalCheck, readTypeAnswer } from './portal-check';

const counterCommands = (portal: DemoPortal) =>
  Object.entries(portal.stats.commands)
    .filter(([m]) => m.toLowerCase() === 'crm.counter.list')
    .reduce((n, [, c]) => n + c, 0);

function checkFor(userId = 1, forced?: () => boolean) {
  return new PortalCheck({ userId, settings: inForce(DEFAULT_SETTINGS, null), browserZone: 'Europe/Berlin', forced });
}

describe('reading one command\'s answer', () => {
  it.each<[string, unknown, string | null, unknown]>([
    ['today\'s codes', { crm_deal_incomingchannel: 2, crm_deal_current: '3', crm_deal_all: 5, crm_deal_current_excl: 100 }, null, { kind: 'counted', incoming: 2, current: 3, othersCurrent: 100 }],
    ['[] (counters off)', [], null, { kind: 'off' }],
    ['the previous generation', { crm_deal_idle: 1, crm_deal_current: 2, crm_deal_all: 3 }, null, { kind: 'previous' }],
    ['ACCESS_DENIED: not the plan error, that type only', undefined, 'ACCESS_DENIED', { kind: 'denied' }],
    ['a method an old portal lacks', undefined, 'ERROR_METHOD_NOT_FOUND', { kind: 'error', code: 'ERROR_METHOD_NOT_FOUND' }],
    ['junk', 'x', null, { kind: 'error', code: 'unexpected' }],
  ])('%s', (_name, result, error, expected) => {
    expect(readTypeAnswer(2, null, result, error)).toEqual(expected);
  });
});

describe('the check in the sync', () => {
  let portal: DemoPortal;
  let db: Db;

  beforeEach(async () => {
    portal = await startTestPortal({ seed: 19, openActivities: 300 });
    portal.store.counterList = { ...defaultCounterList(), enabled: true, mode: 'activity' };
    db = await openCountersDb();
  });
  afterEach(async () => {
    await portal.close();
  });

  it('rides in the first sync\'s requests (no request more), follows the portal\'s way, and agrees', async () => {
    // The same first sync without the check, for its request count.
    const plain = testEngine(portal, await openCountersDb(), { reconcileMs: Number.POSITIVE_INFINITY });
    portal.stats.reset();
    await plain.run();
    const without = portal.stats.requests;
    // A fresh IndexedDB (one database name), and a second portal of the same seed for the check.
    globalThis.indexedDB = new IDBFactory();
    db = await openCountersDb();
    const second = await startTestPortal({ seed: 19, openActivities: 300 });
    second.store.counterList = { ...defaultCounterList(), enabled: true, mode: 'activity' };
    try {
      // The engine's clock, moved on below (the check keeps its last time in memory, as a running worker does).
      let shift = 0;
      const engine = testEngine(second, db, { reconcileMs: Number.POSITIVE_INFINITY, portalCheck: checkFor(), now: () => Date.now() + shift });
      second.stats.reset();
      expect(await engine.run()).toMatchObject({ ok: true, kind: 'first' });
      expect(second.stats.requests).toBeLessThanOrEqual(without);
      expect(counterCommands(second)).toBe(5); // leads, deals, contacts, companies, the smart process with counters
      const checks = await loadPortalChecks(db);
      expect(checks?.records[0]).toMatchObject({ generation: 'current', portalWay: { litRule: 'lightTime', mode: 'activity' }, way: { litRule: 'lightTime', mode: 'activity' } });
      expect((await fakeBrowser.storage.local.get(PORTAL_WAY_KEY))[PORTAL_WAY_KEY]).toMatchObject({ way: { litRule: 'lightTime', mode: 'activity' } });
      expect(checks?.records[0].agrees).toBe(true);
      expect(agreementState(checks!.records)).toBe('match');

      // The idle poll: one request, no counter command (the check is not due, and never rides a halting request).
      second.stats.reset();
      expect(await engine.run()).toMatchObject({ ok: true, kind: 'poll' });
      expect(second.stats.requests).toBe(1);
      expect(counterCommands(second)).toBe(0);

      // Due again after 30 minutes: still never in the idle poll...
      shift += CHECK_EVERY_MS + 1;
      second.stats.reset();
      await engine.run();
      expect(second.stats.requests).toBe(1);
      expect(counterCommands(second)).toBe(0);
      // ...but in a poll's follow-up request.
      await applyPortalChange(second, { op: 'reassignDeal', pick: 3, userId: 6 });
      second.stats.reset();
      await engine.run();
      expect(second.stats.requests).toBeGreaterThanOrEqual(2);
      expect(counterCommands(second)).toBe(5);
      expect((await loadPortalChecks(db))?.records).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  it('a type the user may not read, a pipeline, a type with counters off: named, left out, the sync unharmed', async () => {
    portal.store.counterList = { ...defaultCounterList(), enabled: true, disabledTypes: [4], denied: { [REP_USER_ID]: { types: [1], dealCategories: [1] } } };
    const rep = { ...portal, webhookUrl: portal.webhookUrl.replace(/\/rest\/1\/[^/]+\//, `/rest/${REP_USER_ID}/${REP_SECRET}/`) } as DemoPortal;
    const engine = testEngine(rep, db, { reconcileMs: Number.POSITIVE_INFINITY, portalCheck: checkFor(REP_USER_ID) });
    expect(await engine.run()).toMatchObject({ ok: true, kind: 'first' });
    const record = (await loadPortalChecks(db))!.records[0];
    const kinds = Object.fromEntries(record.types.map((t) => [t.entityTypeId, t.answer]));
    expect(kinds).toMatchObject({ 1: 'denied', 2: 'counted', 3: 'counted', 4: 'off' });
    expect(record.agrees).toBe(true);
  });

  it('on a portal without the method: not available, nothing followed, the sync unharmed', async () => {
    portal.store.counterList = undefined;
    let shift = 0;
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, portalCheck: checkFor(), now: () => Date.now() + shift });
    expect(await engine.run()).toMatchObject({ ok: true, kind: 'first' });
    const checks = (await loadPortalChecks(db))!;
    expect(agreementState(checks.records)).toBe('unavailable');
    expect(checks.follow.way).toBeNull();
    expect((await fakeBrowser.storage.local.get(PORTAL_WAY_KEY))[PORTAL_WAY_KEY]).toBeUndefined();
    // Asked again a day later, not with every reconciliation.
    portal.stats.reset();
    await engine.run({ forceReconcile: true });
    expect(counterCommands(portal)).toBe(0);
    shift += ABSENT_METHOD_EVERY_MS + 1;
    await engine.run({ forceReconcile: true });
    expect(counterCommands(portal)).toBe(5);
  });

  it('a forced check (the demo build\'s check-now) carries itself in an idle poll\'s run, in a request of its own', async () => {
    let force = false;
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, portalCheck: checkFor(1, () => force) });
    await engine.run();
    force = true;
    portal.stats.reset();
    await engine.run();
    expect(portal.stats.requests).toBe(2);
    expect(counterCommands(portal)).toBe(5);
    expect((await loadPortalChecks(db))?.records).toHaveLength(2);
  });

  it('another portal\'s check reads that portal\'s own choice and keeps its way under that portal\'s key', async () => {
    const slot = { origin: portal.origin, dbName: `${DB_NAME}@${portal.origin}` };
    await writeRegistry([{ origin: 'https://first.bitrix24.com', dbName: DB_NAME }, slot]);
    // The first portal follows its portal (the default); this one's user chose day and item.
    await saveSettings({ litRule: 'day', counterMode: 'item' }, slot);
    const check = new PortalCheck({ userId: 1, settings: await loadSettings(slot), browserZone: 'Europe/Berlin', slot });
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY, portalCheck: check });
    expect(await engine.run()).toMatchObject({ ok: true, kind: 'first' });
    expect((await loadPortalChecks(db))!.records[0]).toMatchObject({ way: { litRule: 'day', mode: 'item' }, portalWay: { litRule: 'lightTime', mode: 'activity' } });
    const stored = await fakeBrowser.storage.local.get(null);
    expect(stored[`${PORTAL_WAY_KEY} ${portal.origin}`]).toMatchObject({ way: { litRule: 'lightTime', mode: 'activity' } });
    expect(stored[PORTAL_WAY_KEY]).toBeUndefined();
  });
});
