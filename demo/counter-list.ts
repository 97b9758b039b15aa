// crm.counter.list: the portal's own counters for the calling user, as the
// crm module answers them (controller Bitrix\Crm\Controller\Counter::listAction,
// crm/lib/controller/counter.php; the codes and rules in
// ../shared/docs/counters.md, "The portal's own counters"). Off unless a test
// or `npm run portal -- --counter-list` switches it on: an old portal without
// the controller answers ERROR_METHOD_NOT_FOUND, and today's numbers stay.
//
// What the controller does, in order: an unknown type fails; a type the user
// may not read (in that pipeline, when one is given) fails with ACCESS_DENIED
// (UserPermissions::checkReadPermissions: with no category, "may read at least
// one category"); a type whose counters are off answers []; then one code per
// enabled counter type, the type's `all` without the category, the `_excl`
// variants with withExcludeUsers (capped at 100: EntityCounter::COUNTER_LIMIT)
// and the portal's total `crm_all_no_orders`. Counters count the user's own
// items whatever their rights (no permission filter in the counter queries).
import { intArg } from './binder.ts';
import { RestError } from './legacy.ts';
import { semanticOf, type DemoActivity, type DemoStore, type ItemRef, refKey } from './store.ts';

export interface CounterListConfig {
  /** Off: the method does not exist (ERROR_METHOD_NOT_FOUND), as on a portal without the controller. */
  enabled: boolean;
  /** The portal's counter mode: whose counter an activity feeds (item's responsible, or activity's). */
  mode: 'item' | 'activity';
  /** `current`: incomingchannel, current (light time), all. `previous`: idle, pending, overdue, current (by day), all. */
  generation: 'current' | 'previous';
  /** Entity types whose counters are off: they answer `[]`. */
  disabledTypes: number[];
  /** Per user: entity types, and deal pipelines, the user may not read (crm.counter.list answers ACCESS_DENIED). */
  denied: Record<number, { types?: number[]; dealCategories?: number[] }>;
  /**
   * Entity types whose next answer is the one before (the counter cache lagging a change, once):
   * each listed type answers from its last answer once, then leaves the list.
   */
  lagOnce: number[];
}

export function defaultCounterList(): CounterListConfig {
  return { enabled: false, mode: 'item', generation: 'current', disabledTypes: [], denied: {}, lagOnce: [] };
}

/** The cache a lagging answer comes from: the last answer per user, type and category. */
const lastAnswers = new WeakMap<DemoStore, Map<string, Record<string, number>>>();

const EXCL_LIMIT = 100;
const DEFAULT_LIGHT_MINUTES = 15;

function entityName(entityTypeId: number): string | null {
  if (entityTypeId === 1) return 'lead';
  if (entityTypeId === 2) return 'deal';
  if (entityTypeId === 3) return 'contact';
  if (entityTypeId === 4) return 'company';
  if (entityTypeId >= 128) return `dynamic_${entityTypeId}`;
  return null;
}

interface OpenItem {
  ref: ItemRef;
  responsibleId: number;
  categoryId: number | null;
}

/** The open items of a type (counters.md, "open item"). */
function openItems(store: DemoStore, entityTypeId: number): OpenItem[] {
  const out: OpenItem[] = [];
  const ref = (entityId: number) => ({ entityTypeId, entityId });
  if (entityTypeId === 1) {
    for (const l of store.leads.values()) if (semanticOf(store, l.statusId) === 'P') out.push({ ref: ref(l.id), responsibleId: l.assignedById, categoryId: null });
  } else if (entityTypeId === 2) {
    for (const d of store.deals.values()) {
      if (semanticOf(store, d.stageId) === 'P' && !d.isRecurring) out.push({ ref: ref(d.id), responsibleId: d.assignedById, categoryId: d.categoryId });
    }
  } else if (entityTypeId === 3) {
    for (const c of store.contacts.values()) out.push({ ref: ref(c.id), responsibleId: c.assignedById, categoryId: null });
  } else if (entityTypeId === 4) {
    for (const c of store.companies.values()) if (!c.isMyCompany) out.push({ ref: ref(c.id), responsibleId: c.assignedById, categoryId: null });
  } else {
    for (const i of store.smartItems.get(entityTypeId)?.values() ?? []) {
      if (semanticOf(store, i.stageId) === 'P') out.push({ ref: ref(i.id), responsibleId: i.assignedById, categoryId: i.categoryId });
    }
  }
  return out;
}

