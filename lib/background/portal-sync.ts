// One connected portal's sync: its engine and client (its own request bucket),
// its alarms, counters, failures, congestion and team pace. lib/background/sync.ts
// keeps one per origin and gives it what the portals share (SyncHost).
import { browser } from 'wxt/browser';
import { type BitrixClient, createClient } from '../bitrix/client';
import { ENTERPRISE_BUCKET, EMPTY_BUCKET, STANDARD_BUCKET } from '../bitrix/limiter';
import type { PortalAuth } from '../bitrix/auth';
import { parseWebhookUrl } from '../bitrix/webhook';
import { CounterIndex, countingRules } from '../counters';
import type { ItemRef } from '../domain';
import { loadSettings, rulesOf, type Settings, type SettingsInForce } from '../settings';
import { type ConnectionRecord, type Db, getDb, loadConnection } from '../store/db';
import { slotKey } from '../store/portals';
import { type ChangeSet, getMeta, loadLive, loadSyncState, putMeta } from '../store/sync-store';
import type { Progress } from '../sync/context';
import { type RunOutcome, SyncEngine } from '../sync/engine';
import { PortalCheck } from '../sync/portal-check';
import { longestWaitMs, requestTimeoutMs, scheduledDelayMs, type SyncStatus, syncStatusOf } from '../sync/schedule';
import { demandPerHour, type Pace, rememberDemand, syncPace } from '../sync/pace';
import { CALM, congestionAfter } from '../sync/team-share';
import { IS_DEMO_BUILD } from '../flavour';
import { needsSignIn } from '../connect-problems';
import { takeForcedCheck } from './portal-check';
import type { PortalSlot } from './portals';
import { sessidStore } from './sessid';

