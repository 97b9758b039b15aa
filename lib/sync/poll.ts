// The incremental poll. One batch holds `>LAST_UPDATED` for activities
// (completions included), `>DATE_MODIFY` for every counted item type, and
// binding look-ups by reference to the first changed activities: an idle poll
// is one request, and so is a poll with a few changed activities. That batch
// halts at its first failing command, and only the references can fail (the
// first one past the changed rows): an idle poll's answer stays under 2 KB
// instead of carrying an error per look-up. Such a reference resolves to the
// changed rows' list (Bitrix24 stops a reference at the deepest level that
// exists), and crm.activity.binding.list, a controller action taking
// `int $activityId`, refuses an array in the main module's parameter binder
// (Engine\AutoWire\Binder with TypeDeclarationChecker; error 100, reproduced
// by demo/binder.ts). Only the answer's size leans on that: each look-up is
// read for a row that exists and no other, so a portal that answered them all
// would cost bytes, not correctness. Follow-up
// rounds (a second request) fetch what the first one revealed: more pages,
// bindings beyond the referenced ones, open activities of items that
// appeared, reopened or changed hands, contacts and companies newly bound.
// Everything lands in one change set, applied in one transaction with the
// advanced cursors: a killed worker polls again from the old cursors.
import { type BatchCommand, fatalError, listRows, PAGE_SIZE, ref } from '../bitrix/batch';
import { ACTIVITY_SELECT, narrowBindings, portalDateTime } from '../bitrix/wire';
import type { CrmActivity, CrmItem, ItemRef } from '../domain';
import { itemKey } from '../domain';
import type { StoredActivity } from '../store/db';
import { applyChangeSet, type ChangeSet, emptyChangeSet, type SyncState } from '../store/sync-store';
import { batch, CURSOR_OVERLAP_MS, isClientType, portalClock, type SyncContext } from './context';
import { changedItemsCommand, isStoredOpen, itemsByIdCommand, narrowActivities, narrowItems } from './sources';

/**
 * The binding sweep: per-item look-ups (the full sync's way at scale) cannot
 * see a secondary binding to an item nobody asked about, so the spare slots
 * of a poll's follow-up request re-read the bindings of a few stored
 * activities, in ID order, wrapping around. It costs no request of its own;
 * it stays out of the first request, whose answer an idle poll keeps small.
 */
export const SWEPT_PER_FOLLOW_UP = 40;

export interface PollResult {
  change: ChangeSet;
  requests: number;
}

const sameRef = (a: ItemRef, b: ItemRef) => a.entityTypeId === b.entityTypeId && a.entityId === b.entityId;

