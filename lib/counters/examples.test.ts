// Every worked example of counters.md, through the index and the naive reference.
import { describe, expect, it } from 'vitest';
import type { CrmActivity, CrmItem } from '../domain';
import { CounterIndex } from './engine';
import { naiveChip, naiveTotals, type PortalSnapshot } from './naive';
import type { ChipKind } from './results';
import { type CountingRules, countingRules } from './rules';
import { makeActivity, makeItem, makePerson } from './testing';
import { parseDeadline } from './time';

/** A Berlin wall-clock time in May 2026 (CEST, +02:00). */
const berlin = (local: string) => parseDeadline(`${local}:00+02:00`, 0)!;
const NOW = berlin('2026-05-13T10:00');
const YESTERDAY = berlin('2026-05-12T09:00');

const deal = (id: number, fields: Partial<CrmItem> = {}) => makeItem({ entityTypeId: 2, id, ...fields });
const todo = (id: number, deadline: number | null, fields: Partial<CrmActivity> = {}) =>
  makeActivity({ id, deadline, ...fields });

interface Example {
  n: number;
  items: CrmItem[];
  activities: CrmActivity[];
  rules?: Partial<CountingRules>;
  now?: number;
  browserZone?: string;
  /** [Incoming(1), Planned(1)] */
  user1: [number, number];
  user2?: [number, number];
  /** Chip on each deal, seen by user 1: [dealId, state, count]; state null = no chip. */
  chips: [number, ChipKind | null, number][];
}

const examples: Example[] = [
  { n: 1, items: [deal(1)], activities: [todo(1, berlin('2026-05-13T18:00'))], user1: [0, 1], chips: [[1, 'planned', 1]] },
  {
    n: 2,
    items: [deal(1)],
    activities: [todo(1, berlin('2026-05-13T18:00'))],
    rules: { litRule: 'lightTime' },
    user1: [0, 0],
    chips: [[1, 'waiting', 0]],
  },
  {
    n: 3,
    items: [deal(1)],
    activities: [todo(1, YESTERDAY), todo(2, YESTERDAY + 3_600_000), todo(3, YESTERDAY + 7_200_000)],
    user1: [0, 3],
    chips: [[1, 'planned', 3]],
  },
  {
    n: 4,
    items: [deal(1)],
    activities: [todo(1, null, { typeId: 4, providerId: 'CRM_EMAIL', direction: 1, isIncomingChannel: true })],
    user1: [1, 0],
    chips: [[1, 'incoming', 1]],
  },
  {
    n: 5,
    items: [deal(1)],
    activities: [
      todo(1, null, { providerId: 'IMOPENLINES_SESSION', isIncomingChannel: true }),
      todo(2, YESTERDAY, { typeId: 2, providerId: 'VOXIMPLANT_CALL', direction: 2 }),
    ],
    user1: [1, 1],
    chips: [[1, 'both', 2]],
  },
  {
    n: 6,
    items: [deal(1, { responsibleId: 2 })],
    activities: [todo(1, YESTERDAY, { responsibleId: 1 })],
    user1: [0, 0],
    user2: [0, 1],
    chips: [[1, 'others', 1]],
  },
  {
    n: 7,
    items: [deal(1, { responsibleId: 2 })],
    activities: [todo(1, YESTERDAY, { responsibleId: 1 })],
    rules: { mode: 'activity' },
    user1: [0, 1],
    chips: [[1, 'planned', 1]],
  },
  {
    n: 8,
    items: [deal(1), deal(2)],
    activities: [todo(1, YESTERDAY, { bindings: [{ entityTypeId: 2, entityId: 1 }, { entityTypeId: 2, entityId: 2 }] })],
    user1: [0, 2],
    chips: [
      [1, 'planned', 1],
      [2, 'planned', 1],
    ],
  },
  {
    n: 9,
    items: [deal(1, { stageSemantic: 'S' })],
    activities: [todo(1, YESTERDAY)],
    user1: [0, 0],
    chips: [[1, null, 0]],
  },
  { n: 10, items: [deal(1)], activities: [todo(1, berlin('2026-05-15T12:00'))], user1: [0, 0], chips: [[1, 'waiting', 0]] },
  {
    n: 11,
    items: [deal(1)],
    activities: [todo(1, YESTERDAY, { completed: true, status: 2 }), todo(2, NOW, { completed: true, status: 2 })],
    user1: [0, 0],
    chips: [[1, 'idle', 0]],
  },
  {
    n: 12,
    items: [deal(1)],
    activities: [todo(1, berlin('2026-05-14T08:00'))],
    now: Date.UTC(2026, 4, 13, 22, 10),
    browserZone: 'UTC',
    user1: [0, 1],
    chips: [[1, 'planned', 1]],
  },
];

