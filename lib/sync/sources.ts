// The lists the sync reads, as batch commands, and how their rows narrow.
import { type BatchCommand, listRows, ref } from '../bitrix/batch';
import { ACTIVITY_SELECT, ITEM_SELECT, narrowActivity, narrowLegacyItem, narrowRows, narrowSmartItem, SMART_ITEM_SELECT } from '../bitrix/wire';
import { type CrmActivity, type CrmItem, EntityType, type StageSemantic } from '../domain';
import { CLASSIC_LIST_METHOD } from './context';

/** A list scanned with `>ID` + `order ID ASC` + `start: -1`. */
export interface ScanSource {
  key: string;
  /** Command for the page after `after` (an ID, or a `$result[...]` reference). */
  page(after: number | string, extraFilter?: Record<string, unknown>): BatchCommand;
  /** Reference to the last ID of a full page answered under `key`. */
  lastIdRef(key: string): string;
  /** ID of a raw row (for cursors), or null. */
  rowId(row: unknown): number | null;
}

const idOf = (field: string) => (row: unknown) => {
  if (!row || typeof row !== 'object') return null;
  const n = Number((row as Record<string, unknown>)[field]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

export function activitySource(filter: Record<string, unknown>): ScanSource {
  return {
    key: 'activities',
    page: (after, extra) => ({
      method: 'crm.activity.list',
      params: { filter: { ...filter, ...extra, '>ID': after }, order: { ID: 'ASC' }, select: ACTIVITY_SELECT, start: -1 },
    }),
    lastIdRef: (key) => ref(key, 49, 'ID'),
    rowId: idOf('ID'),
  };
}

/** Open items of one scanned type (deals, leads, smart processes); contacts and companies are fetched by ID. */
export function itemSource(entityTypeId: number, stageSemantics: ReadonlyMap<string, StageSemantic>): ScanSource {
  if (entityTypeId === EntityType.deal || entityTypeId === EntityType.lead) {
    const filter =
      entityTypeId === EntityType.deal ? { STAGE_SEMANTIC_ID: 'P', IS_RECURRING: 'N' } : { STATUS_SEMANTIC_ID: 'P' };
    return {
      key: `items:${entityTypeId}`,
      page: (after, extra) => ({
        method: CLASSIC_LIST_METHOD[entityTypeId],
        params: { filter: { ...filter, ...extra, '>ID': after }, order: { ID: 'ASC' }, select: ITEM_SELECT[entityTypeId], start: -1 },
      }),
      lastIdRef: (key) => ref(key, 49, 'ID'),
      rowId: idOf('ID'),
    };
  }
  const open = [...stageSemantics].filter(([id, s]) => s === 'P' && id.startsWith(`DT${entityTypeId}_`)).map(([id]) => id);
  const filter: Record<string, unknown> = open.length ? { '@stageId': open } : {};
  return {
    key: `items:${entityTypeId}`,
    page: (after, extra) => ({
      method: 'crm.item.list',
      params: { entityTypeId, filter: { ...filter, ...extra, '>id': after }, order: { id: 'ASC' }, select: SMART_ITEM_SELECT, start: -1 },
    }),
    lastIdRef: (key) => ref(key, 'items', 49, 'id'),
    rowId: idOf('id'),
  };
}

/** Items changed since `since` (portal date-time), open or not: the poll sees closes and reassignments. */
export function changedItemsCommand(entityTypeId: number, since: string, after = 0): BatchCommand {
  if (CLASSIC_LIST_METHOD[entityTypeId]) {
    return {
      method: CLASSIC_LIST_METHOD[entityTypeId],
      params: { filter: { '>DATE_MODIFY': since, '>ID': after }, order: { ID: 'ASC' }, select: ITEM_SELECT[entityTypeId], start: -1 },
    };
  }
  return {
    method: 'crm.item.list',
    params: { entityTypeId, filter: { '>updatedTime': since, '>id': after }, order: { id: 'ASC' }, select: SMART_ITEM_SELECT, start: -1 },
  };
}

/** Contacts or companies by ID, at most 50. */
export function itemsByIdCommand(entityTypeId: number, ids: number[]): BatchCommand {
  if (!CLASSIC_LIST_METHOD[entityTypeId]) {
    return {
      method: 'crm.item.list',
      params: { entityTypeId, filter: { '@id': ids }, order: { id: 'ASC' }, select: SMART_ITEM_SELECT, start: -1 },
    };
  }
  return {
    method: CLASSIC_LIST_METHOD[entityTypeId],
    params: { filter: { '@ID': ids }, order: { ID: 'ASC' }, select: ITEM_SELECT[entityTypeId], start: -1 },
  };
}

export function narrowItems(
  entityTypeId: number,
  result: unknown,
  stageSemantics: ReadonlyMap<string, StageSemantic>,
  offset: number,
  log: (m: string) => void,
): CrmItem[] {
  const rows = listRows(result);
  return CLASSIC_LIST_METHOD[entityTypeId]
    ? narrowRows(rows, (r) => narrowLegacyItem(entityTypeId, r, offset), log)
    : narrowRows(rows, (r) => narrowSmartItem(entityTypeId, r, stageSemantics, offset), log);
}

export function narrowActivities(result: unknown, offset: number, log: (m: string) => void): CrmActivity[] {
  return narrowRows(listRows(result), (r) => narrowActivity(r, offset), log);
}

/** Open by counters.md (deals not recurring, leads and smart processes in progress, companies not "my company"). */
export function isStoredOpen(item: CrmItem): boolean {
  if (item.entityTypeId === EntityType.deal) return item.stageSemantic === 'P' && !item.isRecurring;
  if (item.entityTypeId === EntityType.contact) return true;
  if (item.entityTypeId === EntityType.company) return true;
  return item.stageSemantic === 'P';
}
