// Time-zone and calendar edges, columns, lists, wake-ups and deltas, each
// checked against the naive reference too.
import { describe, expect, it } from 'vitest';
import type { CrmActivity, CrmItem, Person } from '../domain';
import { CounterIndex } from './engine';
import { naiveChip, naiveColumn, naiveLists, naiveTotals, type PortalSnapshot } from './naive';
import { nextChangeAt } from './next-change';
import type { ActivitiesColumn } from './results';
import { type CountingRules, countingRules } from './rules';
import { makeActivity, makeItem, makePerson } from './testing';
import { parseDeadline } from './time';

const utc = (iso: string) => Date.parse(iso);
const DEAL = { entityTypeId: 2, entityId: 1 };

function setUp(opts: {
  items?: CrmItem[];
  activities: CrmActivity[];
  rules?: Partial<CountingRules>;
  people?: Person[];
  connectedUserId?: number | null;
  browserZone?: string;
}) {
  const rules = countingRules(opts.rules);
  const people = opts.people ?? [makePerson(1, 'Europe/Berlin')];
  const items = opts.items ?? [makeItem({ entityTypeId: 2, id: 1 })];
  const browserZone = opts.browserZone ?? 'UTC';
  const connectedUserId = opts.connectedUserId === undefined ? 1 : opts.connectedUserId;
  const index = new CounterIndex({ rules, people, connectedUserId, browserZone });
  index.load({ items, activities: opts.activities });
  const portal: PortalSnapshot = { items, activities: opts.activities, people, connectedUserId, browserZone, rules };
  /** Index answers, checked against the reference. */
  const at = (now: number, viewer = 1) => {
    const totals = index.totals(viewer, now);
    const chip = index.chip(DEAL, viewer, now);
    const column = index.column(DEAL, viewer, now);
    const lists = index.lists(viewer, now);
    expect(naiveTotals(portal, viewer, now)).toEqual(totals);
    expect(naiveChip(portal, DEAL, viewer, now)).toEqual(chip);
    expect(naiveColumn(portal, DEAL, viewer, now)).toEqual(column);
    expect(naiveLists(portal, viewer, now)).toEqual(lists);
    return { totals, chip, column, lists, planned: totals.planned, state: chip?.state };
  };
  return { index, portal, at };
}

describe('time zones', () => {
  it('a viewer in UTC+9 with the browser in UTC counts in Tokyo', () => {
    // Due Thursday 10:00 Tokyo = Thursday 01:00 UTC; now Wednesday 16:00 UTC = Thursday 01:00 Tokyo.
    const activities = [makeActivity({ id: 1, deadline: parseDeadline('2026-05-14T10:00:00+09:00', 0) })];
    const now = utc('2026-05-13T16:00:00Z');
    const tokyo = setUp({ activities, people: [makePerson(1, 'Asia/Tokyo')] });
    expect(tokyo.at(now)).toMatchObject({ planned: 1, state: 'planned', column: 'today' });
    // Without a profile zone the browser's (UTC) applies: still Wednesday there.
    const browser = setUp({ activities, people: [makePerson(1, null)] });
    expect(browser.at(now)).toMatchObject({ planned: 0, state: 'waiting', column: 'thisWeek' });
    // The override wins over both.
    const override = setUp({ activities, people: [makePerson(1, null)], rules: { timeZone: 'Asia/Tokyo' } });
    expect(override.at(now)).toMatchObject({ planned: 1, state: 'planned' });
  });

  it("a person without a zone reads the connected user's", () => {
    const activities = [makeActivity({ id: 1, deadline: parseDeadline('2026-05-14T10:00:00+09:00', 0) })];
    const people = [makePerson(1, 'Asia/Tokyo'), makePerson(2, null)];
    const items = [makeItem({ entityTypeId: 2, id: 1, responsibleId: 2 })];
    const s = setUp({ activities, people, items, connectedUserId: 1 });
    expect(s.at(utc('2026-05-13T16:00:00Z'), 2)).toMatchObject({ planned: 1, state: 'planned' });
  });

  it.each<[string, string, string, string, number]>([
    // [zone, deadline, now, what, planned]
    ['Europe/Berlin', '2026-03-29T23:30:00+02:00', '2026-03-29T00:30:00+01:00', 'spring-forward day: 23:30 is today', 1],
    ['Europe/Berlin', '2026-03-30T00:15:00+02:00', '2026-03-29T23:59:00+02:00', 'spring-forward day: 00:15 next day is not', 0],
    ['Europe/Berlin', '2026-10-25T23:30:00+01:00', '2026-10-25T02:30:00+02:00', 'fall-back day, first 02:30: 23:30 is today', 1],
    ['Europe/Berlin', '2026-10-26T00:00:00+01:00', '2026-10-25T23:59:59+01:00', 'fall-back day: next midnight is not', 0],
    ['America/New_York', '2026-03-08T23:30:00-04:00', '2026-03-08T00:30:00-05:00', 'spring-forward day: 23:30 is today', 1],
    ['America/New_York', '2026-03-09T00:00:00-04:00', '2026-03-08T23:59:00-04:00', 'spring-forward day: midnight is tomorrow', 0],
    ['America/New_York', '2026-11-01T23:30:00-05:00', '2026-11-01T01:30:00-04:00', 'fall-back day: 23:30 is today', 1],
    ['America/New_York', '2026-11-02T00:30:00-05:00', '2026-11-01T23:30:00-05:00', 'fall-back day: 00:30 next day is not', 0],
  ])('%s, %s: %s', (zone, deadline, now, _, planned) => {
    const s = setUp({ activities: [makeActivity({ id: 1, deadline: parseDeadline(deadline, 0) })], people: [makePerson(1, zone)] });
    expect(s.at(utc(now)).planned).toBe(planned);
  });
});