function setUp(e: Pick<Example, 'items' | 'activities' | 'rules' | 'browserZone'>) {
  const rules = countingRules(e.rules);
  const people = [makePerson(1, 'Europe/Berlin'), makePerson(2, 'Europe/Berlin')];
  const browserZone = e.browserZone ?? 'Europe/Berlin';
  const index = new CounterIndex({ rules, people, connectedUserId: 1, browserZone });
  index.load({ items: e.items, activities: e.activities });
  const portal: PortalSnapshot = { items: e.items, activities: e.activities, people, connectedUserId: 1, browserZone, rules };
  return { index, portal };
}

describe('counters.md worked examples (viewer 1, Berlin, Wed 2026-05-13 10:00)', () => {
  it.each(examples)('example $n', (e) => {
    const now = e.now ?? NOW;
    const { index, portal } = setUp(e);
    const t1 = index.totals(1, now);
    expect([t1.incoming, t1.planned]).toEqual(e.user1);
    expect(t1.all).toBe(e.user1[0] + e.user1[1]);
    expect(naiveTotals(portal, 1, now)).toEqual(t1);
    if (e.user2) {
      const t2 = index.totals(2, now);
      expect([t2.incoming, t2.planned]).toEqual(e.user2);
      expect(naiveTotals(portal, 2, now)).toEqual(t2);
    }
    for (const [id, state, count] of e.chips) {
      const ref = { entityTypeId: 2, entityId: id };
      const chip = index.chip(ref, 1, now);
      expect(naiveChip(portal, ref, 1, now)).toEqual(chip);
      if (state === null) expect(chip).toBeNull();
      else expect(chip).toMatchObject({ state, count });
    }
  });

  it('example 2 lights at 17:45 and says so', () => {
    const e = examples[1];
    const { index } = setUp(e);
    expect(index.nextChangeAt(NOW, [1])).toBe(berlin('2026-05-13T17:45'));
    expect(index.totals(1, berlin('2026-05-13T17:45') - 1).planned).toBe(0);
    expect(index.totals(1, berlin('2026-05-13T17:45')).planned).toBe(1);
    expect(index.chip({ entityTypeId: 2, entityId: 1 }, 1, berlin('2026-05-13T17:45'))).toMatchObject({
      state: 'planned',
      count: 1,
    });
  });

  it('example 6: others counters of user 1 and grey dots', () => {
    const { index } = setUp(examples[5]);
    const t1 = index.totals(1, NOW);
    expect([t1.othersIncoming, t1.othersPlanned]).toEqual([0, 1]);
    expect(index.chip({ entityTypeId: 2, entityId: 1 }, 1, NOW)).toEqual({
      state: 'others',
      count: 1,
      mine: false,
      dot: null,
    });
  });

  it("activity mode: a deal of user 2 with P's overdue to-do and user 2's incoming call shows planned 1 to P", () => {
    const e = {
      items: [deal(1, { responsibleId: 2 })],
      activities: [
        todo(1, YESTERDAY, { responsibleId: 1 }),
        todo(2, null, { typeId: 2, providerId: 'VOXIMPLANT_CALL', direction: 1, isIncomingChannel: true, responsibleId: 2 }),
      ],
      rules: { mode: 'activity' as const },
    };
    const { index, portal } = setUp(e);
    const ref = { entityTypeId: 2, entityId: 1 };
    expect(index.chip(ref, 1, NOW)).toEqual({ state: 'planned', count: 1, mine: true, dot: null });
    expect(index.chip(ref, 2, NOW)).toEqual({ state: 'incoming', count: 1, mine: true, dot: null });
    // User 3 has nothing there: the last rows count everyone's.
    expect(index.chip(ref, 3, NOW)).toEqual({ state: 'others', count: 2, mine: false, dot: null });
    for (const viewer of [1, 2, 3]) expect(naiveChip(portal, ref, viewer, NOW)).toEqual(index.chip(ref, viewer, NOW));
  });
});
