// Wiring the to-dos' reminder offsets (pings.ts) into the copy, under rule
// light time only (under rule day they change no number, so nothing is read).
//
// What it costs: reminders matter only for an open to-do whose deadline is
// still ahead (a passed deadline is lit whatever the offset), and only once
// the deadline is near, so only to-dos due within REMINDER_WINDOW_MS are read,
// each once per LAST_UPDATED (changing reminders saves the activity, which
// moves LAST_UPDATED). A to-do due later is read by the first pass after it
// enters the window: passes follow every full sync and run at least hourly,
// so it is read days before any reminder of less than six days lights it.
//
// Where the requests go: a pass over the whole copy after a first sync or
// reconciliation (one request per 49–50 candidates), and in a poll one
// request at most, for the to-dos the poll changed (and, when a pass is due,
// those entering the window); nothing to read, no request.
//
// Why a memory in meta: a full sync restages every activity and a poll
// re-lists changed ones, both without offsets (crm.activity.list cannot
// return them). `reminders` remembers id → [LAST_UPDATED read at, offsets],
// so they are put back without a request while LAST_UPDATED holds.
import type { CrmActivity } from '../domain';
import type { Db } from '../store/db';
import { applyChangeSet, type ChangeSet, emptyChangeSet, getMeta, loadSyncState, putMeta } from '../store/sync-store';
import { batch, portalClock, type SyncContext } from './context';
import { narrowPingOffsets, pingBatches, pingCandidates } from './pings';

/** To-dos due within this much are read; later ones when they come this close. */
export const REMINDER_WINDOW_MS = 7 * 86_400_000;
/** A pass over the whole copy (to-dos entering the window) at least this often. */
export const REMINDER_PASS_MS = 3_600_000;

/** Kept in meta 'reminders'. */
export interface ReminderMemory {
  /**
   * [activity id, LAST_UPDATED its reminders were read at, offsets; null when
   * the portal gave none (NOTIFY applies), 1 when read within that same second].
   */
  read: [number, number, number[] | null, 1?][];
  /** `fullSyncAt` of the copy the last complete pass went over; null: a pass is due. */
  passFor: number | null;
  passAt: number;
}

export const EMPTY_REMINDER_MEMORY: ReminderMemory = { read: [], passFor: null, passAt: 0 };

export interface Known {
  lastUpdated: number;
  offsets: number[] | null;
  /**
   * Read before LAST_UPDATED's second ended (it has whole seconds): a save in
   * the rest of that second would not move it, so the next pass reads again.
   */
  unsettled?: boolean;
}

export function knownOf(memory: ReminderMemory): Map<number, Known> {
  return new Map(memory.read.map(([id, lastUpdated, offsets, unsettled]) => [id, unsettled ? { lastUpdated, offsets, unsettled: true } : { lastUpdated, offsets }]));
}

export function memoryOf(known: Map<number, Known>, passFor: number | null, passAt: number): ReminderMemory {
  return { read: [...known].map(([id, k]) => (k.unsettled ? [id, k.lastUpdated, k.offsets, 1] : [id, k.lastUpdated, k.offsets])), passFor, passAt };
}

/**
 * `a` with the offsets read at its LAST_UPDATED, when they were; else as it is
 * (a stored activity keeps what it holds: poll.ts carries offsets only while
 * LAST_UPDATED holds). Offsets go last, as everywhere, so that records compare
 * equal as JSON.
 */
export function withKnownOffsets(a: CrmActivity, known: ReadonlyMap<number, Known>): CrmActivity {
  const k = known.get(a.id);
  if (!k || k.lastUpdated !== a.lastUpdated) return a;
  const { pingOffsets: _old, ...rest } = a;
  return k.offsets ? { ...rest, pingOffsets: k.offsets } : rest;
}

/** The to-dos to read: open, due after `now` and within the window, not read at this LAST_UPDATED; soonest first. */
export function dueForRead(activities: Iterable<CrmActivity>, known: ReadonlyMap<number, Known>, now: number): CrmActivity[] {
  const readAt = new Map([...known].filter(([, k]) => !k.unsettled).map(([id, k]) => [id, k.lastUpdated]));
  return pingCandidates(activities, readAt, now)
    .filter((a) => (a.deadline ?? Number.POSITIVE_INFINITY) <= now + REMINDER_WINDOW_MS)
    .sort((x, y) => (x.deadline ?? 0) - (y.deadline ?? 0) || x.id - y.id);
}

const sameOffsets = (a: CrmActivity, b: CrmActivity) => JSON.stringify(a.pingOffsets ?? null) === JSON.stringify(b.pingOffsets ?? null);

/**
 * Reads `todos`' reminders, a request per batch, under the sync's lease. A
 * command that fails for good (the to-do is gone or unreadable, the portal
 * lacks the method) is remembered as read with none, so it is not asked
 * again until it changes; transient and whole-request errors throw.
 */
