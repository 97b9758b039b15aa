// The full sync (the first one, and every reconciliation): people, open items,
// open activities, secondary bindings, the contacts and companies bound to
// them. Rows go to the staging stores with the progress record in the same
// transaction, so a killed worker resumes at the last staged page; the live
// stores change in one transaction at the end.
import { type BatchCommand, fatalError, listRows, PAGE_SIZE } from '../bitrix/batch';
import { clientRefsOf, narrowBindings, narrowCountedSmartTypes, narrowDealCategories, narrowDepartment, narrowPerson, narrowRows, narrowStageSemantics } from '../bitrix/wire';
import { CLASSIC_ENTITY_TYPES } from '../counters';
import { type CrmActivity, type CrmItem, EntityType, type ItemRef, itemKey, type StageSemantic } from '../domain';
import type { StoredActivity } from '../store/db';
import {
  clearStaging,
  commitStaging,
  type FullSyncProgress,
  getMeta,
  loadSyncState,
  putMeta,
  replacePeople,
  type SyncState,
  stageBindings,
  stageRows,
} from '../store/sync-store';
import { batch, CURSOR_OVERLAP_MS, isClientType, portalClock, type SyncContext } from './context';
import { allocatePages, pagesNeeded } from './chains';
import { activitySource, itemSource, itemsByIdCommand, narrowActivities, narrowItems, type ScanSource } from './sources';

/** What a full sync needs to remember beyond the generic progress record. */
interface FullSyncPlan extends FullSyncProgress {
  countedTypes: number[];
  smartTypes: number[];
  stageSemantics: [string, StageSemantic][];
  offsetMinutes: number;
  /** Contacts and companies named by scanned deals and smart-process items: binding look-up candidates. */
  clientCandidates: string[];
  /** Rows each scan chain still has to read, from a count; absent or null: not counted yet (see chains.ts). */
  left?: Record<string, number | null>;
}

const USER_PAGES_PER_BATCH = 10;

export async function runFullSync(ctx: SyncContext, kind: 'first' | 'reconcile', countedSetting: number[] | null): Promise<void> {
  let plan = (await getMeta(ctx.db, 'fullSync')) as FullSyncPlan | null;
  if (!plan || !('countedTypes' in plan)) {
    await clearStaging(ctx.db);
    plan = await setup(ctx, kind, countedSetting);
  } else {
    ctx.log(`resuming ${plan.kind} sync at stage ${plan.stage}`);
  }
  const semantics = new Map(plan.stageSemantics);
  if (plan.stage === 'scan') await scanAll(ctx, plan, semantics);
  // Every request after the scan is one of the last: the check against the portal's counters may ride in it.
  ctx.rider?.arm(plan.countedTypes);
  if (plan.stage === 'bindings') await lookUpBindings(ctx, plan);
  if (plan.stage === 'clients') await fetchClients(ctx, plan, semantics);
  if (plan.stage === 'commit') await commit(ctx, plan);
}

