// One sync run: take the single-flight lease, decide what is due (resume or
// start a full sync, reconcile, refresh people, or poll), run it, record the
// outcome. Errors never touch the data: they are recorded for the UI with
// the time they began, and the caller is told when to try again.
import type { BitrixClient } from '../bitrix/client';
import { BitrixError, type ErrorAction } from '../bitrix/errors';
import { CLASSIC_ENTITY_TYPES } from '../counters';
import type { CrmItem, ItemRef } from '../domain';
import type { Db } from '../store/db';
import {
  applyChangeSet,
  type ChangeSet,
  emptyChangeSet,
  getMeta,
  isEmptyChangeSet,
  loadSyncState,
  putMeta,
  releaseLock,
  replacePeople,
  type SyncErrorRecord,
  type SyncState,
  takeLock,
} from '../store/sync-store';
import { LockLostError, type Progress, SyncAbortedError, type SyncContext } from './context';
import { fetchItemsById, fetchPeople, runFullSync } from './full';
import { runPoll } from './poll';
import type { PortalCheck } from './portal-check';
import { forgetReminderPass, syncReminders } from './reminders';
import { type ReconcileDeferral, reconcileDecision, reconcileIntervalMs } from './reconcile-timing';

export type RunKind = 'first' | 'resume' | 'reconcile' | 'poll' | 'busy';

export type RunOutcome =
  | { ok: true; kind: RunKind; change: ChangeSet | null; full: boolean; peopleRefreshed?: boolean }
  | { ok: false; kind: RunKind; error: SyncErrorRecord; action: ErrorAction | 'lock' };

export interface SyncEngineOptions {
  db: Db;
  client: BitrixClient;
  /** Counted entity types from the settings; null = the default (classic types + smart processes with counters). */
  countedTypes?: number[] | null;
  /** Read to-dos' reminder offsets (rule light time: they move the minute an activity lights; under rule day they change nothing). Asked after the run's requests. */
  readReminders?: boolean | (() => boolean);
  /** The check against the portal's own counters (portal-check.ts): it rides in the run's requests and is settled after them. */
  portalCheck?: PortalCheck;
  reconcileMs?: number;
  peopleRefreshMs?: number;
  /** The single-flight lease; renewed before every request. */
  leaseMs?: number;
  owner?: string;
  /**
   * Whether the holder of the lease is known dead, so it need not expire: the
   * browser runs one background worker at a time, so a lease taken by an
   * earlier worker belongs to a worker that was killed.
   */
  ownerIsDead?: (owner: string) => boolean;
  now?: () => number;
  /** Spreads a reconciliation that fell due while the browser was away (reconcile-timing.ts). */
  random?: () => number;
  log?: (message: string) => void;
  onProgress?: (progress: Progress | null) => void;
}

export const DAY_MS = 86_400_000;

// The reconciliation's interval and when it is due: reconcile-timing.ts (kept importable from here).
export { reconcileIntervalMs } from './reconcile-timing';

export interface RunOptions {
  forceReconcile?: boolean;
  reconcileMs?: number;
}

export class SyncEngine {
  private readonly ctx: SyncContext;
  private readonly options: SyncEngineOptions;
  private inFlight: Promise<RunOutcome> | null = null;
  private stopped = false;
  /** Open activities in the copy, for the reconciliation's interval; null: count again. */
  private openActivities: number | null = null;
  private reminderPassForgotten = false;

  constructor(options: SyncEngineOptions) {
    this.options = options;
    const log = options.log ?? (() => {});
    this.ctx = {
      db: options.db,
      client: options.client,
      now: options.now ?? Date.now,
      log: (m) => log(options.client.redact(m)),
      owner: options.owner ?? `sync-${Math.random().toString(36).slice(2)}-${Date.now()}`,
      leaseMs: options.leaseMs ?? 120_000,
      ownerIsDead: options.ownerIsDead ?? (() => false),
      progress: (p) => options.onProgress?.(p),
      aborted: () => this.stopped,
    };
  }

