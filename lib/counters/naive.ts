// The reference: recounts everything from scratch by the words of counters.md,
// comparing calendar dates as strings instead of instants. Slow and simple on
// purpose; the property test holds CounterIndex to it.
import { type CrmActivity, type CrmItem, EntityType, type ItemRef, type Person } from '../domain';
import { activityItems, isCountedItem, isIncoming } from './classify';
import {
  type ActivitiesColumn,
  type ChipState,
  type CounterTotals,
  type Counts,
  chipFromCounts,
  compareIncoming,
  comparePlanned,
  type ListEntry,
  type PersonLists,
} from './results';
import { type CountingRules, resolveZone } from './rules';

export interface PortalSnapshot {
  items: readonly CrmItem[];
  activities: readonly CrmActivity[];
  people: readonly Person[];
  connectedUserId: number | null;
  browserZone: string;
  rules: CountingRules;
}

interface Pair {
  item: CrmItem;
  activity: CrmActivity;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const dateMemo = new Map<string, string>();

/** `YYYY-MM-DD` of `instant` in `zone`. */
function civilDate(instant: number, zone: string): string {
  const memoKey = `${zone}|${instant}`;
  const memo = dateMemo.get(memoKey);
  if (memo !== undefined) return memo;
  let f = dateFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  const out = `${parts.year.padStart(4, '0')}-${parts.month}-${parts.day}`;
  if (dateMemo.size > 200_000) dateMemo.clear();
  dateMemo.set(memoKey, out);
  return out;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Index of the week holding a day number, weeks starting on `weekStart` (1970-01-01 was a Thursday). */
function weekNumber(day: number, weekStart: number): number {
  return Math.floor((day + 4 - weekStart) / 7);
}

function zoneOf(portal: PortalSnapshot, personId: number): string {
  return resolveZone(
    personId,
    {
      people: new Map(portal.people.map((p) => [p.id, p])),
      connectedUserId: portal.connectedUserId,
      browserZone: portal.browserZone,
    },
    portal.rules,
  );
}

/** Every (item, activity) pair of open counted items and open activities. */
function pairs(portal: PortalSnapshot): Pair[] {
  const out: Pair[] = [];
  for (const activity of portal.activities) {
    if (activity.completed) continue;
    for (const ref of activityItems(activity)) {
      const item = findItem(portal, ref);
      if (item && isCountedItem(item, portal.rules)) out.push({ item, activity });
    }
  }
  return out;
}

function findItem(portal: PortalSnapshot, ref: ItemRef): CrmItem | undefined {
  return portal.items.find((i) => i.entityTypeId === ref.entityTypeId && i.id === ref.entityId);
}

function pairOwner(portal: PortalSnapshot, p: Pair): number {
  return portal.rules.mode === 'item' ? p.item.responsibleId : p.activity.responsibleId;
}

/**
 * Minutes before the deadline at which Bitrix24 lights an activity, written
 * out again from `CounterLightTime` (crm module) rather than reused from
 * classify.ts: sort the reminder offsets and take the last; else NOTIFY in
 * minutes if not negative; else the default.
 */
function reminderMinutes(a: CrmActivity, rules: CountingRules): number {
  const reminders = [...(a.pingOffsets ?? [])].filter((o) => o >= 0).sort((x, y) => x - y);
  if (reminders.length > 0) return reminders[reminders.length - 1];
  const perUnit = a.notifyType === 1 ? 1 : a.notifyType === 2 ? 60 : a.notifyType === 3 ? 1440 : null;
  if (perUnit !== null && a.notifyValue * perUnit >= 0) return a.notifyValue * perUnit;
  return rules.lightOffsetMinutes;
}

function litAt(portal: PortalSnapshot, a: CrmActivity, now: number, zone: string): boolean {
  if (a.completed || isIncoming(a) || a.deadline === null) return false;
  if (portal.rules.litRule === 'lightTime') return now >= a.deadline - reminderMinutes(a, portal.rules) * 60_000;
  return civilDate(a.deadline, zone) <= civilDate(now, zone);
}

export function naiveTotals(portal: PortalSnapshot, personId: number, now: number): CounterTotals {
  const zone = zoneOf(portal, personId);
  const all = pairs(portal);
  const countOf = (keep: (p: Pair) => boolean): Counts => {
    const c: Counts = { incoming: 0, planned: 0, all: 0, othersIncoming: 0, othersPlanned: 0 };
    for (const p of all) {
      if (!keep(p)) continue;
      const owner = pairOwner(portal, p);
      const incoming = isIncoming(p.activity);
      const lit = litAt(portal, p.activity, now, zone);
      if (owner === personId) {
        if (incoming) c.incoming++;
        if (lit) c.planned++;
      } else if (owner !== 0) {
        if (incoming) c.othersIncoming++;
        if (lit) c.othersPlanned++;
      }
    }
    c.all = c.incoming + c.planned;
    return c;
  };
  const totals: CounterTotals = { ...countOf(() => true), byEntityType: {}, byDealCategory: {} };
  for (const type of portal.rules.countedEntityTypes) {
    totals.byEntityType[type] = countOf((p) => p.item.entityTypeId === type);
  }
  const categories = new Set<number>();
  for (const p of all) {
    if (p.item.entityTypeId === EntityType.deal && p.item.categoryId !== null) categories.add(p.item.categoryId);
  }
  for (const category of categories) {
    const c = countOf((p) => p.item.entityTypeId === EntityType.deal && p.item.categoryId === category);
    if (c.all + c.othersIncoming + c.othersPlanned > 0) totals.byDealCategory[category] = c;
  }
  return totals;
}

/** The open activities bound to an item (each once). */
function openActivitiesOf(portal: PortalSnapshot, item: CrmItem): CrmActivity[] {
  return portal.activities.filter(
    (a) =>
      !a.completed && activityItems(a).some((r) => r.entityTypeId === item.entityTypeId && r.entityId === item.id),
  );
}

function countsForViewer(portal: PortalSnapshot, item: CrmItem, viewerId: number): boolean {
  if (portal.rules.mode === 'item') return item.responsibleId === viewerId;
  return openActivitiesOf(portal, item).some((a) => a.responsibleId === viewerId);
}

export function naiveChip(portal: PortalSnapshot, ref: ItemRef, viewerId: number, now: number): ChipState | null {
  const item = findItem(portal, ref);
  if (!item || !isCountedItem(item, portal.rules)) return null;
  const zone = zoneOf(portal, viewerId);
  const mine = countsForViewer(portal, item, viewerId);
  let acts = openActivitiesOf(portal, item);
  if (portal.rules.mode === 'activity' && mine) acts = acts.filter((a) => a.responsibleId === viewerId);
  return chipFromCounts(mine, {
    incoming: acts.filter(isIncoming).length,
    lit: acts.filter((a) => litAt(portal, a, now, zone)).length,
    open: acts.length,
  });
}

export function naiveColumn(portal: PortalSnapshot, ref: ItemRef, viewerId: number, now: number): ActivitiesColumn | null {
  const item = findItem(portal, ref);
  if (!item || !isCountedItem(item, portal.rules)) return null;
  if (item.entityTypeId !== EntityType.deal && item.entityTypeId !== EntityType.lead) return null;
  if (!countsForViewer(portal, item, viewerId)) return null;
  let acts = openActivitiesOf(portal, item);
  if (portal.rules.mode === 'activity') acts = acts.filter((a) => a.responsibleId === viewerId);
  if (acts.length === 0) return 'withoutActivities';
  const zone = zoneOf(portal, viewerId);
  const today = dayNumber(civilDate(now, zone));
  const deadlines = acts.filter((a) => !isIncoming(a) && a.deadline !== null).map((a) => a.deadline!);
  const hasIncoming = acts.some(isIncoming);
  if (deadlines.length === 0) return hasIncoming ? 'today' : null;
  const earliest = dayNumber(civilDate(Math.min(...deadlines), zone));
  if (earliest < today) return 'overdue';
  if (earliest === today || hasIncoming) return 'today';
  const week = weekNumber(today, portal.rules.weekStart);
  const its = weekNumber(earliest, portal.rules.weekStart);
  if (its === week) return 'thisWeek';
  if (its === week + 1) return 'nextWeek';
  return 'later';
}

export function naiveLists(portal: PortalSnapshot, personId: number, now: number): PersonLists {
  const zone = zoneOf(portal, personId);
  const today = civilDate(now, zone);
  const out: PersonLists = { incoming: [], planned: { overdue: [], today: [], soon: [] } };
  for (const p of pairs(portal)) {
    if (pairOwner(portal, p) !== personId) continue;
    const entry: ListEntry = { item: p.item, activity: p.activity };
    if (isIncoming(p.activity)) out.incoming.push(entry);
    else if (litAt(portal, p.activity, now, zone)) {
      const day = civilDate(p.activity.deadline!, zone);
      if (day < today) out.planned.overdue.push(entry);
      else if (day === today) out.planned.today.push(entry);
      else out.planned.soon.push(entry);
    }
  }
  out.incoming.sort(compareIncoming);
  out.planned.overdue.sort(comparePlanned);
  out.planned.today.sort(comparePlanned);
  out.planned.soon.sort(comparePlanned);
  return out;
}