/** People, departments, smart-process types and stages in one request; stages the plan. */
async function setup(ctx: SyncContext, kind: 'first' | 'reconcile', countedSetting: number[] | null): Promise<FullSyncPlan> {
  ctx.progress({ done: 0, total: null, stage: 'people' });
  const commands = new Map<string, BatchCommand>([
    ['types', { method: 'crm.type.list' }],
    ['stages', { method: 'crm.status.list' }],
  ]);
  // Counts of the lists whose filters need no stage list ride along: the first scan request sizes their chains exactly.
  for (const [key, source] of [['activities', activitySource({ COMPLETED: 'N' })], ...[EntityType.deal, EntityType.lead].map((t) => [`items:${t}`, itemSource(t, new Map())] as const)] as const) {
    commands.set(`n:${key}`, countCommand(source));
  }
  const { people, departments, dealCategories, answer } = await fetchPeople(ctx, commands);
  const clock = portalClock(answer);
  const offsetMinutes = clock.offsetMinutes ?? (await loadSyncState(ctx.db)).portalOffsetMinutes ?? 0;
  const smartTypes = answer.errors.has('types') ? [] : narrowCountedSmartTypes(answer.results.get('types'));
  const stageSemantics = answer.errors.has('stages') ? new Map() : narrowStageSemantics(answer.results.get('stages'));
  await replacePeople(ctx.db, people, departments);
  if (dealCategories) await putMeta(ctx.db, 'dealCategories', dealCategories);
  const countedTypes = countedSetting ?? [...CLASSIC_ENTITY_TYPES, ...smartTypes];
  const chains: Record<string, number | 'done'> = {};
  for (const t of countedTypes) if (!isClientType(t)) chains[`items:${t}`] = 0;
  chains.activities = 0;
  const plan: FullSyncPlan = {
    kind,
    startedAt: ctx.now(),
    portalStartedAt: clock.at === null ? null : clock.at - CURSOR_OVERLAP_MS,
    stage: 'scan',
    chains,
    bindingsDone: 0,
    bindingMode: null,
    bindingQueue: [],
    done: 0,
    total: null,
    countedTypes,
    smartTypes,
    stageSemantics: [...stageSemantics],
    offsetMinutes,
    clientCandidates: [],
    left: Object.fromEntries(Object.keys(chains).map((key) => [key, answer.totals.get(`n:${key}`) ?? null])),
  };
  const state = await loadSyncState(ctx.db);
  await putMeta(ctx.db, 'sync', { ...state, portalOffsetMinutes: offsetMinutes, lastPeopleAt: ctx.now() });
  await stageRows(ctx.db, {}, plan);
  return plan;
}

/**
 * Active employees and departments; `extra` commands ride along in the first
 * request. Ten user.get pages are asked at once (empty ones cost nothing).
 */
export async function fetchPeople(ctx: SyncContext, extra: Map<string, BatchCommand> = new Map()) {
  const people: ReturnType<typeof narrowPerson>[] = [];
  const departments: unknown[] = [];
  let firstAnswer: Awaited<ReturnType<typeof batch>> | null = null;
  let start = 0;
  let userTotal = Number.POSITIVE_INFINITY;
  let departmentsDone = false;
  let deptStart = 0;
  while (start < userTotal || !departmentsDone) {
    const commands = new Map(firstAnswer ? [] : extra);
    // Deal pipelines' names ride along, for the popup's breakdown (old portals lack the method).
    if (!firstAnswer) commands.set('cats', { method: 'crm.category.list', params: { entityTypeId: 2 } });
    for (let i = 0; i < USER_PAGES_PER_BATCH && start + i * PAGE_SIZE < userTotal; i++) {
      commands.set(`u${i}`, { method: 'user.get', params: { filter: { ACTIVE: true }, start: start + i * PAGE_SIZE } });
    }
    if (!departmentsDone) commands.set('d', { method: 'department.get', params: { start: deptStart } });
    const answer = await batch(ctx, commands);
    firstAnswer ??= answer;
    const error = fatalError(answer, (key) => key === 'd' || key === 'types' || key === 'stages' || key === 'cats' || key.startsWith('n:'));
    if (error) throw error;
    for (let i = 0; commands.has(`u${i}`); i++) {
      for (const row of listRows(answer.results.get(`u${i}`))) people.push(narrowPerson(row));
      const total = answer.totals.get(`u${i}`);
      if (total !== undefined) userTotal = total;
    }
    if (userTotal === Number.POSITIVE_INFINITY) userTotal = 0;
    start += USER_PAGES_PER_BATCH * PAGE_SIZE;
    if (!departmentsDone) {
      const rows = listRows(answer.results.get('d'));
      departments.push(...rows);
      const total = answer.totals.get('d') ?? 0;
      deptStart += PAGE_SIZE;
      departmentsDone = answer.errors.has('d') || rows.length < PAGE_SIZE || deptStart >= total;
    }
  }
  const ok = people.flatMap((p) => (p.ok ? [p.value] : []));
  for (const p of people) if (!p.ok) ctx.log(`rejected row: ${p.reason}`);
  const unique = [...new Map(ok.map((p) => [p.id, p])).values()];
  const deps = narrowRows(departments, narrowDepartment, ctx.log);
  const dealCategories = firstAnswer!.errors.has('cats') ? null : narrowDealCategories(firstAnswer!.results.get('cats'));
  return { people: unique, departments: deps, dealCategories, answer: firstAnswer! };
}