describe('midnight rollover', () => {
  const deadline = parseDeadline('2026-05-13T23:30:00+02:00', 0)!;
  const s = setUp({ activities: [makeActivity({ id: 1, deadline })] });
  it.each<[string, number, ActivitiesColumn, 'overdue' | 'today']>([
    ['23:29', utc('2026-05-13T23:29:00+02:00'), 'today', 'today'],
    ['23:59, past its time', utc('2026-05-13T23:59:00+02:00'), 'today', 'today'],
    ['00:01 next day', utc('2026-05-14T00:01:00+02:00'), 'overdue', 'overdue'],
  ])('due 23:30, at %s', (_, now, column, group) => {
    const r = s.at(now);
    expect(r).toMatchObject({ planned: 1, state: 'planned', column });
    expect(r.lists.planned[group].map((e) => e.activity.id)).toEqual([1]);
  });
  it('is not lit the day before', () => {
    expect(s.at(utc('2026-05-12T23:59:00+02:00'))).toMatchObject({ planned: 0, state: 'waiting', column: 'thisWeek' });
  });
});

describe('no deadline', () => {
  it('year 9999 and empty deadlines never light and have no column', () => {
    const deadline = parseDeadline('9999-12-31T23:59:59+03:00', 180);
    expect(deadline).toBeNull();
    const s = setUp({ activities: [makeActivity({ id: 1, deadline })], rules: { litRule: 'lightTime' } });
    const r = s.at(utc('2026-05-13T08:00:00Z'));
    expect(r).toMatchObject({ planned: 0, state: 'waiting', column: null });
    expect(s.index.nextChangeAt(utc('2026-05-13T08:00:00Z'), [1])).toBe(utc('2026-05-13T22:00:00Z'));
  });
  it('a deadline without offset is read in the portal offset', () => {
    // PortalSnapshot at +03:00: 23:30 there is 22:30 in Berlin, still Wednesday.
    const deadline = parseDeadline('2026-05-13T23:30:00', 180);
    const s = setUp({ activities: [makeActivity({ id: 1, deadline })] });
    expect(s.at(utc('2026-05-13T10:00:00+02:00'))).toMatchObject({ planned: 1, column: 'today' });
  });
});

