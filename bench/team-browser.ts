// One user's browser in a simulated day: a real SyncEngine on its own
// IndexedDB (a fake-indexeddb factory of its own) and its own client (own
// client-side bucket), scheduled the way lib/background/sync.ts schedules it:
// a sync at browser start, then alarms from scheduledDelayMs with the pace of
// lib/sync/pace.ts (the same decision as the background's: the team's
// stretched poll interval, slowed while idle, and the reconciliation's
// interval) and the congestion factor; the popup syncs when the data is older
// than the pace says (30 s, half the poll interval in a stretched team),
// counted as a sync the user asked for, and every sync pushes the next poll
// back; back from idle, a catch-up sync. Everything waits on the
// simulated clock.
import { IDBFactory } from 'fake-indexeddb';
import { createClient } from '../lib/bitrix/client';
import { EMPTY_BUCKET, STANDARD_BUCKET } from '../lib/bitrix/limiter';
import { parseWebhookUrl } from '../lib/bitrix/webhook';
import { type Db, openCountersDb } from '../lib/store/db';
import { getMeta, loadSyncState, putMeta } from '../lib/store/sync-store';
import { type RunOutcome, SyncEngine } from '../lib/sync/engine';
import { demandPerHour, type Pace, rememberDemand, syncPace } from '../lib/sync/pace';
import { longestWaitMs, requestTimeoutMs, scheduledDelayMs } from '../lib/sync/schedule';
import { CALM, congestionAfter } from '../lib/sync/team-share';
import type { SimClock } from './sim-clock';

/** lib/background/sync.ts: popup and focus syncs wait for a 500 ms debounce (then skip data younger than the pace's freshEnoughMs). */
const DEBOUNCE_MS = 500;
/** Store defaults (lib/settings.ts). */
const SETTING_POLL_SECONDS = 60;
const RECONCILE_MINUTES = 30;

/** Every request a browser sends: when, by whom, refused or not. */
export interface RequestMeter {
  request(userId: number, at: number, refused: boolean): void;
}

/** One day of a user: when they are at the computer, when they open the popup. */
export interface UserDay {
  /** The browser starts (after 14 hours off). */
  start: number;
  lunchStart: number;
  lunchEnd: number;
  /** Leaves the computer (it goes idle 5 minutes later). */
  leave: number;
  /** The browser closes. */
  end: number;
  popups: number[];
}

/** Idle after this long without input (IDLE_AFTER_SECONDS in lib/background/sync.ts). */
const IDLE_AFTER_MS = 300_000;

export function atComputer(day: UserDay, at: number): boolean {
  return at >= day.start && at < day.leave && (at < day.lunchStart || at >= day.lunchEnd);
}

/** Simulated latency of one answer: 150 ms plus its bytes at 5 MB/s. */
function latencyMs(bytes: number): number {
  return 150 + bytes / 5_000;
}

export class SimBrowser {
  private failures = 0;
  private congestion = CALM;
  private idle = false;
  private alarmAt: number | null = null;
  /** The syncs the user asked for in the last hour (meta 'demand' in the background). */
  private demand: number[] = [];
  /** The copy's size, counted after full syncs and people refreshes (copySize in the background). */
  private copySize: { activeEmployees: number; activities: number; items: number } | null = null;
  /** Runs after which the caller checks the copy (freshness). */
  onRun: (outcome: RunOutcome) => Promise<void> = async () => {};
  readonly runs: RunOutcome['kind'][] = [];

  private constructor(
    readonly userId: number,
    readonly db: Db,
    readonly engine: SyncEngine,
    private readonly clock: SimClock,
    private readonly teamShare: boolean,
    private readonly random: () => number,
  ) {}

