// The incremental counter index. It keeps, per pair owner, entity type and deal
// pipeline, the number of incoming pairs and a sorted array of the lit keys of
// the other pairs, so a total at any `now` is a binary search against that
// person's day boundary: time moves without invalidation. Everyone's numbers
// (for Others') are sums over owners, cached per threshold until the next
// change. Chips, columns and lists are read from the few activities of one item
// or one person on demand.
import { type CrmActivity, type CrmItem, EntityType, type ItemRef, type Person } from '../domain';
import { isIncoming, isOpenItem, litKey } from './classify';
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
import { type CountingRules, resolveZone, type ZoneSources } from './rules';
import { SortedKeys } from './sorted-keys';
import { type DayWindow, dayWindow } from './time';

/** A batch of changes from the sync. Applied in this order: item removals, item upserts, activity removals, activity upserts. */
export interface CounterDelta {
  upsertActivities?: readonly CrmActivity[];
  removeActivityIds?: readonly number[];
  upsertItems?: readonly CrmItem[];
  removeItems?: readonly ItemRef[];
}

/** What a delta touched, so surfaces refresh only that. */
export interface DeltaEffect {
  /** Items whose chip or column may have changed. */
  items: ItemRef[];
  /** People whose own Incoming/Planned may have changed (everyone's Others' numbers may have too). */
  people: number[];
}

export interface CounterIndexOptions {
  rules: CountingRules;
  /** The browser's zone, passed in (the counters never read the environment). */
  browserZone: string;
  people?: Iterable<Person>;
  connectedUserId?: number | null;
  /**
   * Deltas with more changes than this append keys and sort once on the next
   * read instead of inserting each in place (default 2000; tests set 0).
   */
  bulkThreshold?: number;
}

interface ActState {
  a: CrmActivity;
  incoming: boolean;
  /** Deadline that counts (null for incoming or none). */
  deadline: number | null;
  /** litKey(): NaN when it can never be lit. */
  key: number;
  items: ItemState[];
  /** Activity mode: position in its responsible's array (arrays, not Sets: no identity hashes for 100k objects). */
  slot: number;
}

interface ItemState {
  entityTypeId: number;
  entityId: number;
  item: CrmItem | null;
  /** Open and of a counted type. */
  counted: boolean;
  owner: number;
  /** Deal pipeline, -1 for none. */
  category: number;
  acts: ActState[];
  /** Item mode: the tallies its pairs feed, its owner's by type and (deals) by pipeline; null while not counted. */
  typeTally: Tally | null;
  categoryTally: Tally | null;
  /** `[this]`, made once: the `items` of every activity bound to this item alone (most are) share it. */
  solo: ItemState[] | null;
}

class Tally {
  incoming = 0;
  keys = new SortedKeys();
}

// Module-level factories: a closure per lookup would allocate in the hot loop.
const newTally = () => new Tally();
const newTallies = () => new Tallies();
const newItemMap = () => new Map<number, ItemState>();
const newItemSet = () => new Set<ItemState>();
const newActList = (): ActState[] => [];

const EMPTY: ItemState[] = [];

const ZERO: Counts = { incoming: 0, planned: 0, all: 0, othersIncoming: 0, othersPlanned: 0 };

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** One owner's tallies. No overall tally: the overall numbers are the sum over types. */
class Tallies {
  byType = new Map<number, Tally>();
  byCategory = new Map<number, Tally>();
}

