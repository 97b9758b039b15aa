// The sync in the browser, one per connected portal: alarms, the connection's
// lifecycle, the counter index kept in step with the store, and the state API
// the badge, popup and chips read (by origin; none given: the first portal).
// Listeners are registered synchronously in setupSync().
import { browser } from 'wxt/browser';
import type { CounterIndex } from '../counters';
import type { ItemRef, Person } from '../domain';
import { onSettingsChanged } from '../settings';
import { applyChangeSet, type ChangeSet, EMPTY_SYNC_STATE, loadSyncState } from '../store/sync-store';
import { type SyncStatus, syncStatusOf } from '../sync/schedule';
import { onConnectionChanged, setBeforeConnectionChange } from './connection';
import { type Announcement, PortalSync, type SyncHost } from './portal-sync';
import { listSlots, slotOf, watchSlots } from './portals';

export type { SyncPhase, SyncStatus } from '../sync/schedule';
export type { Announcement } from './portal-sync';

/** The computer is idle or locked: nobody looks, polls slow down. */
let userIdle = false;
/** Seconds of no input after which the computer counts as idle. */
const IDLE_AFTER_SECONDS = 300;
const listeners = new Set<(what: Announcement) => void>();
/** Settings changes seen by this worker: a run's settings are stale once the count moved. */
let settingsChanges = 0;
/** What the portals' syncs share. */
const host: SyncHost = { idle: () => userIdle, settingsChanges: () => settingsChanges, announce: (what) => announce(what) };

/** Each connected portal's sync, by origin: made on first use, dropped when the portal is disconnected. */
const syncs = new Map<string, PortalSync>();
/** Origins whose connection is changing (stopped, not yet announced): no sync is made for them meanwhile. */
const changing = new Set<string>();

/** Registers every listener synchronously (an await first would lose the event that woke the worker). */
export function setupSync(): void {
  watchSlots();
  browser.alarms.onAlarm.addListener((alarm) => void alarmRang(alarm.name));
  browser.idle.setDetectionInterval(IDLE_AFTER_SECONDS);
  browser.idle.onStateChanged.addListener((state) => {
    const wasIdle = userIdle;
    userIdle = state !== 'active';
    // Back at the computer: catch up at once (if the data is older than 30 s), then poll at the normal pace.
    if (wasIdle && !userIdle) void eachSync((sync) => sync.syncNow('focus').then(() => sync.scheduleNext(null)));
  });
  void browser.idle.queryState(IDLE_AFTER_SECONDS).then((state) => {
    userIdle = state !== 'active';
  });
  setBeforeConnectionChange(stopSync);
  onConnectionChanged((origin) => void connectionChanged(origin));
  onSettingsChanged(() => {
    settingsChanges++;
    // Counting rules may have changed: the badge, popup and chips recount now, the wake-up moves.
    void eachSync(async (sync) => {
      sync.settingsChanged();
      await Promise.all([sync.scheduleWake(), sync.scheduleNext(null)]);
    });
  });
  void startup();
}

/** The sync of a connected portal (the first connected when no origin is given); null when not connected. */
async function syncOf(origin?: string): Promise<PortalSync | null> {
  const slots = await listSlots();
  const slot = origin === undefined ? slots[0] : slots.find((s) => s.origin === origin);
  if (!slot || changing.has(slot.origin)) return null;
  let sync = syncs.get(slot.origin);
  if (!sync || sync.slot.dbName !== slot.dbName) {
    sync = new PortalSync(slot, host);
    syncs.set(slot.origin, sync);
  }
  return sync;
}

async function eachSync(work: (sync: PortalSync) => Promise<unknown>): Promise<void> {
  const slots = await listSlots();
  await Promise.all(
    slots.map(async (slot) => {
      const sync = await syncOf(slot.origin);
      if (sync) await work(sync).catch((error) => console.warn('sync', error));
    }),
  );
}

async function alarmRang(name: string): Promise<void> {
  for (const slot of await listSlots()) {
    const sync = await syncOf(slot.origin);
    if (!sync) continue;
    if (name === sync.pollAlarm) void sync.runSync('alarm');
    else if (name === sync.wakeAlarm) {
      sync.announce();
      void sync.scheduleWake();
    }
  }
}