function withOwner(a: CrmActivity, refs: ItemRef[]): ItemRef[] {
  const owner = { entityTypeId: a.ownerTypeId, entityId: a.ownerId };
  const out = refs.some((r) => sameRef(r, owner)) ? [] : [owner];
  for (const r of refs) if (!out.some((o) => sameRef(o, r))) out.push(r);
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stripKeys(a: StoredActivity | undefined): CrmActivity | undefined {
  if (!a) return undefined;
  const { itemKeys: _keys, ...rest } = a;
  return rest;
}

export async function runPoll(ctx: SyncContext, state: SyncState): Promise<PollResult> {
  const offset = state.portalOffsetMinutes ?? 0;
  const semantics = new Map(state.stageSemantics);
  const counted = new Set(state.countedTypes);
  const since = (cursor: number | null) => portalDateTime(cursor ?? 0, offset);
  const activitySince = since(state.activityCursor);
  const itemSince = since(state.itemCursor);

  // Work lists, filled by the first request and by each follow-up round.
  let activityAfter: number | null = 0;
  const itemAfter = new Map<number, number | null>([...counted].map((t) => [t, 0]));
  const bindingQueue = new Set<number>();
  const itemLookups = new Map<string, { ref: ItemRef; after: number }>();
  const clientQueue = new Map<string, ItemRef>();
  const clientsAsked = new Set<string>();
  /** Changed items already considered for a look-up of their open activities. */
  const planned = new Set<string>();

  const changedActivities = new Map<number, CrmActivity>();
  const bindingsOf = new Map<number, ItemRef[]>();
  const removedActivities = new Set<number>();
  const changedItems = new Map<string, CrmItem>();
  /** Extra bindings learned from per-item look-ups, for activities not changed themselves. */
  const extraBindings = new Map<number, ItemRef[]>();

  let portalAt: number | null = null;
  /** Portal time of the last successful poll (or full sync start): what the copy has seen up to. */
  const previousPollAt = state.activityCursor === null ? null : state.activityCursor + CURSOR_OVERLAP_MS;
  let sweepAfter = state.sweepAfter;
  let requests = 0;
  let round = 0;

  // 49 with the browser's session: its batches carry one more command, the identity check.
  const limit = ctx.client.batchLimit;
  while (true) {
    const commands = new Map<string, BatchCommand>();
    if (activityAfter !== null) {
      // The first page newest first: the referenced binding look-ups go to the latest changes, not to
      // rows the cursor's overlap brings again. More than a page: the window again, by ID, page by page.
      commands.set('acts', {
        method: 'crm.activity.list',
        params:
          round === 0
            ? { filter: { '>LAST_UPDATED': activitySince }, order: { LAST_UPDATED: 'DESC', ID: 'DESC' }, select: ACTIVITY_SELECT, start: -1 }
            : { filter: { '>LAST_UPDATED': activitySince, '>ID': activityAfter }, order: { ID: 'ASC' }, select: ACTIVITY_SELECT, start: -1 },
      });
    }
    for (const [t, after] of itemAfter) {
      if (after === null) continue;
      commands.set(`i${t}`, changedItemsCommand(t, itemSince, after));
    }
    const refKeys: number[] = [];
    for (const [key, lookup] of itemLookups) {
      if (commands.size >= limit) break;
      commands.set(`l${key}`, {
        method: 'crm.activity.list',
        params: {
          filter: { BINDINGS: [{ OWNER_TYPE_ID: lookup.ref.entityTypeId, OWNER_ID: lookup.ref.entityId }], COMPLETED: 'N', '>ID': lookup.after },
          order: { ID: 'ASC' },
          select: ACTIVITY_SELECT,
          start: -1,
        },
      });
    }
    for (const id of bindingQueue) {
      if (commands.size >= limit) break;
      commands.set(`b${id}`, { method: 'crm.activity.binding.list', params: { activityId: id } });
    }
    const clientBatches = new Map<string, ItemRef[]>();
    for (const t of new Set([...clientQueue.values()].map((r) => r.entityTypeId))) {
      const refs = [...clientQueue.values()].filter((r) => r.entityTypeId === t);
      for (let i = 0; i < refs.length && commands.size < limit; i += PAGE_SIZE) {
        const slice = refs.slice(i, i + PAGE_SIZE);
        clientBatches.set(`c${t}_${i}`, slice);
        commands.set(`c${t}_${i}`, itemsByIdCommand(t, slice.map((r) => r.entityId)));
      }
    }
    // Binding look-ups by reference to the first changed activities, last in the first request:
    // the first one past the changed rows gets their list for its int parameter, fails in the
    // portal's parameter binder and halts the batch there; the changed rows' ones came before it.
    if (activityAfter !== null) {
      for (let i = 0; commands.size < limit && i < PAGE_SIZE; i++) {
        refKeys.push(i);
        commands.set(`r${i}`, { method: 'crm.activity.binding.list', params: { activityId: ref('acts', i, 'ID') } });
      }
    }
    // Slots left in the first follow-up request, after everything else, verify stored activities' bindings.
    const swept: number[] = [];
    if (round === 1 && commands.size > 0) {
      const slots = Math.min(SWEPT_PER_FOLLOW_UP, limit - commands.size);
      if (slots > 0) {
        const range = IDBKeyRange.lowerBound(state.sweepAfter, true);
        swept.push(...(await ctx.db.getAllKeys('activities', range, slots)));
        for (const id of swept) commands.set(`s${id}`, { method: 'crm.activity.binding.list', params: { activityId: id } });
        sweepAfter = swept.length === slots ? swept[swept.length - 1] : 0;
      }
    }
    if (commands.size === 0) break;

    const answer = await batch(ctx, commands, { halt: round === 0 });
    requests++;
    round++;
    if (portalAt === null) portalAt = portalClock(answer).at;
    // Look-ups of single records may fail on their own (a deleted activity, a dangling reference).
    const error = fatalError(answer, (key) => /^[rbls]/.test(key));
    if (error) throw error;

    // Activities changed since the cursor.
    if (commands.has('acts')) {
      const result = answer.results.get('acts');
      const rows = narrowActivities(result, offset, ctx.log);
      const raw = listRows(result);
      for (const a of rows) {
        if (a.completed) {
          removedActivities.add(a.id);
          changedActivities.delete(a.id);
          continue;
        }
        // Seen before (the cursor's overlap, or the newest-first page): nothing changed, its bindings are known.
        if (changedActivities.get(a.id)?.lastUpdated === a.lastUpdated && bindingsOf.has(a.id)) continue;
        // LAST_UPDATED has whole seconds: only a second that ended before the previous poll began is settled.
        const stored = await ctx.db.get('activities', a.id);
        const settled = previousPollAt !== null && a.lastUpdated + 1000 <= previousPollAt;
        if (settled && stored && stored.lastUpdated === a.lastUpdated && !changedActivities.has(a.id)) continue;
        removedActivities.delete(a.id);
        changedActivities.set(a.id, a);
        const rawIndex = raw.findIndex((r) => Number((r as Record<string, unknown>)?.ID) === a.id);
        const refKey = `r${rawIndex}`;
        const found = rawIndex >= 0 && rawIndex < refKeys.length ? answer.results.get(refKey) : undefined;
        const narrowed = found === undefined ? null : narrowBindings(found);
        if (narrowed?.ok) bindingsOf.set(a.id, withOwner(a, narrowed.value));
        else if (found === undefined && answer.errors.get(refKey)?.action === 'skip') removeGone(a.id);
        else bindingQueue.add(a.id);
      }
      if (raw.length < PAGE_SIZE) activityAfter = null;
      else activityAfter = round === 1 ? 0 : (rows.at(-1)?.id ?? null);
    }
    for (const [t] of itemAfter) {
      const key = `i${t}`;
      if (!commands.has(key)) continue;
      const raw = listRows(answer.results.get(key));
      for (const item of narrowItems(t, answer.results.get(key), semantics, offset, ctx.log)) {
        changedItems.set(itemKey({ entityTypeId: t, entityId: item.id }), item);
      }
      const last = raw.length ? Number((raw.at(-1) as Record<string, unknown>)?.[t <= 4 ? 'ID' : 'id']) : null;
      itemAfter.set(t, raw.length === PAGE_SIZE && last ? last : null);
    }
    for (const id of [...bindingQueue]) {
      const key = `b${id}`;
      if (!commands.has(key)) continue;
      bindingQueue.delete(id);
      const e = answer.errors.get(key);
      if (e) {
        if (e.action === 'skip') removeGone(id);
        else throw e;
        continue;
      }
      const narrowed = narrowBindings(answer.results.get(key));
      const a = changedActivities.get(id);
      if (narrowed.ok && a) bindingsOf.set(id, withOwner(a, narrowed.value));
      else if (!narrowed.ok) ctx.log(`rejected bindings of activity ${id}: ${narrowed.reason}`);
    }
    for (const [key, lookup] of [...itemLookups]) {
      if (!commands.has(`l${key}`)) continue;
      itemLookups.delete(key);
      const e = answer.errors.get(`l${key}`);
      if (e) {
        if (e.action === 'skip') continue;
        throw e;
      }
      const result = answer.results.get(`l${key}`);
      const rows = narrowActivities(result, offset, ctx.log);
      for (const a of rows) {
        const list = extraBindings.get(a.id) ?? [];
        list.push(lookup.ref);
        extraBindings.set(a.id, list);
        if (!changedActivities.has(a.id) && !(await ctx.db.get('activities', a.id))) {
          // An open activity we did not hold: its row is here, its other bindings are not.
          changedActivities.set(a.id, a);
          bindingQueue.add(a.id);
        }
      }
      if (listRows(result).length === PAGE_SIZE) itemLookups.set(key, { ref: lookup.ref, after: rows.at(-1)?.id ?? 0 });
    }
    for (const id of swept) {
      const e = answer.errors.get(`s${id}`);
      if (e) {
        if (e.action === 'skip') removeGone(id);
        else throw e;
        continue;
      }
      const narrowed = narrowBindings(answer.results.get(`s${id}`));
      if (!narrowed.ok || changedActivities.has(id) || removedActivities.has(id)) continue;
      const stored = stripKeys(await ctx.db.get('activities', id));
      if (!stored) continue;
      const refs = withOwner(stored, narrowed.value);
      if (!sameJson([...refs.map(itemKey)].sort(), [...stored.bindings.map(itemKey)].sort())) {
        changedActivities.set(id, stored);
        bindingsOf.set(id, refs);
      }
    }
    for (const [key, refs] of clientBatches) {
      for (const r of refs) clientQueue.delete(itemKey(r));
      const t = refs[0].entityTypeId;
      for (const item of narrowItems(t, answer.results.get(key), semantics, offset, ctx.log)) {
        changedItems.set(itemKey({ entityTypeId: t, entityId: item.id }), item);
      }
    }

    await planFollowUps();
    await queueClients();
    const more =
      activityAfter !== null ||
      [...itemAfter].some(([, a]) => a !== null) ||
      bindingQueue.size > 0 ||
      itemLookups.size > 0 ||
      clientQueue.size > 0;
    if (!more) break;
    ctx.log(
      `poll follow-up: pages ${activityAfter !== null ? 'activities ' : ''}${[...itemAfter].filter(([, a]) => a !== null).map(([t]) => t).join(',')}; bindings ${bindingQueue.size}; items ${itemLookups.size}; clients ${clientQueue.size}`,
    );
    if (round > 200) throw new Error('poll: too many follow-up rounds');
  }

  function removeGone(id: number): void {
    changedActivities.delete(id);
    removedActivities.add(id);
  }

  /** Items that appeared, reopened or changed hands: their open activities and bindings. */
  async function planFollowUps(): Promise<void> {
    for (const [key, item] of changedItems) {
      if (planned.has(key)) continue;
      planned.add(key);
      const ref = { entityTypeId: item.entityTypeId, entityId: item.id };
      const stored = await ctx.db.get('items', [ref.entityTypeId, ref.entityId]);
      if (isClientType(item.entityTypeId) && !stored) continue;
      if (!isStoredOpen(item)) continue;
      if (!stored || stored.responsibleId !== item.responsibleId) itemLookups.set(key, { ref, after: 0 });
    }
  }

  /** Contacts and companies newly bound to open activities. */
  async function queueClients(): Promise<void> {
    for (const [id, a] of changedActivities) {
      for (const b of bindingsOf.get(id) ?? a.bindings) {
        if (!isClientType(b.entityTypeId) || !counted.has(b.entityTypeId)) continue;
        const key = itemKey(b);
        if (changedItems.has(key) || clientQueue.has(key) || clientsAsked.has(key)) continue;
        if (!(await ctx.db.get('items', [b.entityTypeId, b.entityId]))) {
          clientQueue.set(key, b);
          // Asked once: one the portal does not return (deleted, hidden) is not asked again.
          clientsAsked.add(key);
        }
      }
    }
  }

  const change = await buildChangeSet(ctx, {
    changedActivities,
    bindingsOf,
    extraBindings,
    removedActivities,
    changedItems,
    counted,
  });
  const cursor = portalAt === null ? null : portalAt - CURSOR_OVERLAP_MS;
  const next: SyncState = {
    ...state,
    activityCursor: cursor ?? state.activityCursor,
    itemCursor: cursor ?? state.itemCursor,
    lastSyncAt: ctx.now(),
    sweepAfter,
  };
  await applyChangeSet(ctx.db, change, next);
  return { change, requests };
}

interface Findings {
  changedActivities: Map<number, CrmActivity>;
  bindingsOf: Map<number, ItemRef[]>;
  extraBindings: Map<number, ItemRef[]>;
  removedActivities: Set<number>;
  changedItems: Map<string, CrmItem>;
  counted: Set<number>;
}

/**
 * Compares the findings with the store and keeps only real changes, so an
 * idle poll (or the overlap's repeats) writes and announces nothing.
 */
async function buildChangeSet(ctx: SyncContext, f: Findings): Promise<ChangeSet> {
  const change = emptyChangeSet();
  const tx = ctx.db.transaction(['items', 'activities'], 'readonly');
  const items = tx.objectStore('items');
  const activities = tx.objectStore('activities');

  const touchedRefs = new Map<string, ItemRef>();
  for (const id of f.removedActivities) {
    const stored = await activities.get(id);
    if (!stored) continue;
    change.removeActivityIds.push(id);
    for (const b of stored.bindings) touchedRefs.set(itemKey(b), b);
  }
  const upserted = new Map<number, CrmActivity>();
  for (const [id, a] of f.changedActivities) {
    const stored = stripKeys(await activities.get(id));
    const bindings = f.bindingsOf.get(id) ?? stored?.bindings ?? a.bindings;
    // Reminder offsets (reminders.ts) hold while LAST_UPDATED does: a re-listed row, which lacks them, keeps the stored ones.
    const carried = stored?.pingOffsets && a.pingOffsets === undefined && stored.lastUpdated === a.lastUpdated ? { pingOffsets: stored.pingOffsets } : {};
    const next: CrmActivity = { ...a, bindings: mergeRefs(bindings, f.extraBindings.get(id)), ...carried };
    upserted.set(id, next);
    if (stored) for (const b of stored.bindings) touchedRefs.set(itemKey(b), b);
    if (!stored || !sameJson(stored, next)) change.upsertActivities.push(next);
  }
  for (const [id, refs] of f.extraBindings) {
    if (upserted.has(id)) continue;
    const stored = stripKeys(await activities.get(id));
    if (!stored) continue;
    const merged = mergeRefs(stored.bindings, refs);
    if (merged.length !== stored.bindings.length) change.upsertActivities.push({ ...stored, bindings: merged });
  }
  for (const [key, item] of f.changedItems) {
    const stored = await items.get([item.entityTypeId, item.id]);
    if (!f.counted.has(item.entityTypeId)) continue;
    if (!isStoredOpen(item)) {
      if (stored) change.removeItems.push({ entityTypeId: item.entityTypeId, entityId: item.id });
      continue;
    }
    if (isClientType(item.entityTypeId) && !stored && !boundByChange(key, upserted)) continue;
    if (!stored || !sameJson(stored, item)) change.upsertItems.push(item);
  }
  // Contacts and companies no open activity is bound to any more leave the copy.
  const removedIds = new Set(change.removeActivityIds);
  for (const [key, refItem] of touchedRefs) {
    if (!isClientType(refItem.entityTypeId)) continue;
    if (boundByChange(key, upserted)) continue;
    const holders = await activities.index('byItem').getAllKeys(key);
    if (holders.some((id) => !removedIds.has(id) && !upserted.has(id))) continue;
    if (await items.get([refItem.entityTypeId, refItem.entityId])) change.removeItems.push(refItem);
    change.upsertItems = change.upsertItems.filter((i) => itemKey({ entityTypeId: i.entityTypeId, entityId: i.id }) !== key);
  }
  await tx.done;
  return change;
}

function boundByChange(key: string, upserted: Map<number, CrmActivity>): boolean {
  for (const a of upserted.values()) if (a.bindings.some((b) => itemKey(b) === key)) return true;
  return false;
}

function mergeRefs(base: ItemRef[], extra: ItemRef[] | undefined): ItemRef[] {
  if (!extra) return base;
  const out = [...base];
  for (const r of extra) if (!out.some((o) => sameRef(o, r))) out.push(r);
  return out;
}