export class CounterIndex {
  readonly rules: CountingRules;
  private readonly countedTypes: Set<number>;
  private readonly zones: ZoneSources;
  private readonly people = new Map<number, Person>();
  /** Item states per entity type, by id (small-integer keys keep the maps fast). */
  private readonly items = new Map<number, Map<number, ItemState>>();
  private readonly activities = new Map<number, ActState>();
  /** Pair tallies per pair owner (item mode: item's responsible; activity mode: activity's). */
  private readonly owners = new Map<number, Tallies>();
  /** Deal pipelines ever seen (a superset: empty ones are left out of totals). */
  private readonly categories = new Set<number>();
  /** Everyone's [incoming, planned] per slice and threshold; cleared on every change. */
  private readonly everyoneCache = new Map<string, [number, number]>();
  private readonly itemsByResponsible = new Map<number, Set<ItemState>>();
  /** Activity mode only: open activities by responsible, for lists. */
  private readonly actsByResponsible = new Map<number, ActState[]>();
  private bulk = false;
  private readonly bulkThreshold: number;
  private touchedItems: Set<ItemState> | null = null;
  private touchedPeople: Set<number> | null = null;

  constructor(options: CounterIndexOptions) {
    this.rules = options.rules;
    this.countedTypes = new Set(options.rules.countedEntityTypes);
    this.bulkThreshold = options.bulkThreshold ?? 2000;
    this.zones = { people: this.people, connectedUserId: options.connectedUserId ?? null, browserZone: options.browserZone };
    if (options.people) this.setPeople(options.people);
  }

  /** Replaces the known people (their zones); counts do not change, only the days they are read in. */
  setPeople(people: Iterable<Person>): void {
    this.people.clear();
    for (const p of people) this.people.set(p.id, p);
  }

  setConnectedUser(userId: number | null): void {
    this.zones.connectedUserId = userId;
  }

  setBrowserZone(zone: string): void {
    this.zones.browserZone = zone;
  }

  /** The zone in which `personId`'s days run (counters.md, "day"). */
  zoneOf(personId: number): string {
    return resolveZone(personId, this.zones, this.rules);
  }

  /** Loads a full snapshot (after a full sync) in bulk; on a non-empty index it acts as one large upsert. */
  load(snapshot: { items: Iterable<CrmItem>; activities: Iterable<CrmActivity> }): void {
    const items = [...snapshot.items];
    const activities = [...snapshot.activities];
    this.bulk = true;
    try {
      if (this.activities.size === 0 && this.items.size === 0) {
        // Fresh index: skip the per-activity "replace an older copy" look-up.
        for (const item of items) this.upsertItem(item);
        let added = 0;
        let repeated = false;
        for (const a of activities) {
          if (a.completed) {
            // Rare in a snapshot; a completed copy must still retire an earlier open one.
            repeated ||= this.activities.has(a.id);
            continue;
          }
          this.addActivity(a);
          added++;
        }
        if (repeated || this.activities.size !== added) {
          // The snapshot repeated an activity id: start over the careful way.
          this.reset();
          for (const item of items) this.upsertItem(item);
          for (const a of activities) this.upsertActivity(a);
        }
      } else {
        for (const item of items) this.upsertItem(item);
        for (const a of activities) this.upsertActivity(a);
      }
    } finally {
      this.bulk = false;
    }
    // Sort now, so the first delta or query after a full sync pays nothing extra.
    this.forEachTally((t) => t.keys.countBelow(0));
  }

  /** Applies a batch of changes; returns what it touched so chips and badges refresh only those. */
  apply(delta: CounterDelta): DeltaEffect {
    const size =
      (delta.upsertActivities?.length ?? 0) +
      (delta.removeActivityIds?.length ?? 0) +
      (delta.upsertItems?.length ?? 0) +
      (delta.removeItems?.length ?? 0);
    // Large batches append and sort once on the next read instead of memmoving per key.
    this.bulk = size > this.bulkThreshold;
    this.touchedItems = new Set();
    this.touchedPeople = new Set();
    try {
      for (const ref of delta.removeItems ?? []) this.removeItem(ref);
      for (const item of delta.upsertItems ?? []) this.upsertItem(item);
      for (const id of delta.removeActivityIds ?? []) this.removeActivity(id);
      for (const a of delta.upsertActivities ?? []) this.upsertActivity(a);
      return {
        items: [...this.touchedItems].map((s) => ({ entityTypeId: s.entityTypeId, entityId: s.entityId })),
        people: [...this.touchedPeople],
      };
    } finally {
      this.bulk = false;
      this.touchedItems = null;
      this.touchedPeople = null;
    }
  }

