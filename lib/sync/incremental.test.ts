import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import type { Db } from '../store/db';
import { loadSyncState } from '../store/sync-store';
import type { SyncEngine } from './engine';
import { SWEPT_PER_FOLLOW_UP } from './poll';
import { actualCopy, applyPortalChange, expectedCopy, handOver, openCountersDb, type PortalChange, portalCall, startTestPortal, testEngine } from '../../tests/unit/sync-harness';

const change = (withDeletes: boolean): fc.Arbitrary<PortalChange> => {
  const pick = fc.nat(10_000);
  const user = fc.integer({ min: 1, max: 7 });
  const options: fc.Arbitrary<PortalChange>[] = [
    fc.record({ op: fc.constant('create' as const), pick, deadlineDays: fc.integer({ min: -3, max: 5 }), secondary: fc.option(pick, { nil: null }) }),
    fc.record({ op: fc.constant('complete' as const), pick }),
    fc.record({ op: fc.constant('reassignDeal' as const), pick, userId: user }),
    fc.record({ op: fc.constant('reassignContact' as const), pick, userId: user }),
    fc.record({ op: fc.constant('closeDeal' as const), pick }),
    fc.record({ op: fc.constant('reopenDeal' as const), pick }),
    fc.record({ op: fc.constant('closeLead' as const), pick }),
    fc.record({ op: fc.constant('rebind' as const), pick, target: pick }),
    fc.record({ op: fc.constant('unbind' as const), pick }),
    fc.record({ op: fc.constant('moveSmartItem' as const), pick, open: fc.boolean() }),
  ];
  if (withDeletes) options.push(fc.record({ op: fc.constant('delete' as const), pick }));
  return fc.oneof(...options);
};

async function expectExact(portal: DemoPortal, db: Db): Promise<void> {
  const expected = expectedCopy(portal.store);
  const actual = await actualCopy(db);
  expect(actual.activities).toEqual(expected.activities);
  expect(actual.items).toEqual(expected.items);
}

