import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, type BadgeInput, type BadgeView, badgeView, type PortalBadgeInput, portalsBadgeView } from './badge';

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

describe('portalsBadgeView (several portals)', () => {
  const synced = (incoming: number, planned: number, lastSyncAt = 7): BadgeInput => ({ kind: 'synced', incoming, planned, lastSyncAt });
  const two = (a: BadgeInput, b: BadgeInput): PortalBadgeInput[] => [
    { host: 'a.bitrix24.com', input: a },
    { host: 'crm.example.org:8443', input: b },
  ];
  const lines = (view: BadgeView) => view.title.split('\n');

  it('none connected reads as not connected', () => {
    expect(portalsBadgeView([], t, time)).toEqual(badgeView({ kind: 'notConnected' }, t, time));
  });

  it.each<BadgeInput>([
    { kind: 'notConnected' },
    { kind: 'firstSync' },
    { kind: 'synced', incoming: 3, planned: 2, lastSyncAt: 7 },
    { kind: 'synced', incoming: 120, planned: 0, lastSyncAt: 7 },
    { kind: 'synced', incoming: 0, planned: 0, lastSyncAt: 7 },
    { kind: 'failing', reason: 'Portal unreachable', since: 9, counts: { incoming: 1, planned: 4, lastSyncAt: 7 } },
    { kind: 'failing', reason: 'Wrong code', since: 9, counts: null },
  ])('one portal reads exactly as badgeView: %o', (input) => {
    expect(portalsBadgeView([{ host: 'a.bitrix24.com', input }], t, time)).toEqual(badgeView(input, t, time));
  });

  it.each([
    // [incoming, planned] of each portal → text, colour
    [[3, 2], [4, 0], '9', BADGE_COLORS.planned],
    [[3, 0], [0, 1], '4', BADGE_COLORS.planned],
    [[3, 0], [4, 0], '7', BADGE_COLORS.incoming],
    [[0, 0], [2, 0], '2', BADGE_COLORS.incoming],
    [[0, 0], [0, 0], '', null],
    [[50, 0], [0, 49], '99', BADGE_COLORS.planned],
    [[50, 0], [50, 0], '99+', BADGE_COLORS.incoming],
    [[60, 40], [1, 0], '99+', BADGE_COLORS.planned],
  ] as const)('sums All: %j + %j → %s', ([ia, pa], [ib, pb], text, color) => {
    const view = portalsBadgeView(two(synced(ia, pa), synced(ib, pb)), t, time);
    expect(view.text).toBe(text);
    expect(view.color).toBe(color);
  });

  it('the title has the name, then a line per portal under its host, in the order given', () => {
    const view = portalsBadgeView(two(synced(3, 2, 7), synced(0, 1, 8)), t, time);
    expect(lines(view)).toEqual([
      'Counters for Bitrix24',
      'a.bitrix24.com: Incoming: 3, Planned: 2, Last sync: T7',
      'crm.example.org:8443: Incoming: 0, Planned: 1, Last sync: T8',
    ]);
  });

  it('no number while no portal has finished its first sync; one that has counts alone', () => {
    const none = portalsBadgeView(two({ kind: 'firstSync' }, { kind: 'firstSync' }), t, time);
    expect(none).toMatchObject({ text: '', color: null });
    expect(lines(none)).toEqual(['Counters for Bitrix24', 'a.bitrix24.com: Syncing…', 'crm.example.org:8443: Syncing…']);
    // The second still runs its first sync: the sum is the first's alone, its line says it syncs.
    const one = portalsBadgeView(two(synced(2, 1), { kind: 'firstSync' }), t, time);
    expect(one).toMatchObject({ text: '3', color: BADGE_COLORS.planned });
    expect(lines(one)[2]).toBe('crm.example.org:8443: Syncing…');
    // A syncing one with a failing one without data: no number, no '!' (something may still come).
    expect(portalsBadgeView(two({ kind: 'firstSync' }, { kind: 'failing', reason: 'Wrong code', since: 9, counts: null }), t, time)).toMatchObject({
      text: '',
      color: null,
    });
  });

  it('a failing portal with data keeps its last good numbers in the sum; its line says why and since when', () => {
    const failing: BadgeInput = { kind: 'failing', reason: 'Portal unreachable', since: 9, counts: { incoming: 0, planned: 4, lastSyncAt: 7 } };
    const view = portalsBadgeView(two(synced(3, 0), failing), t, time);
    expect(view).toMatchObject({ text: '7', color: BADGE_COLORS.planned });
    expect(lines(view)[2]).toBe('crm.example.org:8443: Incoming: 0, Planned: 4, Portal unreachable, Data stale since T9');
    // Only Incoming anywhere, failing or not: green.
    const incomingOnly: BadgeInput = { ...failing, counts: { incoming: 5, planned: 0, lastSyncAt: 7 } };
    expect(portalsBadgeView(two(incomingOnly, synced(1, 0)), t, time)).toMatchObject({ text: '6', color: BADGE_COLORS.incoming });
  });

  it('a failing portal without data: its line says why; the others count; all failing without data shows !', () => {
    const noData: BadgeInput = { kind: 'failing', reason: 'Wrong code', since: 9, counts: null };
    const view = portalsBadgeView(two(synced(3, 0), noData), t, time);
    expect(view).toMatchObject({ text: '3', color: BADGE_COLORS.incoming });
    expect(lines(view)[2]).toBe('crm.example.org:8443: Wrong code');
    const both = portalsBadgeView(two({ ...noData, reason: 'Portal unreachable' }, noData), t, time);
    expect(both).toMatchObject({ text: '!', color: BADGE_COLORS.error });
    expect(lines(both)).toEqual(['Counters for Bitrix24', 'a.bitrix24.com: Portal unreachable', 'crm.example.org:8443: Wrong code']);
  });

  it('a portal shown as not connected has its line and counts nothing', () => {
    const view = portalsBadgeView(two({ kind: 'notConnected' }, synced(0, 2)), t, time);
    expect(view).toMatchObject({ text: '2', color: BADGE_COLORS.planned });
    expect(lines(view)[1]).toBe('a.bitrix24.com: Not connected');
  });

  it('three portals: every one is summed and has its line', () => {
    const view = portalsBadgeView(
      [
        { host: 'a.bitrix24.com', input: synced(1, 0) },
        { host: 'b.bitrix24.de', input: synced(2, 0) },
        { host: 'c.bitrix24.ru', input: synced(3, 0) },
      ],
      t,
      time,
    );
    expect(view).toMatchObject({ text: '6', color: BADGE_COLORS.incoming });
    expect(lines(view).slice(1).map((line) => line.split(':')[0])).toEqual(['a.bitrix24.com', 'b.bitrix24.de', 'c.bitrix24.ru']);
  });
});
