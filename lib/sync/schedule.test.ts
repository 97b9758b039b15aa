import { describe, expect, it } from 'vitest';
import { EMPTY_SYNC_STATE } from '../store/sync-store';
import type { RunOutcome } from './engine';
import { longestWaitMs, nextRunDelayMs, requestTimeoutMs, scheduledDelayMs, syncStatusOf } from './schedule';

const failed = (action: 'wait' | 'retry' | 'stop' | 'lock' | 'reauth'): RunOutcome => ({
  ok: false,
  kind: 'poll',
  action,
  error: { kind: 'x', message: 'x', since: 1 },
});

describe('nextRunDelayMs', () => {
  it.each([
    ['no outcome (settings changed)', null, 0, 60_000],
    ['success', { ok: true, kind: 'poll', change: null, full: false } as RunOutcome, 0, 60_000],
    ['lease held elsewhere', { ok: true, kind: 'busy', change: null, full: false } as RunOutcome, 0, 30_000],
    ['rate or time limit', failed('wait'), 1, 60_000],
    ['server trouble, first failure', failed('retry'), 1, 10_000],
    ['server trouble, third failure', failed('retry'), 3, 40_000],
    ['server trouble, backoff capped at the poll interval', failed('retry'), 9, 60_000],
    ['webhook revoked', failed('stop'), 1, 300_000],
    ['lost the lease', failed('lock'), 1, 30_000],
    ['signed out of the portal: at the poll, not the refused-webhook backoff', failed('reauth'), 4, 60_000],
  ])('%s', (_name, outcome, failures, expected) => {
    expect(nextRunDelayMs(outcome, failures, 60)).toBe(expected);
  });
});

describe('nextRunDelayMs at short polls (demo builds) and the store minimum', () => {
  it.each([
    ['5 s: success', { ok: true, kind: 'poll', change: null, full: false } as RunOutcome, 0, 5, 5_000],
    ['5 s: rate or time limit waits 10 s', failed('wait'), 1, 5, 10_000],
    ['5 s: server trouble retries at the poll', failed('retry'), 3, 5, 5_000],
    ['5 s: webhook revoked, every 30 s', failed('stop'), 1, 5, 30_000],
    ['5 s: signed out, at the poll', failed('reauth'), 7, 5, 5_000],
    ['10 s: webhook revoked, every 5 polls', failed('stop'), 4, 10, 50_000],
    ['30 s: rate or time limit', failed('wait'), 1, 30, 30_000],
    ['30 s: server trouble, first failure', failed('retry'), 1, 30, 10_000],
    ['30 s: webhook revoked, every 5 polls', failed('stop'), 1, 30, 150_000],
    ['15 min: webhook revoked', failed('stop'), 1, 900, 4_500_000],
  ])('%s', (_name, outcome, failures, pollSeconds, expected) => {
    expect(nextRunDelayMs(outcome, failures, pollSeconds)).toBe(expected);
  });
});

describe('requestTimeoutMs and longestWaitMs', () => {
  it.each([
    [5, 5_000, 5_000],
    [10, 10_000, 10_000],
    [30, 30_000, 30_000],
    [60, 30_000, 60_000],
    [900, 30_000, 60_000],
  ])('poll %i s: timeout %i ms, longest wait %i ms', (pollSeconds, timeout, wait) => {
    expect(requestTimeoutMs(pollSeconds)).toBe(timeout);
    expect(longestWaitMs(pollSeconds)).toBe(wait);
  });
});

describe('syncStatusOf', () => {
  const base = { connected: true, state: EMPTY_SYNC_STATE, error: null, pending: null, progress: null, now: 1_000_000, pollSeconds: 60 };
  const error = { kind: 'server', message: 'batch: 500', since: 5 };
  const synced = { ...EMPTY_SYNC_STATE, fullSyncAt: 900_000, lastSyncAt: 990_000 };
  it.each([
    ['not connected', { ...base, connected: false }, { phase: 'notConnected', stale: false }],
    ['first sync', { ...base, progress: { done: 5, total: null, stage: 'activities' } }, { phase: 'firstSync', progress: { done: 5, total: null, stage: 'activities' } }],
    ['first sync resumed by a new worker', { ...base, pending: { done: 7, total: 9, stage: 'bindings' } as never }, { phase: 'firstSync', progress: { done: 7, total: 9, stage: 'bindings' } }],
    ['first sync failing', { ...base, error }, { phase: 'failing', error, stale: true }],
    ['ready', { ...base, state: synced }, { phase: 'ready', lastSyncAt: 990_000, stale: false, error: null }],
    ['ready but not synced for long', { ...base, state: synced, now: 990_000 + 301_000 }, { phase: 'ready', stale: true }],
    ['failing with data', { ...base, state: synced, error }, { phase: 'failing', stale: true, lastSyncAt: 990_000 }],
  ])('%s', (_name, input, expected) => {
    expect(syncStatusOf(input as never)).toMatchObject(expected);
  });
});

describe('scheduledDelayMs (the team: congestion, jitter, spread)', () => {
  const ok: RunOutcome = { ok: true, kind: 'poll', change: null, full: false };
  const limited: RunOutcome = { ok: false, kind: 'poll', action: 'wait', error: { kind: 'rateLimit', message: 'x', since: 1 } };
  it.each([
    ['a calm poll, no spread', ok, 1, () => 0, 60_000],
    ['a calm poll fires up to 10 % early', ok, 1, () => 1, 54_000],
    ['after full buckets polls are stretched by the congestion', ok, 4, () => 0, 240_000],
    ['a rate limit waits the congested interval, ±25 %', limited, 2, () => 0, 90_000],
    ['… and its jitter reaches +25 %', limited, 2, () => 0.999999, 150_000],
  ])('%s', (_name, outcome, congestion, random, expected) => {
    expect(scheduledDelayMs(outcome, 1, 60, congestion, random)).toBe(expected);
  });
});
