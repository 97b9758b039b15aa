// The sync in the browser: alarms, the connection's lifecycle, the counter
// index kept in step with the store, and the state API the badge, popup and
// chips read. Listeners are registered synchronously in setupSync().
import { browser } from 'wxt/browser';
import { type BitrixClient, createClient } from '../bitrix/client';
import { ENTERPRISE_BUCKET, EMPTY_BUCKET, STANDARD_BUCKET } from '../bitrix/limiter';
import type { PortalAuth } from '../bitrix/auth';
import { parseWebhookUrl } from '../bitrix/webhook';
import { CounterIndex, countingRules } from '../counters';
import type { ItemRef, Person } from '../domain';
import { loadSettings, onSettingsChanged, rulesOf, type Settings, type SettingsInForce } from '../settings';
import { type ConnectionRecord, type Db, getDb, loadConnection } from '../store/db';
import { applyChangeSet, type ChangeSet, getMeta, loadLive, loadSyncState, putMeta } from '../store/sync-store';
import type { Progress } from '../sync/context';
import { type RunOutcome, SyncEngine } from '../sync/engine';
import { PortalCheck } from '../sync/portal-check';
import { longestWaitMs, requestTimeoutMs, scheduledDelayMs, syncStatusOf } from '../sync/schedule';
import { demandPerHour, type Pace, rememberDemand, syncPace } from '../sync/pace';
import { CALM, congestionAfter } from '../sync/team-share';
import { IS_DEMO_BUILD } from '../flavour';
import { needsSignIn } from '../connect-problems';
import { onConnectionChanged, setBeforeConnectionChange } from './connection';
import { takeForcedCheck } from './portal-check';
import { sessidStore } from './sessid';

export type { SyncPhase, SyncStatus } from '../sync/schedule';

const POLL_ALARM = 'sync-poll';
const WAKE_ALARM = 'counters-wake';
const DEBOUNCE_MS = 500;

interface Portal {
  key: string;
  db: Db;
  engine: SyncEngine;
  client: BitrixClient;
}

