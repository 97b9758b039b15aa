import { describe, expect, it } from 'vitest';
import { AWAY_MS, reconcileDecision, reconcileRequests } from './reconcile-timing';

const MIN = 60_000;
const HOUR = 60 * MIN;
const base = { lastReconcileAt: 0, intervalMs: 30 * MIN, deferral: null, random: () => 0.5 };

describe('reconcileRequests', () => {
  it('is the setup and the scans, 2,500 rows a request', () => {
    expect(reconcileRequests(20, 15)).toBe(3);
    expect(reconcileRequests(0, 0)).toBe(3);
    expect(reconcileRequests(5000, 1250)).toBe(4);
    expect(reconcileRequests(100_000, 20_000)).toBe(49);
  });
});

describe('reconcileDecision', () => {
  it('is not due before the interval has passed', () => {
    expect(reconcileDecision({ ...base, now: 29 * MIN, lastSyncAt: 28 * MIN })).toEqual({ due: false, deferral: null });
  });

  it('is due at the first sync after the interval while the browser is in use', () => {
    expect(reconcileDecision({ ...base, now: 31 * MIN, lastSyncAt: 30 * MIN })).toEqual({ due: true, deferral: null });
    // Idle polls (30 minutes apart at most) do not count as an absence.
    expect(reconcileDecision({ ...base, now: 3 * HOUR, lastSyncAt: 3 * HOUR - 30 * MIN })).toEqual({ due: true, deferral: null });
  });

  it('after an absence, moves an overdue reconciliation to a random moment of the interval', () => {
    const now = 15 * HOUR;
    const first = reconcileDecision({ ...base, now, lastSyncAt: now - AWAY_MS, random: () => 0.25 });
    expect(first).toEqual({ due: false, deferral: { after: 0, dueAt: now + 7.5 * MIN } });
    // Kept while it waits (a restarted worker reads it back), due at its moment.
    const kept = { ...base, deferral: first.deferral, random: () => 0.9 };
    expect(reconcileDecision({ ...kept, now: now + 5 * MIN, lastSyncAt: now + 4 * MIN })).toEqual({ due: false, deferral: first.deferral });
    expect(reconcileDecision({ ...kept, now: now + 8 * MIN, lastSyncAt: now + 5 * MIN })).toEqual({ due: true, deferral: first.deferral });
  });

  it('with no offset drawn, an overdue reconciliation runs at once', () => {
    expect(reconcileDecision({ ...base, now: 15 * HOUR, lastSyncAt: 0, random: () => 0 }).due).toBe(true);
  });

  it('forgets a deferral once a newer reconciliation ran', () => {
    const deferral = { after: 0, dueAt: 16 * HOUR };
    expect(reconcileDecision({ ...base, lastReconcileAt: 15 * HOUR, now: 15 * HOUR + 10 * MIN, lastSyncAt: 15 * HOUR + 5 * MIN, deferral })).toEqual({
      due: false,
      deferral: null,
    });
  });

  it('spreads a fleet back at 9:00 over the whole interval', () => {
    const now = 15 * HOUR;
    const dues = Array.from({ length: 100 }, (_, i) => reconcileDecision({ ...base, now, lastSyncAt: 0, random: () => i / 100 }).deferral?.dueAt ?? now);
    expect(Math.min(...dues)).toBe(now);
    expect(Math.max(...dues)).toBeLessThan(now + 30 * MIN);
    expect(dues.filter((at) => at < now + 5 * MIN)).toHaveLength(17);
  });
});
