// Counter engine benchmark: a synthetic portal of 100,000 open activities over
// 20,000 items and 200 people; full count, small delta and index memory
// against the budgets of issue #3. The timings are judged as ratios to the
// reference task (bench/reference.ts) run in this process between them (issue
// #18). Alone: `npx tsx bench/counters.ts`.
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { CrmActivity, CrmItem, ItemRef, Person } from '../lib/domain';
import { CounterIndex, countingRules } from '../lib/counters';
import { DELTA_OF_10, FULL_COUNT, FULL_COUNT_ACTIVITY_MODE } from './budgets';
import { ratioRow, withinBudget } from './ratio';
import { timeReference } from './reference';
import { type BenchRow, summarize } from './report';

const REF = 'sort 100k, Node';

const DAY = 86_400_000;
/** Wednesday 2026-05-13 10:00 Berlin. */
const NOW = Date.UTC(2026, 4, 13, 8);
const ZONES = [null, 'Europe/Berlin', 'Europe/Moscow', 'America/New_York', 'Asia/Tokyo', 'Asia/Almaty'];

/** A deterministic PRNG (mulberry32), so every run counts the same portal. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SyntheticPortal {
  people: Person[];
  items: CrmItem[];
  activities: CrmActivity[];
}

/**
 * A realistic mix: 40% deals in 5 pipelines, 20% leads, 25% contacts, 12%
 * companies, 3% smart-process items, ~10% of deals and leads closed; open
 * activities mostly to-dos with deadlines within ±30 days, some calls, e-mails
 * and chats (a fifth of them incoming), a tenth without deadline, a third also
 * bound to a contact or company; 80% belong to the item's responsible.
 */
export function syntheticPortal(opts: { activities?: number; items?: number; people?: number; seed?: number } = {}): SyntheticPortal {
  const nActivities = opts.activities ?? 100_000;
  const nItems = opts.items ?? 20_000;
  const nPeople = opts.people ?? 200;
  const rnd = random(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const people: Person[] = [];
  for (let id = 1; id <= nPeople; id++) {
    people.push({
      id,
      name: `User${id}`,
      lastName: '',
      fullName: `User${id}`,
      timeZone: pick(ZONES),
      departmentIds: [1 + (id % 10)],
      active: true,
    });
  }
  const items: CrmItem[] = [];
  const shares: [number, number][] = [
    [2, 0.4],
    [1, 0.2],
    [3, 0.25],
    [4, 0.12],
    [128, 0.03],
  ];
  const byType = new Map<number, CrmItem[]>();
  for (const [entityTypeId, share] of shares) {
    const list: CrmItem[] = [];
    for (let id = 1; id <= Math.round(nItems * share); id++) {
      const closed = (entityTypeId === 1 || entityTypeId === 2 || entityTypeId === 128) && rnd() < 0.1;
      const item: CrmItem = {
        entityTypeId,
        id,
        title: `Item ${entityTypeId}:${id}`,
        responsibleId: rnd() < 0.02 ? 0 : 1 + Math.floor(rnd() * nPeople),
        stageSemantic: entityTypeId === 3 || entityTypeId === 4 ? null : closed ? pick(['S', 'F'] as const) : 'P',
        stageId: null,
        categoryId: entityTypeId === 2 ? Math.floor(rnd() * 5) : null,
        isRecurring: entityTypeId === 2 && rnd() < 0.01,
        isMyCompany: entityTypeId === 4 && id === 1,
        updatedAt: NOW - Math.floor(rnd() * 90 * DAY),
      };
      list.push(item);
      items.push(item);
    }
    byType.set(entityTypeId, list);
  }
  const owners = [...byType.get(2)!, ...byType.get(2)!, ...byType.get(1)!, ...byType.get(128)!, ...byType.get(3)!];
  const sides = [...byType.get(3)!, ...byType.get(4)!];
  const activities: CrmActivity[] = [];
  for (let id = 1; id <= nActivities; id++) {
    const owner = pick(owners);
    const bindings: ItemRef[] = [{ entityTypeId: owner.entityTypeId, entityId: owner.id }];
    if (rnd() < 0.33) {
      const side = pick(sides);
      bindings.push({ entityTypeId: side.entityTypeId, entityId: side.id });
    }
    const r = rnd();
    const kind =
      r < 0.6
        ? { typeId: 6, providerId: 'CRM_TODO', direction: 0 }
        : r < 0.75
          ? { typeId: 2, providerId: 'VOXIMPLANT_CALL', direction: rnd() < 0.33 ? 1 : 2 }
          : r < 0.85
            ? { typeId: 4, providerId: 'CRM_EMAIL', direction: rnd() < 0.5 ? 1 : 2 }
            : r < 0.9
              ? { typeId: 6, providerId: 'IMOPENLINES_SESSION', direction: 1 }
              : { typeId: 1, providerId: 'CRM_MEETING', direction: 0 };
    const incoming = (kind.direction === 1 && kind.typeId !== 1) || kind.providerId === 'IMOPENLINES_SESSION';
    const deadline = incoming || rnd() < 0.1 ? null : NOW + Math.floor((rnd() * 60 - 30) * DAY);
    activities.push({
      id,
      ownerTypeId: owner.entityTypeId,
      ownerId: owner.id,
      bindings,
      ...kind,
      providerTypeId: '',
      completed: false,
      status: 1,
      subject: `Activity ${id}`,
      responsibleId: rnd() < 0.8 ? owner.responsibleId : 1 + Math.floor(rnd() * nPeople),
      created: NOW - Math.floor(rnd() * 30 * DAY),
      startTime: null,
      endTime: null,
      deadline,
      notifyType: rnd() < 0.2 ? 1 : 0,
      notifyValue: 30,
      isIncomingChannel: incoming,
      missedCall: false,
      lastUpdated: NOW,
    });
  }
  return { people, items, activities };
}

function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    // No way to force a collection here: heap figures are then best effort.
    return () => {};
  }
}

