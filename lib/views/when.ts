// "missed 5 min ago", "overdue 2 d", "today 18:00": when an entry happened or is due, as message keys.
export type Message = { key: string; subs?: string[] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago something arrived (incoming entries). */
export function ago(at: number | null, now: number): Message | null {
  if (at === null) return null;
  const d = Math.max(0, now - at);
  if (d < MINUTE) return { key: 'whenJustNow' };
  if (d < HOUR) return { key: 'whenMinutesAgo', subs: [String(Math.floor(d / MINUTE))] };
  if (d < DAY) return { key: 'whenHoursAgo', subs: [String(Math.floor(d / HOUR))] };
  return { key: 'whenDaysAgo', subs: [String(Math.floor(d / DAY))] };
}

/** When a planned entry is due. `time` formats a clock time; `dayStart` is today 00:00 in the person's zone. */
export function due(
  group: 'overdue' | 'today' | 'soon',
  deadline: number | null,
  now: number,
  todayStart: number,
  time: (ms: number) => string,
): Message | null {
  if (deadline === null) return null;
  if (group === 'overdue') {
    const days = Math.max(1, Math.ceil((todayStart - deadline) / DAY));
    return { key: 'whenOverdueDays', subs: [String(days)] };
  }
  if (group === 'today') return { key: deadline < now ? 'whenTodayPassed' : 'whenToday', subs: [time(deadline)] };
  return { key: 'whenSoon', subs: [time(deadline)] };
}