  /** The stored item, if any (closed ones included). */
  item(ref: ItemRef): CrmItem | undefined {
    return this.find(ref)?.item ?? undefined;
  }

  /** Whether the item is stored: a chip of `null` for an unknown item means "look it up". */
  knows(ref: ItemRef): boolean {
    return this.item(ref) !== undefined;
  }

  /** The open activities bound to an item (empty when the item is unknown). */
  openActivitiesOf(ref: ItemRef): CrmActivity[] {
    return this.find(ref)?.acts.map((s) => s.a) ?? [];
  }

  /** The open counted items whose responsible is `personId` (the popup's "Without activities" reads them). */
  itemsOf(personId: number): CrmItem[] {
    const out: CrmItem[] = [];
    for (const it of this.itemsByResponsible.get(personId) ?? []) if (it.item) out.push(it.item);
    return out;
  }

  /** Responsibles (never 0, "unassigned") of at least one open counted item: the popup's Employee list, ascending. */
  responsibleIds(): number[] {
    const out: number[] = [];
    for (const [id, set] of this.itemsByResponsible) if (id !== 0 && set.size > 0) out.push(id);
    return out.sort((a, b) => a - b);
  }

  /** Incoming, Planned, All and Others' of `personId` at `now`, overall, per type and per deal pipeline. */
  totals(personId: number, now: number): CounterTotals {
    const w = this.window(personId, now);
    const own = this.owners.get(personId);
    const unassigned = personId === 0 ? undefined : this.owners.get(0);
    const slice = (key: string, pick: (t: Tallies) => Tally | undefined): Counts => {
      const o = own ? this.count(pick(own), w, now) : null;
      const g = this.everyoneCount(key, pick, w, now);
      const z = unassigned ? this.count(pick(unassigned), w, now) : null;
      const incoming = o ? o[0] : 0;
      const planned = o ? o[1] : 0;
      return {
        incoming,
        planned,
        all: incoming + planned,
        othersIncoming: g[0] - incoming - (z ? z[0] : 0),
        othersPlanned: g[1] - planned - (z ? z[1] : 0),
      };
    };
    const totals: CounterTotals = { ...ZERO, byEntityType: {}, byDealCategory: {} };
    for (const type of this.countedTypes) {
      const c = slice(`t${type}`, (t) => t.byType.get(type));
      totals.byEntityType[type] = c;
      totals.incoming += c.incoming;
      totals.planned += c.planned;
      totals.all += c.all;
      totals.othersIncoming += c.othersIncoming;
      totals.othersPlanned += c.othersPlanned;
    }
    for (const category of this.categories) {
      const c = slice(`c${category}`, (t) => t.byCategory.get(category));
      if (c.all + c.othersIncoming + c.othersPlanned > 0) totals.byDealCategory[category] = c;
    }
    return totals;
  }

  /** The chip of one item as `viewerId` sees it; null when the item is unknown, closed or not counted. */
  chip(ref: ItemRef, viewerId: number, now: number): ChipState | null {
    const it = this.find(ref);
    if (!it?.counted) return null;
    const w = this.window(viewerId, now);
    let mine: boolean;
    let onlyViewer = false;
    if (this.rules.mode === 'item') {
      mine = it.owner === viewerId;
    } else {
      mine = it.acts.some((s) => s.a.responsibleId === viewerId);
      onlyViewer = mine;
    }
    const c = { incoming: 0, lit: 0, open: 0 };
    for (const s of it.acts) {
      if (onlyViewer && s.a.responsibleId !== viewerId) continue;
      c.open++;
      if (s.incoming) c.incoming++;
      else if (this.isLitKey(s.key, w, now)) c.lit++;
    }
    return chipFromCounts(mine, c);
  }

