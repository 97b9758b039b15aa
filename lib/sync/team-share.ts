// A whole team on one portal shares one request bucket (per portal and
// source IP, docs/bitrix24-rest.md "Limits"), with every other integration
// calling from the same office. Every browser assumes its colleagues run the
// extension too, and keeps the whole team's steady load under a quarter of
// the bucket's drain; on a full bucket it backs off multiplicatively and comes
// back additively; timers that make requests are spread so a fleet started
// together does not line up. Pure: the caller passes the team, the clock's
// randomness and the state.

/** Up to this many active employees, polls follow the user's setting (30 polls a minute: 25 % of the 2/s drain). */
export const SMALL_TEAM = 30;
/** The share of the portal's drain the whole team may use in its steady state. */
export const TEAM_SHARE = 0.25;
/** Longest poll interval, seconds (as the settings allow). */
const LONGEST_POLL_SECONDS = 1800;

export interface TeamLoad {
  /** The user's poll interval, seconds. */
  settingSeconds: number;
  /** Active employees of the portal (`user.get`, which every user can read): the team is assumed to be all of them. */
  activeEmployees: number;
  /** The bucket's drain, requests a second (2; Enterprise 5). */
  drainPerSecond: number;
  /** One user's other steady requests (reconciliation, amortized), requests a second. */
  otherPerSecond?: number;
}

/** The poll interval, seconds, that keeps the team's steady load within its share. */
export function teamPollSeconds({ settingSeconds, activeEmployees, drainPerSecond, otherPerSecond = 0 }: TeamLoad): number {
  if (activeEmployees <= SMALL_TEAM) return settingSeconds;
  const perUser = (TEAM_SHARE * drainPerSecond) / activeEmployees - otherPerSecond;
  if (perUser <= 0) return LONGEST_POLL_SECONDS;
  return Math.min(LONGEST_POLL_SECONDS, Math.max(settingSeconds, Math.ceil(1 / perUser)));
}

/** While the computer is idle or locked nobody looks: polls slow to every 5 intervals, at least 5 minutes. */
export function idlePollSeconds(pollSeconds: number): number {
  return Math.min(LONGEST_POLL_SECONDS, Math.max(5 * pollSeconds, 300));
}

/** The poll interval's multiplier after a full bucket: doubled on each, the poll rate back by a quarter on each success. */
export const CALM = 1;
const MAX_CONGESTION = 32;

export function congestionAfter(factor: number, outcome: 'rateLimited' | 'ok' | 'other'): number {
  if (outcome === 'rateLimited') return Math.min(MAX_CONGESTION, factor * 2);
  if (outcome === 'other') return factor;
  // Additive increase of the rate (1 / factor), a quarter of the normal rate per successful run.
  const rate = 1 / factor + 0.25;
  return rate >= 1 ? CALM : 1 / rate;
}

/** A backoff with jitter: ±25 %, so browsers refused together do not come back together. */
export function withJitter(delayMs: number, random: () => number): number {
  return Math.round(delayMs * (0.75 + 0.5 * random()));
}

/** A timer that makes requests fires up to 10 % of its period early, at random: a fleet started together spreads out. */
export function spreadEarly(delayMs: number, random: () => number): number {
  return Math.round(delayMs - 0.1 * delayMs * random());
}