/** Minutes before the deadline the activity lights: its largest reminder, else NOTIFY, else 15 (CounterLightTime). */
function lightMinutes(a: DemoActivity): number {
  const pings = (a.pingOffsets ?? []).filter((o) => o >= 0);
  if (pings.length) return Math.max(...pings);
  const unit = a.notifyType === 1 ? 1 : a.notifyType === 2 ? 60 : a.notifyType === 3 ? 1440 : null;
  if (unit !== null && a.notifyValue >= 0) return a.notifyValue * unit;
  return DEFAULT_LIGHT_MINUTES;
}

/** `YYYY-MM-DD` of an instant in a zone, for the previous generation's day rule. */
function civilDate(ms: number, zone: string | null, offsetMinutes: number): string {
  if (zone) {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
    } catch {
      // An unknown zone: the portal's offset below.
    }
  }
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

interface Tally {
  incomingchannel: number;
  current: number;
  pending: number;
  overdue: number;
  idle: number;
}

function emptyTally(): Tally {
  return { incomingchannel: 0, current: 0, pending: 0, overdue: 0, idle: 0 };
}

/**
 * One user's counters over one type (and pipeline): (item, activity) rows of
 * open items and open activities, the user's by the portal's counter mode
 * (`mine`) or everyone else's (`others`).
 */
function tallies(store: DemoStore, config: CounterListConfig, userId: number, entityTypeId: number, categoryId: number | null, now: number, offsetMinutes: number) {
  const mine = emptyTally();
  const others = emptyTally();
  const zone = store.users.get(userId)?.timeZone || null;
  const today = civilDate(now, zone, offsetMinutes);
  for (const item of openItems(store, entityTypeId)) {
    if (categoryId !== null && item.categoryId !== categoryId) continue;
    const activities = [...(store.bindingIndex.get(refKey(item.ref.entityTypeId, item.ref.entityId)) ?? [])].filter((a) => !a.completed);
    const itemIsMine = item.responsibleId === userId;
    if (activities.length === 0) {
      if (itemIsMine) mine.idle++;
      continue;
    }
    for (const a of activities) {
      const owner = config.mode === 'activity' ? a.responsibleId : item.responsibleId;
      const t = owner === userId ? mine : owner !== 0 ? others : null;
      if (!t) continue;
      if (a.isIncomingChannel) {
        t.incomingchannel++;
        continue;
      }
      if (a.deadline === null) continue;
      if (config.generation === 'current') {
        if (now >= a.deadline - lightMinutes(a) * 60_000) t.current++;
      } else {
        const day = civilDate(a.deadline, zone, offsetMinutes);
        if (day < today) t.overdue++;
        else if (day === today) t.pending++;
      }
    }
  }
  return { mine, others };
}

function codesOf(prefix: string, t: Tally, generation: CounterListConfig['generation'], suffix = ''): Record<string, number> {
  if (generation === 'current') {
    return {
      [`${prefix}_incomingchannel${suffix}`]: t.incomingchannel,
      [`${prefix}_current${suffix}`]: t.current,
      [`${prefix}_all${suffix}`]: t.incomingchannel + t.current,
    };
  }
  return {
    [`${prefix}_idle${suffix}`]: t.idle,
    [`${prefix}_pending${suffix}`]: t.pending,
    [`${prefix}_overdue${suffix}`]: t.overdue,
    [`${prefix}_current${suffix}`]: t.pending + t.overdue,
    [`${prefix}_all${suffix}`]: t.idle + t.pending + t.overdue,
  };
}

