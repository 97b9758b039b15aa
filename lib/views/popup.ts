// What the popup shows, computed in the background from the counter index.
// Plain data: no secret, no HTML, nothing the popup has to recount.
import { type CounterIndex, type CounterTotals, dayWindow, type ListEntry } from '../counters';
import { type CrmItem, EntityType, type ItemRef, type Person } from '../domain';
import { itemUrl } from '../crm-links';
import type { SyncStatus } from '../sync/schedule';
import { type ActivityKind, activityKind } from './activity-kind';

export interface PopupPerson {
  id: number;
  fullName: string;
  departmentIds: number[];
  /** All (Incoming + Planned) of that person, for the selector. */
  all: number;
}

export interface PopupEntry {
  entityTypeId: number;
  entityId: number;
  activityId: number;
  itemTitle: string;
  subject: string;
  kind: ActivityKind;
  /** Incoming: when it arrived. Planned: the deadline. */
  at: number | null;
  /** The item's responsible, when not the person shown. */
  responsibleName: string | null;
  url: string;
}

export interface PopupItem {
  entityTypeId: number;
  entityId: number;
  title: string;
  url: string;
}

/** A connected portal, for the popup's Portal select (shown with two or more). */
export interface PopupPortal {
  origin: string;
  /** The host, with `:port` when not the scheme's default. */
  host: string;
  /** All (Incoming + Planned) of its connected user; null before its first full sync. */
  all: number | null;
}

export interface PopupView {
  /** Every connected portal, in the order they were connected; the one shown is `connection.origin`. */
  portals: PopupPortal[];
  status: SyncStatus;
  connection: { origin: string; userId: number; userName: string } | null;
  personId: number | null;
  people: PopupPerson[];
  totals: CounterTotals | null;
  incoming: PopupEntry[];
  planned: { overdue: PopupEntry[]; today: PopupEntry[]; soon: PopupEntry[] };
  /** Open deals and leads of the person with no open activity (the Activities view's column). */
  withoutActivities: PopupItem[];
  /** Deal pipelines by id, for the breakdown. */
  dealCategoryNames: Record<number, string>;
  /** The portal refused a write before: Done and Postpone explain instead of trying. */
  writesRefused: boolean;
  /** The zone the person's day runs in, and today 00:00 there. */
  zone: string;
  todayStart: number;
  now: number;
}

export interface PopupInput {
  portals?: PopupPortal[];
  status: SyncStatus;
  connection: { origin: string; userId: number; userName: string } | null;
  index: CounterIndex | null;
  people: Person[];
  /** The chosen person; the connected user when null or unknown. */
  chosenId: number | null;
  dealCategoryNames?: Record<number, string>;
  browserZone: string;
  writesRefused?: boolean;
  now: number;
}

export function buildPopupView(input: PopupInput): PopupView {
  const { status, connection, index, now } = input;
  const empty: PopupView = {
    portals: input.portals ?? [],
    status,
    connection,
    personId: connection?.userId ?? null,
    people: [],
    totals: null,
    incoming: [],
    planned: { overdue: [], today: [], soon: [] },
    withoutActivities: [],
    dealCategoryNames: input.dealCategoryNames ?? {},
    writesRefused: input.writesRefused ?? false,
    zone: input.browserZone,
    todayStart: dayWindow(input.browserZone, now).todayStart,
    now,
  };
  if (!connection || !index) return empty;

  const byId = new Map(input.people.map((p) => [p.id, p]));
  const nameOf = (id: number) => byId.get(id)?.fullName ?? `#${id}`;
  const people = selectablePeople(index, input.people, connection.userId, now);
  const personId = people.some((p) => p.id === input.chosenId) ? input.chosenId! : connection.userId;
  const lists = index.lists(personId, now);
  const zone = index.zoneOf(personId);
  const entry = (e: ListEntry, at: number | null): PopupEntry => ({
    entityTypeId: e.item.entityTypeId,
    entityId: e.item.id,
    activityId: e.activity.id,
    itemTitle: e.item.title,
    subject: e.activity.subject,
    kind: activityKind(e.activity),
    at,
    responsibleName: e.item.responsibleId !== personId ? nameOf(e.item.responsibleId) : null,
    url: itemUrl(connection.origin, { entityTypeId: e.item.entityTypeId, entityId: e.item.id }),
  });
  const planned = (list: ListEntry[]) => list.map((e) => entry(e, e.activity.deadline));
  return {
    ...empty,
    zone,
    todayStart: dayWindow(zone, now).todayStart,
    personId,
    people,
    totals: index.totals(personId, now),
    incoming: lists.incoming.map((e) => entry(e, e.activity.created)),
    planned: {
      overdue: planned(lists.planned.overdue),
      today: planned(lists.planned.today),
      soon: planned(lists.planned.soon),
    },
    withoutActivities: withoutActivities(index, personId, connection.origin, now),
  };
}

/** The connected user first, then every other active person responsible for an open item, by name. */
export function selectablePeople(index: CounterIndex, people: Person[], userId: number, now: number): PopupPerson[] {
  const byId = new Map(people.map((p) => [p.id, p]));
  const view = (id: number): PopupPerson => {
    const p = byId.get(id);
    return {
      id,
      fullName: p?.fullName || `#${id}`,
      departmentIds: p?.departmentIds ?? [],
      all: index.totals(id, now).all,
    };
  };
  const others = index
    .responsibleIds()
    .filter((id) => id !== userId && id !== 0 && byId.get(id)?.active !== false && byId.has(id))
    .map(view)
    .sort((a, b) => a.fullName.localeCompare(b.fullName) || a.id - b.id);
  return [view(userId), ...others];
}

function withoutActivities(index: CounterIndex, personId: number, origin: string, now: number): PopupItem[] {
  const out: PopupItem[] = [];
  for (const item of index.itemsOf(personId)) {
    if (item.entityTypeId !== EntityType.deal && item.entityTypeId !== EntityType.lead) continue;
    const ref: ItemRef = { entityTypeId: item.entityTypeId, entityId: item.id };
    if (index.column(ref, personId, now) === 'withoutActivities') out.push(popupItem(item, origin));
  }
  return out.sort((a, b) => a.entityTypeId - b.entityTypeId || b.entityId - a.entityId);
}

function popupItem(item: CrmItem, origin: string): PopupItem {
  const ref = { entityTypeId: item.entityTypeId, entityId: item.id };
  return { ...ref, title: item.title, url: itemUrl(origin, ref) };
}