  /** The Activities-view column of a deal or lead that counts for `viewerId`; null for "no column". */
  column(ref: ItemRef, viewerId: number, now: number): ActivitiesColumn | null {
    const it = this.find(ref);
    if (!it?.counted) return null;
    if (it.entityTypeId !== EntityType.deal && it.entityTypeId !== EntityType.lead) return null;
    const byItem = this.rules.mode === 'item';
    if (byItem && it.owner !== viewerId) return null;
    let open = 0;
    let incoming = false;
    let earliest = Number.POSITIVE_INFINITY;
    for (const s of it.acts) {
      if (!byItem && s.a.responsibleId !== viewerId) continue;
      open++;
      if (s.incoming) incoming = true;
      else if (s.deadline !== null && s.deadline < earliest) earliest = s.deadline;
    }
    if (open === 0) return byItem ? 'withoutActivities' : null;
    const w = this.window(viewerId, now);
    if (earliest < w.todayStart) return 'overdue';
    if (earliest < w.tomorrowStart || incoming) return 'today';
    if (earliest === Number.POSITIVE_INFINITY) return null;
    if (earliest < w.nextWeekStart) return 'thisWeek';
    if (earliest < w.weekAfterNextStart) return 'nextWeek';
    return 'later';
  }

  /** The popup's entries of `personId`: one per (item, activity) pair of Incoming and of Planned. */
  lists(personId: number, now: number): PersonLists {
    const w = this.window(personId, now);
    const out: PersonLists = { incoming: [], planned: { overdue: [], today: [], soon: [] } };
    const add = (it: ItemState, s: ActState) => {
      const entry: ListEntry = { item: it.item!, activity: s.a };
      if (s.incoming) out.incoming.push(entry);
      else if (this.isLitKey(s.key, w, now)) {
        const d = s.deadline!;
        if (d < w.todayStart) out.planned.overdue.push(entry);
        else if (d < w.tomorrowStart) out.planned.today.push(entry);
        else out.planned.soon.push(entry);
      }
    };
    if (this.rules.mode === 'item') {
      for (const it of this.itemsByResponsible.get(personId) ?? []) for (const s of it.acts) add(it, s);
    } else {
      for (const s of this.actsByResponsible.get(personId) ?? []) for (const it of s.items) if (it.counted) add(it, s);
    }
    out.incoming.sort(compareIncoming);
    out.planned.overdue.sort(comparePlanned);
    out.planned.today.sort(comparePlanned);
    out.planned.soon.sort(comparePlanned);
    return out;
  }

  /**
   * The next instant after `now` at which a number shown for `personIds` can
   * change without new data: the next midnight in any of their zones, or
   * under rule light time the next light time of a counted activity. Null
   * when nothing is scheduled to change.
   */
  nextChangeAt(now: number, personIds: readonly number[]): number | null {
    let next = Number.POSITIVE_INFINITY;
    for (const p of personIds) next = Math.min(next, this.window(p, now).tomorrowStart);
    if (this.rules.litRule === 'lightTime') {
      for (const ts of this.owners.values()) {
        for (const t of ts.byType.values()) {
          const light = t.keys.firstAbove(now);
          if (light !== null) next = Math.min(next, light);
        }
      }
    }
    return next === Number.POSITIVE_INFINITY ? null : next;
  }

  /** Bytes held by the sorted key arrays (the rest of the index is object overhead). */
  keyBytes(): number {
    let bytes = 0;
    this.forEachTally((t) => {
      bytes += t.keys.byteLength;
    });
    return bytes;
  }

  private forEachTally(f: (t: Tally) => void): void {
    for (const ts of this.owners.values()) {
      for (const t of ts.byType.values()) f(t);
      for (const t of ts.byCategory.values()) f(t);
    }
  }

  // --- internals ---

  private window(personId: number, now: number): DayWindow {
    return dayWindow(this.zoneOf(personId), now, this.rules.weekStart);
  }

  private isLitKey(key: number, w: DayWindow, now: number): boolean {
    return this.rules.litRule === 'day' ? key < w.tomorrowStart : key <= now;
  }

