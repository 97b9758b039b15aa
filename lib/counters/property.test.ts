// Differential property test: on random portals and random change sequences,
// CounterIndex answers exactly what the naive reference recounts, for every
// person, chip, column and list, at random instants (near midnights and DST
// changes too); and nothing changes between `now` and nextChangeAt.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CrmActivity, CrmItem, ItemRef, Person } from '../domain';
import { refNumber } from './classify';
import { type CounterDelta, CounterIndex } from './engine';
import { naiveChip, naiveColumn, naiveLists, naiveTotals, type PortalSnapshot } from './naive';
import type { PersonLists } from './results';
import { type CountingRules, countingRules } from './rules';
import { dayWindow } from './time';

const HALF_HOUR = 1_800_000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'America/Santiago', 'Asia/Kolkata'];
// Ordinary days and DST changes of the zones above.
const BASES = [
  Date.UTC(2026, 4, 13, 8),
  Date.UTC(2026, 2, 29, 1),
  Date.UTC(2026, 9, 25, 1),
  Date.UTC(2026, 2, 8, 7),
  Date.UTC(2026, 10, 1, 6),
  Date.UTC(2026, 8, 6, 4),
  Date.UTC(2026, 3, 5, 3),
  Date.UTC(2026, 11, 31, 23),
];
const TYPES = [1, 2, 3, 4, 128];
const IDS = [1, 2, 3, 4];
const PEOPLE = [0, 1, 2, 3];
const REFS: ItemRef[] = TYPES.flatMap((entityTypeId) => IDS.map((entityId) => ({ entityTypeId, entityId })));

/**
 * An instant near `base`: half-hour steps (so every zone's midnight is on the
 * grid), mostly within ±2 days, sometimes over ±16 days (weeks), sometimes 1 ms off.
 */
const instant = (base: number) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -96, max: 96 }).map((k) => base + k * HALF_HOUR) },
        { weight: 1, arbitrary: fc.integer({ min: -16 * 48, max: 16 * 48 }).map((k) => base + k * HALF_HOUR) },
        // A midnight in one of the zones, this week or the next.
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...ZONES), fc.integer({ min: -3, max: 15 }))
            .map(([zone, days]) => dayWindow(zone, base + days * 86_400_000).todayStart),
        },
      ),
      fc.constantFrom(0, 0, 0, -1, 1),
    )
    .map(([t, j]) => t + j);

const refArb = fc.constantFrom(...REFS);

const itemArb: fc.Arbitrary<CrmItem> = fc
  .record({
    ref: refArb,
    responsibleId: fc.constantFrom(...PEOPLE),
    stageSemantic: fc.constantFrom<CrmItem['stageSemantic']>('P', 'P', 'P', 'S', 'F', null),
    categoryId: fc.constantFrom(null, 0, 0, 1, 2),
    isRecurring: fc.constantFrom(false, false, false, false, true),
    isMyCompany: fc.constantFrom(false, false, false, true),
  })
  .map(({ ref, ...f }) => ({
    entityTypeId: ref.entityTypeId,
    id: ref.entityId,
    title: `t${ref.entityId}`,
    stageId: null,
    updatedAt: 0,
    ...f,
  }));

const activityArb = (base: number): fc.Arbitrary<CrmActivity> =>
  fc
    .record({
      id: fc.integer({ min: 1, max: 24 }),
      // Sometimes no owner (0/0): then only the bindings bind it.
      owner: fc.oneof({ weight: 9, arbitrary: refArb }, { weight: 1, arbitrary: fc.constant({ entityTypeId: 0, entityId: 0 }) }),
      bindings: fc.array(refArb, { maxLength: 3 }),
      kind: fc.constantFrom(
        { typeId: 6, providerId: 'CRM_TODO' },
        { typeId: 2, providerId: 'VOXIMPLANT_CALL' },
        { typeId: 4, providerId: 'CRM_EMAIL' },
        { typeId: 6, providerId: 'IMOPENLINES_SESSION' },
        { typeId: 1, providerId: 'CRM_MEETING' },
      ),
      direction: fc.constantFrom(0, 1, 2),
      completed: fc.constantFrom(false, false, false, true),
      responsibleId: fc.constantFrom(...PEOPLE),
      created: fc.constantFrom(null, 1, 2, 3),
      deadline: fc.option(instant(base), { freq: 4 }),
      notifyType: fc.constantFrom(0, 0, 1, 2, 3),
      notifyValue: fc.constantFrom(0, 1, 15, 30, -1),
      // Reminders as Bitrix24's to-do form offers them (and none, or not read).
      pingOffsets: fc.option(fc.array(fc.constantFrom(0, 15, 30, 60, 120, 1440), { maxLength: 3 }), {
        nil: undefined,
        freq: 2,
      }),
      isIncomingChannel: fc.constantFrom<boolean | null>(null, null, true, false, false),
    })
    .map(({ owner, kind, ...f }) => ({
      ...f,
      ...kind,
      ownerTypeId: owner.entityTypeId,
      ownerId: owner.entityId,
      bindings: f.bindings.map((b) => ({ ...b })),
      providerTypeId: '',
      status: f.completed ? 2 : 1,
      subject: `a${f.id}`,
      startTime: null,
      endTime: null,
      missedCall: false,
      lastUpdated: 0,
    }));