describe('Activities view columns (now Wednesday 2026-05-13 10:00 Berlin)', () => {
  const now = utc('2026-05-13T10:00:00+02:00');
  const due = (local: string) => parseDeadline(`${local}+02:00`, 0);
  it.each<[string, Partial<CrmActivity>[], number, ActivitiesColumn | null]>([
    ['no open activity', [], 1, 'withoutActivities'],
    ['only completed ones', [{ deadline: due('2026-05-12T10:00:00'), completed: true }], 1, 'withoutActivities'],
    ['overdue', [{ deadline: due('2026-05-12T10:00:00') }, { deadline: due('2026-05-20T10:00:00') }], 1, 'overdue'],
    ['overdue beats incoming', [{ deadline: due('2026-05-12T10:00:00') }, { isIncomingChannel: true }], 1, 'overdue'],
    ['today, time passed', [{ deadline: due('2026-05-13T08:00:00') }], 1, 'today'],
    ['incoming, no deadline', [{ isIncomingChannel: true }], 1, 'today'],
    ['incoming and a deadline next month', [{ isIncomingChannel: true }, { deadline: due('2026-06-20T10:00:00') }], 1, 'today'],
    ['Sunday, week from Monday', [{ deadline: due('2026-05-17T23:00:00') }], 1, 'thisWeek'],
    ['Sunday, week from Sunday', [{ deadline: due('2026-05-17T10:00:00') }], 0, 'nextWeek'],
    ['next Monday', [{ deadline: due('2026-05-18T00:00:00') }], 1, 'nextWeek'],
    ['next Sunday 23:59', [{ deadline: due('2026-05-24T23:59:00') }], 1, 'nextWeek'],
    ['the Monday after', [{ deadline: due('2026-05-25T00:00:00') }], 1, 'later'],
    ['only no-deadline to-dos', [{ deadline: null }], 1, null],
  ])('%s', (_, fields, weekStart, column) => {
    const activities = fields.map((f, i) => makeActivity({ id: i + 1, ...f }));
    const s = setUp({ activities, rules: { weekStart } });
    expect(s.at(now).column).toBe(column);
  });

  it('no column for contacts, for closed deals, or for another person (item mode)', () => {
    const items = [
      makeItem({ entityTypeId: 2, id: 1, responsibleId: 2 }),
      makeItem({ entityTypeId: 3, id: 1 }),
      makeItem({ entityTypeId: 2, id: 2, stageSemantic: 'F' }),
    ];
    const s = setUp({ items, activities: [] });
    expect(s.at(now).column).toBeNull();
    expect(s.index.column({ entityTypeId: 3, entityId: 1 }, 1, now)).toBeNull();
    expect(s.index.column({ entityTypeId: 2, entityId: 2 }, 1, now)).toBeNull();
    expect(s.index.column(DEAL, 2, now)).toBe('withoutActivities');
  });

  it("activity mode: only the viewer's activities place the item", () => {
    const activities = [
      makeActivity({ id: 1, responsibleId: 2, deadline: due('2026-05-12T10:00:00') }),
      makeActivity({ id: 2, responsibleId: 1, deadline: due('2026-05-20T10:00:00') }),
    ];
    const s = setUp({ activities, rules: { mode: 'activity' }, people: [makePerson(1, 'Europe/Berlin'), makePerson(2)] });
    expect(s.at(now, 1).column).toBe('nextWeek');
    expect(s.at(now, 2).column).toBe('overdue');
    expect(s.at(now, 3).column).toBeNull();
  });
});

describe('popup lists', () => {
  const now = utc('2026-05-13T10:00:00+02:00');
  const due = (local: string) => parseDeadline(`${local}+02:00`, 0);
  it('one entry per pair, grouped and sorted', () => {
    const items = [makeItem({ entityTypeId: 2, id: 1 }), makeItem({ entityTypeId: 2, id: 2 }), makeItem({ entityTypeId: 3, id: 9 })];
    const both = [
      { entityTypeId: 2, entityId: 1 },
      { entityTypeId: 3, entityId: 9 },
    ];
    const activities = [
      makeActivity({ id: 1, deadline: due('2026-05-11T10:00:00') }),
      makeActivity({ id: 2, deadline: due('2026-05-10T10:00:00'), ownerId: 2, bindings: [] }),
      makeActivity({ id: 3, deadline: due('2026-05-13T18:00:00'), bindings: both }),
      makeActivity({ id: 4, deadline: due('2026-05-13T09:00:00') }),
      makeActivity({ id: 5, deadline: due('2026-05-14T09:00:00'), notifyType: 3, notifyValue: 1 }),
      makeActivity({ id: 6, isIncomingChannel: true, created: 100 }),
      makeActivity({ id: 7, isIncomingChannel: true, created: 300, bindings: both }),
      makeActivity({ id: 8, deadline: due('2026-05-13T09:00:00'), completed: true }),
    ];
    const ids = (entries: { item: CrmItem; activity: CrmActivity }[]) =>
      entries.map((e) => `${e.item.entityTypeId}:${e.item.id}/${e.activity.id}`);

    const day = setUp({ items, activities }).at(now);
    expect(ids(day.lists.incoming)).toEqual(['2:1/7', '3:9/7', '2:1/6']);
    expect(ids(day.lists.planned.overdue)).toEqual(['2:2/2', '2:1/1']);
    expect(ids(day.lists.planned.today)).toEqual(['2:1/4', '2:1/3', '3:9/3']);
    expect(day.lists.planned.soon).toEqual([]);
    expect(day.totals.incoming).toBe(day.lists.incoming.length);
    expect(day.totals.planned).toBe(5);

    const light = setUp({ items, activities, rules: { litRule: 'lightTime' } }).at(now);
    expect(ids(light.lists.planned.today)).toEqual(['2:1/4']);
    expect(ids(light.lists.planned.soon)).toEqual(['2:1/5']);
    expect(light.totals.planned).toBe(4);
  });
});