function buildIndex(portal: SyntheticPortal, mode: 'item' | 'activity' = 'item'): CounterIndex {
  const index = new CounterIndex({
    rules: countingRules({ mode }, [128]),
    people: portal.people,
    connectedUserId: 1,
    browserZone: 'Europe/Berlin',
  });
  index.load(portal);
  return index;
}

/** The index being measured, kept in a module object rather than a local so no stale stack slot skews the next run. */
const measured: { index: CounterIndex | null } = { index: null };

/** MB that one index over `portal` keeps alive (the records are the caller's). */
function indexMegabytes(portal: SyntheticPortal, gc: () => void): number {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  measured.index = null;
  gc();
  gc();
  const before = used();
  measured.index = buildIndex(portal);
  gc();
  gc();
  const after = used();
  measured.index = null;
  return (after - before) / 1_048_576;
}

function row(figure: string, unit: BenchRow['unit'], samples: number[], budget: number | null): BenchRow {
  const s = summarize(samples);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { figure, unit, median: round(s.median), min: round(s.min), max: round(s.max), budget };
}

export async function benchCounters(): Promise<BenchRow[]> {
  const portal = syntheticPortal();
  const emptyPortal: SyntheticPortal = { people: [], items: [], activities: [] };
  const people = portal.people.map((p) => p.id);
  const rows: BenchRow[] = [];

  // Full count: a fresh index from the snapshot, then every person's totals.
  // Between runs (untimed) the previous index is dropped and collected, so a
  // run does not pay for the last one's garbage.
  const gc = gcFunction();
  const full: number[] = [];
  const fullRef: number[] = [];
  let index = buildIndex(portal);
  // Warm-up (untimed): let the JIT compile the load path in both modes, and the reference task, first.
  for (let run = 0; run < 3; run++) {
    buildIndex(portal).totals(1, NOW);
    buildIndex(portal, 'activity').totals(1, NOW);
    timeReference();
  }
  // Each run is paired with a run of the reference task just before it, each after a collection.
  for (let run = 0; run < 15; run++) {
    index = buildIndex(emptyPortal);
    gc();
    fullRef.push(timeReference());
    gc();
    const t0 = performance.now();
    index = buildIndex(portal);
    for (const p of people) index.totals(p, NOW);
    full.push(performance.now() - t0);
  }
  rows.push(ratioRow('full count, 100k activities / 20k items / 200 people (load + all totals)', full, fullRef, REF, FULL_COUNT));

  const fullActivityMode: number[] = [];
  const activityRef: number[] = [];
  for (let run = 0; run < 11; run++) {
    gc();
    activityRef.push(timeReference());
    gc();
    const t0 = performance.now();
    const byActivity = buildIndex(portal, 'activity');
    for (const p of people) byActivity.totals(p, NOW);
    fullActivityMode.push(performance.now() - t0);
  }
  rows.push(ratioRow('full count, same portal, activity mode', fullActivityMode, activityRef, REF, FULL_COUNT_ACTIVITY_MODE));

  // Delta: 10 changed activities (moved deadlines, completions, reassignments), then the badge's totals.
  // Pairs: the median of each 20 deltas against a run of the reference task before them.
  const rnd = random(7);
  const delta: number[] = [];
  const badge: number[] = [];
  const deltaChunks: number[] = [];
  const deltaRef: number[] = [];
  for (let run = 0; run < 200; run++) {
    if (run % 20 === 0) {
      if (run > 0) deltaChunks.push(summarize(delta.slice(-20)).median);
      gc();
      deltaRef.push(timeReference());
    }
    const changed: CrmActivity[] = [];
    for (let i = 0; i < 10; i++) {
      const a = portal.activities[Math.floor(rnd() * portal.activities.length)];
      const r = rnd();
      changed.push({
        ...a,
        deadline: a.deadline === null ? null : NOW + Math.floor((rnd() * 60 - 30) * DAY),
        completed: r < 0.2 ? !a.completed : a.completed,
        responsibleId: r > 0.9 ? 1 + Math.floor(rnd() * 200) : a.responsibleId,
      });
    }
    const t0 = performance.now();
    index.apply({ upsertActivities: changed });
    const t1 = performance.now();
    index.totals(1, NOW);
    badge.push(performance.now() - t1);
    delta.push(t1 - t0);
  }
  deltaChunks.push(summarize(delta.slice(-20)).median);
  rows.push({
    ...row('delta of 10 changed activities (apply)', 'ms', delta, null),
    ref: ratioRow('', deltaChunks, deltaRef, REF, DELTA_OF_10).ref,
  });
  rows.push(row("one person's totals after a delta", 'ms', badge, null));

  // Reads the surfaces make: a page of 50 chips, one person's lists, next wake-up.
  const chips: number[] = [];
  const lists: number[] = [];
  for (let run = 0; run < 50; run++) {
    const t0 = performance.now();
    for (let i = 1; i <= 50; i++) index.chip({ entityTypeId: 2, entityId: run * 50 + i }, 1, NOW);
    const t1 = performance.now();
    index.lists(1 + run, NOW);
    const t2 = performance.now();
    chips.push(t1 - t0);
    lists.push(t2 - t1);
  }
  rows.push(row('50 chips', 'ms', chips, null));
  rows.push(row("one person's popup lists", 'ms', lists, null));

  // Memory: heap (and typed-array buffers) held by one index beyond the records themselves.
  index = buildIndex(emptyPortal);
  const heap: number[] = [];
  for (let run = 0; run < 3; run++) heap.push(indexMegabytes(portal, gc));
  rows.push(row('index memory, 100k activities', 'MB', heap, 60));
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchCounters();
  console.table(rows);
  const over = rows.filter((r) => !withinBudget(r));
  if (over.length > 0) {
    console.error(`over budget: ${over.map((r) => r.figure).join('; ')}`);
    process.exitCode = 1;
  }
}
