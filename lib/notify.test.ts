import { describe, expect, it } from 'vitest';
import type { ListEntry, PersonLists } from './counters';
import { makeActivity, makeItem } from './counters/testing';
import { decideNotifications, inQuietHours } from './notify';

const entry = (id: number, itemId = 1): ListEntry => ({
  item: makeItem({ entityTypeId: 2, id: itemId }),
  activity: makeActivity({ id }),
});
const lists = (incoming: number[], planned: number[] = []): PersonLists => ({
  incoming: incoming.map((id) => entry(id)),
  planned: { overdue: planned.map((id) => entry(id)), today: [], soon: [] },
});

describe('decideNotifications', () => {
  it('announces nothing the first time, only remembers', () => {
    const d = decideNotifications(lists([1, 2], [3]), null, true);
    expect(d.incoming).toEqual([]);
    expect(d.lit).toEqual([]);
    expect(d.memory).toEqual({ incoming: [1, 2], planned: [3] });
  });
  it('announces each new incoming activity once, even when bound to two items', () => {
    const d = decideNotifications(
      { ...lists([]), incoming: [entry(1), entry(4, 1), entry(4, 2)] },
      { incoming: [1], planned: [] },
      false,
    );
    expect(d.incoming.map((e) => e.activity.id)).toEqual([4]);
    expect(d.lit).toEqual([]);
  });
  it('announces activities that lit up, under rule light time only', () => {
    expect(decideNotifications(lists([], [3, 5]), { incoming: [], planned: [3] }, true).lit.map((e) => e.activity.id)).toEqual([5]);
    expect(decideNotifications(lists([], [3, 5]), { incoming: [], planned: [3] }, false).lit).toEqual([]);
  });
});

describe('inQuietHours', () => {
  it.each([
    [23 * 60, '22:00', '07:00', true],
    [6 * 60 + 59, '22:00', '07:00', true],
    [7 * 60, '22:00', '07:00', false],
    [12 * 60, '12:00', '13:00', true],
    [13 * 60, '12:00', '13:00', false],
    [12 * 60, null, '13:00', false],
  ])('%i min in %s–%s: %s', (now, from, to, quiet) => {
    expect(inQuietHours(now, from, to)).toBe(quiet);
  });
});
