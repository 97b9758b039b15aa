import { describe, expect, it } from 'vitest';
import { addDays, civilTime, dayOfWeek, dayWindow, isValidTimeZone, parseDeadline, startOfDay, zoneOffsetAt } from './time';

const utc = (iso: string) => Date.parse(iso);

describe('parseDeadline', () => {
  it.each<[string, number, number | null]>([
    ['2026-05-13T18:00:00+03:00', 0, utc('2026-05-13T15:00:00Z')],
    ['2026-05-13T18:00:00+03:00', -300, utc('2026-05-13T15:00:00Z')],
    ['2026-05-13T18:00:00-05:00', 180, utc('2026-05-13T23:00:00Z')],
    ['2026-05-13T18:00:00Z', 180, utc('2026-05-13T18:00:00Z')],
    ['2026-05-13T18:00:00+0530', 0, utc('2026-05-13T12:30:00Z')],
    ['2026-05-13T18:00:00.250+02:00', 0, utc('2026-05-13T16:00:00.250Z')],
    // Without an offset: the portal's offset.
    ['2026-05-13T18:00:00', 180, utc('2026-05-13T15:00:00Z')],
    ['2026-05-13 18:00:00', 180, utc('2026-05-13T15:00:00Z')],
    ['2026-05-13T18:00', -240, utc('2026-05-13T22:00:00Z')],
    ['2026-05-13', 120, utc('2026-05-12T22:00:00Z')],
    ['  2026-05-13T18:00:00+03:00 ', 0, utc('2026-05-13T15:00:00Z')],
    // None.
    ['', 180, null],
    ['   ', 180, null],
    ['9999-12-31T00:00:00+03:00', 180, null],
    ['9999-12-31T23:59:59', 180, null],
    ['9999-12-31', 0, null],
    ['not a date', 0, null],
    ['2026-02-31T10:00:00+03:00', 0, null],
    ['2026-13-01T10:00:00+03:00', 0, null],
    ['2026-05-13T24:00:00+03:00', 0, null],
  ])('%j with portal offset %i min', (raw, offset, expected) => {
    expect(parseDeadline(raw, offset)).toBe(expected);
  });
});

describe('zone math', () => {
  it('knows zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('reads offsets', () => {
    expect(zoneOffsetAt(utc('2026-05-13T08:00:00Z'), 'Europe/Berlin')).toBe(2 * 3_600_000);
    expect(zoneOffsetAt(utc('2026-01-13T08:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetAt(utc('2026-05-13T08:00:00Z'), 'Asia/Tokyo')).toBe(9 * 3_600_000);
    expect(zoneOffsetAt(utc('2026-05-13T08:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });

  it('does calendar arithmetic', () => {
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2028, month: 3, day: 1 }, -1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(dayOfWeek({ year: 2026, month: 5, day: 13 })).toBe(3);
    expect(civilTime(utc('2026-05-13T22:10:00Z'), 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 5,
      day: 14,
      hour: 0,
      minute: 10,
      second: 0,
    });
  });

  // [zone, an instant that day, today 00:00, tomorrow 00:00, hours in the day]
  it.each<[string, string, string, string, number]>([
    ['Europe/Berlin', '2026-03-29T12:00:00Z', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 23],
    ['Europe/Berlin', '2026-10-25T12:00:00Z', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 25],
    ['America/New_York', '2026-03-08T12:00:00Z', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 23],
    ['America/New_York', '2026-11-01T12:00:00Z', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 25],
    ['Asia/Tokyo', '2026-05-13T16:00:00Z', '2026-05-13T15:00:00Z', '2026-05-14T15:00:00Z', 24],
    ['UTC', '2026-05-13T16:00:00Z', '2026-05-13T00:00:00Z', '2026-05-14T00:00:00Z', 24],
    // Santiago skips midnight: 2026-09-06 starts at 01:00 -03.
    ['America/Santiago', '2026-09-06T12:00:00Z', '2026-09-06T04:00:00Z', '2026-09-07T03:00:00Z', 23],
    // ... and repeats the hour before it on 2026-04-04.
    ['America/Santiago', '2026-04-04T12:00:00Z', '2026-04-04T03:00:00Z', '2026-04-05T04:00:00Z', 25],
  ])('day in %s around %s', (zone, at, today, tomorrow, hours) => {
    const w = dayWindow(zone, utc(at));
    expect(new Date(w.todayStart).toISOString()).toBe(new Date(utc(today)).toISOString());
    expect(new Date(w.tomorrowStart).toISOString()).toBe(new Date(utc(tomorrow)).toISOString());
    expect((w.tomorrowStart - w.todayStart) / 3_600_000).toBe(hours);
  });

  it('starts the skipped-midnight day at its first instant', () => {
    const t = startOfDay({ year: 2026, month: 9, day: 6 }, 'America/Santiago');
    expect(civilTime(t, 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 });
    expect(civilTime(t - 1, 'America/Santiago')).toMatchObject({ day: 5, hour: 23 });
  });

  it.each<[number, string, string]>([
    // Wednesday 2026-05-13 in Berlin.
    [1, '2026-05-17T22:00:00Z', '2026-05-24T22:00:00Z'],
    [0, '2026-05-16T22:00:00Z', '2026-05-23T22:00:00Z'],
    [3, '2026-05-19T22:00:00Z', '2026-05-26T22:00:00Z'],
    [4, '2026-05-13T22:00:00Z', '2026-05-20T22:00:00Z'],
  ])('week starting on day %i', (weekStart, nextWeek, weekAfter) => {
    const w = dayWindow('Europe/Berlin', utc('2026-05-13T08:00:00Z'), weekStart);
    expect(w.nextWeekStart).toBe(utc(nextWeek));
    expect(w.weekAfterNextStart).toBe(utc(weekAfter));
  });

  it('week boundaries across a DST change are local midnights', () => {
    const w = dayWindow('Europe/Berlin', utc('2026-03-25T12:00:00Z'));
    expect(w.nextWeekStart).toBe(utc('2026-03-29T22:00:00Z'));
    expect(w.weekAfterNextStart).toBe(utc('2026-04-05T22:00:00Z'));
  });

  it('recomputes the cached window when now leaves it', () => {
    const a = dayWindow('Europe/Berlin', utc('2026-05-13T21:59:59.999Z'));
    const b = dayWindow('Europe/Berlin', utc('2026-05-13T22:00:00Z'));
    expect(b.todayStart).toBe(a.tomorrowStart);
    const c = dayWindow('Europe/Berlin', utc('2026-05-13T08:00:00Z'));
    expect(c.todayStart).toBe(a.todayStart);
  });
});
