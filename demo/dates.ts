// Date-times as Bitrix24 writes and reads them: ISO 8601 with the portal's
// offset (`2026-05-13T18:00:00+03:00`). Values without an offset are read in
// the portal's offset, as the portal does.

export interface PortalClock {
  now(): number;
  /** Minutes east of UTC, e.g. 180 for `+03:00`. */
  offsetMinutes: number;
  offset: string;
}

export function parseOffset(offset: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) throw new Error(`Bad portal offset "${offset}", expected like +03:00`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

export function formatDateTime(ms: number, clock: Pick<PortalClock, 'offsetMinutes' | 'offset'>): string {
  const local = new Date(ms + clock.offsetMinutes * 60_000).toISOString();
  return `${local.slice(0, 19)}${clock.offset}`;
}

/** The instant Bitrix24 stores for "no deadline": 9999-12-31T00:00:00 in the portal's offset. */
export function noDeadlineInstant(offsetMinutes: number): number {
  return Date.UTC(9999, 11, 31) - offsetMinutes * 60_000;
}

/**
 * Reads `2026-05-13T18:00:00+03:00`, `2026-05-13T18:00:00Z`, `2026-05-13 18:00:00`,
 * `2026-05-13` and `13.05.2026 18:00:00`; returns epoch ms or null.
 */
export function parseDateTime(value: unknown, offsetMinutes: number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  let parts: number[];
  let zone: string | undefined;
  if (m) {
    parts = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    zone = m[7];
  } else {
    m = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
    if (!m) return null;
    parts = [m[3], m[2], m[1], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  }
  const [y, mo, d, h, mi, se] = parts;
  const utc = Date.UTC(y, mo - 1, d, h, mi, se);
  if (Number.isNaN(utc)) return null;
  let off = offsetMinutes;
  if (zone === 'Z') off = 0;
  else if (zone) off = parseOffset(zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone);
  return utc - off * 60_000;
}

/** Start of the portal-local day containing `ms`. */
export function startOfPortalDay(ms: number, offsetMinutes: number): number {
  const shifted = ms + offsetMinutes * 60_000;
  return shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000) - offsetMinutes * 60_000;
}