  static async open(options: {
    userId: number;
    webhookUrl: string;
    clock: SimClock;
    meter: RequestMeter;
    random: () => number;
    /** The stretch of item 2 (off: polls follow the setting, as the demo build's switch does). */
    teamShare: boolean;
  }): Promise<SimBrowser> {
    const { clock, meter, userId } = options;
    // A database of its own: openCountersDb opens through the global factory, read when it is called.
    const saved = globalThis.indexedDB;
    globalThis.indexedDB = new IDBFactory();
    const opening = openCountersDb();
    globalThis.indexedDB = saved;
    const db = await opening;
    const parsed = parseWebhookUrl(options.webhookUrl);
    if (!parsed.ok) throw new Error(`bad webhook ${options.webhookUrl}`);
    const simFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const at = clock.now();
      const response = await fetch(input, init);
      const text = await response.text();
      meter.request(userId, at, response.status === 503);
      await clock.sleep(latencyMs(text.length));
      return new Response(text, { status: response.status, headers: response.headers });
    };
    const client = createClient({
      webhook: parsed.webhook,
      fetch: simFetch as typeof fetch,
      bucket: STANDARD_BUCKET,
      timeoutMs: requestTimeoutMs(SETTING_POLL_SECONDS),
      maxWaitMs: longestWaitMs(SETTING_POLL_SECONDS),
      bucketStore: {
        load: async () => (await getMeta(db, 'bucket')) ?? EMPTY_BUCKET,
        save: (state) => putMeta(db, 'bucket', state),
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    const engine = new SyncEngine({ db, client, reconcileMs: RECONCILE_MINUTES * 60_000, owner: `bench-${userId}`, now: clock.now, random: options.random });
    return new SimBrowser(userId, db, engine, clock, options.teamShare, options.random);
  }

  /** When the poll alarm fires next; null before the first run. */
  get nextAlarm(): number | null {
    return this.alarmAt;
  }

  /** The pace now, as paceNow in lib/background/sync.ts asks lib/sync/pace.ts for it. */
  async paceNow(): Promise<Pace> {
    if (!this.copySize) {
      const [people, activities, items] = await Promise.all([this.db.getAll('people'), this.db.count('activities'), this.db.count('items')]);
      this.copySize = { activeEmployees: people.filter((p) => p.active).length, activities, items };
    }
    return syncPace({
      pollSeconds: SETTING_POLL_SECONDS,
      reconcileMinutes: RECONCILE_MINUTES,
      teamShare: this.teamShare,
      activeEmployees: this.copySize.activeEmployees,
      drainPerSecond: STANDARD_BUCKET.drainPerSecond,
      openActivities: this.copySize.activities,
      items: this.copySize.items,
      onDemandPerHour: demandPerHour(this.demand, this.clock.now()),
      idle: this.idle,
    });
  }

  async runSync(): Promise<RunOutcome> {
    const outcome = await this.engine.run({ reconcileMs: (await this.paceNow()).reconcileMs });
    this.runs.push(outcome.kind);
    if (outcome.ok && outcome.kind !== 'busy') {
      this.failures = 0;
      if (outcome.full || outcome.peopleRefreshed) this.copySize = null;
    } else if (!outcome.ok) this.failures++;
    await this.scheduleNext(outcome);
    await this.onRun(outcome);
    return outcome;
  }

  private async scheduleNext(outcome: RunOutcome | null): Promise<void> {
    if (outcome) {
      const kind = !outcome.ok && outcome.error.kind === 'rateLimit' ? 'rateLimited' : outcome.ok ? 'ok' : 'other';
      this.congestion = congestionAfter(this.congestion, kind);
    }
    const delay = scheduledDelayMs(outcome, this.failures, (await this.paceNow()).pollSeconds, this.congestion, this.random);
    this.alarmAt = this.clock.now() + delay;
  }

  /** syncNow('popup' | 'focus'): debounced, and nothing when the data is fresh enough (30 s; half the poll interval in a stretched team). */
  private async syncIfStale(): Promise<void> {
    await this.clock.sleep(DEBOUNCE_MS);
    const state = await loadSyncState(this.db);
    if (state.lastSyncAt !== null && this.clock.now() - state.lastSyncAt < (await this.paceNow()).freshEnoughMs) return;
    this.demand = rememberDemand(this.demand, this.clock.now(), true);
    await this.runSync();
  }

  /** The day: start, alarms, popups, lunch (idle), leaving (idle), the browser closing. */
  async live(day: UserDay): Promise<void> {
    const { clock } = this;
    await clock.sleepUntil(day.start);
    // A browser start finds no alarm (or a long-missed one): a sync at once.
    await this.runSync();
    const edges = [
      { at: day.lunchStart + IDLE_AFTER_MS, idle: true },
      { at: day.lunchEnd, idle: false },
      { at: day.leave + IDLE_AFTER_MS, idle: true },
    ];
    const popups = day.popups.filter((t) => atComputer(day, t));
    for (;;) {
      const edge = edges[0]?.at ?? Number.POSITIVE_INFINITY;
      const popup = popups[0] ?? Number.POSITIVE_INFINITY;
      const alarm = this.alarmAt ?? Number.POSITIVE_INFINITY;
      const t = Math.min(edge, popup, alarm, day.end);
      if (t > clock.now()) await clock.sleepUntil(t);
      if (t >= day.end) return;
      if (t === edge) {
        const wasIdle = this.idle;
        this.idle = edges.shift()!.idle;
        // Back at the computer: catch up at once (if older than 30 s), then the normal pace.
        if (wasIdle && !this.idle) {
          await this.syncIfStale();
          await this.scheduleNext(null);
        }
      } else if (t === popup) {
        popups.shift();
        await this.syncIfStale();
      } else {
        this.alarmAt = null;
        await this.runSync();
      }
    }
  }

  close(): void {
    this.db.close();
  }
}
