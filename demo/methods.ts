// The REST methods of the demo portal. Each takes decoded parameters and
// returns what goes into `result` (plus total/next for lists) or throws a
// RestError carrying Bitrix24's error code.

import { formatDateTime, type PortalClock, parseDateTime } from './dates.ts';
import { activityFields, classicItemFields, companyFields, contactFields, dealFields, leadFields, smartItemFields } from './fields.ts';
import { intArg } from './binder.ts';
import { counterList } from './counter-list.ts';
import {
  compileFilter,
  compileOrder,
  type FieldSpecs,
  type ListAnswer,
  PAGE_SIZE,
  pageRows,
  RestError,
  readStart,
  renderRow,
  selectFields,
} from './legacy.ts';
import { responsibleOf, type RightsRow, rightsFor, visibleOnly } from './rights.ts';
import {
  bindActivity,
  type DemoActivity,
  type DemoStore,
  type DemoUser,
  insertActivity,
  type ItemRef,
  refKey,
  removeActivity,
  unbindActivity,
} from './store.ts';

export type Params = Record<string, unknown>;

export interface MethodContext {
  store: DemoStore;
  clock: PortalClock;
  userId: number;
  scopes: readonly string[];
}

export type Method = (params: Params, ctx: MethodContext) => ListAnswer;

export interface MethodInfo {
  scope: string | null;
  run: Method;
}

const notFound = () => new RestError(400, '', 'Not found');
// A record the caller's CRM role may not read or change (demo/rights.ts). Legacy
// methods answer with an empty code; the crm module's controllers (crm.item.*,
// crm.activity.binding.*, crm.activity.todo.*) with their ErrorCode::ACCESS_DENIED.
const accessDenied = () => new RestError(400, '', 'Access denied.');
const controllerAccessDenied = () => new RestError(400, 'ACCESS_DENIED', 'Access denied.');
const mayTouch = (row: RightsRow, ctx: MethodContext) => rightsFor(ctx.store, ctx.userId).row(row);

function param(params: Params, ...names: string[]): unknown {
  for (const n of names) {
    if (params[n] !== undefined) return params[n];
    const lower = Object.keys(params).find((k) => k.toLowerCase() === n.toLowerCase());
    if (lower) return params[lower];
  }
  return undefined;
}

function idParam(params: Params, ...names: string[]): number {
  const v = Number(param(params, ...(names.length ? names : ['id', 'ID'])));
  if (!Number.isInteger(v) || v <= 0) throw new RestError(400, '', 'ID is not defined or invalid.');
  return v;
}

function fieldsParam(params: Params): Record<string, unknown> {
  const f = param(params, 'fields', 'FIELDS');
  return f && typeof f === 'object' && !Array.isArray(f) ? (f as Record<string, unknown>) : {};
}

function yn(v: unknown): boolean {
  return v === true || v === 'Y' || v === 'y' || v === 1 || v === '1' || v === 'true';
}

function num(v: unknown, fallback: number): number {
  const n = Number(v);
  return v === undefined || v === null || v === '' || !Number.isFinite(n) ? fallback : n;
}

/** Caches field tables per store and clock. */
const specCache = new WeakMap<DemoStore, ReturnType<typeof buildSpecs>>();
function buildSpecs(store: DemoStore, clock: PortalClock) {
  return {
    activity: activityFields(clock.offsetMinutes),
    deal: dealFields(store),
    lead: leadFields(store),
    contact: contactFields(),
    company: companyFields(),
    item: smartItemFields(),
    classic: classicItemFields(store),
  };
}
export function specsFor(store: DemoStore, clock: PortalClock) {
  let s = specCache.get(store);
  if (!s) {
    s = buildSpecs(store, clock);
    specCache.set(store, s);
  }
  return s;
}

function legacyList<T>(rows: Iterable<T>, specs: FieldSpecs<T>, params: Params, ctx: MethodContext, idOf: (r: T) => number, filterOverride?: unknown): ListAnswer {
  const filter = visibleOnly(compileFilter(filterOverride ?? param(params, 'filter', 'FILTER'), specs, ctx.clock, false), ctx.store, ctx.userId);
  const order = compileOrder(param(params, 'order', 'ORDER'), specs, false);
  const fields = selectFields(param(params, 'select', 'SELECT'), specs, false);
  const { page, total, next } = pageRows(rows, { filter, order, start: readStart(param(params, 'start')), idField: 'ID', clock: ctx.clock, idOf });
  const result = page.map((r) => renderRow(r, fields, specs, ctx.clock, false));
  const answer: ListAnswer = { result };
  if (total !== undefined) answer.total = total;
  if (next !== undefined) answer.next = next;
  return answer;
}

function legacyGet<T extends RightsRow>(row: T | undefined, specs: FieldSpecs<T>, ctx: MethodContext): ListAnswer {
  if (!row) throw notFound();
  if (!mayTouch(row, ctx)) throw accessDenied();
  return { result: renderRow(row, selectFields(undefined, specs, false), specs, ctx.clock, false) };
}

