// When the reconciliation runs: its interval (the setting, grown with the
// copy; the team's pace may stretch it further, pace.ts), what it costs, and
// whether a run is due. Pure: the caller passes the clock and the randomness.

/** Rows one request can read: a batch of 50 pages of 50 (pages hold 50 rows whatever `select` says). */
const ROWS_PER_REQUEST = 2500;

/**
 * The reconciliation's interval grows with the copy: its scans cost
 * ⌈N / 2,500⌉ requests, so the interval is the setting plus as much again per
 * 100,000 open activities (30 min becomes 60 at 100,000): one user's
 * reconciliation stays under a request a minute on average (contract,
 * Freshness: it may grow with size).
 */
export function reconcileIntervalMs(settingMs: number, openActivities: number): number {
  return settingMs * (1 + Math.max(0, openActivities) / 100_000);
}

/** Requests one reconciliation of a copy this size costs: its setup (people, types, stages) and the scans of items and activities. */
export function reconcileRequests(openActivities: number, items: number): number {
  return 1 + Math.ceil(Math.max(1, openActivities) / ROWS_PER_REQUEST) + Math.ceil(Math.max(1, items) / ROWS_PER_REQUEST);
}

/** No sync for this long: the browser was closed or asleep (idle polls come every 30 minutes at most). */
export const AWAY_MS = 60 * 60_000;

/** A reconciliation that came due while the browser was away, moved to a random moment of the interval after its return. */
export interface ReconcileDeferral {
  /** The reconciliation it follows (lastReconcileAt when deferred): a newer one ends the deferral. */
  after: number | null;
  dueAt: number;
}

export interface ReconcileTiming {
  now: number;
  lastReconcileAt: number | null;
  /** The last successful sync before this run. */
  lastSyncAt: number | null;
  intervalMs: number;
  deferral: ReconcileDeferral | null;
  random: () => number;
}

/**
 * Whether this run reconciles, and the deferral to keep. A reconciliation
 * falls due an interval after the last one. One that fell due while the
 * browser was away (no sync for an hour: a night, a closed laptop) does not
 * run at the first sync after the return but at a random moment within one
 * interval of it: a fleet of browsers started at 9:00 after a night, every
 * reconciliation overdue, spreads its reconciliations over the interval
 * instead of lining them up in the first minutes (the first sync after the
 * return is a poll, so changes still arrive at once). Deletions made while
 * the browser was away still show within one interval of its return.
 */
export function reconcileDecision(t: ReconcileTiming): { due: boolean; deferral: ReconcileDeferral | null } {
  const { now, lastReconcileAt, lastSyncAt, intervalMs, deferral } = t;
  if (deferral && deferral.after === lastReconcileAt) return { due: now >= deferral.dueAt, deferral };
  if (now - (lastReconcileAt ?? 0) < intervalMs) return { due: false, deferral: null };
  const away = lastSyncAt !== null && now - lastSyncAt >= AWAY_MS;
  if (!away) return { due: true, deferral: null };
  const dueAt = now + Math.floor(t.random() * intervalMs);
  return { due: now >= dueAt, deferral: { after: lastReconcileAt, dueAt } };
}
