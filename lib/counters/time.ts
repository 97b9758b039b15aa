// Zone math for the counters. Civil dates come from Intl (one cached formatter
// per zone: ~2.5 µs a call, against ~100 µs for dayjs' timezone plugin), and day
// boundaries are computed once per zone and day, so hot loops only compare
// epoch numbers.

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface CivilDate {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

export interface CivilTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

const validZones = new Map<string, boolean>();

/** Whether `zone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  let ok = validZones.get(zone);
  if (ok === undefined) {
    try {
      formatter(zone);
      ok = zone !== '';
    } catch {
      // RangeError: unknown zone; the caller falls back to the next zone source.
      ok = false;
    }
    validZones.set(zone, ok);
  }
  return ok;
}

/** The wall-clock time at `instant` in `zone`. */
export function civilTime(instant: number, zone: string): CivilTime {
  const out: CivilTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(zone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        out.hour = Number(part.value);
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
    }
  }
  return out;
}

/** UTC offset of `zone` at `instant`, in ms (Berlin in summer: +7_200_000). */
export function zoneOffsetAt(instant: number, zone: string): number {
  const c = civilTime(instant, zone);
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - wholeSecond;
}

function dateKey(c: CivilDate): number {
  return c.year * 10_000 + c.month * 100 + c.day;
}

/** The civil date `days` after `date` (days may be negative). */
export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day of the week of a civil date, 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/**
 * The first instant of civil date `date` in `zone`: local midnight, or, where a
 * DST jump skips midnight (America/Santiago, ...), the first instant that day.
 */
export function startOfDay(date: CivilDate, zone: string): number {
  const wallMidnight = Date.UTC(date.year, date.month - 1, date.day);
  let t = wallMidnight - zoneOffsetAt(wallMidnight, zone);
  t = wallMidnight - zoneOffsetAt(t, zone);
  const c = civilTime(t, zone);
  if (c.hour === 0 && c.minute === 0 && c.second === 0 && dateKey(c) === dateKey(date)) {
    const before = civilTime(t - 1, zone);
    if (dateKey(before) < dateKey(date)) return t;
  }
  // Midnight does not exist (or exists twice): search the first instant whose
  // civil date is `date`. Offsets stay within ±16 h of UTC.
  const key = dateKey(date);
  let lo = wallMidnight - 16 * HOUR;
  let hi = wallMidnight + 16 * HOUR;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dateKey(civilTime(mid, zone)) >= key) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Boundaries of "today", "this week" and "next week" for one zone at one instant. */
export interface DayWindow {
  zone: string;
  weekStart: number;
  /** Today 00:00: deadlines before it are overdue. */
  todayStart: number;
  /** Tomorrow 00:00: under rule day, deadlines before it are lit. */
  tomorrowStart: number;
  /** First day of next week, 00:00: the end of "This week". */
  nextWeekStart: number;
  /** First day of the week after next, 00:00: the end of "Next week". */
  weekAfterNextStart: number;
}

const windows = new Map<string, DayWindow>();

/**
 * The day window of `zone` containing `now`, cached per zone and week start
 * until `now` leaves it. `weekStart`: 0 = Sunday, 1 = Monday, ... 6 = Saturday.
 */
export function dayWindow(zone: string, now: number, weekStart = 1): DayWindow {
  const cacheKey = `${zone}|${weekStart}`;
  const cached = windows.get(cacheKey);
  if (cached && cached.todayStart <= now && now < cached.tomorrowStart) return cached;
  const today = civilTime(now, zone);
  const intoWeek = (dayOfWeek(today) - weekStart + 7) % 7;
  const w: DayWindow = {
    zone,
    weekStart,
    todayStart: startOfDay(today, zone),
    tomorrowStart: startOfDay(addDays(today, 1), zone),
    nextWeekStart: startOfDay(addDays(today, 7 - intoWeek), zone),
    weekAfterNextStart: startOfDay(addDays(today, 14 - intoWeek), zone),
  };
  windows.set(cacheKey, w);
  return w;
}

const DEADLINE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * DEADLINE as an instant (epoch ms), or null for none: empty, year 9999 (the
 * portal's "no deadline") or unparseable. A value without an offset is read in
 * the portal's offset (`portalOffsetMinutes`, e.g. 180 for `+03:00`).
 */
export function parseDeadline(raw: string, portalOffsetMinutes: number): number | null {
  const m = DEADLINE_RE.exec(raw.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year >= 9999) return null;
  const hour = m[4] ? Number(m[4]) : 0;
  const minute = m[5] ? Number(m[5]) : 0;
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March: reject it.
  if (new Date(wall).getUTCDate() !== day) return null;
  let offsetMinutes = portalOffsetMinutes;
  const tz = m[8];
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  } else if (tz) {
    offsetMinutes = 0;
  }
  return wall - offsetMinutes * 60_000;
}
