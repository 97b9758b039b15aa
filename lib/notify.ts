// Which desktop notifications to raise: pure decisions, table-tested.
import type { ListEntry, PersonLists } from './counters';

export interface NotifyMemory {
  /** Activity ids already announced (or present when notifications started). */
  incoming: number[];
  planned: number[];
}

export interface NotifyDecision {
  /** New incoming pairs to announce (one notification each, or one summary when many). */
  incoming: ListEntry[];
  /** Activities that lit up by their reminder (rule light time). */
  lit: ListEntry[];
  memory: NotifyMemory;
}

/** Above this many at once, one summary notification instead of one each. */
export const GROUP_FROM = 4;

/**
 * Compares the lists now with what was already seen. With no memory yet
 * (first sync, notifications just turned on) nothing is announced: only
 * what arrives later is.
 */
export function decideNotifications(
  lists: PersonLists,
  memory: NotifyMemory | null,
  lightTime: boolean,
): NotifyDecision {
  const planned = [...lists.planned.overdue, ...lists.planned.today, ...lists.planned.soon];
  const next: NotifyMemory = {
    incoming: [...new Set(lists.incoming.map((e) => e.activity.id))],
    planned: [...new Set(planned.map((e) => e.activity.id))],
  };
  if (!memory) return { incoming: [], lit: [], memory: next };
  const seenIncoming = new Set(memory.incoming);
  const seenPlanned = new Set(memory.planned);
  const once = (entries: ListEntry[], seen: Set<number>) => {
    const out = new Map<number, ListEntry>();
    for (const e of entries) if (!seen.has(e.activity.id) && !out.has(e.activity.id)) out.set(e.activity.id, e);
    return [...out.values()];
  };
  return {
    incoming: once(lists.incoming, seenIncoming),
    lit: lightTime ? once(planned, seenPlanned) : [],
    memory: next,
  };
}

/** Whether `now` (minutes since local midnight) falls in quiet hours (`from` may be after `to`: overnight). */
export function inQuietHours(minutesNow: number, from: string | null, to: string | null): boolean {
  if (!from || !to) return false;
  const m = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const a = m(from);
  const b = m(to);
  if (a === b) return false;
  return a < b ? minutesNow >= a && minutesNow < b : minutesNow >= a || minutesNow < b;
}
