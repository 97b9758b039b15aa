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
export const LONGEST_POLL_SECONDS = 1800;

export interface TeamLoad {
  /** The user's poll interval, seconds. */
  settingSeconds: number;
  /** Active employees of the portal (`user.get`, which every user can read): the team is assumed to be all of them. */
  activeEmployees: number;
  /** The bucket's drain, requests a second (2; Enterprise 5). */
  drainPerSecond: number;
  /** One user's other steady requests (reconciliation, amortized), requests a second. */
  otherPerSecond?: number;
  /** Syncs the user asks for (opening the popup, switching to the portal), an hour: see syncsPerHour. */
  onDemandPerHour?: number;
}

/** The requests an hour one browser may send so that the whole team stays within its share; null in a small team (no stretch). */
export function teamSharePerHour(activeEmployees: number, drainPerSecond: number): number | null {
  return activeEmployees <= SMALL_TEAM ? null : (3600 * TEAM_SHARE * drainPerSecond) / activeEmployees;
}

/** Timers fire up to 10 % early (spreadEarly): 5 % on average. */
const MEAN_EARLY = 0.05;
/** Syncs the user asks for (popup, portal focus) run only when the data is older than this, seconds. */
export const FRESH_ENOUGH_SECONDS = 30;
/** In a stretched team: or older than this share of the poll interval. */
const FRESH_ENOUGH_SHARE = 0.5;

/**
 * How old the data may be before a sync the user asks for (opening the popup,
 * switching to the portal) runs: 30 s; in a stretched team half the poll
 * interval, 30 s at least. The polls keep the data that fresh anyway; what a
 * sync asked for at once costs is paid in a longer stretch for everyone.
 */
export function freshEnoughSeconds(pollSeconds: number, stretched: boolean): number {
  return stretched ? Math.max(FRESH_ENOUGH_SECONDS, FRESH_ENOUGH_SHARE * pollSeconds) : FRESH_ENOUGH_SECONDS;
}

/**
 * One browser's syncs an hour. Every sync pushes the next poll back a whole
 * interval P (polls fire 5 % early on average), so the syncs the user asks
 * for replace polls rather than add to them; they come at random, λ an hour,
 * and run when the data is older than T. After a sync, the next one comes at
 * the first request after T, or at the poll: T + (1 − e^(−λ(P − T))) / λ
 * later on average.
 */
export function syncsPerHour(pollSeconds: number, freshEnough: number, onDemandPerHour: number): number {
  const poll = ((1 - MEAN_EARLY) * pollSeconds) / 3600;
  const wait = Math.min(freshEnough / 3600, poll);
  const lambda = Math.max(0, onDemandPerHour);
  const rest = poll - wait;
  return 1 / (wait + (lambda > 0 ? (1 - Math.exp(-lambda * rest)) / lambda : rest));
}

/**
 * The poll interval, seconds, that keeps the team's steady load within its
 * share: the shortest (not shorter than the setting) whose syncs, the user's
 * own included (syncsPerHour), and other requests (reconciliations) fit the
 * share of one browser.
 */
export function teamPollSeconds({ settingSeconds, activeEmployees, drainPerSecond, otherPerSecond = 0, onDemandPerHour = 0 }: TeamLoad): number {
  const share = teamSharePerHour(activeEmployees, drainPerSecond);
  if (share === null) return settingSeconds;
  const budget = share - 3600 * otherPerSecond;
  const fits = (p: number) => syncsPerHour(p, freshEnoughSeconds(p, true), onDemandPerHour) <= budget;
  if (fits(settingSeconds)) return settingSeconds;
  if (!fits(LONGEST_POLL_SECONDS)) return Math.max(settingSeconds, LONGEST_POLL_SECONDS);
  // Syncs an hour fall as the interval grows: the shortest interval that fits, by bisection.
  let [low, high] = [settingSeconds, LONGEST_POLL_SECONDS];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) high = mid;
    else low = mid;
  }
  return high;
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
