// The toolbar badge: every state of docs/contract.md's badge table in one place.

export const BADGE_COLORS = {
  planned: '#f54819',
  incoming: '#9dcf00',
  error: '#b8c0c9',
} as const;

export type BadgeInput =
  | { kind: 'notConnected' }
  | { kind: 'firstSync' }
  | { kind: 'synced'; incoming: number; planned: number; lastSyncAt: number }
  | { kind: 'failing'; reason: string; since: number; counts: { incoming: number; planned: number; lastSyncAt: number } | null };

/** Several portals (contract, "Several portals"): each one's input, under its host. */
export interface PortalBadgeInput {
  host: string;
  input: BadgeInput;
}

export interface BadgeView {
  text: string;
  color: string | null;
  title: string;
}

export type Translate = (key: string, substitutions?: string[]) => string;
export type FormatTime = (epochMs: number) => string;

/** `99+` above 99, as the portal does. */
export function badgeNumber(count: number): string {
  return count > 99 ? '99+' : String(count);
}

export function badgeView(input: BadgeInput, t: Translate, time: FormatTime): BadgeView {
  const name = t('extName');
  switch (input.kind) {
    case 'notConnected':
      return { text: '', color: null, title: `${name}\n${t('badgeNotConnected')}` };
    case 'firstSync':
      return { text: '', color: null, title: `${name}\n${t('badgeSyncing')}` };
    case 'synced':
      return { ...countsView(input.incoming, input.planned), title: countsTitle(name, input, t, time) };
    case 'failing': {
      if (!input.counts) {
        return { text: '!', color: BADGE_COLORS.error, title: `${name}\n${input.reason}` };
      }
      const stale = t('badgeStaleSince', [time(input.since)]);
      return {
        ...countsView(input.counts.incoming, input.counts.planned),
        title: `${countsTitle(name, input.counts, t, time)}\n${input.reason}\n${stale}`,
      };
    }
  }
}

function countsView(incoming: number, planned: number): { text: string; color: string | null } {
  const all = incoming + planned;
  if (all === 0) return { text: '', color: null };
  return { text: badgeNumber(all), color: planned > 0 ? BADGE_COLORS.planned : BADGE_COLORS.incoming };
}

function countsTitle(
  name: string,
  counts: { incoming: number; planned: number; lastSyncAt: number },
  t: Translate,
  time: FormatTime,
): string {
  return [
    name,
    t('badgeIncoming', [String(counts.incoming)]),
    t('badgePlanned', [String(counts.planned)]),
    t('badgeLastSync', [time(counts.lastSyncAt)]),
  ].join('\n');
}

/** Counts a portal's input contributes to the sum: after its first full sync, the last good ones even while failing. */
function countsOf(input: BadgeInput): { incoming: number; planned: number } | null {
  if (input.kind === 'synced') return input;
  if (input.kind === 'failing') return input.counts;
  return null;
}

/**
 * The badge over several portals: the sum of All over those whose first full sync has finished (a failing
 * one keeps its last good numbers), red when any has Planned > 0; no number while none has finished; the
 * title has a line per portal. One portal reads exactly as badgeView.
 */
export function portalsBadgeView(portals: readonly PortalBadgeInput[], t: Translate, time: FormatTime): BadgeView {
  if (portals.length === 0) return badgeView({ kind: 'notConnected' }, t, time);
  if (portals.length === 1) return badgeView(portals[0].input, t, time);
  const counted = portals.map((p) => countsOf(p.input)).filter((c) => c !== null);
  const lines = portals.map(({ host, input }) => `${host}: ${portalLine(input, t, time)}`);
  const title = [t('extName'), ...lines].join('\n');
  if (counted.length === 0) {
    // None has data: a problem everywhere shows as one, else the first sync runs somewhere.
    const allFailing = portals.every((p) => p.input.kind === 'failing');
    return { text: allFailing ? '!' : '', color: allFailing ? BADGE_COLORS.error : null, title };
  }
  const incoming = counted.reduce((sum, c) => sum + c.incoming, 0);
  const all = counted.reduce((sum, c) => sum + c.incoming + c.planned, 0);
  const anyPlanned = counted.some((c) => c.planned > 0);
  if (all === 0) return { text: '', color: null, title };
  return { text: badgeNumber(all), color: anyPlanned ? BADGE_COLORS.planned : incoming > 0 ? BADGE_COLORS.incoming : null, title };
}

/** One portal's title line after its host. */
function portalLine(input: BadgeInput, t: Translate, time: FormatTime): string {
  switch (input.kind) {
    case 'notConnected':
      return t('badgeNotConnected');
    case 'firstSync':
      return t('badgeSyncing');
    case 'synced':
      return [t('badgeIncoming', [String(input.incoming)]), t('badgePlanned', [String(input.planned)]), t('badgeLastSync', [time(input.lastSyncAt)])].join(', ');
    case 'failing':
      if (!input.counts) return input.reason;
      return [
        t('badgeIncoming', [String(input.counts.incoming)]),
        t('badgePlanned', [String(input.counts.planned)]),
        input.reason,
        t('badgeStaleSince', [time(input.since)]),
      ].join(', ');
  }
}