function itemExists(store: DemoStore, ref: ItemRef): boolean {
  switch (ref.entityTypeId) {
    case 1:
      return store.leads.has(ref.entityId);
    case 2:
      return store.deals.has(ref.entityId);
    case 3:
      return store.contacts.has(ref.entityId);
    case 4:
      return store.companies.has(ref.entityId);
    default:
      return store.smartItems.get(ref.entityTypeId)?.has(ref.entityId) ?? false;
  }
}

/** The portal's clock as its database keeps it: whole seconds. */
function nowSecond(ctx: MethodContext): number {
  return Math.floor(ctx.clock.now() / 1000) * 1000;
}

function readDate(v: unknown, ctx: MethodContext): number | null {
  const ms = parseDateTime(v, ctx.clock.offsetMinutes);
  return ms === null ? null : Math.floor(ms / 1000) * 1000;
}

function activityBindingsFilter(value: unknown): ItemRef[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  const refs: ItemRef[] = [];
  for (const b of list) {
    if (!b || typeof b !== 'object') continue;
    const r = b as Record<string, unknown>;
    const t = Number(r.OWNER_TYPE_ID ?? r.ownerTypeId ?? r.ENTITY_TYPE_ID);
    const id = Number(r.OWNER_ID ?? r.ownerId ?? r.ENTITY_ID);
    if (t > 0 && id > 0) refs.push({ entityTypeId: t, entityId: id });
  }
  return refs;
}

function activityList(params: Params, ctx: MethodContext): ListAnswer {
  const specs = specsFor(ctx.store, ctx.clock).activity;
  const rawFilter = param(params, 'filter', 'FILTER');
  let rows: Iterable<DemoActivity> = ctx.store.activities.values();
  let filter = rawFilter;
  if (rawFilter && typeof rawFilter === 'object' && !Array.isArray(rawFilter) && 'BINDINGS' in rawFilter) {
    const { BINDINGS, ...rest } = rawFilter as Record<string, unknown>;
    filter = rest;
    const found = new Set<DemoActivity>();
    for (const ref of activityBindingsFilter(BINDINGS)) {
      for (const a of ctx.store.bindingIndex.get(refKey(ref.entityTypeId, ref.entityId)) ?? []) found.add(a);
    }
    rows = [...found].sort((a, b) => a.id - b.id);
  }
  return legacyList(rows, specs, params, ctx, (a) => a.id, filter ?? {});
}

const INCOMING_PROVIDERS = new Set(['VOXIMPLANT_CALL', 'CRM_EMAIL', 'IMOPENLINES_SESSION', 'CRM_WEBFORM', 'CRM_PAYMENT']);

function applyActivityFields(a: DemoActivity, f: Record<string, unknown>, ctx: MethodContext): void {
  if (f.SUBJECT !== undefined) a.subject = String(f.SUBJECT);
  if (f.DESCRIPTION !== undefined) a.description = String(f.DESCRIPTION);
  if (f.RESPONSIBLE_ID !== undefined) a.responsibleId = num(f.RESPONSIBLE_ID, a.responsibleId);
  if (f.PRIORITY !== undefined) a.priority = num(f.PRIORITY, a.priority);
  if (f.TYPE_ID !== undefined) a.typeId = num(f.TYPE_ID, a.typeId);
  if (f.DIRECTION !== undefined) a.direction = num(f.DIRECTION, a.direction);
  if (f.PROVIDER_ID !== undefined) a.providerId = String(f.PROVIDER_ID);
  if (f.PROVIDER_TYPE_ID !== undefined) a.providerTypeId = String(f.PROVIDER_TYPE_ID);
  if (f.NOTIFY_TYPE !== undefined) a.notifyType = num(f.NOTIFY_TYPE, 0);
  if (f.NOTIFY_VALUE !== undefined) a.notifyValue = num(f.NOTIFY_VALUE, 0);
  if (f.START_TIME !== undefined) a.startTime = readDate(f.START_TIME, ctx);
  if (f.END_TIME !== undefined) a.endTime = readDate(f.END_TIME, ctx);
  if (f.DEADLINE !== undefined) {
    const d = readDate(f.DEADLINE, ctx);
    a.deadline = d === null || new Date(d).getUTCFullYear() >= 9999 ? null : d;
  }
  if (f.SETTINGS && typeof f.SETTINGS === 'object') {
    const s: Record<string, unknown> = { ...(f.SETTINGS as Record<string, unknown>) };
    if (s.MISSED_CALL !== undefined) s.MISSED_CALL = yn(s.MISSED_CALL);
    a.settings = s;
  }
  if (f.IS_INCOMING_CHANNEL !== undefined) a.isIncomingChannel = yn(f.IS_INCOMING_CHANNEL);
  if (f.COMPLETED !== undefined) {
    a.completed = yn(f.COMPLETED);
    a.status = a.completed ? 2 : 1;
  }
  if (f.STATUS !== undefined) {
    a.status = num(f.STATUS, a.status);
    a.completed = a.status !== 1;
  }
}

