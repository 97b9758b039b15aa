// When the counters change on their own: the background schedules one wake-up
// at this instant instead of polling the clock.
import type { CrmActivity } from '../domain';
import { litKey } from './classify';
import type { CountingRules } from './rules';
import { dayWindow } from './time';

/**
 * The first instant after `now` at which a count, chip, list or column can
 * change with no new data: the next midnight in any of `zones` (the zones of
 * the people shown: connected user, popup's employee), and under rule light
 * time the next light time among `activities`. Null when nothing is due.
 * `CounterIndex.nextChangeAt` answers the same from its own activities.
 */
export function nextChangeAt(
  now: number,
  zones: readonly string[],
  rules: Pick<CountingRules, 'litRule' | 'lightOffsetMinutes'>,
  activities: Iterable<CrmActivity> = [],
): number | null {
  let next = Number.POSITIVE_INFINITY;
  for (const zone of zones) next = Math.min(next, dayWindow(zone, now).tomorrowStart);
  if (rules.litRule === 'lightTime') {
    for (const a of activities) {
      if (a.completed) continue;
      const key = litKey(a, rules);
      if (key > now && key < next) next = key;
    }
  }
  return next === Number.POSITIVE_INFINITY ? null : next;
}