/**
 * Every scan chain, up to 50 chained pages (2,500 rows) per request, shared
 * by the chains still running and sized to what each can still return
 * (chains.ts): a counted chain gets the pages its remaining rows fill, so
 * small lists finish in the same request as the big ones and no page is
 * chained after the short one that ends a chain (its reference would resolve
 * to that page's row list, which a legacy list reads as `'>ID': 1`: the first
 * page of everything, junk). A chain not counted yet gets one page that asks
 * for its count. Should a count be off, a short page still ends its chain and
 * the pages after it are ignored; rows added meanwhile come with the next poll.
 */
async function scanAll(ctx: SyncContext, plan: FullSyncPlan, semantics: Map<string, StageSemantic>): Promise<void> {
  const sources = new Map<string, ScanSource>(
    Object.keys(plan.chains).map((key) => [
      key,
      key === 'activities' ? activitySource({ COMPLETED: 'N' }) : itemSource(Number(key.split(':')[1]), semantics),
    ]),
  );
  const left = { ...(plan.left ?? {}) };
  for (;;) {
    const running = [...sources.values()].filter((source) => plan.chains[source.key] !== 'done');
    if (!running.length) break;
    ctx.progress({ done: plan.done, total: null, stage: running.some((r) => r.key !== 'activities') ? 'items' : 'activities' });
    const commands = new Map<string, BatchCommand>();
    const needs = running.map((source) => pagesNeeded(left[source.key] ?? null));
    // The scan's last request, when every chain is counted and all fit beside the check's commands: it may carry the check.
    if (running.every((source) => (left[source.key] ?? null) !== null) && needs.reduce((sum, n) => sum + n, 0) <= ctx.client.batchLimit - (ctx.rider?.size ?? 0)) {
      ctx.rider?.arm(plan.countedTypes);
    }
    const pages = allocatePages(needs, ctx.client.batchLimit);
    running.forEach((source, c) => {
      const cursor = plan.chains[source.key] as number;
      const counting = (left[source.key] ?? null) === null;
      for (let p = 0; p < pages[c]; p++) {
        const page = source.page(p === 0 ? cursor : source.lastIdRef(`c${c}p${p - 1}`));
        commands.set(`c${c}p${p}`, counting ? countCommand(source, page) : page);
      }
    });
    const answer = commands.size ? await batch(ctx, commands) : null;
    const items: CrmItem[] = [];
    const activities: CrmActivity[] = [];
    const clients = new Set(plan.clientCandidates);
    running.forEach((source, c) => {
      let last = plan.chains[source.key] as number;
      // Counted to the end (or nothing left): the chain is done without a page.
      let done = pages[c] === 0;
      for (let p = 0; p < pages[c] && answer; p++) {
        const key = `c${c}p${p}`;
        const error = answer.errors.get(key);
        if (error) throw error;
        const result = answer.results.get(key);
        const rows = listRows(result);
        if (source.key === 'activities') activities.push(...narrowActivities(result, plan.offsetMinutes, ctx.log));
        else {
          items.push(...narrowItems(Number(source.key.split(':')[1]), result, semantics, plan.offsetMinutes, ctx.log));
          for (const row of rows) for (const client of clientRefsOf(row)) clients.add(itemKey(client));
        }
        const total = answer.totals.get(key);
        const before = total ?? left[source.key] ?? null;
        left[source.key] = before === null ? null : before - rows.length;
        const lastRow = rows.length ? source.rowId(rows[rows.length - 1]) : null;
        if (lastRow !== null) last = lastRow;
        if (rows.length < PAGE_SIZE || (left[source.key] ?? 1) <= 0) {
          done = true;
          break;
        }
      }
      plan.chains[source.key] = done ? 'done' : last;
    });
    plan.left = left;
    plan.clientCandidates = [...clients];
    plan.done += items.length + activities.length;
    await stageRows(ctx.db, { items, activities }, plan);
  }
  await planBindings(ctx, plan);
}