function activityAdd(params: Params, ctx: MethodContext): ListAnswer {
  const f = fieldsParam(params);
  const owner: ItemRef = { entityTypeId: num(f.OWNER_TYPE_ID, 0), entityId: num(f.OWNER_ID, 0) };
  if (owner.entityTypeId <= 0 || owner.entityId <= 0) throw new RestError(400, '', 'OWNER_ID and OWNER_TYPE_ID are required.');
  if (!itemExists(ctx.store, owner)) throw notFound();
  if (!rightsFor(ctx.store, ctx.userId).item(owner)) throw accessDenied();
  const now = nowSecond(ctx);
  const a: DemoActivity = {
    id: ctx.store.nextId.activity++,
    ownerTypeId: owner.entityTypeId,
    ownerId: owner.entityId,
    bindings: [owner],
    typeId: 6,
    providerId: 'CRM_TODO',
    providerTypeId: 'TODO',
    direction: 0,
    completed: false,
    status: 1,
    subject: '',
    description: '',
    priority: 2,
    responsibleId: responsibleOf(ctx.store, owner) || ctx.userId,
    authorId: ctx.userId,
    created: now,
    startTime: now,
    endTime: null,
    deadline: null,
    notifyType: 0,
    notifyValue: 0,
    lastUpdated: now,
    settings: {},
    isIncomingChannel: false,
  };
  if (f.TYPE_ID !== undefined && f.PROVIDER_ID === undefined) {
    const t = num(f.TYPE_ID, 6);
    a.providerId = t === 1 ? 'CRM_MEETING' : t === 2 ? 'VOXIMPLANT_CALL' : t === 4 ? 'CRM_EMAIL' : 'CRM_TODO';
    a.providerTypeId = t === 1 ? 'MEETING' : t === 2 ? 'CALL' : t === 4 ? 'EMAIL' : 'TODO';
  }
  applyActivityFields(a, f, ctx);
  if (f.IS_INCOMING_CHANNEL === undefined) a.isIncomingChannel = a.direction === 1 && INCOMING_PROVIDERS.has(a.providerId);
  const extra = activityBindingsFilter(f.BINDINGS);
  insertActivity(ctx.store, a);
  for (const ref of extra) if (itemExists(ctx.store, ref)) bindActivity(ctx.store, a, ref);
  return { result: a.id };
}

function activityUpdate(params: Params, ctx: MethodContext): ListAnswer {
  const a = ctx.store.activities.get(idParam(params));
  if (!a) throw notFound();
  if (!mayTouch(a, ctx)) throw accessDenied();
  applyActivityFields(a, fieldsParam(params), ctx);
  a.lastUpdated = nowSecond(ctx);
  return { result: true };
}

function activityDelete(params: Params, ctx: MethodContext): ListAnswer {
  const a = ctx.store.activities.get(idParam(params));
  if (!a) throw notFound();
  if (!mayTouch(a, ctx)) throw accessDenied();
  removeActivity(ctx.store, a);
  return { result: true };
}

function bindingParams(params: Params, ctx: MethodContext): { a: DemoActivity; ref: ItemRef } {
  // `addAction(int $activityId, int $entityTypeId, int $entityId)`: the binder checks all three first (demo/binder.ts).
  const activityId = intArg(params, 'activityId');
  const ref = { entityTypeId: intArg(params, 'entityTypeId'), entityId: intArg(params, 'entityId') };
  const a = ctx.store.activities.get(activityId);
  if (!a) throw notFound();
  // Bitrix24's binding controller checks the right to change the item bound or unbound, not the activity.
  if (!rightsFor(ctx.store, ctx.userId).item(ref)) throw controllerAccessDenied();
  return { a, ref };
}

function todoAdd(params: Params, ctx: MethodContext): ListAnswer {
  const owner: ItemRef = { entityTypeId: num(param(params, 'ownerTypeId'), 0), entityId: num(param(params, 'ownerId'), 0) };
  if (owner.entityTypeId <= 0 || owner.entityId <= 0) throw new RestError(400, 'ERROR_WRONG_OWNER', 'Owner is not specified.');
  if (!itemExists(ctx.store, owner)) throw new RestError(400, 'NOT_FOUND', 'Owner not found.');
  if (!rightsFor(ctx.store, ctx.userId).item(owner)) throw controllerAccessDenied();
  const deadlineRaw = param(params, 'deadline');
  const deadline = readDate(deadlineRaw, ctx);
  if (deadlineRaw !== undefined && deadline === null) throw new RestError(400, 'INVALID_ARG_VALUE', 'Invalid deadline.');
  const f: Record<string, unknown> = {
    OWNER_TYPE_ID: owner.entityTypeId,
    OWNER_ID: owner.entityId,
    PROVIDER_ID: 'CRM_TODO',
    PROVIDER_TYPE_ID: 'TODO',
    TYPE_ID: 6,
    SUBJECT: param(params, 'title') ?? '',
    DESCRIPTION: param(params, 'description') ?? '',
  };
  if (deadline !== null) {
    f.DEADLINE = formatDateTime(deadline, ctx.clock);
    f.END_TIME = f.DEADLINE;
  }
  const responsible = param(params, 'responsibleId');
  if (responsible !== undefined) f.RESPONSIBLE_ID = responsible;
  const { result } = activityAdd({ fields: f }, ctx);
  // ToDo::addAction(array $pingOffsets = []): kept through
  // TodoPingSettingsProvider::filterOffsets (numbers ≥ 0, each once).
  const todo = ctx.store.activities.get(Number(result));
  if (todo) todo.pingOffsets = pingOffsetsParam(params.pingOffsets);
  return { result: { id: result } };
}

