import { describe, expect, it } from 'vitest';
import { CALM, congestionAfter, idlePollSeconds, spreadEarly, teamPollSeconds, withJitter } from './team-share';

describe('teamPollSeconds', () => {
  it.each([
    ['a small team follows the setting', 60, 8, 2, 0, 60],
    ['30 employees still follow it (30 polls a minute = 25 % of 2/s)', 60, 30, 2, 0, 60],
    ['a short setting is kept in a small team', 30, 30, 2, 0, 30],
    ['60 employees: 2 minutes', 60, 60, 2, 0, 120],
    ['250 employees: 500 s', 60, 250, 2, 0, 500],
    ['Enterprise (5/s) stretches less', 60, 250, 5, 0, 200],
    ['a longer setting wins', 900, 250, 2, 0, 900],
    ['reconciliation traffic leaves less for polls', 60, 100, 2, 0.001, 250],
    ['no room left at all: the longest interval', 60, 1000, 2, 0.01, 1800],
  ])('%s', (_name, settingSeconds, activeEmployees, drainPerSecond, otherPerSecond, expected) => {
    expect(teamPollSeconds({ settingSeconds, activeEmployees, drainPerSecond, otherPerSecond })).toBe(expected);
  });

  it('keeps a team of N within a quarter of the drain', () => {
    for (const n of [31, 50, 120, 200, 500]) {
      const p = teamPollSeconds({ settingSeconds: 60, activeEmployees: n, drainPerSecond: 2 });
      expect(n / p).toBeLessThanOrEqual(0.5);
    }
  });
});

describe('idlePollSeconds', () => {
  it.each([
    [5, 300],
    [60, 300],
    [120, 600],
    [900, 1800],
  ])('%i s → %i s', (poll, idle) => expect(idlePollSeconds(poll)).toBe(idle));
});

describe('congestion', () => {
  it('doubles on a full bucket, up to 32×', () => {
    let f = CALM;
    for (let i = 0; i < 8; i++) f = congestionAfter(f, 'rateLimited');
    expect(f).toBe(32);
  });

  it('comes back additively: the rate grows by a quarter per success', () => {
    let f = congestionAfter(congestionAfter(CALM, 'rateLimited'), 'rateLimited');
    expect(f).toBe(4);
    const rates = [];
    for (let i = 0; i < 4; i++) {
      f = congestionAfter(f, 'ok');
      rates.push(1 / f);
    }
    expect(rates).toEqual([0.5, 0.75, 1, 1]);
    expect(congestionAfter(3, 'other')).toBe(3);
  });
});

describe('spreading timers', () => {
  it('jitters a backoff by ±25 %', () => {
    expect(withJitter(1000, () => 0)).toBe(750);
    expect(withJitter(1000, () => 0.999999)).toBe(1250);
  });

  it('moves a request-making timer earlier only, by 10 % at most', () => {
    expect(spreadEarly(60_000, () => 0)).toBe(60_000);
    expect(spreadEarly(60_000, () => 1)).toBe(54_000);
  });
});