  /** Stops for good: the run in flight ends after its current request, writing nothing more. */
  abort(): Promise<void> {
    this.stopped = true;
    return this.inFlight ? this.inFlight.then(() => {}) : Promise.resolve();
  }

  /**
   * Runs what is due; concurrent calls share one run (and other instances wait
   * for the lease). `reconcileMs`: the reconciliation's interval for this run
   * (the team's pace, pace.ts); by default the setting grown with the copy.
   */
  run(options: RunOptions = {}): Promise<RunOutcome> {
    this.inFlight ??= this.runLocked(options).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async runLocked(options: RunOptions): Promise<RunOutcome> {
    const { db, now } = this.ctx;
    if (!(await takeLock(db, this.ctx.owner, now(), this.ctx.leaseMs, this.ctx.ownerIsDead))) {
      return { ok: true, kind: 'busy', change: null, full: false };
    }
    let kind: RunKind = 'poll';
    let succeeded = false;
    try {
      const [state, pending, deferral] = await Promise.all([loadSyncState(db), getMeta(db, 'fullSync'), getMeta(db, 'reconcileDeferral')]);
      // Counted once per engine and after each full sync: a count of 100,000 rows is not free on every poll.
      this.openActivities ??= await db.count('activities');
      const reconcileMs = options.reconcileMs ?? reconcileIntervalMs(this.options.reconcileMs ?? 30 * 60_000, this.openActivities);
      const wanted = this.options.countedTypes ?? [...CLASSIC_ENTITY_TYPES, ...state.smartTypes];
      const typesChanged = JSON.stringify([...wanted].sort()) !== JSON.stringify([...state.countedTypes].sort());
      if (pending) kind = 'resume';
      else if (state.fullSyncAt === null) kind = 'first';
      else if (options.forceReconcile || typesChanged || (await this.reconcileDue(state, deferral, reconcileMs))) kind = 'reconcile';
      let change: ChangeSet | null = null;
      let peopleRefreshed = false;
      // The check never fails the run: a failure to plan it leaves this run without it.
      await this.options.portalCheck?.begin(this.ctx, kind).catch((error: unknown) => {
        this.ctx.rider = undefined;
        this.ctx.log(`portal check not planned: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (kind === 'poll') {
        if (now() - (state.lastPeopleAt ?? 0) >= (this.options.peopleRefreshMs ?? DAY_MS)) {
          await this.refreshPeople();
          peopleRefreshed = true;
        }
        // The state read above, unless the people refresh has just moved it.
        change = (await runPoll(this.ctx, peopleRefreshed ? await loadSyncState(db) : state)).change;
      } else {
        const full = kind === 'resume' ? (pending?.kind ?? 'first') : kind;
        await runFullSync(this.ctx, full === 'reconcile' ? 'reconcile' : 'first', this.options.countedTypes ?? null);
        this.openActivities = null;
      }
      await this.options.portalCheck?.carry(this.ctx);
      change = await this.reminders(change, kind !== 'poll');
      await this.options.portalCheck?.settle(this.ctx);
      succeeded = true;
      this.ctx.progress(null);
      return { ok: true, kind, change: change && !isEmptyChangeSet(change) ? change : null, full: kind !== 'poll', peopleRefreshed };
    } catch (error) {
      this.ctx.progress(null);
      return { ok: false, kind, ...(await this.recordError(error)) };
    } finally {
      this.ctx.rider = undefined;
      // A run that succeeded clears the last error in the same transaction.
      await releaseLock(db, this.ctx.owner, { clearError: succeeded }).catch(() => {});
    }
  }

  /** Whether the reconciliation is due; a deferral after the browser was away is kept in meta (a restarted worker keeps it). */
  private async reconcileDue(state: SyncState, deferral: ReconcileDeferral | null, intervalMs: number): Promise<boolean> {
    const { db, now } = this.ctx;
    const decision = reconcileDecision({
      now: now(),
      lastReconcileAt: state.lastReconcileAt,
      lastSyncAt: state.lastSyncAt,
      intervalMs,
      deferral,
      random: this.options.random ?? Math.random,
    });
    if (decision.deferral && decision.deferral !== deferral) {
      await putMeta(db, 'reconcileDeferral', decision.deferral);
      this.ctx.log(`reconciliation overdue after an absence: at ${new Date(decision.deferral.dueAt).toISOString()}`);
    }
    return decision.due;
  }

  /**
   * To-dos' reminder offsets under rule light time (reminders.ts). Its
   * failures do not fail the run: the run's change is already stored and must
   * reach the counters; the reminders are tried again by the next pass.
   */
  private async reminders(change: ChangeSet | null, full: boolean): Promise<ChangeSet | null> {
    const read = this.options.readReminders;
    if (!(typeof read === 'function' ? read() : read)) {
      // Once while reminders stay unread (not a read on every poll).
      if (!this.reminderPassForgotten) await forgetReminderPass(this.ctx.db);
      this.reminderPassForgotten = true;
      return change;
    }
    this.reminderPassForgotten = false;
    try {
      return await syncReminders(this.ctx, change, full);
    } catch (error) {
      if (error instanceof SyncAbortedError) throw error;
      this.ctx.log(`reminders not read: ${error instanceof Error ? error.message : String(error)}`);
      return change;
    }
  }

  /**
   * Items a page shows that the copy lacks (a contact with no open activity,
   * say): fetched by ID in one batch and stored. Null before the first full
   * sync. Items the webhook cannot see simply do not come back.
   */
  async lookupItems(refs: ItemRef[]): Promise<ChangeSet | null> {
    const state = await loadSyncState(this.ctx.db);
    if (state.fullSyncAt === null || refs.length === 0) return null;
    const found: CrmItem[] = [];
    await fetchItemsById(this.ctx, refs, state.portalOffsetMinutes ?? 0, new Map(state.stageSemantics), async (items) => {
      found.push(...items);
    });
    if (found.length === 0) return null;
    const change = { ...emptyChangeSet(), upsertItems: found };
    // Not under the sync's lease: it must not rewrite the cursors a running poll advances.
    await applyChangeSet(this.ctx.db, change, null);
    return change;
  }

  async refreshPeople(): Promise<void> {
    const { people, departments, dealCategories } = await fetchPeople(this.ctx);
    await replacePeople(this.ctx.db, people, departments);
    if (dealCategories) await putMeta(this.ctx.db, 'dealCategories', dealCategories);
    const state = await loadSyncState(this.ctx.db);
    await putMeta(this.ctx.db, 'sync', { ...state, lastPeopleAt: this.ctx.now() });
  }

  private async recordError(error: unknown): Promise<{ error: SyncErrorRecord; action: ErrorAction | 'lock' }> {
    const previous = await getMeta(this.ctx.db, 'error');
    let kind: string;
    let action: ErrorAction | 'lock';
    let message: string;
    if (error instanceof BitrixError) {
      kind = error.kind;
      action = error.action;
      message = error.message;
    } else if (error instanceof LockLostError || error instanceof SyncAbortedError) {
      kind = error instanceof LockLostError ? 'lockLost' : 'aborted';
      action = 'lock';
      message = error.message;
    } else {
      kind = 'internal';
      action = 'retry';
      message = error instanceof Error ? error.message : String(error);
    }
    const record: SyncErrorRecord = {
      kind,
      message: this.ctx.client.redact(message),
      since: previous ? previous.since : this.ctx.now(),
    };
    this.ctx.log(`sync failed (${kind}): ${record.message}`);
    if (action !== 'lock') await putMeta(this.ctx.db, 'error', record).catch(() => {});
    return { error: record, action };
  }
}