function pingOffsetsParam(v: unknown): number[] {
  const values = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
  const out: number[] = [];
  for (const x of values) {
    const n = Number(x);
    if (x !== '' && x !== null && Number.isFinite(n) && n >= 0 && !out.includes(Math.trunc(n))) out.push(Math.trunc(n));
  }
  return out;
}

/**
 * crm.activity.todo.fetchSettings (crm module, controller
 * `Activity\ToDo::fetchSettingsAction`, not in the REST docs): the one REST
 * answer holding a to-do's reminder offsets (`entityData.pingOffsets`, from
 * b_crm_act_ping_offsets). The to-do is loaded by `BaseActivity::load`: bound
 * to that owner, provider CRM_TODO, through a permission-checked GetList, so
 * one the caller may not read is simply not found.
 */
function todoFetchSettings(params: Params, ctx: MethodContext): ListAnswer {
  const owner: ItemRef = { entityTypeId: intArg(params, 'ownerTypeId'), entityId: intArg(params, 'ownerId') };
  const a = ctx.store.activities.get(intArg(params, 'id'));
  const bound = a?.bindings.some((b) => b.entityTypeId === owner.entityTypeId && b.entityId === owner.entityId);
  if (!a || !bound || a.providerId !== 'CRM_TODO' || !mayTouch(a, ctx)) {
    throw new RestError(400, 'NOT_FOUND', 'Element not found.');
  }
  return {
    result: {
      entityData: {
        id: a.id,
        title: a.subject,
        description: a.description,
        deadline: a.deadline === null ? null : formatDateTime(a.deadline, ctx.clock),
        currentFileIds: [],
        colorId: null,
        pingOffsets: [...(a.pingOffsets ?? [])],
      },
      blocksData: [],
    },
  };
}

function todoUpdateDeadline(params: Params, ctx: MethodContext): ListAnswer {
  const a = ctx.store.activities.get(idParam(params));
  if (!a) throw notFound();
  if (!mayTouch(a, ctx)) throw controllerAccessDenied();
  const value = readDate(param(params, 'value'), ctx);
  if (value === null) throw new RestError(400, 'INVALID_ARG_VALUE', 'Invalid value.');
  a.deadline = value;
  a.endTime = value;
  a.lastUpdated = nowSecond(ctx);
  return { result: { id: a.id } };
}

interface Assignable {
  assignedById: number;
}

function writeItem<T extends Assignable & { dateModify: number }>(row: T | undefined, f: Record<string, unknown>, ctx: MethodContext, map: Record<string, (row: T, v: unknown) => void>): ListAnswer {
  if (!row) throw notFound();
  if (!mayTouch(row, ctx)) throw accessDenied();
  for (const [k, v] of Object.entries(f)) map[k]?.(row, v);
  row.dateModify = nowSecond(ctx);
  return { result: true };
}

function userRecord(u: DemoUser, ctx: MethodContext): Record<string, unknown> {
  return {
    ID: String(u.id),
    XML_ID: `demo-${u.id}`,
    ACTIVE: u.active,
    NAME: u.name,
    LAST_NAME: u.lastName,
    SECOND_NAME: '',
    EMAIL: u.email,
    LAST_LOGIN: formatDateTime(nowSecond(ctx) - u.id * 3_600_000, ctx.clock),
    DATE_REGISTER: formatDateTime(u.dateRegister, ctx.clock),
    TIME_ZONE: u.timeZone,
    IS_ONLINE: u.id === 1 ? 'Y' : 'N',
    TIME_ZONE_OFFSET: '0',
    TIMESTAMP_X: '',
    LAST_ACTIVITY_DATE: '',
    PERSONAL_GENDER: u.gender,
    PERSONAL_BIRTHDAY: '',
    WORK_POSITION: u.workPosition,
    UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: [...u.departmentIds],
    USER_TYPE: 'employee',
  };
}