/**
 * A scan page asked with `start: 0`: it also answers, as `total`, how many
 * rows there are from its cursor on. Without a page: the first one's count
 * alone (IDs only, the rows are read later).
 */
function countCommand(source: ScanSource, page?: BatchCommand): BatchCommand {
  const base = page ?? source.page(0);
  // Counted alone only legacy lists (activities, deals, leads): their ID field is `ID`.
  const select = page ? base.params?.select : ['ID'];
  return { ...base, params: { ...base.params, select, start: 0 } };
}

/**
 * Chooses how to find secondary bindings. Per item (crm.activity.list
 * filtered by BINDINGS, one command per item) sees bindings to the items
 * asked about: every open scanned item, every contact or company owning an
 * open activity, and the contacts and companies that deals and smart-process
 * items owning open activities name, open or closed (where the portal puts
 * secondary bindings). A binding to any other item is found later by the
 * poll's binding sweep (see poll.ts). When asking every activity
 * (crm.activity.binding.list, exact) costs no more, that is done instead.
 */
async function planBindings(ctx: SyncContext, plan: FullSyncPlan): Promise<void> {
  if (plan.kind === 'reconcile') return planReconcileBindings(ctx, plan);
  await collectOwnerClients(ctx, plan);
  const { activityIds, candidates } = await bindingCandidates(ctx, plan);
  if (activityIds.length <= candidates.size) {
    plan.bindingMode = 'perActivity';
    plan.bindingQueue = activityIds.map((id) => `a${id}`);
  } else {
    plan.bindingMode = 'perItem';
    plan.bindingQueue = [...candidates];
  }
  ctx.log(`bindings: ${plan.bindingMode}, ${plan.bindingQueue.length} look-ups (${activityIds.length} activities, ${candidates.size} items)`);
  plan.stage = 'bindings';
  plan.total = plan.bindingQueue.length;
  plan.bindingsDone = 0;
  await stageRows(ctx.db, {}, plan);
}

/**
 * A reconciliation re-reads no binding it already knows: adding or removing a
 * binding updates the activity's LAST_UPDATED (docs/bitrix24-rest.md,
 * `CCrmActivity::Update`), so an activity whose LAST_UPDATED equals the live
 * copy's, in a second that had ended when the last poll began, has the
 * bindings the copy holds (those the per-item look-ups found, and those the
 * poll's sweep learned since). Only activities new or changed since the copy
 * saw them, or changed within the last poll's second, are asked, per activity
 * (exact). What a
 * reconciliation must find, deletions and items that closed or left the
 * user's view, the scans find: the look-ups were most of its cost.
 */
