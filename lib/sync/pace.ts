// How often one browser syncs (issue #14): the poll interval and the
// reconciliation's interval, from the settings, the team, the bucket, the
// copy's size, the syncs the user asks for and whether anyone is at the
// computer. One pure decision for lib/background/sync.ts and the team bench
// (bench/team-browser.ts), so the bench measures what the extension does.
import { reconcileIntervalMs, reconcileRequests } from './reconcile-timing';
import { freshEnoughSeconds, idlePollSeconds, teamPollSeconds, teamSharePerHour } from './team-share';

export interface PaceInput {
  /** The poll interval the settings give (after any administrator's minimum), seconds. */
  pollSeconds: number;
  reconcileMinutes: number;
  /** The team stretch (store builds: always; demo builds have a switch). */
  teamShare: boolean;
  /** Active employees (`user.get`): the team is assumed to be all of them. */
  activeEmployees: number;
  /** The portal bucket's drain, requests a second (2; Enterprise 5). */
  drainPerSecond: number;
  /** The copy's size: what a reconciliation scans. */
  openActivities: number;
  items: number;
  /** Syncs the user asked for in the last hour (popup opened, portal tab focused, ...). */
  onDemandPerHour: number;
  /** The computer is idle or locked. */
  idle: boolean;
}

export interface Pace {
  pollSeconds: number;
  reconcileMs: number;
  /** A sync the user asks for (popup, portal focus) runs when the data is older than this. */
  freshEnoughMs: number;
}

/** In a big team, the share of a browser's requests its reconciliations may take (they find only deletions and items that left the view). */
export const RECONCILE_SHARE = 0.1;
/** Syncs an hour a user is assumed to ask for at least: the popup opened, or the portal focused, every 15 minutes. */
export const ASSUMED_ON_DEMAND_PER_HOUR = 4;

/**
 * The pace. Up to 30 active employees (or with the stretch off): the settings'
 * poll interval and the reconciliation's (grown with the copy). Beyond that,
 * each browser keeps all it sends, amortized, within a quarter of the drain
 * divided by the active employees: its reconciliations take at most a tenth
 * of that (their interval stretches), the syncs the user asks for (at least
 * 4 an hour counted; they run when the data is older than half the poll
 * interval) and the polls the rest (each sync pushes the next poll back a
 * whole interval). While the computer is idle or locked polls slow down.
 */
export function syncPace(input: PaceInput): Pace {
  const settled = reconcileIntervalMs(input.reconcileMinutes * 60_000, input.openActivities);
  const share = input.teamShare ? teamSharePerHour(input.activeEmployees, input.drainPerSecond) : null;
  let pollSeconds = input.pollSeconds;
  let reconcileMs = settled;
  if (share !== null) {
    const cost = reconcileRequests(input.openActivities, input.items);
    reconcileMs = Math.max(settled, (3_600_000 * cost) / (RECONCILE_SHARE * share));
    pollSeconds = teamPollSeconds({
      settingSeconds: input.pollSeconds,
      activeEmployees: input.activeEmployees,
      drainPerSecond: input.drainPerSecond,
      otherPerSecond: cost / (reconcileMs / 1000),
      onDemandPerHour: Math.max(ASSUMED_ON_DEMAND_PER_HOUR, input.onDemandPerHour),
    });
  }
  return {
    pollSeconds: input.idle ? idlePollSeconds(pollSeconds) : pollSeconds,
    reconcileMs,
    freshEnoughMs: 1000 * freshEnoughSeconds(pollSeconds, share !== null),
  };
}

/** On-demand syncs are counted over this window. */
export const DEMAND_WINDOW_MS = 60 * 60_000;

/** The times of on-demand syncs still in the window at `now`, with one at `now` when `synced` (false: only the old ones forgotten). */
export function rememberDemand(times: readonly number[], now: number, synced: boolean): number[] {
  const kept = times.filter((t) => now - t < DEMAND_WINDOW_MS && t <= now);
  return synced ? [...kept, now] : kept;
}

/** On-demand syncs an hour, from the times within the window. */
export function demandPerHour(times: readonly number[], now: number): number {
  return (times.filter((t) => now - t < DEMAND_WINDOW_MS && t <= now).length * 3_600_000) / DEMAND_WINDOW_MS;
}
