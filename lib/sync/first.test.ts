import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { actualCopy, expectedCopy, openCountersDb, startTestPortal, testEngine } from '../../tests/unit/sync-harness';

let portal: DemoPortal;
beforeAll(async () => {
  portal = await startTestPortal({ seed: 7, openActivities: 300 });
});
afterAll(() => portal.close());

describe('first sync', () => {
  it('copies the portal open data record by record', async () => {
    const db = await openCountersDb();
    const engine = testEngine(portal, db);
    portal.stats.reset();
    const outcome = await engine.run();
    expect(outcome.ok).toBe(true);
    const expected = expectedCopy(portal.store);
    const actual = await actualCopy(db);
    expect(actual.items).toEqual(expected.items);
    expect(actual.activities).toEqual(expected.activities);
  });
});

describe('counted types setting', () => {
  it('narrowing the counted types re-syncs: only deals are copied, with their activities', async () => {
    const db = await openCountersDb();
    expect((await testEngine(portal, db).run()).ok).toBe(true);
    const narrowed = testEngine(portal, db, { countedTypes: [2] });
    expect(await narrowed.run()).toMatchObject({ ok: true, kind: 'reconcile' });
    const items = await db.getAll('items');
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.entityTypeId))).toEqual(new Set([2]));
    expect(await narrowed.run()).toMatchObject({ ok: true, kind: 'poll' });
  });
});
