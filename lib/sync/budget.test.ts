// The request budget, counted by the portal itself.
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { semanticOf } from '../../demo/store';
import { loadSyncState } from '../store/sync-store';
import { actualCopy, expectedCopy, handOver, openCountersDb, portalCall, requestFloor, startTestPortal, testEngine } from '../../tests/unit/sync-harness';
import { SWEPT_PER_FOLLOW_UP } from './poll';
import { REMINDER_WINDOW_MS } from './reminders';

let portal: DemoPortal | null = null;
afterEach(async () => {
  await portal?.close();
  portal = null;
});

describe('request budget', () => {
  for (const openActivities of [300, 3000]) {
    it(`first sync of ${openActivities} open activities stays within 1.2 × R_min + 5`, async () => {
      portal = await startTestPortal({ seed: 40, openActivities });
      const db = await openCountersDb();
      const floor = requestFloor(portal.store);
      portal.stats.reset();
      expect(await testEngine(portal, db).run()).toMatchObject({ ok: true, kind: 'first' });
      console.log(`first sync, ${JSON.stringify(floor)}: ${portal.stats.requests} requests`);
      expect(portal.stats.requests).toBeLessThanOrEqual(1.2 * floor.rMin + 5);
      expect(portal.stats.byMethod).toEqual({ batch: portal.stats.requests });
      const expected = expectedCopy(portal.store);
      const actual = await actualCopy(db);
      expect(actual.items).toEqual(expected.items);
      expect(actual.activities).toEqual(expected.activities);
    });
  }
});

describe('request budget under rule light time', () => {
  it('a first sync of 3000 open activities grows by one request per 49 to-dos due within the reminder window, no more', async () => {
    portal = await startTestPortal({ seed: 40, openActivities: 3000 });
    const db = await openCountersDb();
    const floor = requestFloor(portal.store);
    const now = Date.now();
    const due = [...portal.store.activities.values()].filter(
      (a) => !a.completed && a.providerId === 'CRM_TODO' && a.deadline !== null && a.deadline > now && a.deadline <= now + REMINDER_WINDOW_MS,
    ).length;
    portal.stats.reset();
    expect(await testEngine(portal, db, { readReminders: true }).run()).toMatchObject({ ok: true, kind: 'first' });
    const reminderRequests = Math.ceil(due / 49);
    console.log(`first sync under light time, ${JSON.stringify(floor)}, ${due} to-dos due within 7 days: ${portal.stats.requests} requests`);
    // Rule day's budget, plus the reminders' batches of fetchSettings.
    expect(portal.stats.requests).toBeLessThanOrEqual(1.2 * floor.rMin + 5 + reminderRequests);
  });
});

describe('bindings outside the look-up set', () => {
  it('a secondary binding to an item no look-up asks about is found by the sweep riding in follow-up requests, at no request of its own', async () => {
    portal = await startTestPortal({ seed: 41, openActivities: 300 });
    const p = portal;
    // A deal's to-do also bound to a closed lead that owns no open activity: no look-up asks about it.
    const bound = new Set<string>();
    for (const a of p.store.activities.values()) if (!a.completed) for (const b of a.bindings) bound.add(`${b.entityTypeId}:${b.entityId}`);
    const lonely = [...p.store.leads.values()].find((l) => semanticOf(p.store, l.statusId) !== 'P' && !bound.has(`1:${l.id}`))!;
    expect(lonely).toBeDefined();
    const deal = [...p.store.deals.values()].find((d) => d.stageId === 'NEW')!;
    const id = (await portalCall(p, 'crm.activity.add', {
      fields: { OWNER_TYPE_ID: 2, OWNER_ID: deal.id, SUBJECT: 'Bound twice', BINDINGS: [{ OWNER_TYPE_ID: 1, OWNER_ID: lonely.id }] },
    })) as number;
    // Backdate it so the poll's LAST_UPDATED window does not see it as a change.
    p.store.activities.get(id)!.lastUpdated -= 3_600_000;

    const db = await openCountersDb();
    const engine = testEngine(p, db, { reconcileMs: Number.POSITIVE_INFINITY });
    await engine.run();
    const afterFirst = (await db.get('activities', id))!;
    // The documented gap of per-item look-ups: the first sync sees the owner only.
    expect(afterFirst.bindings).toEqual([{ entityTypeId: 2, entityId: deal.id }]);
    // An idle poll is one small request and sweeps nothing.
    p.stats.reset();
    expect((await engine.run()).ok).toBe(true);
    expect(p.stats.requests).toBe(1);
    expect((await db.get('activities', id))!.bindings).toHaveLength(1);
    // Polls that need a follow-up anyway (a deal changed hands: its open activities are asked for) sweep in its spare slots.
    const polls = Math.ceil((await db.count('activities')) / SWEPT_PER_FOLLOW_UP) + 1;
    let requests = 0;
    for (let i = 0; i < polls; i++) {
      await handOver(p, i);
      p.stats.reset();
      expect((await engine.run()).ok).toBe(true);
      requests += p.stats.requests;
    }
    console.log(`first sync saw ${afterFirst.bindings.length} binding(s); after ${polls} polls with a follow-up (${requests} requests): exact`);
    expect(requests).toBeLessThanOrEqual(2 * polls);
    const expected = expectedCopy(p.store);
    const actual = await actualCopy(db);
    expect(actual.activities).toEqual(expected.activities);
    expect(actual.items).toEqual(expected.items);
    expect((await loadSyncState(db)).sweepAfter).toBeGreaterThanOrEqual(0);
  });
});
