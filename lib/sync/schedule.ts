// Pure decisions of the sync's scheduling and status, table-tested.
import type { FullSyncProgress, SyncErrorRecord, SyncState } from '../store/sync-store';
import type { Progress } from './context';
import type { RunOutcome } from './engine';
import { spreadEarly, withJitter } from './team-share';

export type SyncPhase = 'notConnected' | 'firstSync' | 'ready' | 'failing';

export interface SyncStatus {
  phase: SyncPhase;
  progress?: { done: number; total: number | null; stage: string };
  lastSyncAt: number | null;
  error: { kind: string; message: string; since: number } | null;
  /** Data shown may be out of date: the last sync failed, or none succeeded for a while. */
  stale: boolean;
}

/** After this many poll intervals (and at least 5 minutes) without a successful sync, data is stale. */
const STALE_POLLS = 3;
const STALE_MIN_MS = 5 * 60_000;

export function syncStatusOf(input: {
  connected: boolean;
  state: SyncState;
  error: SyncErrorRecord | null;
  pending: FullSyncProgress | null;
  progress: Progress | null;
  now: number;
  pollSeconds: number;
}): SyncStatus {
  const { connected, state, error, pending, progress, now, pollSeconds } = input;
  if (!connected) return { phase: 'notConnected', lastSyncAt: null, error: null, stale: false };
  const lastSyncAt = state.lastSyncAt;
  const tooOld = lastSyncAt !== null && now - lastSyncAt > Math.max(STALE_POLLS * pollSeconds * 1000, STALE_MIN_MS);
  const stale = error !== null || tooOld;
  const shownProgress = progress ?? (pending ? { done: pending.done, total: pending.total, stage: pending.stage } : null);
  if (state.fullSyncAt === null) {
    return {
      phase: error ? 'failing' : 'firstSync',
      ...(shownProgress ? { progress: shownProgress } : {}),
      lastSyncAt,
      error,
      stale,
    };
  }
  return { phase: error ? 'failing' : 'ready', ...(progress ? { progress } : {}), lastSyncAt, error, stale };
}

const SECOND = 1000;

/**
 * When to run next. After a success: the poll interval. After a failure, by
 * what the error asks: wait (rate or time limit) a poll interval, at least
 * 10 s; retry with a backoff from 10 s doubling up to the poll interval; stop
 * (webhook revoked, scope missing) every 5 poll intervals, at least 30 s (5
 * minutes at the default 1-minute poll), so the badge recovers by itself once
 * the webhook is fixed. A lease held by another (dead) worker: 30 s. A
 * session that needs the user to sign in again: a poll interval.
 * Store builds poll every 30 s at least, so the floors only matter for the
 * short polls of demo builds.
 */
export function nextRunDelayMs(outcome: RunOutcome | null, failures: number, pollSeconds: number): number {
  const poll = pollSeconds * SECOND;
  if (!outcome) return poll;
  if (outcome.ok) return outcome.kind === 'busy' ? 30 * SECOND : poll;
  switch (outcome.action) {
    case 'wait':
      return Math.max(10 * SECOND, poll);
    case 'stop':
      return Math.max(30 * SECOND, 5 * poll);
    case 'lock':
      return 30 * SECOND;
    case 'reauth':
      // Signed out (or signed in as someone else): the user signs in again in a tab. Try at the poll's
      // pace, so syncing resumes within two polls of it, and never faster: each try is answered with a 401.
      return poll;
    default:
      return Math.min(poll, 10 * SECOND * 2 ** Math.max(0, failures - 1));
  }
}

/**
 * How long one request may take: 30 s, less only for polls shorter than 30 s
 * (demo builds), down to 5 s, so a hanging portal shows within a few polls.
 */
export function requestTimeoutMs(pollSeconds: number): number {
  return Math.min(30 * SECOND, Math.max(5 * SECOND, pollSeconds * SECOND));
}

/**
 * The longest single wait (rate or time limit) the client sits out inside a
 * run: a poll interval, between 5 and 60 s. A longer wait ends the run with
 * the error shown, and the schedule tries again.
 */
export function longestWaitMs(pollSeconds: number): number {
  return Math.min(60 * SECOND, Math.max(5 * SECOND, pollSeconds * SECOND));
}

/**
 * The delay before the next run, for the team: `pollSeconds` is already the
 * team's (stretched, slowed while idle); `congestion` multiplies it after full
 * buckets (team-share.ts); a rate-limit backoff gets jitter; and the timer
 * fires up to 10 % early, at random, so browsers started together spread out.
 */
export function scheduledDelayMs(
  outcome: RunOutcome | null,
  failures: number,
  pollSeconds: number,
  congestion: number,
  random: () => number,
): number {
  const base = nextRunDelayMs(outcome, failures, pollSeconds);
  if (outcome && !outcome.ok && outcome.error.kind === 'rateLimit') {
    return withJitter(Math.max(base, pollSeconds * 1000 * congestion), random);
  }
  const congested = outcome?.ok && outcome.kind !== 'busy' ? Math.max(base, base * congestion) : base;
  return spreadEarly(congested, random);
}
