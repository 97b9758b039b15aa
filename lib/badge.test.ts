import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, badgeView } from './badge';

const words: Record<string, string> = {
  extName: 'Counters for Bitrix24',
  badgeNotConnected: 'Not connected',
  badgeSyncing: 'Syncing…',
  badgeIncoming: 'Incoming: $1',
  badgePlanned: 'Planned: $1',
  badgeLastSync: 'Last sync: $1',
  badgeStaleSince: 'Data stale since $1',
};
const t = (key: string, subs: string[] = []) => subs.reduce((s, v, i) => s.replace(`$${i + 1}`, v), words[key]);
const time = (ms: number) => `T${ms}`;

describe('badgeView', () => {
  it('not connected', () => {
    expect(badgeView({ kind: 'notConnected' }, t, time)).toEqual({
      text: '',
      color: null,
      title: 'Counters for Bitrix24\nNot connected',
    });
  });
  it('first sync', () => {
    const view = badgeView({ kind: 'firstSync' }, t, time);
    expect(view.text).toBe('');
    expect(view.title).toContain('Syncing');
  });
  it.each([
    [3, 2, '5', BADGE_COLORS.planned],
    [3, 0, '3', BADGE_COLORS.incoming],
    [0, 1, '1', BADGE_COLORS.planned],
    [60, 40, '99+', BADGE_COLORS.planned],
    [0, 0, '', null],
  ])('synced %i incoming, %i planned → %s', (incoming, planned, text, color) => {
    const view = badgeView({ kind: 'synced', incoming, planned, lastSyncAt: 7 }, t, time);
    expect(view.text).toBe(text);
    expect(view.color).toBe(color);
    expect(view.title).toContain(`Incoming: ${incoming}`);
    expect(view.title).toContain(`Planned: ${planned}`);
    expect(view.title).toContain('T7');
  });
  it('failing with data keeps the numbers and says why and since when', () => {
    const view = badgeView(
      { kind: 'failing', reason: 'Portal unreachable', since: 9, counts: { incoming: 1, planned: 0, lastSyncAt: 7 } },
      t,
      time,
    );
    expect(view).toMatchObject({ text: '1', color: BADGE_COLORS.incoming });
    expect(view.title).toContain('Portal unreachable');
    expect(view.title).toContain('stale since T9');
  });
  it('failing without data', () => {
    const view = badgeView({ kind: 'failing', reason: 'Wrong code', since: 9, counts: null }, t, time);
    expect(view).toMatchObject({ text: '!', color: BADGE_COLORS.error });
    expect(view.title).toContain('Wrong code');
  });
});
