// The badge changes at the viewer's midnight, across a DST change, with no new
// data: the counter index read at the instant its wake-up alarm names.
import { describe, expect, it } from 'vitest';
import { badgeView } from '../../lib/badge';
import { CounterIndex, countingRules } from '../../lib/counters';
import { makeActivity, makeItem } from '../../lib/counters/testing';
import type { Person } from '../../lib/domain';

const t = (key: string, subs: string[] = []) => `${key}(${subs.join(',')})`;
const anna: Person = { id: 1, name: 'Anna', lastName: 'Schmidt', fullName: 'Anna Schmidt', timeZone: 'Europe/Berlin', departmentIds: [], active: true };

function badgeAt(index: CounterIndex, now: number) {
  const totals = index.totals(1, now);
  return badgeView({ kind: 'synced', incoming: totals.incoming, planned: totals.planned, lastSyncAt: 0 }, t, String);
}

describe('badge over time', () => {
  it('a to-do due tomorrow lights at Berlin midnight on the night clocks go forward', () => {
    // Saturday 2026-03-28; Sunday 29 March 02:00 → 03:00 in Berlin. A to-do due Sunday 10:00 Berlin.
    const due = Date.UTC(2026, 2, 29, 8);
    const index = new CounterIndex({ rules: countingRules(), browserZone: 'UTC', people: [anna], connectedUserId: 1 });
    index.load({ items: [makeItem({ entityTypeId: 2, id: 1, responsibleId: 1 })], activities: [makeActivity({ id: 1, deadline: due })] });
    const saturdayEvening = Date.UTC(2026, 2, 28, 20);
    const midnight = index.nextChangeAt(saturdayEvening, [1]);
    // Berlin midnight is 23:00 UTC on Saturday (still winter time then).
    expect(midnight).toBe(Date.UTC(2026, 2, 28, 23));
    expect(badgeAt(index, midnight! - 1).text).toBe('');
    expect(badgeAt(index, midnight!)).toMatchObject({ text: '1', color: '#f54819' });
    // The next change is the following Berlin midnight, 22:00 UTC in summer time.
    expect(index.nextChangeAt(midnight!, [1])).toBe(Date.UTC(2026, 2, 29, 22));
  });

  it('under rule light time the badge lights at deadline − 15 min, to the millisecond', () => {
    const due = Date.UTC(2026, 9, 25, 0, 30); // the night clocks go back in Berlin
    const index = new CounterIndex({ rules: countingRules({ litRule: 'lightTime' }), browserZone: 'UTC', people: [anna], connectedUserId: 1 });
    index.load({ items: [makeItem({ entityTypeId: 2, id: 1, responsibleId: 1 })], activities: [makeActivity({ id: 1, deadline: due })] });
    const light = due - 15 * 60_000;
    const before = light - 60_000;
    expect(index.nextChangeAt(before, [1])).toBe(light);
    expect(badgeAt(index, light - 1).text).toBe('');
    expect(badgeAt(index, light).text).toBe('1');
  });
});