  /** Everyone's [incoming, planned] in one slice: the sum over owners, cached until the next change. */
  private everyoneCount(
    slice: string,
    pick: (t: Tallies) => Tally | undefined,
    w: DayWindow,
    now: number,
  ): [number, number] {
    const threshold = this.rules.litRule === 'day' ? w.tomorrowStart : now;
    const key = `${slice}|${threshold}`;
    let sum = this.everyoneCache.get(key);
    if (!sum) {
      sum = [0, 0];
      for (const ts of this.owners.values()) {
        const c = this.count(pick(ts), w, now);
        sum[0] += c[0];
        sum[1] += c[1];
      }
      // Under light time every `now` is a threshold: keep the cache small.
      if (this.everyoneCache.size > 512) this.everyoneCache.clear();
      this.everyoneCache.set(key, sum);
    }
    return sum;
  }

  /** [incoming, planned] of one tally at `now`. */
  private count(t: Tally | undefined, w: DayWindow, now: number): [number, number] {
    if (!t) return [0, 0];
    const planned = this.rules.litRule === 'day' ? t.keys.countBelow(w.tomorrowStart) : t.keys.countAtMost(now);
    return [t.incoming, planned];
  }

  private reset(): void {
    this.items.clear();
    this.activities.clear();
    this.owners.clear();
    this.categories.clear();
    this.everyoneCache.clear();
    this.itemsByResponsible.clear();
    this.actsByResponsible.clear();
  }

  private find(ref: ItemRef): ItemState | undefined {
    return this.items.get(ref.entityTypeId)?.get(ref.entityId);
  }

  private itemState(entityTypeId: number, entityId: number): ItemState {
    const ofType = getOrCreate(this.items, entityTypeId, newItemMap);
    let it = ofType.get(entityId);
    if (!it) {
      it = {
        entityTypeId,
        entityId,
        item: null,
        counted: false,
        owner: 0,
        category: -1,
        acts: [],
        typeTally: null,
        categoryTally: null,
        solo: null,
      };
      ofType.set(entityId, it);
    }
    return it;
  }

  private forget(it: ItemState): void {
    if (it.item === null && it.acts.length === 0) this.items.get(it.entityTypeId)?.delete(it.entityId);
  }

  private upsertItem(item: CrmItem): void {
    const it = this.itemState(item.entityTypeId, item.id);
    if (it.item) this.touchedPeople?.add(it.item.responsibleId);
    this.uncount(it);
    it.item = item;
    it.counted = this.countedTypes.has(item.entityTypeId) && isOpenItem(item);
    it.owner = item.responsibleId;
    it.category = item.entityTypeId === EntityType.deal && item.categoryId !== null ? item.categoryId : -1;
    if (it.counted) {
      getOrCreate(this.itemsByResponsible, it.owner, newItemSet).add(it);
      if (this.rules.mode === 'item') this.setTallies(it);
      for (const s of it.acts) this.pair(it, s, 1);
    }
    this.touchedItems?.add(it);
    this.touchedPeople?.add(item.responsibleId);
  }

  private removeItem(ref: ItemRef): void {
    const it = this.find(ref);
    if (!it) return;
    this.uncount(it);
    it.item = null;
    this.forget(it);
    this.touchedItems?.add(it);
  }

  /** Takes a counted item's pairs out of the tallies (before a change). */
  private uncount(it: ItemState): void {
    if (!it.counted) return;
    for (const s of it.acts) this.pair(it, s, -1);
    this.itemsByResponsible.get(it.owner)?.delete(it);
    it.counted = false;
    it.typeTally = null;
    it.categoryTally = null;
  }

  private upsertActivity(a: CrmActivity): void {
    this.removeActivity(a.id);
    if (!a.completed) this.addActivity(a);
  }

