// The check against the portal's own counters (issue #19; counters.md, "The
// portal's own counters"; contract, "Agreement with the portal's own
// counters"). One crm.counter.list command per counted type (per deal
// pipeline only to locate a difference the deals' total showed) rides in a
// request the sync makes anyway and that has no `halt`: a first sync's or
// reconciliation's last requests (from the last scan request on), a poll's
// follow-up; never the idle poll (its first request halts). Due with every
// full sync and at most every 30 minutes otherwise. A full sync that made no
// request after its scan carries the check in one request of its own, so that
// the first number shown is already the portal's; so does the demo build's
// "check now" for tests. After the run the answer is compared with our copy
// counted at the answer's `time.date_start` (lib/counters/agreement.ts), the
// last two checks are kept in meta, and the way the portal counts is stored
// for "As your portal counts" (lib/settings.ts). An error or `[]` on a counter
// command is "not available for that type": never fatal, never a stop.
import { browser } from 'wxt/browser';
import { type BatchAnswer, type BatchCommand, callBatch } from '../bitrix/batch';
import { CLASSIC_ENTITY_TYPES, CounterIndex, countingRules } from '../counters';
import {
  type CheckRecord,
  checkRecord,
  differences,
  type FollowState,
  NO_FOLLOW,
  nextFollow,
  type OurCounts,
  type PortalAnswer,
  portalWayOf,
  type TypeAnswer,
  type Way,
  wayKey,
} from '../counters/agreement';
import { EntityType } from '../domain';
import { type CounterModeChoice, inForce, type LitRuleChoice, loadSettingsWithPolicy, PORTAL_WAY_KEY, rulesOf, type SettingsInForce, type SlotRef } from '../settings';
import { slotKey } from '../store/portals';
import type { Db } from '../store/db';
import { getMeta, loadLive, loadSyncState } from '../store/sync-store';
import { portalClock, type Rider, SyncAbortedError, type SyncContext } from './context';

/** A check is due at most this often outside full syncs. */
export const CHECK_EVERY_MS = 30 * 60_000;
/** A portal without the method (every command ERROR_METHOD_NOT_FOUND) is asked again this often, full syncs included. */
export const ABSENT_METHOD_EVERY_MS = 24 * 3_600_000;
const META_KEY = 'portalChecks';
const KEY_PREFIX = 'pc';

/** What the meta record keeps: the last two checks (newest first), when, the way followed, and whether to locate by pipeline. */
export interface PortalChecks {
  checkedAt: number;
  records: CheckRecord[];
  follow: FollowState;
  /** The last check showed a difference in deals: the next one asks per pipeline. */
  locate: boolean;
}

export async function loadPortalChecks(db: Db): Promise<PortalChecks | null> {
  return ((await db.get('meta', META_KEY)) as PortalChecks | undefined) ?? null;
}

/** The last check found no crm.counter.list at all (an older portal, or a self-hosted one without the controller). */
function methodAbsent(stored: PortalChecks | null): boolean {
  const types = stored?.records[0]?.types ?? [];
  return types.length > 0 && types.every((c) => c.answer === 'error' && c.error === 'ERROR_METHOD_NOT_FOUND');
}

/** Code prefix of a type's counters (EntityCounterManager::prepareCodes: the owner type's name, lower case). */
export function counterPrefix(entityTypeId: number, categoryId: number | null = null): string | null {
  const name =
    entityTypeId === EntityType.lead
      ? 'lead'
      : entityTypeId === EntityType.deal
        ? 'deal'
        : entityTypeId === EntityType.contact
          ? 'contact'
          : entityTypeId === EntityType.company
            ? 'company'
            : entityTypeId >= 128
              ? `dynamic_${entityTypeId}`
              : null;
  return name === null ? null : `crm_${name}${categoryId === null ? '' : `_c${categoryId}`}`;
}