/**
 * An immediate sync of a portal (every portal when no origin is given), debounced and single-flight.
 * `popup` and `focus` (the popup opened, a portal page got focus) sync only when the data is older
 * than 30 s (in a stretched team: half the poll interval, lib/sync/pace.ts); any other reason syncs.
 */
export async function syncNow(reason: string, origin?: string): Promise<void> {
  if (origin === undefined) await eachSync((sync) => sync.syncNow(reason));
  else await (await syncOf(origin))?.syncNow(reason);
}

/**
 * A page of a connected portal loaded. While its sync waits for the user to
 * sign in again, that page may be the one after the sign-in: try now rather
 * than at the next poll (at most one early try per 10 s).
 */
export async function portalPageLoaded(origin: string): Promise<void> {
  if (!(await slotOf(origin))) return;
  await (await syncOf(origin))?.pageLoaded();
}

export async function getSyncStatus(origin?: string): Promise<SyncStatus> {
  const sync = await syncOf(origin);
  return sync ? sync.status() : syncStatusOf({ connected: false, state: EMPTY_SYNC_STATE, error: null, pending: null, progress: null, now: Date.now(), pollSeconds: 60 });
}

/** A portal's counters over its copy, after its first full sync (null before: never a partial count). */
export async function getCounterIndex(origin?: string): Promise<CounterIndex | null> {
  return (await syncOf(origin))?.counterIndex() ?? null;
}

/** Fetches items a page shows that the copy lacks; the index and every surface follow. */
export async function lookupItems(refs: ItemRef[], origin?: string): Promise<void> {
  if (refs.length === 0) return;
  await (await syncOf(origin))?.lookupItems(refs);
}

export async function getPeople(origin?: string): Promise<Person[]> {
  const sync = await syncOf(origin);
  return sync ? (await sync.db()).getAll('people') : [];
}

export async function getPortalOffsetMinutes(origin?: string): Promise<number | null> {
  const sync = await syncOf(origin);
  return sync ? (await loadSyncState(await sync.db())).portalOffsetMinutes : null;
}

/** Called after every applied change set, status change and time-driven change of a portal's counters. */
export function onDataChanged(listener: (what: Announcement) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(what: Announcement): void {
  for (const listener of listeners) {
    try {
      listener(what);
    } catch (error) {
      console.warn('onDataChanged listener', error);
    }
  }
}

async function startup(): Promise<void> {
  await eachSync(async (sync) => {
    if (!(await sync.connection())) return;
    const alarm = await browser.alarms.get(sync.pollAlarm);
    // No alarm: a fresh install, a browser start, a worker that died before arming one, or a portal just migrated.
    if (!alarm) await sync.runSync('startup');
    else await sync.scheduleWake();
  });
}

async function connectionChanged(origin: string): Promise<void> {
  changing.delete(origin);
  const sync = await syncOf(origin);
  if (sync && (await sync.connection())) await sync.runSync('connected');
  else announce({ data: true, origin });
}

/** Stops a portal's sync before its connection changes (Disconnect, or Connect anew). */
async function stopSync(origin: string): Promise<void> {
  // Until the change is announced (connectionChanged), nothing (a settings change, an alarm, a badge
  // paint) makes a new sync that would arm alarms or open the database of a portal being erased.
  changing.add(origin);
  const sync = syncs.get(origin);
  syncs.delete(origin);
  await sync?.stop();
}

/** Calls a portal with its sync's own client (same rate-limit bucket). For the popup's triage actions. */
export async function callPortal(method: string, params: Record<string, unknown>, origin?: string): Promise<unknown> {
  const sync = await syncOf(origin);
  const engine = sync && (await sync.engine());
  if (!engine) throw new Error('not connected');
  return (await engine.client.call(method, params)).result;
}

/** A change the extension itself just made on a portal: into its copy and counters at once (the next poll confirms it). */
export async function applyLocalChange(change: ChangeSet, origin?: string): Promise<void> {
  const sync = await syncOf(origin);
  if (!sync) return;
  // No sync state: rewriting it from a snapshot could undo the cursors of a poll running meanwhile.
  await applyChangeSet(await sync.db(), change, null);
  await sync.follow(change);
}