describe('next change', () => {
  const now = utc('2026-05-13T10:00:00+02:00');
  it('is the next midnight in the zones shown (rule day)', () => {
    const people = [makePerson(1, 'Europe/Berlin'), makePerson(2, 'America/New_York'), makePerson(3, 'Asia/Tokyo')];
    const s = setUp({ activities: [makeActivity({ id: 1, deadline: now + 3_600_000 })], people });
    expect(s.index.nextChangeAt(now, [1])).toBe(utc('2026-05-13T22:00:00Z'));
    expect(s.index.nextChangeAt(now, [2])).toBe(utc('2026-05-14T04:00:00Z'));
    expect(s.index.nextChangeAt(now, [1, 2, 3])).toBe(utc('2026-05-13T15:00:00Z'));
    expect(s.index.nextChangeAt(now, [])).toBeNull();
    expect(nextChangeAt(now, ['Europe/Berlin', 'America/New_York'], s.index.rules)).toBe(utc('2026-05-13T22:00:00Z'));
  });
  it('is the next light time when sooner (rule light time)', () => {
    const activities = [
      makeActivity({ id: 1, deadline: now + 3_600_000 }),
      makeActivity({ id: 2, deadline: now + 1_800_000, notifyType: 1, notifyValue: 10 }),
      makeActivity({ id: 3, deadline: now - 1_800_000 }),
      makeActivity({ id: 4, deadline: now + 60_000, isIncomingChannel: true }),
    ];
    const s = setUp({ activities, rules: { litRule: 'lightTime' } });
    expect(s.index.nextChangeAt(now, [1])).toBe(now + 20 * 60_000);
    expect(nextChangeAt(now, ['Europe/Berlin'], s.index.rules, activities)).toBe(now + 20 * 60_000);
    expect(s.index.nextChangeAt(now + 20 * 60_000, [1])).toBe(now + 45 * 60_000);
  });
});