/** One counter command: the calling user's counters of a type (or a deal pipeline), with everyone else's for the diagnostics. */
export function counterCommand(entityTypeId: number, categoryId: number | null = null): BatchCommand {
  return {
    method: 'crm.counter.list',
    params: { entityTypeId, withExcludeUsers: 1, ...(categoryId === null ? {} : { extras: { CATEGORY_ID: categoryId } }) },
  };
}

/** Narrows one command's answer (its result, or its error's code) into what it says about the type. */
export function readTypeAnswer(entityTypeId: number, categoryId: number | null, result: unknown, errorCode: string | null): TypeAnswer {
  if (errorCode !== null) return errorCode === 'ACCESS_DENIED' ? { kind: 'denied' } : { kind: 'error', code: errorCode || 'error' };
  if (Array.isArray(result)) return result.length === 0 ? { kind: 'off' } : { kind: 'error', code: 'unexpected' };
  const prefix = counterPrefix(entityTypeId, categoryId);
  const codes = result && typeof result === 'object' ? (result as Record<string, unknown>) : null;
  if (!codes || !prefix) return { kind: 'error', code: 'unexpected' };
  const value = (code: string) => {
    const n = Number(codes[code]);
    return codes[code] !== undefined && codes[code] !== null && Number.isFinite(n) && n >= 0 ? n : null;
  };
  const incoming = value(`${prefix}_incomingchannel`);
  const current = value(`${prefix}_current`);
  if (incoming === null || current === null) return current !== null || value(`${prefix}_all`) !== null ? { kind: 'previous' } : { kind: 'error', code: 'unexpected' };
  const answer: TypeAnswer = { kind: 'counted', incoming, current };
  const othersIncoming = value(`${prefix}_incomingchannel_excl`);
  const othersCurrent = value(`${prefix}_current_excl`);
  if (othersIncoming !== null) answer.othersIncoming = othersIncoming;
  if (othersCurrent !== null) answer.othersCurrent = othersCurrent;
  return answer;
}

/** Reads the check's commands out of a batch answer. */
export function readPortalAnswer(answer: BatchAnswer, commands: ReadonlyMap<string, BatchCommand>, at: number): PortalAnswer {
  const out: PortalAnswer = { at, types: {} };
  for (const [key, command] of commands) {
    const entityTypeId = Number(command.params?.entityTypeId);
    const extras = command.params?.extras as { CATEGORY_ID?: number } | undefined;
    const categoryId = extras?.CATEGORY_ID ?? null;
    const error = answer.errors.get(key);
    const read = readTypeAnswer(entityTypeId, categoryId, answer.results.get(key), error ? (error.code ?? '') : null);
    if (categoryId === null) out.types[entityTypeId] = read;
    else {
      out.pipelines ??= {};
      out.pipelines[categoryId] = read;
    }
  }
  return out;
}

export interface PortalCheckOptions {
  userId: number;
  /** The settings in force now ("as your portal counts" resolved). */
  settings: SettingsInForce;
  browserZone: string;
  /** Whose portal (its per-portal keys: the way it counts); none: the first slot's. */
  slot?: SlotRef;
  /** The demo build's "check now": consumed by the run that starts next. */
  forced?: () => boolean;
  log?: (message: string) => void;
}

export class PortalCheck implements Rider {
  private commands = new Map<string, BatchCommand>();
  private answer: PortalAnswer | null = null;
  private armed = false;
  private due = false;
  private full = false;
  private forced = false;
  private pipelines: number[] = [];
  /** The rule and mode as chosen (the policy's or the user's; `portal` = as the portal counts), read at each run. */
  private choice: { litRule: LitRuleChoice; counterMode: CounterModeChoice } = { litRule: 'portal', counterMode: 'portal' };
  /** The stored checks as this engine last read or wrote them (undefined: not read yet); it is their only writer. */
  private stored: PortalChecks | null | undefined = undefined;

  constructor(private readonly options: PortalCheckOptions) {}

  get size(): number {
    return this.commands.size;
  }