function userGet(params: Params, ctx: MethodContext): ListAnswer {
  const rawFilter = param(params, 'filter', 'FILTER');
  const filter: Record<string, unknown> = rawFilter && typeof rawFilter === 'object' ? { ...(rawFilter as Record<string, unknown>) } : {};
  for (const k of ['ID', 'ACTIVE', 'NAME', 'LAST_NAME', 'EMAIL', 'UF_DEPARTMENT', 'USER_TYPE']) {
    if (params[k] !== undefined && filter[k] === undefined) filter[k] = params[k];
  }
  let users = [...ctx.store.users.values()];
  for (const [key, value] of Object.entries(filter)) {
    const field = key.replace(/^[=!%<>@]+/, '');
    const negate = key.startsWith('!');
    let test: ((u: DemoUser) => boolean) | null = null;
    if (field === 'ACTIVE') test = (u) => u.active === yn(value);
    else if (field === 'ID') {
      const ids = new Set((Array.isArray(value) ? value : [value]).map(Number));
      test = (u) => ids.has(u.id);
    } else if (field === 'UF_DEPARTMENT') {
      const ids = new Set((Array.isArray(value) ? value : [value]).map(Number));
      test = (u) => u.departmentIds.some((d) => ids.has(d));
    } else if (field === 'NAME') test = (u) => u.name.toLowerCase().includes(String(value).toLowerCase());
    else if (field === 'LAST_NAME') test = (u) => u.lastName.toLowerCase().includes(String(value).toLowerCase());
    else if (field === 'USER_TYPE') test = () => value === 'employee';
    if (test) {
      const t = test;
      users = users.filter((u) => t(u) !== negate);
    }
  }
  const sort = String(param(params, 'sort', 'SORT') ?? 'ID').toUpperCase();
  const desc = String(param(params, 'order', 'ORDER') ?? 'ASC').toUpperCase() === 'DESC';
  if (sort === 'LAST_NAME' || sort === 'NAME') {
    const key = sort === 'NAME' ? 'name' : 'lastName';
    users.sort((a, b) => a[key].localeCompare(b[key]) || a.id - b.id);
  }
  if (desc) users.reverse();
  const start = readStart(param(params, 'start'));
  const from = start === -1 ? 0 : start;
  const page = users.slice(from, from + PAGE_SIZE).map((u) => userRecord(u, ctx));
  const answer: ListAnswer = { result: page, total: users.length };
  if (from + PAGE_SIZE < users.length) answer.next = from + PAGE_SIZE;
  return answer;
}

function departmentGet(params: Params, ctx: MethodContext): ListAnswer {
  let deps = [...ctx.store.departments.values()];
  const id = param(params, 'ID', 'id');
  if (id !== undefined) {
    const ids = new Set((Array.isArray(id) ? id : [id]).map(Number));
    deps = deps.filter((d) => ids.has(d.id));
  }
  const parent = param(params, 'PARENT');
  if (parent !== undefined) deps = deps.filter((d) => d.parentId === Number(parent));
  const start = Math.max(0, readStart(param(params, 'start')));
  const page = deps.slice(start, start + PAGE_SIZE).map((d) => {
    const row: Record<string, unknown> = { ID: String(d.id), NAME: d.name, SORT: d.sort };
    if (d.parentId !== null) row.PARENT = String(d.parentId);
    if (d.headId !== null) row.UF_HEAD = String(d.headId);
    return row;
  });
  const answer: ListAnswer = { result: page, total: deps.length };
  if (start + PAGE_SIZE < deps.length) answer.next = start + PAGE_SIZE;
  return answer;
}

function strictList<T>(rows: Iterable<T>, specs: FieldSpecs<T>, params: Params, ctx: MethodContext, idOf: (r: T) => number): ListAnswer {
  const filter = visibleOnly(compileFilter(param(params, 'filter'), specs, ctx.clock, true), ctx.store, ctx.userId);
  const order = compileOrder(param(params, 'order'), specs, true);
  const fields = selectFields(param(params, 'select'), specs, true);
  const { page, total, next } = pageRows(rows, { filter, order, start: readStart(param(params, 'start')), idField: 'id', clock: ctx.clock, idOf });
  const answer: ListAnswer = { result: { items: page.map((i) => renderRow(i, fields, specs, ctx.clock, true)) } };
  if (total !== undefined) answer.total = total;
  if (next !== undefined) answer.next = next;
  return answer;
}

function itemList(params: Params, ctx: MethodContext): ListAnswer {
  // `listAction(int $entityTypeId, ...)`, bound as demo/binder.ts says.
  const entityTypeId = intArg(params, 'entityTypeId');
  const specs = specsFor(ctx.store, ctx.clock);
  const s = ctx.store;
  switch (entityTypeId) {
    case 1:
      return strictList(s.leads.values(), specs.classic.lead, params, ctx, (r) => r.id);
    case 2:
      return strictList(s.deals.values(), specs.classic.deal, params, ctx, (r) => r.id);
    case 3:
      return strictList(s.contacts.values(), specs.classic.contact, params, ctx, (r) => r.id);
    case 4:
      return strictList(s.companies.values(), specs.classic.company, params, ctx, (r) => r.id);
  }
  const items = s.smartItems.get(entityTypeId);
  if (!items) throw new RestError(400, 'NOT_FOUND', 'Smart process not found');
  return strictList(items.values(), specs.item, params, ctx, (i) => i.id);
}