async function planReconcileBindings(ctx: SyncContext, plan: FullSyncPlan): Promise<void> {
  const live = new Map((await ctx.db.getAll('activities')).map((a) => [a.id, a]));
  // LAST_UPDATED has whole seconds: a binding added in the second the copy last read the activity leaves it
  // as it was. As in poll.ts, only a second that ended before the last poll began is settled; an activity
  // changed later is asked again even when its LAST_UPDATED is the copy's.
  const { activityCursor } = await loadSyncState(ctx.db);
  const lastPollAt = activityCursor === null ? null : activityCursor + CURSOR_OVERLAP_MS;
  const settled = (lastUpdated: number) => lastPollAt !== null && lastUpdated + 1000 <= lastPollAt;
  const carried = new Map<number, ItemRef[]>();
  const recheck: string[] = [];
  for (const staged of await ctx.db.getAll('stagedActivities')) {
    const known = live.get(staged.id);
    if (known && known.lastUpdated === staged.lastUpdated && settled(known.lastUpdated)) carried.set(staged.id, known.bindings);
    else recheck.push(`a${staged.id}`);
  }
  ctx.log(`bindings: reconciliation, ${carried.size} carried over, ${recheck.length} asked`);
  plan.bindingMode = 'perActivity';
  plan.bindingQueue = recheck;
  plan.stage = 'bindings';
  plan.total = recheck.length;
  plan.bindingsDone = 0;
  await stageBindings(ctx.db, carried, plan);
}

/**
 * Open activities of closed deals and smart-process items are bound to those
 * items' contact and company too: fetch the closed owners by ID (2,500 per
 * request) to learn them, so the per-item look-ups can ask about them.
 */
async function collectOwnerClients(ctx: SyncContext, plan: FullSyncPlan): Promise<void> {
  const staged = new Set((await ctx.db.getAllKeys('stagedItems')).map(([t, id]) => `${t}:${id}`));
  const wanted = new Map<number, Set<number>>();
  for (const a of await ctx.db.getAll('stagedActivities')) {
    const t = a.ownerTypeId;
    if (t !== EntityType.deal && t < 128) continue;
    if (staged.has(`${t}:${a.ownerId}`)) continue;
    if (!wanted.has(t)) wanted.set(t, new Set());
    wanted.get(t)!.add(a.ownerId);
  }
  const commands: [string, BatchCommand][] = [];
  for (const [t, idSet] of wanted) {
    const ids = [...idSet];
    for (let i = 0; i < ids.length; i += PAGE_SIZE) {
      const slice = ids.slice(i, i + PAGE_SIZE);
      commands.push([
        `o${t}_${i}`,
        t === EntityType.deal
          ? { method: 'crm.deal.list', params: { filter: { '@ID': slice }, select: ['ID', 'CONTACT_ID', 'COMPANY_ID'], start: -1 } }
          : { method: 'crm.item.list', params: { entityTypeId: t, filter: { '@id': slice }, select: ['id', 'contactId', 'companyId'], start: -1 } },
      ]);
    }
  }
  const clients = new Set(plan.clientCandidates);
  for (let i = 0; i < commands.length; i += ctx.client.batchLimit) {
    ctx.progress({ done: plan.done, total: null, stage: 'items' });
    const slice = commands.slice(i, i + ctx.client.batchLimit);
    const answer = await batch(ctx, new Map(slice));
    // A smart process the webhook cannot read: its activities rely on the binding sweep. Transient errors retry the step.
    const error = fatalError(answer, () => true);
    if (error) throw error;
    for (const [key] of slice) {
      if (answer.errors.has(key)) continue;
      for (const row of listRows(answer.results.get(key))) for (const c of clientRefsOf(row)) clients.add(itemKey(c));
    }
  }
  plan.clientCandidates = [...clients];
}