  /** Before a run: whether the check is due, and its commands; the rider joins the run's context. */
  async begin(ctx: SyncContext, kind: string): Promise<void> {
    this.answer = null;
    this.forced = this.options.forced?.() ?? false;
    this.full = kind !== 'poll';
    // Read once per engine, then kept by record(): an idle poll that is not due reads nothing.
    if (this.stored === undefined) this.stored = await loadPortalChecks(ctx.db);
    const { stored } = this;
    const since = stored === null ? Number.POSITIVE_INFINITY : ctx.now() - stored.checkedAt;
    this.due = this.forced || (methodAbsent(stored) ? since >= ABSENT_METHOD_EVERY_MS : this.full || since >= CHECK_EVERY_MS);
    if (!this.due) {
      ctx.rider = undefined;
      return;
    }
    const { settings: chosen } = await loadSettingsWithPolicy(this.options.slot);
    this.choice = { litRule: chosen.litRule, counterMode: chosen.counterMode };
    const state = await loadSyncState(ctx.db);
    this.pipelines = stored?.locate ? [...new Set([0, ...Object.keys((await getMeta(ctx.db, 'dealCategories')) ?? {}).map(Number)])] : [];
    this.plan(state.countedTypes.length ? state.countedTypes : (this.options.settings.countedEntityTypes ?? [...CLASSIC_ENTITY_TYPES]));
    // A poll's first request halts (and so never carries it); its follow-ups may. A full sync arms it from its last scan request on.
    this.armed = !this.full;
    ctx.rider = this;
  }

  arm(countedTypes?: readonly number[]): void {
    // A first sync learns the counted types (smart processes with counters) in its first request.
    if (countedTypes?.length) this.plan(countedTypes);
    this.armed = true;
  }

  /** One command per counted type; per deal pipeline when locating a difference in deals. */
  private plan(types: readonly number[]): void {
    this.commands = new Map(types.map((t) => [`${KEY_PREFIX}${t}`, counterCommand(t)]));
    if (types.includes(EntityType.deal)) {
      for (const c of this.pipelines) this.commands.set(`${KEY_PREFIX}2c${c}`, counterCommand(EntityType.deal, c));
    }
  }

  board(size: number, limit: number): Map<string, BatchCommand> | null {
    if (!this.due || !this.armed || this.answer !== null || this.commands.size === 0) return null;
    return size + this.commands.size <= limit ? this.commands : null;
  }

  alight(answer: BatchAnswer): void {
    const at = portalClock(answer).at ?? Date.now();
    this.answer = readPortalAnswer(answer, this.commands, at);
  }

  /**
   * Whether this run's reminders pass should read to-dos' offsets although the
   * rule in force is not light time yet: the rule follows the portal and its
   * answer has just said light time (today's codes).
   */
  remindersWanted(): boolean {
    return this.choice.litRule === 'portal' && this.answer !== null && Object.values(this.answer.types).some((a) => a.kind === 'counted');
  }