function itemUpdate(params: Params, ctx: MethodContext): ListAnswer {
  // `updateAction(int $entityTypeId, int $id, array $fields)`.
  const entityTypeId = intArg(params, 'entityTypeId');
  const items = ctx.store.smartItems.get(entityTypeId);
  const item = items?.get(intArg(params, 'id'));
  if (!item) throw new RestError(400, 'NOT_FOUND', 'Element not found');
  if (!mayTouch(item, ctx)) throw controllerAccessDenied();
  const f = fieldsParam(params);
  if (f.title !== undefined) item.title = String(f.title);
  if (f.assignedById !== undefined) item.assignedById = num(f.assignedById, item.assignedById);
  if (f.stageId !== undefined) item.stageId = String(f.stageId);
  item.updatedTime = nowSecond(ctx);
  const specs = specsFor(ctx.store, ctx.clock).item;
  return { result: { item: renderRow(item, selectFields(undefined, specs, true), specs, ctx.clock, true) } };
}

/** crm.category.list: pipelines of deals (entityTypeId 2) or of a smart process. */
function categoryList(params: Params, ctx: MethodContext): ListAnswer {
  const entityTypeId = num(param(params, 'entityTypeId'), 0);
  if (entityTypeId === 2) {
    const categories = [...ctx.store.dealCategories.values()].map((c) => ({
      id: c.id,
      name: c.name,
      sort: c.sort,
      entityTypeId: 2,
      isDefault: c.id === 0 ? 'Y' : 'N',
    }));
    return { result: { categories }, total: categories.length };
  }
  const type = ctx.store.smartTypes.get(entityTypeId);
  if (!type) throw new RestError(400, 'NOT_FOUND', 'Smart process not found');
  const categories = type.categoryIds.map((id, i) => ({ id, name: i === 0 ? 'Default' : `Pipeline ${id}`, sort: (i + 1) * 100, entityTypeId, isDefault: i === 0 ? 'Y' : 'N' }));
  return { result: { categories }, total: categories.length };
}

function typeList(params: Params, ctx: MethodContext): ListAnswer {
  const types = [...ctx.store.smartTypes.values()].map((t) => ({
    id: t.id,
    title: t.title,
    code: '',
    createdBy: 1,
    entityTypeId: t.entityTypeId,
    customSectionId: null,
    isCategoriesEnabled: 'N',
    isStagesEnabled: 'Y',
    isBeginCloseDatesEnabled: 'Y',
    isClientEnabled: 'Y',
    isUseInUserfieldEnabled: 'N',
    isLinkWithProductsEnabled: 'N',
    isMycompanyEnabled: 'N',
    isDocumentsEnabled: 'N',
    isSourceEnabled: 'N',
    isObserversEnabled: 'Y',
    isRecyclebinEnabled: 'Y',
    isAutomationEnabled: 'Y',
    isBizProcEnabled: 'N',
    isSetOpenPermissions: 'Y',
    isPaymentsEnabled: 'N',
    isCountersEnabled: t.isCountersEnabled ? 'Y' : 'N',
    createdTime: formatDateTime(t.createdTime, ctx.clock),
    updatedTime: formatDateTime(t.updatedTime, ctx.clock),
    updatedBy: 1,
  }));
  const start = Math.max(0, readStart(param(params, 'start')));
  return { result: { types: types.slice(start, start + PAGE_SIZE) }, total: types.length };
}

function statusList(params: Params, ctx: MethodContext): ListAnswer {
  const rawFilter = param(params, 'filter', 'FILTER');
  const filter = rawFilter && typeof rawFilter === 'object' ? (rawFilter as Record<string, unknown>) : {};
  let stages = ctx.store.stages;
  if (filter.ENTITY_ID !== undefined) stages = stages.filter((s) => s.entityId === String(filter.ENTITY_ID));
  if (filter.STATUS_ID !== undefined) stages = stages.filter((s) => s.statusId === String(filter.STATUS_ID));
  if (filter.CATEGORY_ID !== undefined) stages = stages.filter((s) => String(s.categoryId ?? '') === String(filter.CATEGORY_ID));
  const semantics = { P: 'process', S: 'success', F: 'failure' } as const;
  const rows = stages.map((s, i) => ({
    ID: String(i + 1),
    ENTITY_ID: s.entityId,
    STATUS_ID: s.statusId,
    NAME: s.name,
    NAME_INIT: s.name,
    SORT: String(s.sort),
    SYSTEM: 'Y',
    CATEGORY_ID: s.categoryId === null ? null : String(s.categoryId),
    COLOR: s.color,
    SEMANTICS: s.semantic === 'P' ? null : s.semantic,
    EXTRA: { SEMANTICS: semantics[s.semantic], COLOR: s.color },
  }));
  return { result: rows, total: rows.length };
}