  /** Adds an open activity known not to be held yet. */
  private addActivity(a: CrmActivity): void {
    const incoming = isIncoming(a);
    const s: ActState = {
      a,
      incoming,
      deadline: incoming ? null : a.deadline,
      key: incoming ? Number.NaN : litKey(a, this.rules),
      items: EMPTY,
      slot: -1,
    };
    // The distinct bound items, owner first; an array is made only when there are two.
    let first = a.ownerTypeId > 0 && a.ownerId > 0 ? this.itemState(a.ownerTypeId, a.ownerId) : null;
    let several: ItemState[] | null = null;
    const bindings = a.bindings;
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i];
      if (b.entityTypeId <= 0 || b.entityId <= 0) continue;
      // The owner is usually among the bindings too: skip the look-up.
      if (b.entityTypeId === a.ownerTypeId && b.entityId === a.ownerId) continue;
      const it = this.itemState(b.entityTypeId, b.entityId);
      // One count per item, however often the bindings name it.
      if (first === null) first = it;
      else if (several === null) {
        if (it !== first) several = [first, it];
      } else if (!several.includes(it)) several.push(it);
    }
    if (several) s.items = several;
    else if (first) {
      first.solo ??= [first];
      s.items = first.solo;
    }
    for (let i = 0; i < s.items.length; i++) {
      const it = s.items[i];
      it.acts.push(s);
      if (it.counted) this.pair(it, s, 1);
      this.touchedItems?.add(it);
    }
    this.activities.set(a.id, s);
    if (this.rules.mode === 'activity') {
      const list = getOrCreate(this.actsByResponsible, a.responsibleId, newActList);
      s.slot = list.length;
      list.push(s);
    }
  }

  private removeActivity(id: number): void {
    const s = this.activities.get(id);
    if (!s) return;
    for (const it of s.items) {
      if (it.counted) this.pair(it, s, -1);
      const i = it.acts.indexOf(s);
      it.acts[i] = it.acts[it.acts.length - 1];
      it.acts.pop();
      this.forget(it);
      this.touchedItems?.add(it);
    }
    this.activities.delete(id);
    const list = this.actsByResponsible.get(s.a.responsibleId);
    if (list && s.slot >= 0) {
      const last = list.pop()!;
      if (last !== s) {
        list[s.slot] = last;
        last.slot = s.slot;
      }
    }
  }

  /** Adds (sign 1) or removes (-1) one (item, activity) pair in its owner's tallies. */
  private pair(it: ItemState, s: ActState, sign: 1 | -1): void {
    if (!s.incoming && Number.isNaN(s.key)) return;
    if (this.everyoneCache.size > 0) this.everyoneCache.clear();
    if (it.typeTally) {
      this.touchedPeople?.add(it.owner);
      this.bump(it.typeTally, s, sign);
      if (it.categoryTally) this.bump(it.categoryTally, s, sign);
      return;
    }
    // Activity mode: the owner is the activity's responsible, so no per-item cache.
    const owner = s.a.responsibleId;
    this.touchedPeople?.add(owner);
    const own = getOrCreate(this.owners, owner, newTallies);
    this.bump(getOrCreate(own.byType, it.entityTypeId, newTally), s, sign);
    if (it.category >= 0) {
      this.categories.add(it.category);
      this.bump(getOrCreate(own.byCategory, it.category, newTally), s, sign);
    }
  }

  /** Item mode: the tallies a pair on counted item `it` feeds, its owner's by type and by pipeline. */
  private setTallies(it: ItemState): void {
    const own = getOrCreate(this.owners, it.owner, newTallies);
    it.typeTally = getOrCreate(own.byType, it.entityTypeId, newTally);
    it.categoryTally = null;
    if (it.category >= 0) {
      this.categories.add(it.category);
      it.categoryTally = getOrCreate(own.byCategory, it.category, newTally);
    }
  }

  private bump(t: Tally, s: ActState, sign: 1 | -1): void {
    if (s.incoming) t.incoming += sign;
    else if (sign > 0) {
      if (this.bulk) t.keys.push(s.key);
      else t.keys.insert(s.key);
    } else t.keys.remove(s.key);
  }
}
