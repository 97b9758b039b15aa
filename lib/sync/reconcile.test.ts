// Reconciliation (issue #14, item 1): it finds deletions and what left the
// user's view by scanning, and re-reads no binding the copy already knows
// (a binding change moves the activity's LAST_UPDATED on Bitrix24).
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { reconcileIntervalMs } from './engine';
import { actualCopy, applyPortalChange, expectedCopy, openCountersDb, portalCall, requestFloor, startTestPortal, testEngine } from '../../tests/unit/sync-harness';

let portal: DemoPortal | null = null;
afterEach(async () => {
  await portal?.close();
  portal = null;
});

describe('reconciliation', () => {
  it('costs the scans, not a first sync: bindings of unchanged activities are carried over', async () => {
    portal = await startTestPortal({ seed: 44, openActivities: 3000 });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY });
    portal.stats.reset();
    await engine.run();
    const first = portal.stats.requests;
    const floor = requestFloor(portal.store);
    portal.stats.reset();
    expect(await engine.run({ forceReconcile: true })).toMatchObject({ ok: true, kind: 'reconcile' });
    const reconcile = portal.stats.requests;
    console.log(`3,000 open activities: first sync ${first} requests, reconciliation ${reconcile} (scans ⌈I/2500⌉ + ⌈A/2500⌉ = ${Math.ceil(floor.I / 2500) + Math.ceil(floor.A / 2500)})`);
    // People and counts, the scans, and nothing per item.
    expect(reconcile).toBeLessThanOrEqual(Math.ceil(floor.I / 2500) + Math.ceil(floor.A / 2500) + 4);
    expect(reconcile).toBeLessThan(first / 2);
    expect(portal.stats.commands['crm.activity.binding.list'] ?? 0).toBe(0);
    const expected = expectedCopy(portal.store);
    const actual = await actualCopy(db);
    expect(actual.items).toEqual(expected.items);
    expect(actual.activities).toEqual(expected.activities);
  });

  it('finds deletions, hand-overs, closes and binding changes, and asks only the changed activities', async () => {
    portal = await startTestPortal({ seed: 45, openActivities: 600 });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY });
    await engine.run();
    const changes = [
      { op: 'delete', pick: 3 },
      { op: 'delete', pick: 40 },
      { op: 'rebind', pick: 7, target: 2 },
      { op: 'unbind', pick: 11 },
      { op: 'closeDeal', pick: 5 },
      { op: 'reassignDeal', pick: 9, userId: 3 },
      { op: 'create', pick: 1, deadlineDays: 2, secondary: 4 },
    ] as const;
    for (const change of changes) await applyPortalChange(portal, change);
    portal.stats.reset();
    expect(await engine.run({ forceReconcile: true })).toMatchObject({ ok: true, kind: 'reconcile' });
    expect(portal.stats.commands['crm.activity.binding.list'] ?? 0).toBeLessThanOrEqual(10);
    const expected = expectedCopy(portal.store);
    const actual = await actualCopy(db);
    expect(actual.items).toEqual(expected.items);
    expect(actual.activities).toEqual(expected.activities);
    // A binding added behind the copy's back, with LAST_UPDATED moved as Bitrix24 moves it, is read again.
    const some = [...portal.store.activities.values()].find((a) => !a.completed && a.ownerTypeId === 2)!;
    const contact = [...portal.store.contacts.values()][0];
    await portalCall(portal, 'crm.activity.binding.add', { activityId: some.id, entityTypeId: 3, entityId: contact.id });
    await engine.run({ forceReconcile: true });
    expect((await db.get('activities', some.id))!.bindings).toContainEqual({ entityTypeId: 3, entityId: contact.id });
  });

  it('reads again a binding added in the same second as the copy last read the activity (LAST_UPDATED unchanged)', async () => {
    portal = await startTestPortal({ seed: 46, openActivities: 200 });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY });
    await engine.run();
    const some = [...portal.store.activities.values()].find((a) => !a.completed && a.ownerTypeId === 2)!;
    const free = [...portal.store.contacts.values()].filter((c) => !some.bindings.some((b) => b.entityTypeId === 3 && b.entityId === c.id));
    const bind = (contact: (typeof free)[number]) =>
      portalCall(portal!, 'crm.activity.binding.add', { activityId: some.id, entityTypeId: 3, entityId: contact.id });
    // A binding, a poll that reads the activity, and another binding, all within one second (a few tries, two new contacts each).
    for (let tries = 0; ; tries++) {
      expect(tries).toBeLessThan(5);
      while (Date.now() % 1000 > 100) await new Promise((r) => setTimeout(r, 10));
      const second = Math.floor(Date.now() / 1000);
      await bind(free[2 * tries]);
      expect(await engine.run()).toMatchObject({ ok: true, kind: 'poll' });
      await bind(free[2 * tries + 1]);
      if (Math.floor(Date.now() / 1000) === second) break;
    }
    expect(await engine.run({ forceReconcile: true })).toMatchObject({ ok: true, kind: 'reconcile' });
    const expected = expectedCopy(portal.store).activities.find((a) => a.id === some.id);
    const actual = (await actualCopy(db)).activities.find((a) => a.id === some.id);
    expect(actual).toEqual(expected);
  });
});

describe('reconcileIntervalMs', () => {
  it.each([
    [0, 30],
    [20_000, 36],
    [100_000, 60],
    [200_000, 90],
  ])('%i open activities: every %i minutes', (open, minutes) => {
    expect(reconcileIntervalMs(30 * 60_000, open)).toBe(minutes * 60_000);
  });
});