const SCOPE_LIST = ['crm', 'user', 'user_brief', 'user_basic', 'department', 'im', 'placement', 'telephony'];
export const ALL_SCOPES: readonly string[] = SCOPE_LIST;

export const METHODS: Record<string, MethodInfo> = {
  'server.time': { scope: null, run: (_p, ctx) => ({ result: formatDateTime(nowSecond(ctx), ctx.clock) }) },
  scope: { scope: null, run: (_p, ctx) => ({ result: [...ctx.scopes] }) },
  profile: {
    scope: null,
    run: (_p, ctx) => {
      const u = ctx.store.users.get(ctx.userId)!;
      return { result: { ID: String(u.id), ADMIN: u.isAdmin, NAME: u.name, LAST_NAME: u.lastName, PERSONAL_GENDER: u.gender, TIME_ZONE: u.timeZone } };
    },
  },
  'user.current': { scope: 'user', run: (_p, ctx) => ({ result: userRecord(ctx.store.users.get(ctx.userId)!, ctx) }) },
  'user.get': { scope: 'user', run: userGet },
  'department.get': { scope: 'department', run: departmentGet },
  'crm.activity.list': { scope: 'crm', run: activityList },
  'crm.activity.get': { scope: 'crm', run: (p, ctx) => legacyGet(ctx.store.activities.get(idParam(p)), specsFor(ctx.store, ctx.clock).activity, ctx) },
  'crm.activity.add': { scope: 'crm', run: activityAdd },
  'crm.activity.update': { scope: 'crm', run: activityUpdate },
  'crm.activity.delete': { scope: 'crm', run: activityDelete },
  'crm.activity.binding.list': {
    scope: 'crm',
    run: (p, ctx) => {
      // `listAction(int $activityId)`: an array (a batch reference past a short page) fails in the binder.
      const a = ctx.store.activities.get(intArg(p, 'activityId'));
      if (!a) throw notFound();
      // No access check on the activity: the controller lists the bindings whose items the caller may read, and leaves the others out.
      const rights = rightsFor(ctx.store, ctx.userId);
      return { result: a.bindings.filter(rights.item).map((b) => ({ entityTypeId: b.entityTypeId, entityId: b.entityId })) };
    },
  },
  'crm.activity.binding.add': {
    scope: 'crm',
    run: (p, ctx) => {
      const { a, ref } = bindingParams(p, ctx);
      if (!itemExists(ctx.store, ref)) throw notFound();
      if (!bindActivity(ctx.store, a, ref)) throw new RestError(400, 'ACTIVITY_IS_ALREADY_BOUND', 'The activity is already bound to this item.');
      // CCrmActivity::Update with the new BINDINGS: the activity's LAST_UPDATED moves.
      a.lastUpdated = nowSecond(ctx);
      return { result: true };
    },
  },
  'crm.activity.binding.delete': {
    scope: 'crm',
    run: (p, ctx) => {
      const { a, ref } = bindingParams(p, ctx);
      if (!a.bindings.some((b) => b.entityTypeId === ref.entityTypeId && b.entityId === ref.entityId)) {
        throw new RestError(400, 'BINDING_NOT_FOUND', 'The activity is not bound to this item.');
      }
      // Binding::deleteAction refuses to leave an activity unbound.
      if (a.bindings.length <= 1) throw new RestError(400, 'LAST_BINDING_CANNOT_BE_DELETED', 'The last binding of an activity cannot be deleted.');
      unbindActivity(ctx.store, a, ref);
      if (a.ownerTypeId === ref.entityTypeId && a.ownerId === ref.entityId) {
        a.ownerTypeId = a.bindings[0].entityTypeId;
        a.ownerId = a.bindings[0].entityId;
      }
      a.lastUpdated = nowSecond(ctx);
      return { result: true };
    },
  },
  'crm.activity.todo.add': { scope: 'crm', run: todoAdd },
  'crm.activity.todo.updatedeadline': { scope: 'crm', run: todoUpdateDeadline },
  'crm.activity.todo.fetchsettings': { scope: 'crm', run: todoFetchSettings },
  'crm.deal.list': { scope: 'crm', run: (p, ctx) => legacyList(ctx.store.deals.values(), specsFor(ctx.store, ctx.clock).deal, p, ctx, (d) => d.id) },
  'crm.deal.get': { scope: 'crm', run: (p, ctx) => legacyGet(ctx.store.deals.get(idParam(p)), specsFor(ctx.store, ctx.clock).deal, ctx) },
  'crm.deal.add': {
    scope: 'crm',
    run: (p, ctx) => {
      const f = fieldsParam(p);
      const now = nowSecond(ctx);
      const id = ctx.store.nextId.deal++;
      const categoryId = num(f.CATEGORY_ID, 0);
      ctx.store.deals.set(id, {
        id,
        title: String(f.TITLE ?? `Deal #${id}`),
        assignedById: num(f.ASSIGNED_BY_ID, ctx.userId),
        stageId: String(f.STAGE_ID ?? (categoryId === 0 ? 'NEW' : `C${categoryId}:NEW`)),
        categoryId,
        isRecurring: false,
        contactId: f.CONTACT_ID ? num(f.CONTACT_ID, 0) : null,
        companyId: f.COMPANY_ID ? num(f.COMPANY_ID, 0) : null,
        opportunity: num(f.OPPORTUNITY, 0),
        currencyId: String(f.CURRENCY_ID ?? 'EUR'),
        createdBy: ctx.userId,
        dateCreate: now,
        dateModify: now,
      });
      return { result: id };
    },
  },
  'crm.deal.update': {
    scope: 'crm',
    run: (p, ctx) =>
      writeItem(ctx.store.deals.get(idParam(p)), fieldsParam(p), ctx, {
        TITLE: (r, v) => {
          r.title = String(v);
        },
        ASSIGNED_BY_ID: (r, v) => {
          r.assignedById = num(v, r.assignedById);
        },
        STAGE_ID: (r, v) => {
          r.stageId = String(v);
        },
        IS_RECURRING: (r, v) => {
          r.isRecurring = yn(v);
        },
        OPPORTUNITY: (r, v) => {
          r.opportunity = num(v, r.opportunity);
        },
      }),
  },
  'crm.lead.list': { scope: 'crm', run: (p, ctx) => legacyList(ctx.store.leads.values(), specsFor(ctx.store, ctx.clock).lead, p, ctx, (l) => l.id) },
  'crm.lead.get': { scope: 'crm', run: (p, ctx) => legacyGet(ctx.store.leads.get(idParam(p)), specsFor(ctx.store, ctx.clock).lead, ctx) },
  'crm.lead.add': {
    scope: 'crm',
    run: (p, ctx) => {
      const f = fieldsParam(p);
      const now = nowSecond(ctx);
      const id = ctx.store.nextId.lead++;
      ctx.store.leads.set(id, {
        id,
        title: String(f.TITLE ?? `Lead #${id}`),
        name: String(f.NAME ?? ''),
        lastName: String(f.LAST_NAME ?? ''),
        assignedById: num(f.ASSIGNED_BY_ID, ctx.userId),
        statusId: String(f.STATUS_ID ?? 'NEW'),
        createdBy: ctx.userId,
        dateCreate: now,
        dateModify: now,
      });
      return { result: id };
    },
  },
  'crm.lead.update': {
    scope: 'crm',
    run: (p, ctx) =>
      writeItem(ctx.store.leads.get(idParam(p)), fieldsParam(p), ctx, {
        TITLE: (r, v) => {
          r.title = String(v);
        },
        ASSIGNED_BY_ID: (r, v) => {
          r.assignedById = num(v, r.assignedById);
        },
        STATUS_ID: (r, v) => {
          r.statusId = String(v);
        },
      }),
  },
  'crm.contact.list': { scope: 'crm', run: (p, ctx) => legacyList(ctx.store.contacts.values(), specsFor(ctx.store, ctx.clock).contact, p, ctx, (c) => c.id) },
  'crm.contact.get': { scope: 'crm', run: (p, ctx) => legacyGet(ctx.store.contacts.get(idParam(p)), specsFor(ctx.store, ctx.clock).contact, ctx) },
  'crm.contact.update': {
    scope: 'crm',
    run: (p, ctx) =>
      writeItem(ctx.store.contacts.get(idParam(p)), fieldsParam(p), ctx, {
        NAME: (r, v) => {
          r.name = String(v);
        },
        LAST_NAME: (r, v) => {
          r.lastName = String(v);
        },
        ASSIGNED_BY_ID: (r, v) => {
          r.assignedById = num(v, r.assignedById);
        },
      }),
  },
  'crm.company.list': { scope: 'crm', run: (p, ctx) => legacyList(ctx.store.companies.values(), specsFor(ctx.store, ctx.clock).company, p, ctx, (c) => c.id) },
  'crm.company.get': { scope: 'crm', run: (p, ctx) => legacyGet(ctx.store.companies.get(idParam(p)), specsFor(ctx.store, ctx.clock).company, ctx) },
  'crm.company.update': {
    scope: 'crm',
    run: (p, ctx) =>
      writeItem(ctx.store.companies.get(idParam(p)), fieldsParam(p), ctx, {
        TITLE: (r, v) => {
          r.title = String(v);
        },
        ASSIGNED_BY_ID: (r, v) => {
          r.assignedById = num(v, r.assignedById);
        },
      }),
  },
  'crm.item.list': { scope: 'crm', run: itemList },
  'crm.item.update': { scope: 'crm', run: itemUpdate },
  'crm.type.list': { scope: 'crm', run: typeList },
  'crm.counter.list': {
    scope: 'crm',
    run: (p, ctx) => counterList(p, { store: ctx.store, userId: ctx.userId, now: ctx.clock.now(), offsetMinutes: ctx.clock.offsetMinutes }),
  },
  'crm.category.list': { scope: 'crm', run: categoryList },
  'crm.status.list': { scope: 'crm', run: statusList },
};