  /**
   * After a run's requests, before its reminders pass: a full sync (or a
   * forced check) that has not carried the check yet carries it now, in a
   * request of its own.
   */
  async carry(ctx: SyncContext): Promise<void> {
    ctx.rider = undefined;
    if (!this.due || this.answer !== null || !(this.full || this.forced) || this.commands.size === 0) return;
    try {
      const answer = await callBatch(ctx.client, this.commands);
      if (ctx.aborted()) throw new SyncAbortedError();
      this.alight(answer);
    } catch (error) {
      if (error instanceof SyncAbortedError) throw error;
      this.options.log?.(`portal check not carried: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** After the run: compares, keeps the last two checks, and follows the portal's way. Never fails the run. */
  async settle(ctx: SyncContext): Promise<void> {
    ctx.rider = undefined;
    const answer = this.answer;
    this.answer = null;
    if (!this.due || answer === null) return;
    try {
      await this.record(ctx.db, answer, ctx.now());
    } catch (error) {
      this.options.log?.(`portal check not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async record(db: Db, answer: PortalAnswer, now: number): Promise<void> {
    const stored = await loadPortalChecks(db);
    const { settings } = this.options;
    const { choice } = this;
    const follow0 = stored?.follow ?? NO_FOLLOW;
    const currentMode = follow0.way?.mode ?? (choice.counterMode === 'portal' ? 'item' : choice.counterMode);
    const ways: Way[] = [
      { litRule: 'lightTime', mode: 'item' },
      { litRule: 'lightTime', mode: 'activity' },
    ];
    // No type answered with today's codes: nothing to compare, so nothing to count (an old portal pays no recount).
    const comparable = Object.values(answer.types).some((a) => a.kind === 'counted') || Object.values(answer.pipelines ?? {}).some((a) => a.kind === 'counted');
    const counts = comparable ? await this.count(db, answer.at, ways) : [];
    const pointed = portalWayOf(answer, counts, currentMode);
    const follow = nextFollow(follow0, pointed);
    const after = inForce({ ...settings, litRule: choice.litRule, counterMode: choice.counterMode }, follow.way);
    const inForceWay: Way = { litRule: after.litRule, mode: after.counterMode };
    if (comparable && !counts.some((c) => wayKey(c.way) === wayKey(inForceWay))) counts.push(...(await this.count(db, answer.at, [inForceWay])));
    const record = checkRecord(answer, counts, inForceWay, pointed);
    const records = [record, ...(stored?.records ?? [])].slice(0, 2);
    const locate = differences(record).some((d) => d.entityTypeId === EntityType.deal);
    const checks: PortalChecks = { checkedAt: now, records, follow, locate };
    await db.put('meta', checks, META_KEY);
    this.stored = checks;
    this.options.log?.(`portal check: ${record.generation}, ${record.agrees ? 'agrees' : 'differs'} (${wayKey(inForceWay)})`);
    const wayStorageKey = portalWayKey(this.options.slot);
    const before = (await browser.storage.local.get(wayStorageKey))[wayStorageKey] as { way?: Way } | undefined;
    if (follow.way && (!before?.way || wayKey(before.way) !== wayKey(follow.way))) {
      // Settings listeners (sync, views, notifications) recount with it.
      await browser.storage.local.set({ [wayStorageKey]: { way: follow.way, at: now } });
    }
  }

  /** Our counts for the connected user at `at`, per way of counting, over the copy. */
  private async count(db: Db, at: number, ways: Way[]): Promise<OurCounts[]> {
    const [live, people, state] = await Promise.all([loadLive(db), db.getAll('people'), loadSyncState(db)]);
    const base = rulesOf(this.options.settings);
    return ways.map((way) => {
      const index = new CounterIndex({
        rules: countingRules(
          { ...base, litRule: way.litRule, mode: way.mode, ...(state.countedTypes.length ? { countedEntityTypes: state.countedTypes } : {}) },
          state.smartTypes,
        ),
        browserZone: this.options.browserZone,
        people,
        connectedUserId: this.options.userId,
      });
      index.load(live);
      const totals = index.totals(this.options.userId, at);
      const pick = (c: { incoming: number; planned: number }) => ({ incoming: c.incoming, planned: c.planned });
      return {
        way,
        types: Object.fromEntries(Object.entries(totals.byEntityType).map(([t, c]) => [t, pick(c)])),
        pipelines: Object.fromEntries(Object.entries(totals.byDealCategory).map(([k, c]) => [k, pick(c)])),
      };
    });
  }
}

const portalWayKey = (slot: SlotRef | undefined) => (slot ? slotKey(PORTAL_WAY_KEY, slot) : PORTAL_WAY_KEY);

/** Forgets a portal's way (another person connected to it: theirs is not this one's). */
export async function forgetPortalWay(slot?: SlotRef): Promise<void> {
  await browser.storage.local.remove(portalWayKey(slot));
}
