// Triage from the popup: when "Postpone" moves a deadline to, and how a
// deadline is written for the portal. Pure: `now` and the zone are arguments.
import { addDays, civilTime, dayOfWeek, startOfDay } from './counters/time';

export type PostponeChoice = 'hour' | 'tomorrow' | 'nextMonday';

export const POSTPONE_CHOICES: readonly PostponeChoice[] = ['hour', 'tomorrow', 'nextMonday'];

const HOUR = 3_600_000;
const NINE = 9 * HOUR;

/**
 * The new deadline: `hour` is one hour from now (or from the current deadline
 * when that is still ahead); `tomorrow` is tomorrow 9:00 in `zone`;
 * `nextMonday` is the coming Monday 9:00 (a week on when today is Monday).
 */
export function postponeTarget(choice: PostponeChoice, now: number, zone: string, deadline: number | null = null): number {
  if (choice === 'hour') return Math.max(now, deadline ?? now) + HOUR;
  const today = civilTime(now, zone);
  const days = choice === 'tomorrow' ? 1 : ((8 - dayOfWeek(today)) % 7 || 7);
  // 9:00 on a DST day is still 9 hours after a midnight that exists.
  const day = addDays(today, days);
  const midnight = startOfDay(day, zone);
  const nine = civilTime(midnight + NINE, zone);
  return nine.hour === 9 ? midnight + NINE : midnight + NINE - (nine.hour - 9) * HOUR;
}

/** An instant as the portal writes date-times: ISO 8601 with its offset (`2026-05-14T09:00:00+03:00`). */
export function portalDateTime(instant: number, offsetMinutes: number): string {
  const shifted = new Date(Math.floor(instant / 1000) * 1000 + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${shifted.toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
}