/** Staged activity ids, and the items per-item look-ups ask about. */
async function bindingCandidates(ctx: SyncContext, plan: FullSyncPlan): Promise<{ activityIds: number[]; candidates: Set<string> }> {
  const tx = ctx.db.transaction(['stagedActivities', 'stagedItems'], 'readonly');
  const [activityIds, itemKeys] = await Promise.all([tx.objectStore('stagedActivities').getAllKeys(), tx.objectStore('stagedItems').getAllKeys()]);
  const counted = new Set(plan.countedTypes);
  const candidates = new Set<string>();
  for (const [t, id] of itemKeys) candidates.add(`${t}:${id}`);
  for (const key of plan.clientCandidates) if (counted.has(Number(key.split(':')[0]))) candidates.add(key);
  await tx.objectStore('stagedActivities').openCursor().then(async function walk(cursor): Promise<void> {
    if (!cursor) return;
    const a = cursor.value;
    const owner = { entityTypeId: a.ownerTypeId, entityId: a.ownerId };
    if (isClientType(owner.entityTypeId) && counted.has(owner.entityTypeId)) candidates.add(itemKey(owner));
    return walk(await cursor.continue());
  });
  await tx.done;
  return { activityIds, candidates };
}

/** Runs the queued binding look-ups, 50 per request, each request's findings staged with the shrunk queue. */
async function lookUpBindings(ctx: SyncContext, plan: FullSyncPlan): Promise<void> {
  while (plan.bindingQueue.length) {
    ctx.progress({ done: plan.bindingsDone, total: plan.total, stage: 'bindings' });
    const slice = plan.bindingQueue.slice(0, ctx.client.batchLimit);
    const commands = new Map<string, BatchCommand>();
    for (const [i, entry] of slice.entries()) commands.set(`b${i}`, bindingLookup(entry));
    const answer = await batch(ctx, commands);
    const found = new Map<number, ItemRef[]>();
    const more: string[] = [];
    slice.forEach((entry, i) => {
      const key = `b${i}`;
      const error = answer.errors.get(key);
      if (error) {
        // A record deleted or hidden since the scan: reconciliation will see it go.
        if (error.action === 'skip') return;
        throw error;
      }
      const result = answer.results.get(key);
      if (entry.startsWith('a')) {
        const refs = narrowBindings(result);
        if (refs.ok) found.set(Number(entry.slice(1)), refs.value);
        else ctx.log(`rejected bindings of activity ${entry}: ${refs.reason}`);
        return;
      }
      const [itemPart] = entry.split('>');
      const [t, id] = itemPart.split(':').map(Number);
      const rows = listRows(result);
      for (const row of rows) {
        const activityId = Number((row as Record<string, unknown>)?.ID);
        if (!Number.isSafeInteger(activityId) || activityId <= 0) continue;
        const list = found.get(activityId) ?? [];
        list.push({ entityTypeId: t, entityId: id });
        found.set(activityId, list);
      }
      if (rows.length === PAGE_SIZE) more.push(`${itemPart}>${(rows[rows.length - 1] as Record<string, unknown>).ID}`);
    });
    plan.bindingQueue = [...more, ...plan.bindingQueue.slice(slice.length)];
    plan.bindingsDone += slice.length - more.length;
    if (!plan.bindingQueue.length) plan.stage = 'clients';
    await stageBindings(ctx.db, found, plan);
  }
  if (plan.stage === 'bindings') {
    plan.stage = 'clients';
    await stageRows(ctx.db, {}, plan);
  }
}

/** `a15`: the bindings of activity 15; `2:7` (or `2:7>120`, a later page): the open activities bound to deal 7. */
function bindingLookup(entry: string): BatchCommand {
  if (entry.startsWith('a')) return { method: 'crm.activity.binding.list', params: { activityId: Number(entry.slice(1)) } };
  const [itemPart, after] = entry.split('>');
  const [t, id] = itemPart.split(':').map(Number);
  return {
    method: 'crm.activity.list',
    params: {
      filter: { BINDINGS: [{ OWNER_TYPE_ID: t, OWNER_ID: id }], COMPLETED: 'N', '>ID': Number(after ?? 0) },
      order: { ID: 'ASC' },
      select: ['ID'],
      start: -1,
    },
  };
}

