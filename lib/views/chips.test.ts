import { describe, expect, it } from 'vitest';
import { countingRules, dayWindow } from '../counters';
import { makeActivity } from '../counters/testing';
import { chipDetail, chipView } from './chips';

const t = (key: string, subs: string[] = []) => `${key}(${subs.join(',')})`;
const time = (ms: number) => new Date(ms).toISOString();
const now = Date.UTC(2026, 4, 13, 8);
const window = dayWindow('Europe/Berlin', now);
const rules = countingRules();
const HOUR = 3_600_000;

describe('chip tooltip', () => {
  it('breaks down incoming and lit, and names the next deadline', () => {
    const activities = [
      makeActivity({ id: 1, isIncomingChannel: true }),
      makeActivity({ id: 2, deadline: now - 30 * HOUR }),
      makeActivity({ id: 3, deadline: now + 50 * HOUR }),
      makeActivity({ id: 4, deadline: now + 80 * HOUR }),
    ];
    const detail = chipDetail(activities, now, window, rules);
    expect(detail).toEqual({ incoming: 1, lit: 1, nextDeadline: now + 50 * HOUR });
    const view = chipView({ entityTypeId: 2, entityId: 1 }, { state: 'both', count: 2, mine: true, dot: null }, detail, t, time);
    expect(view.label).toBe('2');
    expect(view.tooltip.split('\n')).toEqual([
      'chipBoth(2)',
      'chipBreakdown(1,1)',
      `chipNextDeadline(${time(now + 50 * HOUR)})`,
    ]);
  });
  it('reads 99+ above 99', () => {
    const view = chipView(
      { entityTypeId: 2, entityId: 1 },
      { state: 'planned', count: 120, mine: true, dot: null },
      { incoming: 0, lit: 120, nextDeadline: null },
      t,
      time,
    );
    expect([view.label, view.count]).toEqual(['99+', 120]);
  });
});
