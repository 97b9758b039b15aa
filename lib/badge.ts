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
