// Sync benchmark (issue #4): against the demo portal with its rate limit on
// (2 requests/s, bucket of 50), a first sync of 50,000 open activities over
// 10,000 items; requests against R_min and wall time against the rate-limit
// floor; an incremental poll with 10 changes; an idle poll; the size of the
// copy. Alone: `npx tsx bench/sync.ts`.
import 'fake-indexeddb/auto';
import { pathToFileURL } from 'node:url';
import { STANDARD_BUCKET } from '../lib/bitrix/limiter';
import { actualCopy, expectedCopy, openCountersDb, portalCall, requestFloor, startTestPortal, testEngine } from '../tests/unit/sync-harness';
import { type BenchRow, summarize } from './report';

const OPEN_ACTIVITIES = 50_000;
const ITEMS = 10_000;

function row(figure: string, unit: BenchRow['unit'], samples: number[], budget: number | null, lowerBound?: number | null): BenchRow {
  return { figure, unit, ...summarize(samples), budget, ...(lowerBound !== undefined ? { lowerBound } : {}) };
}

export async function benchSync(): Promise<BenchRow[]> {
  const portal = await startTestPortal({ seed: 2026, openActivities: OPEN_ACTIVITIES, items: ITEMS, rateLimit: { enabled: true } });
  try {
    const db = await openCountersDb();
    const engine = testEngine(portal, db, {
      reconcileMs: Number.POSITIVE_INFINITY,
      log: (m) => m.startsWith('poll follow-up') && console.log(m),
      client: { bucket: STANDARD_BUCKET, backoffMs: 1000, timeoutMs: 60_000 },
    });
    const floor = requestFloor(portal.store);
    const rateFloorS = Math.max(0, (floor.rMin - 50) / 2);

    portal.stats.reset();
    const t0 = performance.now();
    const first = await engine.run();
    const firstS = (performance.now() - t0) / 1000;
    if (!first.ok) throw new Error(`first sync failed: ${first.error.kind} ${first.error.message}`);
    const firstRequests = portal.stats.requests;
    const firstBytes = portal.stats.responseBytes;

    const expected = expectedCopy(portal.store);
    const actual = await actualCopy(db);
    const exact = JSON.stringify(expected) === JSON.stringify(actual);
    if (!exact) throw new Error('the copy differs from the portal');

    // The first sync leaves the portal's bucket nearly full, and the REST calls
    // that make the changes below fill it further: let it drain before each
    // measured poll, so a 503 refused by the portal is not counted as the poll's.
    const drain = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
    await drain(26);
    // Idle polls, then polls after 10 changes (edits and completions through REST).
    const idleRequests: number[] = [];
    const idleMs: number[] = [];
    const changeRequests: number[] = [];
    const changeMs: number[] = [];
    for (let run = 0; run < 3; run++) {
      portal.stats.reset();
      let t = performance.now();
      await engine.run();
      idleMs.push(performance.now() - t);
      idleRequests.push(portal.stats.requests);

      const open = [...portal.store.activities.values()].filter((a) => !a.completed).slice(run * 10, run * 10 + 10);
      for (const [i, a] of open.entries()) {
        await portalCall(portal, 'crm.activity.update', { id: a.id, fields: i % 3 === 0 ? { COMPLETED: 'Y' } : { SUBJECT: `Bench edit ${run}.${i}` } });
      }
      await drain(6);
      portal.stats.reset();
      t = performance.now();
      const outcome = await engine.run();
      changeMs.push(performance.now() - t);
      if (!outcome.ok) throw new Error(`poll failed: ${outcome.error.kind}`);
      changeRequests.push(portal.stats.requests);
      await drain(1);
    }

    let bytes = 0;
    for (const store of ['items', 'activities', 'people', 'departments', 'meta'] as const) {
      for (const value of await db.getAll(store)) bytes += JSON.stringify(value).length;
    }

    console.log(
      `sync bench: I=${floor.I} A=${floor.A} B=${floor.B} R_min=${floor.rMin}; first sync ${firstRequests} requests, ${firstS.toFixed(1)} s (floor ${rateFloorS} s), ${(firstBytes / 1e6).toFixed(1)} MB received; copy exact`,
    );
    return [
      row(`first sync, ${floor.A.toLocaleString('en')} open activities / ${floor.I.toLocaleString('en')} items: requests`, 'requests', [firstRequests], Math.floor(1.2 * floor.rMin), floor.rMin),
      row('first sync: wall time (rate limit on)', 's', [Math.round(firstS * 10) / 10], Math.round((1.2 * rateFloorS + 10) * 10) / 10, rateFloorS),
      row('idle poll: requests', 'requests', idleRequests, 1, 1),
      row('idle poll: time', 'ms', idleMs.map(Math.round), null),
      row('poll with 10 changes: requests', 'requests', changeRequests, 1, 1),
      row('poll with 10 changes: time', 'ms', changeMs.map(Math.round), null),
      row('IndexedDB copy (JSON bytes of stored records)', 'MB', [Math.round((bytes / 1e6) * 10) / 10], null),
    ];
  } finally {
    await portal.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchSync();
  console.table(rows);
}