function capped(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([code, v]) => [code, Math.min(EXCL_LIMIT, v)]));
}

function countersEnabled(store: DemoStore, config: CounterListConfig, entityTypeId: number): boolean {
  if (config.disabledTypes.includes(entityTypeId)) return false;
  if (entityTypeId < 128) return true;
  return [...store.smartTypes.values()].some((t) => t.entityTypeId === entityTypeId && t.isCountersEnabled);
}

function typeExists(store: DemoStore, entityTypeId: number): boolean {
  return entityTypeId <= 4 || [...store.smartTypes.values()].some((t) => t.entityTypeId === entityTypeId);
}

/** The user's answer for the types the portal counts, summed: `crm_all_no_orders`. */
function portalTotal(store: DemoStore, config: CounterListConfig, userId: number, now: number, offsetMinutes: number): number {
  let total = 0;
  const types = [1, 2, 3, 4, ...[...store.smartTypes.values()].map((t) => t.entityTypeId)];
  for (const type of types) {
    if (!countersEnabled(store, config, type)) continue;
    const { mine } = tallies(store, config, userId, type, null, now, offsetMinutes);
    total += config.generation === 'current' ? mine.incomingchannel + mine.current : mine.idle + mine.pending + mine.overdue;
  }
  return total;
}

export function counterList(
  params: Record<string, unknown>,
  ctx: { store: DemoStore; userId: number; now: number; offsetMinutes: number },
): { result: unknown } {
  const { store, userId, now, offsetMinutes } = ctx;
  const config = store.counterList;
  if (!config?.enabled) throw new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
  const entityTypeId = intArg(params, 'entityTypeId');
  const name = entityName(entityTypeId);
  if (!name || !typeExists(store, entityTypeId)) {
    throw new RestError(400, 'NOT_SUPPORTED', `Entity type ${entityTypeId} is not supported`);
  }
  const extras = params.extras && typeof params.extras === 'object' ? (params.extras as Record<string, unknown>) : {};
  const rawCategory = extras.CATEGORY_ID ?? extras.DEAL_CATEGORY_ID;
  const categoryId = rawCategory === undefined || rawCategory === null || rawCategory === '' ? null : Math.trunc(Number(rawCategory)) || 0;
  const denied = config.denied[userId];
  if (denied?.types?.includes(entityTypeId) || (entityTypeId === 2 && categoryId !== null && denied?.dealCategories?.includes(categoryId))) {
    throw new RestError(400, 'ACCESS_DENIED', 'Access denied.');
  }
  if (!countersEnabled(store, config, entityTypeId)) return { result: [] };
  const withExcl = ['1', 'true', 'Y', 'y'].includes(String(params.withExcludeUsers ?? ''));

  const cacheKey = `${userId}|${entityTypeId}|${categoryId ?? ''}|${withExcl ? 1 : 0}`;
  const cache = lastAnswers.get(store) ?? new Map<string, Record<string, number>>();
  lastAnswers.set(store, cache);
  const lagging = config.lagOnce.indexOf(entityTypeId);
  if (lagging >= 0 && cache.has(cacheKey)) {
    config.lagOnce.splice(lagging, 1);
    return { result: { ...cache.get(cacheKey) } };
  }

  const prefix = `crm_${name}${categoryId !== null ? `_c${categoryId}` : ''}`;
  const { mine, others } = tallies(store, config, userId, entityTypeId, categoryId, now, offsetMinutes);
  const result: Record<string, number> = codesOf(prefix, mine, config.generation);
  if (categoryId !== null) {
    const whole = tallies(store, config, userId, entityTypeId, null, now, offsetMinutes).mine;
    const all = codesOf(`crm_${name}`, whole, config.generation);
    result[`crm_${name}_all`] = all[`crm_${name}_all`];
  }
  if (withExcl) Object.assign(result, capped(codesOf(prefix, others, config.generation, '_excl')));
  result.crm_all_no_orders = portalTotal(store, config, userId, now, offsetMinutes);
  cache.set(cacheKey, result);
  return { result };
}