const deltaArb = (base: number): fc.Arbitrary<CounterDelta> =>
  fc.record(
    {
      upsertActivities: fc.array(activityArb(base), { maxLength: 4 }),
      removeActivityIds: fc.array(fc.integer({ min: 1, max: 24 }), { maxLength: 3 }),
      upsertItems: fc.array(itemArb, { maxLength: 3 }),
      removeItems: fc.array(refArb, { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );

const rulesArb: fc.Arbitrary<CountingRules> = fc
  .record({
    litRule: fc.constantFrom<CountingRules['litRule']>('day', 'lightTime'),
    mode: fc.constantFrom<CountingRules['mode']>('item', 'activity'),
    lightOffsetMinutes: fc.constantFrom(15, 0, 60),
    weekStart: fc.constantFrom(1, 1, 0, 6),
    timeZone: fc.constantFrom<string | null>(null, null, null, 'Asia/Tokyo', 'America/Santiago'),
    counted: fc.constantFrom([1, 2, 3, 4], [1, 2, 3, 4, 128], [2, 1]),
  })
  .map(({ counted, ...r }) => countingRules({ ...r, countedEntityTypes: counted }));

const zoneArb = fc.constantFrom<string | null>(null, 'Not/AZone', ...ZONES);

const scenarioArb = fc.constantFrom(...BASES).chain((base) =>
  fc.record({
    base: fc.constant(base),
    rules: rulesArb,
    zones: fc.array(zoneArb, { minLength: 4, maxLength: 4 }),
    browserZone: fc.constantFrom(...ZONES),
    connectedUserId: fc.constantFrom<number | null>(1, 1, null),
    bulkLoad: fc.boolean(),
    bulkApply: fc.boolean(),
    items: fc.array(itemArb, { maxLength: 14 }),
    activities: fc.array(activityArb(base), { maxLength: 16 }),
    deltas: fc.array(deltaArb(base), { maxLength: 3 }),
    nows: fc.array(instant(base), { minLength: 2, maxLength: 2 }),
    // An instant on a deadline or a light time: [which activity, minutes before].
    onDeadline: fc.tuple(fc.nat(), fc.constantFrom(0, 1, 15, 30, 60, 120, 180, 1440)),
  }),
);

/** The naive side: plain maps, changed in the order CounterIndex.apply documents. */
class Mirror {
  items = new Map<number, CrmItem>();
  activities = new Map<number, CrmActivity>();
  apply(d: CounterDelta) {
    for (const r of d.removeItems ?? []) this.items.delete(refNumber(r.entityTypeId, r.entityId));
    for (const i of d.upsertItems ?? []) this.items.set(refNumber(i.entityTypeId, i.id), i);
    for (const id of d.removeActivityIds ?? []) this.activities.delete(id);
    for (const a of d.upsertActivities ?? []) this.activities.set(a.id, a);
  }
}

const compact = (l: PersonLists) => {
  const ids = (es: PersonLists['incoming']) => es.map((e) => `${e.item.entityTypeId}:${e.item.id}/${e.activity.id}`);
  return [ids(l.incoming), ids(l.planned.overdue), ids(l.planned.today), ids(l.planned.soon)];
};

describe('CounterIndex equals the naive recount', () => {
  it('on random portals, change sequences and instants', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const people: Person[] = s.zones.map((timeZone, i) => ({
          id: i + 1,
          name: `u${i + 1}`,
          lastName: '',
          fullName: `u${i + 1}`,
          timeZone,
          departmentIds: [],
          active: true,
        }));
        const index = new CounterIndex({
          rules: s.rules,
          people,
          connectedUserId: s.connectedUserId,
          browserZone: s.browserZone,
          bulkThreshold: s.bulkApply ? 0 : undefined,
        });
        const mirror = new Mirror();
        const first: CounterDelta = { upsertItems: s.items, upsertActivities: s.activities };
        if (s.bulkLoad) index.load({ items: s.items, activities: s.activities });
        else index.apply(first);
        mirror.apply(first);

        const check = (now: number) => {
          const portal: PortalSnapshot = {
            items: [...mirror.items.values()],
            activities: [...mirror.activities.values()],
            people,
            connectedUserId: s.connectedUserId,
            browserZone: s.browserZone,
            rules: s.rules,
          };
          // Every answer side by side, compared in one expect: an expect per answer (170 a check) cost
          // three quarters of this test's time. The labels name the answer that differs.
          const got: [string, unknown][] = [];
          const want: [string, unknown][] = [];
          for (const p of PEOPLE) {
            got.push([`totals ${p}`, index.totals(p, now)]);
            want.push([`totals ${p}`, naiveTotals(portal, p, now)]);
            got.push([`lists ${p}`, compact(index.lists(p, now))]);
            want.push([`lists ${p}`, compact(naiveLists(portal, p, now))]);
            for (const ref of REFS) {
              const at = `${ref.entityTypeId}:${ref.entityId} for ${p}`;
              got.push([`chip ${at}`, index.chip(ref, p, now)], [`column ${at}`, index.column(ref, p, now)]);
              want.push([`chip ${at}`, naiveChip(portal, ref, p, now)], [`column ${at}`, naiveColumn(portal, ref, p, now)]);
            }
          }
          expect(got).toEqual(want);
          // Nothing the people 1 and 2 see changes before the announced wake-up.
          const next = index.nextChangeAt(now, [1, 2]);
          expect(next).not.toBeNull();
          expect(next!).toBeGreaterThan(now);
          for (const p of [1, 2]) expect(naiveTotals(portal, p, next! - 1)).toEqual(naiveTotals(portal, p, now));
        };

        check(s.nows[0]);
        for (const d of s.deltas) {
          index.apply(d);
          mirror.apply(d);
        }
        for (const now of s.nows) check(now);
        const deadlines = [...mirror.activities.values()].flatMap((a) => (a.deadline === null ? [] : [a.deadline]));
        if (deadlines.length > 0) {
          const [which, minutes] = s.onDeadline;
          check(deadlines[which % deadlines.length] - minutes * 60_000);
        }
      }),
      { numRuns: 1500 },
    );
    // 1500 runs take ~9 s alone; on a machine shared with other test runs, more.
  }, 60_000);
});
