// What every sync step shares: the database, the REST client behind the
// single-flight lease, the clock and the log.
import { type BatchAnswer, type BatchCommand, callBatch } from '../bitrix/batch';
import type { BitrixClient } from '../bitrix/client';
import { offsetOfDateTime, wireTime } from '../bitrix/wire';
import { EntityType } from '../domain';
import type { Db } from '../store/db';
import { takeLock } from '../store/sync-store';

/** Taken off every poll cursor so that clock skew and same-second writes lose nothing. */
export const CURSOR_OVERLAP_MS = 30_000;

export class LockLostError extends Error {
  constructor() {
    super('another sync took over the lock');
    this.name = 'LockLostError';
  }
}

/** The sync was told to stop (Disconnect, another portal): no more requests, no more writes. */
export class SyncAbortedError extends Error {
  constructor() {
    super('the sync was stopped');
    this.name = 'SyncAbortedError';
  }
}

export interface Progress {
  done: number;
  total: number | null;
  stage: string;
}

export interface SyncContext {
  db: Db;
  client: BitrixClient;
  now: () => number;
  log: (message: string) => void;
  owner: string;
  leaseMs: number;
  /** Whether a lock owner is known to be gone (a previous worker of this browser). */
  ownerIsDead: (owner: string) => boolean;
  progress: (p: Progress | null) => void;
  aborted: () => boolean;
  /** Commands that ride along in requests without `halt` (the check against the portal's own counters, portal-check.ts). */
  rider?: Rider;
}

/** Commands that ride in a request the sync makes anyway; the request's other commands never see them. */
export interface Rider {
  /** Commands to add to a request of `size` commands (at most `limit`); null when not now. */
  board(size: number, limit: number): Map<string, BatchCommand> | null;
  /** The answer of the request the commands rode in. */
  alight(answer: BatchAnswer): void;
  /** From now on a full sync's requests may carry them (its last scan request, and every request after); `countedTypes`: the full sync's. */
  arm(countedTypes?: readonly number[]): void;
  /** How many commands ride. */
  readonly size: number;
}

export interface PortalClockReading {
  /** Portal time of the answer (ms), or null when the answer had no usable `time`. */
  at: number | null;
  offsetMinutes: number | null;
}

export function portalClock(answer: BatchAnswer): PortalClockReading {
  const raw = answer.time?.date_start;
  const offsetMinutes = offsetOfDateTime(raw);
  const at = offsetMinutes === null ? null : wireTime(raw, offsetMinutes);
  if (at !== null) return { at, offsetMinutes };
  const start = answer.time?.start;
  return { at: typeof start === 'number' ? start * 1000 : null, offsetMinutes };
}

/** One batch request, after renewing the lease: a worker that lost the lock stops here. */
export async function batch(ctx: SyncContext, commands: Map<string, BatchCommand>, options: { halt?: boolean } = {}): Promise<BatchAnswer> {
  if (ctx.aborted()) throw new SyncAbortedError();
  if (!(await takeLock(ctx.db, ctx.owner, ctx.now(), ctx.leaseMs, ctx.ownerIsDead))) throw new LockLostError();
  // Never in a request that halts: the idle poll's first request stays as it is.
  const riding = options.halt ? null : (ctx.rider?.board(commands.size, ctx.client.batchLimit) ?? null);
  const answer = await callBatch(ctx.client, riding ? new Map([...commands, ...riding]) : commands, options);
  // Every write follows an answer: stopping here keeps a stopped sync from writing.
  if (ctx.aborted()) throw new SyncAbortedError();
  if (riding) {
    ctx.rider?.alight(answer);
    for (const key of riding.keys()) {
      answer.results.delete(key);
      answer.errors.delete(key);
      answer.totals.delete(key);
    }
  }
  return answer;
}

export const CLASSIC_LIST_METHOD: Record<number, string> = {
  [EntityType.lead]: 'crm.lead.list',
  [EntityType.deal]: 'crm.deal.list',
  [EntityType.contact]: 'crm.contact.list',
  [EntityType.company]: 'crm.company.list',
};

/** Contacts and companies are fetched by ID (only those open activities are bound to); the other types are scanned. */
export function isClientType(entityTypeId: number): boolean {
  return entityTypeId === EntityType.contact || entityTypeId === EntityType.company;
}
