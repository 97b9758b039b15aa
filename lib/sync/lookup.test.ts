import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPortal } from '../../demo/server';
import { openCountersDb, startTestPortal, testEngine } from '../../tests/unit/sync-harness';

let portal: DemoPortal;
beforeAll(async () => {
  portal = await startTestPortal({ seed: 3, openActivities: 300 });
});
afterAll(() => portal.close());

describe('item look-ups for chips', () => {
  it('fetches open items the copy lacks in one request, and skips what the portal does not have', async () => {
    const db = await openCountersDb();
    const engine = testEngine(portal, db);
    expect(await engine.lookupItems([{ entityTypeId: 3, entityId: 1 }])).toBeNull(); // before the first sync
    expect((await engine.run()).ok).toBe(true);
    const bound = new Set<number>();
    for (const a of portal.store.activities.values()) {
      if (!a.completed) for (const b of a.bindings) if (b.entityTypeId === 3) bound.add(b.entityId);
    }
    const lonely = [...portal.store.contacts.values()].filter((c) => !bound.has(c.id)).slice(0, 3);
    expect(lonely.length).toBeGreaterThan(0);
    for (const c of lonely) expect(await db.get('items', [3, c.id])).toBeUndefined();

    portal.stats.reset();
    const change = await engine.lookupItems([
      ...lonely.map((c) => ({ entityTypeId: 3, entityId: c.id })),
      { entityTypeId: 3, entityId: 999_999 },
    ]);
    expect(portal.stats.requests).toBe(1);
    expect(change?.upsertItems.map((i) => i.id).sort()).toEqual(lonely.map((c) => c.id).sort());
    for (const c of lonely) {
      expect(await db.get('items', [3, c.id])).toMatchObject({ responsibleId: c.assignedById, title: `${c.name} ${c.lastName}`.trim() });
    }
  });
});
