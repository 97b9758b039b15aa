import { describe, expect, it } from 'vitest';
import { ASSUMED_ON_DEMAND_PER_HOUR, type PaceInput, RECONCILE_SHARE, demandPerHour, rememberDemand, syncPace } from './pace';
import { reconcileRequests } from './reconcile-timing';
import { syncsPerHour } from './team-share';

const MIN = 60_000;
const rep: PaceInput = {
  pollSeconds: 60,
  reconcileMinutes: 30,
  teamShare: true,
  activeEmployees: 250,
  drainPerSecond: 2,
  openActivities: 20,
  items: 15,
  onDemandPerHour: 0,
  idle: false,
};

/** A browser's requests an hour at this pace: its syncs (team-share.ts) and its reconciliations. */
function requestsPerHour(input: PaceInput): number {
  const { pollSeconds, reconcileMs, freshEnoughMs } = syncPace(input);
  const lambda = Math.max(ASSUMED_ON_DEMAND_PER_HOUR, input.onDemandPerHour);
  return syncsPerHour(pollSeconds, freshEnoughMs / 1000, lambda) + reconcileRequests(input.openActivities, input.items) / (reconcileMs / 3_600_000);
}

describe('syncPace', () => {
  it('follows the settings in a small team, the reconciliation grown with the copy', () => {
    expect(syncPace({ ...rep, activeEmployees: 30, openActivities: 0 })).toEqual({ pollSeconds: 60, reconcileMs: 30 * MIN, freshEnoughMs: 30_000 });
    expect(syncPace({ ...rep, activeEmployees: 30, openActivities: 100_000 })).toEqual({ pollSeconds: 60, reconcileMs: 60 * MIN, freshEnoughMs: 30_000 });
  });

  it('follows the settings with the stretch off, however big the team', () => {
    expect(syncPace({ ...rep, teamShare: false, openActivities: 0 })).toEqual({ pollSeconds: 60, reconcileMs: 30 * MIN, freshEnoughMs: 30_000 });
  });

  it('keeps every browser of 250 employees within its share: a quarter of 2/s over 250, 7.2 requests an hour', () => {
    const pace = syncPace(rep);
    // The reconciliation (3 requests) takes a tenth of the share: every 4 h 10 min.
    expect(pace.reconcileMs).toBeCloseTo((3 / (RECONCILE_SHARE * 7.2)) * 60 * MIN);
    expect(pace.pollSeconds).toBe(627);
    // Opening the popup syncs when the data is older than half that.
    expect(pace.freshEnoughMs).toBe(313_500);
    expect(requestsPerHour(rep)).toBeLessThanOrEqual(7.2);
    expect(requestsPerHour(rep)).toBeGreaterThan(7.1);
  });

  it('counts what the user asks for beyond 4 syncs an hour', () => {
    const busy = { ...rep, activeEmployees: 60, onDemandPerHour: 12 };
    expect(syncPace(busy).pollSeconds).toBeGreaterThan(syncPace({ ...busy, onDemandPerHour: 2 }).pollSeconds);
    expect(requestsPerHour(busy)).toBeLessThanOrEqual(30);
  });

  it('stretches the reconciliation of a big copy as much as its cost asks', () => {
    const admin = { ...rep, openActivities: 5000, items: 1250 };
    expect(syncPace(admin).reconcileMs).toBeCloseTo((4 / (RECONCILE_SHARE * 7.2)) * 60 * MIN);
    expect(requestsPerHour(admin)).toBeLessThanOrEqual(7.2);
  });

  it('never polls faster than the setting', () => {
    expect(syncPace({ ...rep, activeEmployees: 31, pollSeconds: 300 }).pollSeconds).toBe(300);
  });

  it('slows polls while the computer is idle', () => {
    expect(syncPace({ ...rep, idle: true }).pollSeconds).toBe(1800);
    expect(syncPace({ ...rep, activeEmployees: 20, idle: true }).pollSeconds).toBe(300);
  });
});

describe('on-demand syncs', () => {
  it('are counted over the last hour', () => {
    let times: number[] = [];
    for (const at of [0, 10 * MIN, 20 * MIN, 50 * MIN]) times = rememberDemand(times, at, true);
    expect(demandPerHour(times, 55 * MIN)).toBe(4);
    expect(demandPerHour(times, 65 * MIN)).toBe(3);
    expect(rememberDemand(times, 85 * MIN, false)).toEqual([50 * MIN]);
  });
});
