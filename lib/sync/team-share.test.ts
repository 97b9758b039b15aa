import { describe, expect, it } from 'vitest';
import { CALM, congestionAfter, freshEnoughSeconds, idlePollSeconds, spreadEarly, syncsPerHour, teamPollSeconds, teamSharePerHour, withJitter } from './team-share';

describe('teamPollSeconds', () => {
  // Timers fire 5 % early on average: the interval set is 1 / 0.95 of the mean interval the share allows.
  it.each([
    ['a small team follows the setting', 60, 8, 2, 0, 0, 60],
    ['30 employees still follow it (30 polls a minute = 25 % of 2/s)', 60, 30, 2, 0, 0, 60],
    ['a short setting is kept in a small team', 30, 30, 2, 0, 0, 30],
    ['60 employees: 2 minutes apart on average', 60, 60, 2, 0, 0, 127],
    ['250 employees: 500 s on average', 60, 250, 2, 0, 0, 527],
    ['Enterprise (5/s) stretches less', 60, 250, 5, 0, 0, 211],
    ['a longer setting wins', 900, 250, 2, 0, 0, 900],
    ['reconciliation traffic leaves less for polls', 60, 100, 2, 0.001, 0, 264],
    ['no room left at all: the longest interval', 60, 1000, 2, 0.01, 0, 1800],
    ['syncs the user asks for (4 an hour) replace some polls: 250 employees', 60, 250, 2, 0, 4, 561],
    ['a user who asks for more stretches their polls more', 60, 250, 2, 0, 20, 703],
    ['200 employees', 60, 200, 2, 0, 4, 443],
  ])('%s', (_name, settingSeconds, activeEmployees, drainPerSecond, otherPerSecond, onDemandPerHour, expected) => {
    expect(teamPollSeconds({ settingSeconds, activeEmployees, drainPerSecond, otherPerSecond, onDemandPerHour })).toBe(expected);
  });

  it('keeps a team of N within a quarter of the drain, polls and on-demand syncs together', () => {
    for (const n of [31, 50, 120, 200, 250, 500]) {
      for (const lambda of [0, 2, 4, 30]) {
        const p = teamPollSeconds({ settingSeconds: 1, activeEmployees: n, drainPerSecond: 2, onDemandPerHour: lambda });
        const load = (n * syncsPerHour(p, freshEnoughSeconds(p, true), lambda)) / 3600;
        expect(load).toBeLessThanOrEqual(0.5);
        // The shortest such interval: a second less would not fit.
        expect((n * syncsPerHour(p - 1, freshEnoughSeconds(p - 1, true), lambda)) / 3600).toBeGreaterThan(0.5);
      }
    }
  });
});

describe('syncsPerHour', () => {
  it('is one per interval (5 % early on average) when the user asks for none', () => {
    expect(syncsPerHour(600, 300, 0)).toBeCloseTo(3600 / 570);
    expect(syncsPerHour(600, 30, 0)).toBeCloseTo(3600 / 570);
  });

  it('tends to one per freshness wait when the user asks all the time', () => {
    expect(syncsPerHour(600, 300, 1e6)).toBeCloseTo(12, 1);
    expect(syncsPerHour(600, 30, 1e6)).toBeCloseTo(120, 0);
  });

  it('matches a simulation of random requests pushing polls back', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const [poll, wait, lambda] = [600 * 0.95, 300, 4 / 3600];
    let [t, syncs, nextAsk] = [0, 0, 0];
    nextAsk = -Math.log(1 - random()) / lambda;
    while (t < 1e8) {
      while (nextAsk < t + wait) nextAsk += -Math.log(1 - random()) / lambda;
      t = Math.min(nextAsk, t + poll);
      syncs++;
    }
    expect(syncs / (1e8 / 3600)).toBeCloseTo(syncsPerHour(600, 300, 4), 1);
  });
});

describe('freshEnoughSeconds', () => {
  it('is 30 s, or half the interval in a stretched team', () => {
    expect(freshEnoughSeconds(600, false)).toBe(30);
    expect(freshEnoughSeconds(600, true)).toBe(300);
    expect(freshEnoughSeconds(40, true)).toBe(30);
  });
});

describe('teamSharePerHour', () => {
  it('is a quarter of the drain shared by the active employees, none in a small team', () => {
    expect(teamSharePerHour(30, 2)).toBeNull();
    expect(teamSharePerHour(250, 2)).toBeCloseTo(7.2);
    expect(teamSharePerHour(60, 5)).toBeCloseTo(75);
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
