// What the counters answer: totals, chips, popup lists, Activities-view columns.
import type { CrmActivity, CrmItem } from '../domain';

/** The numbers of one person, over all counted types or over one slice of them. */
export interface Counts {
  incoming: number;
  planned: number;
  /** incoming + planned: the toolbar badge. */
  all: number;
  /** Over items (activity mode: activities) whose responsible is neither the person nor 0. */
  othersIncoming: number;
  othersPlanned: number;
}

export interface CounterTotals extends Counts {
  /** One entry per counted entity type, zeros included. */
  byEntityType: Record<number, Counts>;
  /** Per deal pipeline (CATEGORY_ID); only pipelines with a non-zero number. */
  byDealCategory: Record<number, Counts>;
}

export type ChipKind = 'incoming' | 'planned' | 'both' | 'others' | 'waiting' | 'idle';

export interface ChipState {
  /** The chip's `data-state`. */
  state: ChipKind;
  /** The chip's `data-count` (raw; `chipLabel` gives what it reads). */
  count: number;
  /** The chip's `data-mine`: the item counts for the viewer. */
  mine: boolean;
  /** The dot of a `waiting` chip: blue on the viewer's items, grey on others'; null otherwise. */
  dot: 'blue' | 'grey' | null;
}

/** Bitrix24's counter colours. */
export const COUNTER_COLOURS = {
  red: '#f54819',
  green: '#9dcf00',
  grey: '#b8c0c9',
  blue: '#378ee7',
} as const;

/** What a chip reads: the count, or `99+` above 99. */
export function chipLabel(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/** The open activities on an item that a chip looks at. */
export interface ChipCounts {
  incoming: number;
  lit: number;
  open: number;
}

/** counters.md's chip table: the first row that holds. */
export function chipFromCounts(mine: boolean, c: ChipCounts): ChipState {
  if (mine) {
    if (c.incoming > 0 && c.lit > 0) return { state: 'both', count: c.incoming + c.lit, mine, dot: null };
    if (c.lit > 0) return { state: 'planned', count: c.lit, mine, dot: null };
    if (c.incoming > 0) return { state: 'incoming', count: c.incoming, mine, dot: null };
    if (c.open > 0) return { state: 'waiting', count: 0, mine, dot: 'blue' };
    return { state: 'idle', count: 0, mine, dot: null };
  }
  if (c.incoming + c.lit > 0) return { state: 'others', count: c.incoming + c.lit, mine, dot: null };
  if (c.open > 0) return { state: 'waiting', count: 0, mine, dot: 'grey' };
  return { state: 'idle', count: 0, mine, dot: null };
}

/** One (item, activity) pair in the popup. */
export interface ListEntry {
  item: CrmItem;
  activity: CrmActivity;
}

export interface PersonLists {
  /** Incoming pairs, newest first (CREATED, then activity id, descending). */
  incoming: ListEntry[];
  planned: {
    /** Lit, deadline before today: oldest first. */
    overdue: ListEntry[];
    /** Lit, deadline today: by time. */
    today: ListEntry[];
    /** Lit early by a reminder (light time), deadline after today: by time. */
    soon: ListEntry[];
  };
}

/** A column of Bitrix24's Activities view (deals and leads). */
export type ActivitiesColumn = 'withoutActivities' | 'overdue' | 'today' | 'thisWeek' | 'nextWeek' | 'later';

/** Incoming newest first; ties by activity id (desc) then item. */
export function compareIncoming(a: ListEntry, b: ListEntry): number {
  return (
    (b.activity.created ?? 0) - (a.activity.created ?? 0) ||
    b.activity.id - a.activity.id ||
    a.item.entityTypeId - b.item.entityTypeId ||
    a.item.id - b.item.id
  );
}

/** Planned by deadline ascending; ties by activity id then item. */
export function comparePlanned(a: ListEntry, b: ListEntry): number {
  return (
    (a.activity.deadline ?? 0) - (b.activity.deadline ?? 0) ||
    a.activity.id - b.activity.id ||
    a.item.entityTypeId - b.item.entityTypeId ||
    a.item.id - b.item.id
  );
}