/** Contacts and companies bound to staged activities, by ID (50 per command, 2,500 per request). */
async function fetchClients(ctx: SyncContext, plan: FullSyncPlan, semantics: Map<string, StageSemantic>): Promise<void> {
  const staged = await ctx.db.getAll('stagedActivities');
  let wanted = missingClients(staged, new Set(plan.countedTypes), new Set((await ctx.db.getAllKeys('stagedItems')).map(([t, id]) => `${t}:${id}`)));
  if (plan.kind === 'reconcile') {
    // Contacts and companies the live copy holds are kept as they are: the polls' `>DATE_MODIFY` keeps them
    // current, and one that was deleted leaves no open activity bound to it. Only new ones are fetched.
    const kept: CrmItem[] = [];
    const fetch: ItemRef[] = [];
    for (const ref of wanted) {
      const item = await ctx.db.get('items', [ref.entityTypeId, ref.entityId]);
      if (item) kept.push(item);
      else fetch.push(ref);
    }
    if (kept.length) await stageRows(ctx.db, { items: kept }, plan);
    wanted = fetch;
  }
  await fetchItemsById(ctx, wanted, plan.offsetMinutes, semantics, async (items) => {
    plan.done += items.length;
    await stageRows(ctx.db, { items }, plan);
  });
  plan.stage = 'commit';
  await stageRows(ctx.db, {}, plan);
}

/** Refs of contacts and companies of counted types that `activities` are bound to and `known` lacks. */
export function missingClients(activities: Iterable<CrmActivity | StoredActivity>, counted: Set<number>, known: Set<string>): ItemRef[] {
  const out = new Map<string, ItemRef>();
  for (const a of activities) {
    for (const b of a.bindings) {
      const key = itemKey(b);
      if (isClientType(b.entityTypeId) && counted.has(b.entityTypeId) && !known.has(key)) out.set(key, b);
    }
  }
  return [...out.values()];
}

export async function fetchItemsById(
  ctx: SyncContext,
  refs: ItemRef[],
  offsetMinutes: number,
  semantics: Map<string, StageSemantic>,
  save: (items: CrmItem[]) => Promise<void>,
): Promise<void> {
  const commands: [string, BatchCommand, number][] = [];
  for (const t of new Set(refs.map((r) => r.entityTypeId))) {
    const ids = refs.filter((r) => r.entityTypeId === t).map((r) => r.entityId);
    for (let i = 0; i < ids.length; i += PAGE_SIZE) commands.push([`c${t}_${i}`, itemsByIdCommand(t, ids.slice(i, i + PAGE_SIZE)), t]);
  }
  for (let i = 0; i < commands.length; i += ctx.client.batchLimit) {
    ctx.progress({ done: i, total: commands.length, stage: 'clients' });
    const slice = commands.slice(i, i + ctx.client.batchLimit);
    const answer = await batch(ctx, new Map(slice.map(([k, c]) => [k, c])));
    const error = fatalError(answer);
    if (error) throw error;
    const items: CrmItem[] = [];
    for (const [key, , t] of slice) items.push(...narrowItems(t, answer.results.get(key), semantics, offsetMinutes, ctx.log));
    await save(items);
  }
}

async function commit(ctx: SyncContext, plan: FullSyncPlan): Promise<void> {
  ctx.progress({ done: plan.done, total: plan.done, stage: 'saving' });
  const state = await loadSyncState(ctx.db);
  const start = plan.portalStartedAt;
  const cursor = (current: number | null) =>
    plan.kind === 'first' || current === null ? start : start === null ? current : Math.min(current, start);
  const next: SyncState = {
    ...state,
    fullSyncAt: ctx.now(),
    activityCursor: cursor(state.activityCursor),
    itemCursor: cursor(state.itemCursor),
    portalOffsetMinutes: plan.offsetMinutes,
    smartTypes: plan.smartTypes,
    countedTypes: plan.countedTypes,
    stageSemantics: plan.stageSemantics,
    lastSyncAt: ctx.now(),
    lastReconcileAt: ctx.now(),
  };
  await commitStaging(ctx.db, next);
}
