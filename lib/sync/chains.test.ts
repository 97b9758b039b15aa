// Scan chains sized to what can still come: the pure share, then first syncs
// over HTTP on portals whose lists end at every position of a chain.
import { describe, expect, it } from 'vitest';
import { removeActivity } from '../../demo/server';
import { actualCopy, expectedCopy, openCountersDb, startTestPortal, testEngine } from '../../tests/unit/sync-harness';
import { createRandom } from '../../demo/seed';
import { allocatePages, pagesNeeded } from './chains';

describe('allocatePages', () => {
  it('gives every chain its need when all fit, else fills level by level', () => {
    expect(allocatePages([3, 1, 10], 50)).toEqual([3, 1, 10]);
    expect(allocatePages([100, 2, 100], 50)).toEqual([24, 2, 24]);
    expect(allocatePages([0, 60], 49)).toEqual([0, 49]);
    expect(allocatePages([1, 1, 1], 2).reduce((a, b) => a + b)).toBe(2);
    expect([pagesNeeded(null), pagesNeeded(0), pagesNeeded(50), pagesNeeded(51)]).toEqual([1, 0, 1, 2]);
  });
});

interface Seen {
  cmd: Record<string, string>;
  result: Record<string, unknown[] | { items: unknown[] }>;
}

/** A fetch that records every batch's commands and answers. */
function recordingFetch(log: Seen[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (String(input).includes('/batch')) {
      const body = JSON.parse(String(init?.body ?? '{}'));
      const answer = await res.clone().json();
      log.push({ cmd: body.cmd ?? {}, result: answer?.result?.result ?? {} });
    }
    return res;
  };
}

const rowsOf = (r: unknown) => (Array.isArray(r) ? r : ((r as { items?: unknown[] })?.items ?? []));

/** Chained pages asked after a short page of the same chain, in any request: junk. */
function junkPages(log: Seen[]): string[] {
  const junk: string[] = [];
  for (const { cmd, result } of log) {
    const short = new Map<string, number>();
    for (const key of Object.keys(cmd)) {
      const m = /^c(\d+)p(\d+)$/.exec(key);
      if (!m) continue;
      if (rowsOf(result[key]).length < 50) short.set(m[1], Math.min(short.get(m[1]) ?? Number.POSITIVE_INFINITY, Number(m[2])));
    }
    for (const key of Object.keys(cmd)) {
      const m = /^c(\d+)p(\d+)$/.exec(key);
      if (m && Number(m[2]) > (short.get(m[1]) ?? Number.POSITIVE_INFINITY)) junk.push(key);
    }
  }
  return junk;
}

describe('first sync on portals whose lists end anywhere in a chain', () => {
  // Open activities 50·k + r for r = 0..49 over a few k: the activity chain's last page ends short at every
  // position of a page (r), and the chain's last request holds 1..50 pages; deals, leads and smart items end
  // wherever their random size puts them.
  const rnd = createRandom(4242);
  const cases = Array.from({ length: 10 }, (_, i) => ({ seed: 100 + i, open: 300 + Math.floor(rnd() * 2700), r: (i * 7) % 50 }));
  cases.push({ seed: 120, open: 2500, r: 0 }, { seed: 121, open: 2550, r: 49 });

  it.each(cases)('seed $seed, about $open open activities, last page of $r rows: exact copy, no junk page', async ({ seed, open, r }) => {
    const portal = await startTestPortal({ seed, openActivities: open });
    try {
      // Trim open activities to 50·k + r, so the activity chain ends exactly where the case says.
      const openActs = [...portal.store.activities.values()].filter((a) => !a.completed);
      const target = Math.floor(openActs.length / 50) * 50 + r;
      const drop = openActs.length >= target ? openActs.length - target : openActs.length - (target - 50);
      for (const a of openActs.slice(openActs.length - drop)) removeActivity(portal.store, a);
      const log: Seen[] = [];
      const db = await openCountersDb();
      const engine = testEngine(portal, db, { client: { fetch: recordingFetch(log) } });
      expect((await engine.run()).ok).toBe(true);
      const expected = expectedCopy(portal.store);
      const actual = await actualCopy(db);
      expect(actual.activities).toEqual(expected.activities);
      expect(actual.items).toEqual(expected.items);
      expect(expected.activities.length % 50).toBe(r);
      expect(junkPages(log)).toEqual([]);
    } finally {
      await portal.close();
    }
  });

  it('a count that is off (rows deleted or added during the scan) still gives the exact copy after the next poll', async () => {
    const portal = await startTestPortal({ seed: 130, openActivities: 2600 });
    try {
      const log: Seen[] = [];
      const db = await openCountersDb();
      let batches = 0;
      const fetchAndChange: typeof fetch = async (input, init) => {
        const res = await recordingFetch(log)(input, init);
        // After the first scan request: the portal loses 60 open activities and gains a few, past the counted ones.
        if (String(input).includes('/batch') && ++batches === 2) {
          const openActs = [...portal.store.activities.values()].filter((a) => !a.completed);
          for (const a of openActs.slice(-60)) removeActivity(portal.store, a);
          for (let i = 0; i < 3; i++) portal.call('crm.activity.todo.add', { ownerTypeId: 2, ownerId: 1 + i, title: `Added mid-scan ${i}` });
        }
        return res;
      };
      const engine = testEngine(portal, db, { client: { fetch: fetchAndChange } });
      expect((await engine.run()).ok).toBe(true);
      expect((await engine.run()).ok).toBe(true);
      const expected = expectedCopy(portal.store);
      const actual = await actualCopy(db);
      expect(actual.activities).toEqual(expected.activities);
      expect(actual.items).toEqual(expected.items);
    } finally {
      await portal.close();
    }
  });
});