describe('incremental sync', () => {
  let portal: DemoPortal;
  let db: Db;
  let engine: SyncEngine;

  beforeAll(async () => {
    portal = await startTestPortal({ seed: 11, openActivities: 300 });
    db = await openCountersDb();
    engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY });
    const first = await engine.run();
    expect(first).toMatchObject({ ok: true, kind: 'first' });
  });
  afterAll(() => portal.close());

  it('an idle poll costs exactly one request of at most 2 KB of answer, and changes nothing', async () => {
    await engine.run();
    portal.stats.reset();
    const outcome = await engine.run();
    expect(outcome).toMatchObject({ ok: true, kind: 'poll', change: null });
    expect(portal.stats.requests).toBe(1);
    expect(portal.stats.byMethod).toEqual({ batch: 1 });
    // The batch halts at its first dangling reference: one error, not one per reference.
    expect(portal.stats.responseBytes).toBeLessThanOrEqual(2048);
  });

  it('a poll with ten activity changes stays one request', async () => {
    const open = [...portal.store.activities.values()].filter((a) => !a.completed).slice(0, 10);
    for (const [i, a] of open.entries()) {
      await portalCall(portal, 'crm.activity.update', { id: a.id, fields: i % 2 ? { COMPLETED: 'Y' } : { SUBJECT: `Edited ${i}` } });
    }
    portal.stats.reset();
    const outcome = await engine.run();
    expect(outcome.ok).toBe(true);
    expect(portal.stats.requests).toBe(1);
    await expectExact(portal, db);
  });

  it('a deleted activity does not break polls, and the binding sweep finds it before any reconciliation', async () => {
    const victim = [...portal.store.activities.values()].find((a) => !a.completed)!;
    await portalCall(portal, 'crm.activity.delete', { id: victim.id });
    expect(await db.get('activities', victim.id)).toBeDefined();
    const activities = await db.count('activities');
    // The sweep rides in follow-up requests: each poll here has one (a deal changed hands).
    for (let i = 0; i < Math.ceil(activities / SWEPT_PER_FOLLOW_UP) + 1; i++) {
      await handOver(portal, i);
      expect((await engine.run()).ok).toBe(true);
    }
    expect(await db.get('activities', victim.id)).toBeUndefined();
    await expectExact(portal, db);
  });

  it('a poll with more changes than a page reads them all', async () => {
    const open = [...portal.store.activities.values()].filter((a) => !a.completed).slice(20, 95);
    for (const [i, a] of open.entries()) {
      await portalCall(portal, 'crm.activity.update', { id: a.id, fields: i % 4 ? { SUBJECT: `Bulk ${i}` } : { COMPLETED: 'Y' } });
    }
    portal.stats.reset();
    expect((await engine.run()).ok).toBe(true);
    expect(portal.stats.requests).toBeLessThanOrEqual(5);
    await expectExact(portal, db);
  });

  it('equals the portal after random sequences of changes (create, complete, reassign, close, reopen, rebind)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change(false), { minLength: 1, maxLength: 15 }), async (changes) => {
        for (const c of changes) await applyPortalChange(portal, c);
        const outcome = await engine.run();
        expect(outcome.ok).toBe(true);
        await expectExact(portal, db);
      }),
      { numRuns: 15, seed: 4242 },
    );
  });

  it('a reconciliation finds deletions and equals the portal after any changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change(true), { minLength: 1, maxLength: 15 }), async (changes) => {
        for (const c of changes) await applyPortalChange(portal, c);
        expect((await engine.run({ forceReconcile: true })).ok).toBe(true);
        await expectExact(portal, db);
        expect((await engine.run()).ok).toBe(true);
        await expectExact(portal, db);
      }),
      { numRuns: 6, seed: 777 },
    );
  });

  it('a reconciliation finds deleted items (the demo portal has no crm.deal.delete: removed from its store)', async () => {
    const deal = [...portal.store.deals.values()].find((d) => d.stageId === 'NEW' && portal.store.bindingIndex.get(`2:${d.id}`)?.size)!;
    expect(await db.get('items', [2, deal.id])).toBeDefined();
    portal.store.deals.delete(deal.id);
    for (const a of [...(portal.store.bindingIndex.get(`2:${deal.id}`) ?? [])]) {
      if (a.bindings.length > 1) {
        a.bindings = a.bindings.filter((b) => !(b.entityTypeId === 2 && b.entityId === deal.id));
        a.ownerTypeId = a.bindings[0].entityTypeId;
        a.ownerId = a.bindings[0].entityId;
      } else portal.store.activities.delete(a.id);
    }
    portal.store.bindingIndex.delete(`2:${deal.id}`);
    expect((await engine.run()).ok).toBe(true);
    expect(await db.get('items', [2, deal.id])).toBeDefined();
    expect((await engine.run({ forceReconcile: true })).ok).toBe(true);
    expect(await db.get('items', [2, deal.id])).toBeUndefined();
    await expectExact(portal, db);
  });

  it('the cursors follow the portal clock, with an overlap', async () => {
    const state = await loadSyncState(db);
    expect(state.portalOffsetMinutes).toBe(180);
    expect(state.activityCursor).toBeLessThan(Date.now() - 29_000);
    expect(state.activityCursor).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('bindings to records the portal does not return', () => {
  it('an activity bound to a contact that is gone: the poll fetches it once and goes on', async () => {
    const portal = await startTestPortal({ seed: 12, openActivities: 200 });
    try {
      const db = await openCountersDb();
      const engine = testEngine(portal, db, { reconcileMs: Number.POSITIVE_INFINITY });
      expect((await engine.run()).ok).toBe(true);
      const stored = new Set((await db.getAllKeys('items')).map(([t, id]) => `${t}:${id}`));
      const contact = [...portal.store.contacts.values()].find((c) => !stored.has(`3:${c.id}`))!;
      const deal = [...portal.store.deals.values()].find((d) => d.stageId === 'NEW')!;
      await portalCall(portal, 'crm.activity.add', {
        fields: { OWNER_TYPE_ID: 2, OWNER_ID: deal.id, SUBJECT: 'Bound to a contact about to go', BINDINGS: [{ OWNER_TYPE_ID: 3, OWNER_ID: contact.id }] },
      });
      // The demo portal has no crm.contact.delete: the contact leaves its store, the binding stays.
      portal.store.contacts.delete(contact.id);
      portal.stats.reset();
      expect((await engine.run()).ok).toBe(true);
      expect(portal.stats.requests).toBeLessThanOrEqual(3);
      expect(await db.get('items', [3, contact.id])).toBeUndefined();
    } finally {
      await portal.close();
    }
  });
});