let current: Portal | null = null;
let progress: Progress | null = null;
let indexPromise: Promise<CounterIndex | null> | null = null;
let running: Promise<void> | null = null;
let debounced: Promise<void> | null = null;
let debouncedForce = false;
let failures = 0;
/** The poll interval's multiplier after full buckets (team-share.ts): doubled on each, eased back on successes. */
let congestion = CALM;
/** The computer is idle or locked: nobody looks, polls slow down. */
let userIdle = false;
/** Seconds of no input after which the computer counts as idle. */
const IDLE_AFTER_SECONDS = 300;
/** Bumped by connect/disconnect: a run of an older generation neither schedules nor announces. */
let generation = 0;
/** What an announcement says changed: `data` when counts, chips or lists may differ; else only the sync's status did. */
export interface Announcement {
  data: boolean;
}
const listeners = new Set<(what: Announcement) => void>();
/** This worker's life: sync leases taken by another one belong to a worker the browser killed. */
const WORKER_ID = `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
let engineCount = 0;
/** Calling an extension API now and then keeps the worker alive through a long sync (Chrome ends idle ones after 30 s). */
const KEEPALIVE_MS = 20_000;

/** Registers every listener synchronously (an await first would lose the event that woke the worker). */
export function setupSync(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void runSync('alarm');
    else if (alarm.name === WAKE_ALARM) {
      announce();
      void scheduleWake();
    }
  });
  browser.idle.setDetectionInterval(IDLE_AFTER_SECONDS);
  browser.idle.onStateChanged.addListener((state) => {
    const wasIdle = userIdle;
    userIdle = state !== 'active';
    // Back at the computer: catch up at once (if the data is older than 30 s), then poll at the normal pace.
    if (wasIdle && !userIdle) void syncNow('focus').then(() => scheduleNext(null));
  });
  void browser.idle.queryState(IDLE_AFTER_SECONDS).then((state) => {
    userIdle = state !== 'active';
  });
  setBeforeConnectionChange(stopSync);
  onConnectionChanged(() => void connectionChanged());
  onSettingsChanged(() => {
    settingsChanges++;
    current = null;
    indexPromise = null;
    // Counting rules may have changed: the badge, popup and chips recount now, the wake-up moves.
    announce();
    void scheduleWake();
    void scheduleNext(null);
  });
  void startup();
}

/**
 * An immediate sync, debounced and single-flight. `popup` and `focus` (the
 * popup opened, a portal page got focus) sync only when the data is older
 * than 30 s (in a stretched team: half the poll interval, lib/sync/pace.ts);
 * any other reason syncs.
 */
export function syncNow(reason: string): Promise<void> {
  // Calls within the debounce share one run; any reason other than popup/focus makes it unconditional.
  const conditional = reason === 'popup' || reason === 'focus';
  debouncedForce ||= !conditional;
  debounced ??= new Promise<void>((resolve) => {
    setTimeout(() => {
      const force = debouncedForce;
      debounced = null;
      debouncedForce = false;
      void (async () => {
        if (!force) {
          const state = await loadSyncState(await getDb());
          const { freshEnoughMs } = await paceNow(await loadSettings());
          if (state.lastSyncAt !== null && Date.now() - state.lastSyncAt < freshEnoughMs) return;
        }
        // A sync outside the poll's schedule: the team's pace counts it (and it pushes the next poll back,
        // afterRun), unless it joins a run already under way, which costs no request more.
        if (!running) await noteDemand();
        await runSync(reason);
      })()
        .catch((error) => console.warn('sync', error))
        .finally(resolve);
    }, DEBOUNCE_MS);
  });
  return debounced;
}

/** Early tries after a sign-in are this far apart at least, however many portal pages load. */
const EARLY_TRY_MS = 10_000;
let lastEarlyTry = 0;

/**
 * A page of the connected portal loaded. While the sync waits for the user to
 * sign in again, that page may be the one after the sign-in: try now rather
 * than at the next poll (at most one early try per 10 s).
 */
export async function portalPageLoaded(origin: string): Promise<void> {
  const db = await getDb();
  const connection = await loadConnection(db);
  if (!connection || connection.origin !== origin) return;
  const error = await getMeta(db, 'error');
  if (!needsSignIn(error?.kind) || Date.now() - lastEarlyTry < EARLY_TRY_MS) return;
  lastEarlyTry = Date.now();
  await syncNow('signed-in');
}

export async function getSyncStatus(): Promise<import('../sync/schedule').SyncStatus> {
  const db = await getDb();
  const connection = await loadConnection(db);
  const [state, error, pending, settings] = await Promise.all([
    loadSyncState(db),
    getMeta(db, 'error'),
    getMeta(db, 'fullSync'),
    loadSettings(),
  ]);
  // Stale after 3 polls of the pace (stretched in a big team, slower while idle), not of the setting:
  // a 250-person portal polls every 10 minutes, and its data is not stale 5 minutes after a poll.
  const { pollSeconds } = await paceNow(settings);
  return syncStatusOf({ connected: connection !== null, state, error, pending, progress, now: Date.now(), pollSeconds });
}

/** The counters over the copy, after the first full sync (null before: never a partial count). */
export function getCounterIndex(): Promise<CounterIndex | null> {
  indexPromise ??= buildIndex().catch((error) => {
    indexPromise = null;
    throw error;
  });
  return indexPromise;
}

/** Fetches items a page shows that the copy lacks; the index and every surface follow. */
export async function lookupItems(refs: ItemRef[]): Promise<void> {
  if (refs.length === 0) return;
  const change = await (await connectedPortal())?.engine.lookupItems(refs);
  if (change) await follow(change);
}

/** A change already in the store: into the counters, and every surface told. */
async function follow(change: ChangeSet): Promise<void> {
  if (indexPromise) (await indexPromise)?.apply(change);
  wakeArmed = false;
  announce();
}

export async function getPeople(): Promise<Person[]> {
  return (await getDb()).getAll('people');
}

export async function getPortalOffsetMinutes(): Promise<number | null> {
  return (await loadSyncState(await getDb())).portalOffsetMinutes;
}

/** Called after every applied change set, status change and time-driven change of the counters. */
export function onDataChanged(listener: (what: Announcement) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(what: Announcement = { data: true }): void {
  for (const listener of listeners) {
    try {
      listener(what);
    } catch (error) {
      console.warn('onDataChanged listener', error);
    }
  }
}

async function startup(): Promise<void> {
  const connection = await loadConnection(await getDb());
  if (!connection) return;
  const alarm = await browser.alarms.get(POLL_ALARM);
  // No alarm: a fresh install, a browser start, or a worker that died before arming one.
  if (!alarm) await runSync('startup');
  else void scheduleWake();
}

async function connectionChanged(): Promise<void> {
  const connection = await loadConnection(await getDb());
  if (connection) await runSync('connected');
  else announce();
}

/** Stops everything before the connection changes (Disconnect, or Connect to another portal). */
async function stopSync(): Promise<void> {
  generation++;
  const stopping = current?.engine.abort();
  current = null;
  indexPromise = null;
  progress = null;
  failures = 0;
  congestion = CALM;
  copySize = null;
  demand = null;
  wakeArmed = false;
  await Promise.all([browser.alarms.clear(POLL_ALARM), browser.alarms.clear(WAKE_ALARM)]);
  // Let an in-flight run end (after its current request): its writes must not land after the erase.
  await Promise.all([stopping, running?.catch(() => {})]);
}

/** The engine and client of this connection and these settings, made once and kept while both hold. */
async function portalFor(connection: ConnectionRecord, settings: SettingsInForce): Promise<Portal | null> {
  const key = JSON.stringify([connection.mode, connection.webhookUrl, connection.origin, connection.userId, settings]);
  const db = await getDb();
  // A rebuilt database (lib/store/repair.ts) is a new handle: the engine must use it.
  if (current?.key === key && current.db === db) return current;
  const auth = authOf(connection);
  if (!auth) return null;
  const client = createClient({
    auth,
    bucket: settings.enterpriseLimits ? ENTERPRISE_BUCKET : STANDARD_BUCKET,
    // Scaled to the poll interval (30 s and 60 s from 1-minute polls): a hanging or limiting portal shows within a few polls.
    timeoutMs: requestTimeoutMs(settings.pollSeconds),
    maxWaitMs: longestWaitMs(settings.pollSeconds),
    // The bucket lives in IndexedDB (meta), so a restarted worker does not burst past the portal's limit.
    bucketStore: {
      load: async () => (await getMeta(db, 'bucket')) ?? EMPTY_BUCKET,
      save: (state) => putMeta(db, 'bucket', state),
    },
  });
  // The check against the portal's own counters rides in the engine's requests (lib/sync/portal-check.ts).
  const portalCheck = new PortalCheck({
    userId: connection.userId,
    settings,
    browserZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    forced: takeForcedCheck,
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
      progress = p;
      announce({ data: false });
    },
  });
  current = { key, db, engine, client };
  return current;
}

/** How the connection's requests are authorized: its webhook, or the browser's session as the connected user. */
function authOf(connection: ConnectionRecord): PortalAuth | null {
  if (connection.mode === 'login') {
    return { kind: 'session', origin: connection.origin, sessid: sessidStore(connection.origin), userId: connection.userId };
  }
  const parsed = parseWebhookUrl(connection.webhookUrl);
  return parsed.ok ? { kind: 'webhook', webhook: parsed.webhook } : null;
}

/** The portal of the saved connection; null when not connected. */
async function connectedPortal(): Promise<Portal | null> {
  const connection = await loadConnection(await getDb());
  return connection ? portalFor(connection, await loadSettings()) : null;
}

/** Settings changes seen by this worker: a run's settings are stale once the count moved. */
let settingsChanges = 0;

async function runSync(reason: string): Promise<void> {
  if (running) return running;
  const mine = generation;
  running = (async () => {
    const started = performance.now();
    const settingsSeen = settingsChanges;
    const db = await getDb();
    const connection = await loadConnection(db);
    if (!connection) return;
    const settings = await loadSettings();
    const portal = await portalFor(connection, settings);
    if (!portal) return;
    const { engine, client } = portal;
    const waitedBefore = client.waitedMs;
    // Armed before the run: a worker killed mid-sync is woken to resume.
    await browser.alarms.create(POLL_ALARM, { delayInMinutes: Math.max(settings.pollSeconds, 30) / 60 });
    const keepalive = setInterval(() => void browser.runtime.getPlatformInfo().catch(() => {}), KEEPALIVE_MS);
    const { reconcileMs } = await paceNow(settings);
    const outcome = await engine.run({ reconcileMs }).finally(() => clearInterval(keepalive));
    if (mine !== generation) return;
    // Settings changed during the run: their listener armed the next poll; the run's own settings are stale.
    await afterRun(outcome, reason, settingsSeen === settingsChanges ? settings : null);
    // The last run's time in this worker (requests, storage, recount, badge) and the part spent
    // waiting for the portal, for bench/browser.ts; one entry kept.
    performance.clearMeasures('sync-run');
    performance.measure('sync-run', {
      start: started,
      detail: { kind: outcome.kind, ok: outcome.ok, waitedMs: client.waitedMs - waitedBefore },
    });
  })().finally(() => {
    running = null;
  });
  return running;
}

/**
 * After a run: the counters follow its change, the next poll and the wake-up
 * are armed, every surface is told. `settings`: those the run used (the
 * connection was there when it started; stopSync clears what a disconnect
 * leaves armed).
 */
async function afterRun(outcome: RunOutcome, reason: string, settings: Settings | null): Promise<void> {
  const dataChanged = outcome.ok && (outcome.full || outcome.change !== null || outcome.peopleRefreshed === true);
  if (outcome.ok && outcome.kind !== 'busy') {
    failures = 0;
    if (outcome.full || outcome.peopleRefreshed) copySize = null;
    if (outcome.full) indexPromise = null;
    else if (indexPromise) {
      const index = await indexPromise;
      if (outcome.change) index?.apply(outcome.change);
      if (outcome.peopleRefreshed) index?.setPeople(await getPeople());
    }
  } else if (!outcome.ok) {
    failures++;
    console.info(`[sync] ${reason}: ${outcome.error.kind}`);
  }
  progress = null;
  await scheduleNext(outcome, settings ?? undefined);
  // The wake-up moves only with the data (or the clock, whose alarm re-arms itself): an idle poll leaves it.
  if (dataChanged || !wakeArmed) await scheduleWake();
  // A poll that found nothing changes the status line only: pages need not ask for their chips again.
  announce({ data: dataChanged });
}

/** `known`: the settings of a run that just ended (its connection was there); otherwise both are read. */
async function scheduleNext(outcome: RunOutcome | null, known?: Settings): Promise<void> {
  let settings = known;
  if (!settings) {
    if (!(await loadConnection(await getDb()))) return;
    settings = await loadSettings();
  }
  if (outcome) congestion = congestionAfter(congestion, !outcome.ok && outcome.error.kind === 'rateLimit' ? 'rateLimited' : outcome.ok ? 'ok' : 'other');
  const delayMs = scheduledDelayMs(outcome, failures, (await paceNow(settings)).pollSeconds, congestion, Math.random);
  await browser.alarms.create(POLL_ALARM, { when: Date.now() + delayMs });
}

/** The team and the copy's size, for the poll interval: read after full syncs and people refreshes, not on every poll. */
let copySize: { activeEmployees: number; activities: number; items: number } | null = null;

async function sizeOfCopy(): Promise<NonNullable<typeof copySize>> {
  const db = await getDb();
  const [people, activities, items] = await Promise.all([db.getAll('people'), db.count('activities'), db.count('items')]);
  return { activeEmployees: people.filter((person) => person.active).length, activities, items };
}

/**
 * The pace now (lib/sync/pace.ts): the poll interval, the setting stretched
 * for a big team (every active employee is assumed to run the extension; its
 * reconciliations and the syncs the user asks for are counted; demo builds may
 * turn this off) and slower while the computer is idle or locked; and the
 * reconciliation's interval, grown with the copy and the team.
 */
async function paceNow(settings: Settings): Promise<Pace> {
  copySize ??= await sizeOfCopy();
  const { activeEmployees, activities, items } = copySize;
  const db = await getDb();
  return syncPace({
    pollSeconds: settings.pollSeconds,
    reconcileMinutes: settings.reconcileMinutes,
    teamShare: settings.teamShare || !IS_DEMO_BUILD,
    activeEmployees,
    drainPerSecond: (settings.enterpriseLimits ? ENTERPRISE_BUCKET : STANDARD_BUCKET).drainPerSecond,
    openActivities: activities,
    items,
    onDemandPerHour: demandPerHour(await demandOf(db), Date.now()),
    idle: userIdle,
  });
}

/** The syncs the user asked for in the last hour: read from meta once per worker, then kept here too. */
let demand: number[] | null = null;

async function demandOf(db: Db): Promise<number[]> {
  demand ??= (await getMeta(db, 'demand')) ?? [];
  return demand;
}

/** Remembers a sync the user asked for (kept an hour, in meta: the worker may restart meanwhile). */
async function noteDemand(): Promise<void> {
  const db = await getDb();
  demand = rememberDemand(await demandOf(db), Date.now(), true);
  await putMeta(db, 'demand', demand);
}

/** Whether this worker has armed the wake-up for the counters as they are (a change outside a run un-arms it). */
let wakeArmed = false;

/** One alarm at the instant the counters change on their own (midnight, a light time): no portal request. */
async function scheduleWake(): Promise<void> {
  const index = await getCounterIndex().catch(() => null);
  const connection = await loadConnection(await getDb());
  if (!index || !connection) return;
  // Every person the badge, popup or chips may show: their midnights (and light times) need no portal request.
  const next = index.nextChangeAt(Date.now(), [connection.userId, ...index.responsibleIds()]);
  wakeArmed = true;
  if (next === null) await browser.alarms.clear(WAKE_ALARM);
  else await browser.alarms.create(WAKE_ALARM, { when: next });
}

async function buildIndex(): Promise<CounterIndex | null> {
  const db = await getDb();
  const [state, connection] = await Promise.all([loadSyncState(db), loadConnection(db)]);
  if (state.fullSyncAt === null || !connection) return null;
  const [live, people] = await Promise.all([loadLive(db), db.getAll('people')]);
  const settings = await loadSettings();
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

/** Calls the portal with the sync's own client (same rate-limit bucket). For the popup's triage actions. */
export async function callPortal(method: string, params: Record<string, unknown>): Promise<unknown> {
  const portal = await connectedPortal();
  if (!portal) throw new Error('not connected');
  return (await portal.client.call(method, params)).result;
}

/** A change the extension itself just made on the portal: into the copy and the counters at once (the next poll confirms it). */
export async function applyLocalChange(change: ChangeSet): Promise<void> {
  const db = await getDb();
  // No sync state: rewriting it from a snapshot could undo the cursors of a poll running meanwhile.
  await applyChangeSet(db, change, null);
  await follow(change);
}