async function readOffsets(ctx: SyncContext, todos: readonly CrmActivity[], known: Map<number, Known>): Promise<void> {
  for (const commands of pingBatches(todos, ctx.client.batchLimit)) {
    const answer = await batch(ctx, commands);
    const at = portalClock(answer).at;
    for (const [key, error] of answer.errors) {
      if (error.action === 'retry' || error.action === 'wait' || !key.startsWith('p')) throw error;
    }
    for (const a of todos) {
      if (!commands.has(`p${a.id}`)) continue;
      const offsets = narrowPingOffsets(answer.results.get(`p${a.id}`));
      const unsettled = at !== null && a.lastUpdated + 1000 > at;
      known.set(a.id, unsettled ? { lastUpdated: a.lastUpdated, offsets, unsettled } : { lastUpdated: a.lastUpdated, offsets });
    }
  }
}

/**
 * After a run under rule light time: puts the known offsets back, reads the
 * missing ones, writes the activities whose offsets changed, and returns the
 * poll's change with them (`change` null after a full run: its index is
 * rebuilt from the store, which now holds them).
 */
export async function syncReminders(ctx: SyncContext, change: ChangeSet | null, full: boolean): Promise<ChangeSet | null> {
  const { db } = ctx;
  const now = ctx.now();
  const memory = (await getMeta(db, 'reminders')) ?? EMPTY_REMINDER_MEMORY;
  const known = knownOf(memory);
  const { fullSyncAt } = await loadSyncState(db);
  const pass = full || memory.passFor !== fullSyncAt || now - memory.passAt >= REMINDER_PASS_MS;
  const changed = (change?.upsertActivities ?? []).map((a) => withKnownOffsets(a, known));
  const live = pass ? (await db.getAll('activities')).map(({ itemKeys: _keys, ...a }) => a as CrmActivity) : [];

  // The poll's changes first; a poll reads one request at most, a full run all.
  const wanted = [...dueForRead(changed, known, now)];
  const ids = new Set(wanted.map((a) => a.id));
  for (const a of dueForRead(live, known, now)) if (!ids.has(a.id)) wanted.push(a);
  const limit = full ? wanted.length : ctx.client.batchLimit;
  const reading = wanted.slice(0, limit);
  if (reading.length) await readOffsets(ctx, reading, known);
  const complete = pass && reading.length === wanted.length && reading.every((a) => !known.get(a.id)?.unsettled);

  // What to write: changed activities, and on a pass every stored one, whose offsets differ from the store's.
  const writes = new Map<number, CrmActivity>();
  const stored = new Map(live.map((a) => [a.id, a]));
  for (const a of changed) {
    const next = withKnownOffsets(a, known);
    const before = stored.get(a.id) ?? (await storedActivity(db, a.id));
    if (before && !sameOffsets(before, next)) writes.set(a.id, next);
  }
  for (const a of live) {
    const next = withKnownOffsets(a, known);
    if (!writes.has(a.id) && !sameOffsets(a, next)) writes.set(a.id, next);
  }
  if (writes.size) await applyChangeSet(db, { ...emptyChangeSet(), upsertActivities: [...writes.values()] }, null);

  // Remembered: the open activities only, at their current LAST_UPDATED.
  let pruned = false;
  for (const id of change?.removeActivityIds ?? []) pruned = known.delete(id) || pruned;
  if (pass) {
    for (const [id, k] of known) {
      if (stored.get(id)?.lastUpdated !== k.lastUpdated) pruned = known.delete(id) || pruned;
    }
  }
  if (reading.length || pruned || complete || (pass && memory.passFor !== null)) {
    await putMeta(db, 'reminders', memoryOf(known, complete ? fullSyncAt : null, complete ? now : memory.passAt));
  }

  if (full || !change) return change;
  const upserts = new Map(change.upsertActivities.map((a) => [a.id, a]));
  for (const [id, a] of writes) upserts.set(id, a);
  return { ...change, upsertActivities: [...upserts.values()] };
}

async function storedActivity(db: Db, id: number): Promise<CrmActivity | undefined> {
  const row = await db.get('activities', id);
  if (!row) return undefined;
  const { itemKeys: _keys, ...a } = row;
  return a;
}

/**
 * Under rule day: nothing is read, and activities re-listed meanwhile lose
 * their offsets; the memory is kept (LAST_UPDATED tells what still holds) and
 * a pass is made due for when rule light time comes back.
 */
export async function forgetReminderPass(db: Db): Promise<void> {
  const memory = await getMeta(db, 'reminders');
  if (memory && memory.passFor !== null) await putMeta(db, 'reminders', { ...memory, passFor: null });
}