describe('deltas', () => {
  const now = utc('2026-05-13T10:00:00+02:00');
  const overdue = now - 86_400_000;
  it('follows completion, reassignment, closing and removal', () => {
    const people = [makePerson(1, 'Europe/Berlin'), makePerson(2, 'Europe/Berlin')];
    const s = setUp({ activities: [makeActivity({ id: 1, deadline: overdue })], people });
    expect(s.index.totals(1, now).planned).toBe(1);

    const effect = s.index.apply({ upsertItems: [makeItem({ entityTypeId: 2, id: 1, responsibleId: 2 })] });
    expect(effect.items).toEqual([DEAL]);
    expect(effect.people.sort()).toEqual([1, 2]);
    expect(s.index.totals(1, now)).toMatchObject({ planned: 0, othersPlanned: 1 });
    expect(s.index.totals(2, now).planned).toBe(1);
    expect(s.index.responsibleIds()).toEqual([2]);
    expect(s.index.itemsOf(2).map((i) => i.id)).toEqual([1]);
    expect(s.index.itemsOf(1)).toEqual([]);
    expect(s.index.openActivitiesOf(DEAL).map((a) => a.id)).toEqual([1]);
    expect(s.index.openActivitiesOf({ entityTypeId: 2, entityId: 999 })).toEqual([]);

    s.index.apply({ upsertActivities: [makeActivity({ id: 1, deadline: overdue, completed: true })] });
    expect(s.index.totals(2, now).planned).toBe(0);
    expect(s.index.chip(DEAL, 2, now)).toMatchObject({ state: 'idle' });

    s.index.apply({ upsertActivities: [makeActivity({ id: 2, isIncomingChannel: true })] });
    expect(s.index.chip(DEAL, 2, now)).toMatchObject({ state: 'incoming', count: 1 });
    s.index.apply({ upsertItems: [makeItem({ entityTypeId: 2, id: 1, responsibleId: 2, stageSemantic: 'S' })] });
    expect(s.index.chip(DEAL, 2, now)).toBeNull();
    expect(s.index.knows(DEAL)).toBe(true);
    expect(s.index.totals(2, now).incoming).toBe(0);

    s.index.apply({ removeItems: [DEAL], removeActivityIds: [2] });
    expect(s.index.knows(DEAL)).toBe(false);
    expect(s.index.chip(DEAL, 2, now)).toBeNull();
  });

  it.each<[string, boolean[], number]>([
    ['open then open', [false, false], 1],
    ['open then completed', [false, true], 0],
    ['completed then open', [true, false], 1],
  ])('a snapshot repeating an activity id keeps the last copy (%s)', (_, completed, planned) => {
    const copies = completed.map((c) => makeActivity({ id: 1, deadline: overdue, completed: c }));
    const s = setUp({ activities: copies });
    expect(s.index.totals(1, now).planned).toBe(planned);
    expect(s.index.chip(DEAL, 1, now)?.count).toBe(planned);
  });

  it('counts an activity that arrived before its item once the item arrives', () => {
    const s = setUp({ items: [], activities: [makeActivity({ id: 1, deadline: overdue })] });
    expect(s.index.totals(1, now).planned).toBe(0);
    expect(s.index.chip(DEAL, 1, now)).toBeNull();
    s.index.apply({ upsertItems: [makeItem({ entityTypeId: 2, id: 1 })] });
    expect(s.index.totals(1, now).planned).toBe(1);
    expect(s.index.chip(DEAL, 1, now)).toMatchObject({ state: 'planned', count: 1 });
  });

  it('splits totals per entity type and per deal pipeline', () => {
    const items = [
      makeItem({ entityTypeId: 2, id: 1, categoryId: 0 }),
      makeItem({ entityTypeId: 2, id: 2, categoryId: 3 }),
      makeItem({ entityTypeId: 1, id: 1 }),
      makeItem({ entityTypeId: 2, id: 3, categoryId: 3, responsibleId: 2 }),
    ];
    const activities = [
      makeActivity({ id: 1, deadline: overdue }),
      makeActivity({ id: 2, ownerId: 2, bindings: [], isIncomingChannel: true }),
      makeActivity({ id: 3, ownerTypeId: 1, ownerId: 1, bindings: [], deadline: overdue }),
      makeActivity({ id: 4, ownerId: 3, bindings: [], deadline: overdue }),
    ];
    const t = setUp({ items, activities }).at(now).totals;
    expect(t).toMatchObject({ incoming: 1, planned: 2, all: 3, othersIncoming: 0, othersPlanned: 1 });
    expect(t.byEntityType[2]).toEqual({ incoming: 1, planned: 1, all: 2, othersIncoming: 0, othersPlanned: 1 });
    expect(t.byEntityType[1]).toEqual({ incoming: 0, planned: 1, all: 1, othersIncoming: 0, othersPlanned: 0 });
    expect(t.byEntityType[3]).toEqual({ incoming: 0, planned: 0, all: 0, othersIncoming: 0, othersPlanned: 0 });
    expect(t.byDealCategory).toEqual({
      0: { incoming: 0, planned: 1, all: 1, othersIncoming: 0, othersPlanned: 0 },
      3: { incoming: 1, planned: 0, all: 1, othersIncoming: 0, othersPlanned: 1 },
    });
  });

  it('keeps unassigned items out of Others and of the Employee list', () => {
    const items = [makeItem({ entityTypeId: 2, id: 1, responsibleId: 0 }), makeItem({ entityTypeId: 3, id: 5, responsibleId: 7 })];
    const s = setUp({ items, activities: [makeActivity({ id: 1, deadline: overdue })] });
    expect(s.index.responsibleIds()).toEqual([7]);
    expect(s.at(now).totals).toMatchObject({ planned: 0, othersPlanned: 0 });
    expect(s.at(now).chip).toMatchObject({ state: 'others', count: 1, mine: false });
  });
});