const POLL_ALARM = 'sync-poll';
const WAKE_ALARM = 'counters-wake';
const DEBOUNCE_MS = 500;
/** This worker's life: sync leases taken by another one belong to a worker the browser killed. */
const WORKER_ID = `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
let engineCount = 0;
/** Calling an extension API now and then keeps the worker alive through a long sync (Chrome ends idle ones after 30 s). */
const KEEPALIVE_MS = 20_000;
/** Early tries after a sign-in are this far apart at least, however many portal pages load. */
const EARLY_TRY_MS = 10_000;

/** What an announcement says changed, and of which portal: `data` when counts, chips or lists may differ; else only the sync's status did. */
export interface Announcement {
  data: boolean;
  origin: string;
}

/** What every portal's sync shares: the computer's idle state, the settings changes seen, the listeners. */
export interface SyncHost {
  /** The computer is idle or locked: nobody looks, polls slow down. */
  idle(): boolean;
  /** Settings changes seen by this worker: a run's settings are stale once the count moved. */
  settingsChanges(): number;
  announce(what: Announcement): void;
}

/** How a connection's requests are authorized: its webhook, or the browser's session as the connected user. */
function authOf(connection: ConnectionRecord): PortalAuth | null {
  if (connection.mode === 'login') {
    return { kind: 'session', origin: connection.origin, sessid: sessidStore(connection.origin), userId: connection.userId };
  }
  const parsed = parseWebhookUrl(connection.webhookUrl);
  return parsed.ok ? { kind: 'webhook', webhook: parsed.webhook } : null;
}

/** An engine and client for a connection and its settings, made once and kept while both hold. */
interface Engine {
  key: string;
  db: Db;
  engine: SyncEngine;
  client: BitrixClient;
}

/**
 * One portal's sync: its engine and client (its own bucket), schedule
 * (alarms of its own), counters, failures, congestion and team pace. Two
 * portals share nothing but the computer's idle state.
 */
export class PortalSync {
  readonly pollAlarm: string;
  readonly wakeAlarm: string;
  private current: Engine | null = null;
  private progress: Progress | null = null;
  private indexPromise: Promise<CounterIndex | null> | null = null;
  private running: Promise<void> | null = null;
  private debounced: Promise<void> | null = null;
  private debouncedForce = false;
  private failures = 0;
  /** The poll interval's multiplier after full buckets (team-share.ts): doubled on each, eased back on successes. */
  private congestion = CALM;
  /** Bumped by stop(): a run of an older generation neither schedules nor announces. */
  private generation = 0;
  /** The team and the copy's size, for the poll interval: read after full syncs and people refreshes, not on every poll. */
  private copySize: { activeEmployees: number; activities: number; items: number } | null = null;
  /** The syncs the user asked for in the last hour: read from meta once per worker, then kept here too. */
  private demand: number[] | null = null;
  /** Whether this worker has armed the wake-up for the counters as they are (a change outside a run un-arms it). */
  private wakeArmed = false;
  private lastEarlyTry = 0;
  /** Stopped (its connection changes): it arms no alarm any more; a new sync takes over. */
  private stopped = false;

  constructor(
    readonly slot: PortalSlot,
    private readonly host: SyncHost,
  ) {
    this.pollAlarm = slotKey(POLL_ALARM, slot);
    this.wakeAlarm = slotKey(WAKE_ALARM, slot);
  }

  db(): Promise<Db> {
    return getDb(this.slot.dbName);
  }

  async connection(): Promise<ConnectionRecord | null> {
    return loadConnection(await this.db());
  }

  settings(): Promise<SettingsInForce> {
    return loadSettings(this.slot);
  }

  announce(what: Omit<Announcement, 'origin'> = { data: true }): void {
    this.host.announce({ ...what, origin: this.slot.origin });
  }

  settingsChanged(): void {
    this.current = null;
    this.indexPromise = null;
    this.announce();
  }

  syncNow(reason: string): Promise<void> {
    // Calls within the debounce share one run; any reason other than popup/focus makes it unconditional.
    const conditional = reason === 'popup' || reason === 'focus';
    this.debouncedForce ||= !conditional;
    this.debounced ??= new Promise<void>((resolve) => {
      setTimeout(() => {
        const force = this.debouncedForce;
        this.debounced = null;
        this.debouncedForce = false;
        void (async () => {
          if (!force) {
            const state = await loadSyncState(await this.db());
            const { freshEnoughMs } = await this.paceNow(await this.settings());
            if (state.lastSyncAt !== null && Date.now() - state.lastSyncAt < freshEnoughMs) return;
          }
          // A sync outside the poll's schedule: the team's pace counts it (and it pushes the next poll back,
          // afterRun), unless it joins a run already under way, which costs no request more.
          if (!this.running) await this.noteDemand();
          await this.runSync(reason);
        })()
          .catch((error) => console.warn('sync', error))
          .finally(resolve);
      }, DEBOUNCE_MS);
    });
    return this.debounced;
  }

  async pageLoaded(): Promise<void> {
    const db = await this.db();
    if (!(await loadConnection(db))) return;
    const error = await getMeta(db, 'error');
    if (!needsSignIn(error?.kind) || Date.now() - this.lastEarlyTry < EARLY_TRY_MS) return;
    this.lastEarlyTry = Date.now();
    await this.syncNow('signed-in');
  }

  async status(): Promise<SyncStatus> {
    const db = await this.db();
    const [connection, state, error, pending, settings] = await Promise.all([
      loadConnection(db),
      loadSyncState(db),
      getMeta(db, 'error'),
      getMeta(db, 'fullSync'),
      this.settings(),
    ]);
    // Stale after 3 polls of the pace (stretched in a big team, slower while idle), not of the setting:
    // a 250-person portal polls every 10 minutes, and its data is not stale 5 minutes after a poll.
    const { pollSeconds } = await this.paceNow(settings);
    return syncStatusOf({ connected: connection !== null, state, error, pending, progress: this.progress, now: Date.now(), pollSeconds });
  }

  counterIndex(): Promise<CounterIndex | null> {
    this.indexPromise ??= this.buildIndex().catch((error) => {
      this.indexPromise = null;
      throw error;
    });
    return this.indexPromise;
  }

  async lookupItems(refs: ItemRef[]): Promise<void> {
    const change = await (await this.engine())?.engine.lookupItems(refs);
    if (change) await this.follow(change);
  }

  /** A change already in the store: into the counters, and every surface told. */
  async follow(change: ChangeSet): Promise<void> {
    if (this.indexPromise) (await this.indexPromise)?.apply(change);
    this.wakeArmed = false;
    this.announce();
  }

  /** Stops everything before the connection changes: alarms cleared, the in-flight run let end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    const stopping = this.current?.engine.abort();
    this.current = null;
    this.indexPromise = null;
    this.progress = null;
    await Promise.all([browser.alarms.clear(this.pollAlarm), browser.alarms.clear(this.wakeAlarm)]);
    // Let an in-flight run end (after its current request): its writes must not land after the erase.
    await Promise.all([stopping, this.running?.catch(() => {})]);
  }

  /** The engine of the saved connection and the settings in force; null when not connected. */
  async engine(): Promise<Engine | null> {
    const connection = await this.connection();
    return connection ? this.engineFor(connection, await this.settings()) : null;
  }

  /** The engine and client of this connection and these settings, made once and kept while both hold. */
  private async engineFor(connection: ConnectionRecord, settings: SettingsInForce): Promise<Engine | null> {
    const key = JSON.stringify([connection.mode, connection.webhookUrl, connection.origin, connection.userId, settings]);
    const db = await this.db();
    // A rebuilt database (lib/store/repair.ts) is a new handle: the engine must use it.
    if (this.current?.key === key && this.current.db === db) return this.current;
    const auth = authOf(connection);
    if (!auth) return null;
    const client = createClient({
      auth,
      bucket: settings.enterpriseLimits ? ENTERPRISE_BUCKET : STANDARD_BUCKET,
      // Scaled to the poll interval (30 s and 60 s from 1-minute polls): a hanging or limiting portal shows within a few polls.
      timeoutMs: requestTimeoutMs(settings.pollSeconds),
      maxWaitMs: longestWaitMs(settings.pollSeconds),
      // The bucket lives in the portal's database (meta), so a restarted worker does not burst past the portal's limit.
      bucketStore: {
        load: async () => (await getMeta(db, 'bucket')) ?? EMPTY_BUCKET,
        save: (state) => putMeta(db, 'bucket', state),
      },
    });
    // The check against the portal's own counters rides in the engine's requests (lib/sync/portal-check.ts).
    const portalCheck = new PortalCheck({
      userId: connection.userId,
      settings,
      slot: this.slot,
      browserZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      forced: () => takeForcedCheck(this.slot.origin),
      log: (message) => console.info(`[sync] ${message}`),
    });
    const engine = new SyncEngine({
      db,
      client,
      countedTypes: settings.countedEntityTypes,
      // Reminders move only light times: read under rule light time (a settings change rebuilds the engine),
      // or when the rule follows the portal and its counters have just said light time.
      readReminders: () => settings.litRule === 'lightTime' || portalCheck.remindersWanted(),
      portalCheck,
      reconcileMs: settings.reconcileMinutes * 60_000,
      owner: `${WORKER_ID}:${++engineCount}`,
      ownerIsDead: (owner) => !owner.startsWith(`${WORKER_ID}:`),
      log: (message) => console.info(`[sync] ${message}`),
      onProgress: (p) => {
        this.progress = p;
        this.announce({ data: false });
      },
    });
    this.current = { key, db, engine, client };
    return this.current;
  }

  runSync(reason: string): Promise<void> {
    if (this.running) return this.running;
    const mine = this.generation;
    this.running = (async () => {
      const started = performance.now();
      const settingsSeen = this.host.settingsChanges();
      const connection = await this.connection();
      if (!connection) return;
      const settings = await this.settings();
      const portal = await this.engineFor(connection, settings);
      if (!portal) return;
      const { engine, client } = portal;
      const waitedBefore = client.waitedMs;
      // Armed before the run: a worker killed mid-sync is woken to resume.
      await browser.alarms.create(this.pollAlarm, { delayInMinutes: Math.max(settings.pollSeconds, 30) / 60 });
      const keepalive = setInterval(() => void browser.runtime.getPlatformInfo().catch(() => {}), KEEPALIVE_MS);
      const { reconcileMs } = await this.paceNow(settings);
      const outcome = await engine.run({ reconcileMs }).finally(() => clearInterval(keepalive));
      if (mine !== this.generation) return;
      // Settings changed during the run: their listener armed the next poll; the run's own settings are stale.
      await this.afterRun(outcome, reason, settingsSeen === this.host.settingsChanges() ? settings : null);
      // The last runs' time in this worker (requests, storage, recount, badge) and the part spent
      // waiting for the portal, for bench/browser.ts and bench/portals.ts; a few dozen entries kept.
      if (performance.getEntriesByName('sync-run').length >= 40) performance.clearMeasures('sync-run');
      performance.measure('sync-run', {
        start: started,
        detail: { kind: outcome.kind, ok: outcome.ok, waitedMs: client.waitedMs - waitedBefore, origin: this.slot.origin },
      });
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * After a run: the counters follow its change, the next poll and the wake-up
   * are armed, every surface is told. `settings`: those the run used (the
   * connection was there when it started; stop() clears what a disconnect
   * leaves armed).
   */
  private async afterRun(outcome: RunOutcome, reason: string, settings: Settings | null): Promise<void> {
    const dataChanged = outcome.ok && (outcome.full || outcome.change !== null || outcome.peopleRefreshed === true);
    if (outcome.ok && outcome.kind !== 'busy') {
      this.failures = 0;
      if (outcome.full || outcome.peopleRefreshed) this.copySize = null;
      if (outcome.full) this.indexPromise = null;
      else if (this.indexPromise) {
        const index = await this.indexPromise;
        if (outcome.change) index?.apply(outcome.change);
        if (outcome.peopleRefreshed) index?.setPeople(await (await this.db()).getAll('people'));
      }
    } else if (!outcome.ok) {
      this.failures++;
      console.info(`[sync] ${reason}: ${outcome.error.kind}`);
    }
    this.progress = null;
    await this.scheduleNext(outcome, settings ?? undefined);
    // The wake-up moves only with the data (or the clock, whose alarm re-arms itself): an idle poll leaves it.
    if (dataChanged || !this.wakeArmed) await this.scheduleWake();
    // A poll that found nothing changes the status line only: pages need not ask for their chips again.
    this.announce({ data: dataChanged });
  }

  /** `known`: the settings of a run that just ended (its connection was there); otherwise both are read. */
  async scheduleNext(outcome: RunOutcome | null, known?: Settings): Promise<void> {
    let settings = known;
    if (!settings) {
      if (!(await this.connection())) return;
      settings = await this.settings();
    }
    if (outcome) {
      this.congestion = congestionAfter(this.congestion, !outcome.ok && outcome.error.kind === 'rateLimit' ? 'rateLimited' : outcome.ok ? 'ok' : 'other');
    }
    const delayMs = scheduledDelayMs(outcome, this.failures, (await this.paceNow(settings)).pollSeconds, this.congestion, Math.random);
    if (this.stopped) return;
    await browser.alarms.create(this.pollAlarm, { when: Date.now() + delayMs });
  }

  private async sizeOfCopy(): Promise<NonNullable<PortalSync['copySize']>> {
    const db = await this.db();
    const [people, activities, items] = await Promise.all([db.getAll('people'), db.count('activities'), db.count('items')]);
    return { activeEmployees: people.filter((person) => person.active).length, activities, items };
  }

  /**
   * The pace now (lib/sync/pace.ts): the poll interval, the setting stretched
   * for a big team (every active employee is assumed to run the extension; its
   * reconciliations and the syncs the user asks for are counted; demo builds may
   * turn this off) and slower while the computer is idle or locked; and the
   * reconciliation's interval, grown with the copy and the team. Each portal's
   * own: its team shares its own bucket.
   */
  private async paceNow(settings: Settings): Promise<Pace> {
    this.copySize ??= await this.sizeOfCopy();
    const { activeEmployees, activities, items } = this.copySize;
    return syncPace({
      pollSeconds: settings.pollSeconds,
      reconcileMinutes: settings.reconcileMinutes,
      teamShare: settings.teamShare || !IS_DEMO_BUILD,
      activeEmployees,
      drainPerSecond: (settings.enterpriseLimits ? ENTERPRISE_BUCKET : STANDARD_BUCKET).drainPerSecond,
      openActivities: activities,
      items,
      onDemandPerHour: demandPerHour(await this.demandOf(), Date.now()),
      idle: this.host.idle(),
    });
  }

  private async demandOf(): Promise<number[]> {
    this.demand ??= (await getMeta(await this.db(), 'demand')) ?? [];
    return this.demand;
  }

  /** Remembers a sync the user asked for (kept an hour, in meta: the worker may restart meanwhile). */
  private async noteDemand(): Promise<void> {
    this.demand = rememberDemand(await this.demandOf(), Date.now(), true);
    await putMeta(await this.db(), 'demand', this.demand);
  }

  /** One alarm at the instant the counters change on their own (midnight, a light time): no portal request. */
  async scheduleWake(): Promise<void> {
    const index = await this.counterIndex().catch(() => null);
    const connection = await this.connection();
    if (!index || !connection) return;
    // Every person the badge, popup or chips may show: their midnights (and light times) need no portal request.
    const next = index.nextChangeAt(Date.now(), [connection.userId, ...index.responsibleIds()]);
    if (this.stopped) return;
    this.wakeArmed = true;
    if (next === null) await browser.alarms.clear(this.wakeAlarm);
    else await browser.alarms.create(this.wakeAlarm, { when: next });
  }

  private async buildIndex(): Promise<CounterIndex | null> {
    const db = await this.db();
    const [state, connection] = await Promise.all([loadSyncState(db), loadConnection(db)]);
    if (state.fullSyncAt === null || !connection) return null;
    const [live, people, settings] = await Promise.all([loadLive(db), db.getAll('people'), this.settings()]);
    const rules = countingRules(
      { ...rulesOf(settings), ...(state.countedTypes.length ? { countedEntityTypes: state.countedTypes } : {}) },
      state.smartTypes,
    );
    const index = new CounterIndex({
      rules,
      browserZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      people,
      connectedUserId: connection.userId,
    });
    index.load(live);
    return index;
  }
}
