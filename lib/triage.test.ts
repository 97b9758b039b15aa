import { describe, expect, it } from 'vitest';
import { portalDateTime, postponeTarget } from './triage';

const BERLIN = 'Europe/Berlin';
// Wednesday 2026-05-13 10:00 Berlin (UTC+2).
const wednesday = Date.UTC(2026, 4, 13, 8);

describe('postponeTarget', () => {
  it('one hour from now, or from a deadline still ahead', () => {
    expect(postponeTarget('hour', wednesday, BERLIN)).toBe(wednesday + 3_600_000);
    expect(postponeTarget('hour', wednesday, BERLIN, wednesday - 7_200_000)).toBe(wednesday + 3_600_000);
    expect(postponeTarget('hour', wednesday, BERLIN, wednesday + 7_200_000)).toBe(wednesday + 3 * 3_600_000);
  });
  it('tomorrow 9:00 in the zone', () => {
    expect(new Date(postponeTarget('tomorrow', wednesday, BERLIN)).toISOString()).toBe('2026-05-14T07:00:00.000Z');
    expect(new Date(postponeTarget('tomorrow', wednesday, 'Asia/Tokyo')).toISOString()).toBe('2026-05-14T00:00:00.000Z');
  });
  it('next Monday 9:00, a week on from a Monday', () => {
    expect(new Date(postponeTarget('nextMonday', wednesday, BERLIN)).toISOString()).toBe('2026-05-18T07:00:00.000Z');
    const monday = Date.UTC(2026, 4, 18, 8);
    expect(new Date(postponeTarget('nextMonday', monday, BERLIN)).toISOString()).toBe('2026-05-25T07:00:00.000Z');
    const sunday = Date.UTC(2026, 4, 17, 20);
    expect(new Date(postponeTarget('nextMonday', sunday, BERLIN)).toISOString()).toBe('2026-05-18T07:00:00.000Z');
  });
  it('across a DST change (Berlin, last Sunday of March)', () => {
    const saturday = Date.UTC(2026, 2, 28, 12);
    // Sunday 2026-03-29 9:00 is UTC+2 after the 2:00 jump.
    expect(new Date(postponeTarget('tomorrow', saturday, BERLIN)).toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });
  it('late in the evening in the viewer zone, even when UTC has another date', () => {
    // 23:30 Tokyo on Wednesday = 14:30 UTC Wednesday: tomorrow is Thursday in Tokyo.
    const late = Date.UTC(2026, 4, 13, 14, 30);
    expect(new Date(postponeTarget('tomorrow', late, 'Asia/Tokyo')).toISOString()).toBe('2026-05-14T00:00:00.000Z');
  });
});

describe('portalDateTime', () => {
  it('writes the portal offset', () => {
    expect(portalDateTime(Date.UTC(2026, 4, 14, 6), 180)).toBe('2026-05-14T09:00:00+03:00');
    expect(portalDateTime(Date.UTC(2026, 4, 14, 6), -300)).toBe('2026-05-14T01:00:00-05:00');
    expect(portalDateTime(Date.UTC(2026, 4, 14, 6), 330)).toBe('2026-05-14T11:30:00+05:30');
  });
});
