// Wire rows → domain records, once, at the edge. Legacy lists send strings
// everywhere (`"Y"`/`"N"`, IDs as strings, `""` for empty dates);
// crm.item.list sends camelCase, integers and nulls. A malformed row is
// rejected with a reason instead of being half-read.
import { parseDeadline } from '../counters';
import { type CrmActivity, type CrmItem, type Department, EntityType, fullName, type ItemRef, type Person, type StageSemantic } from '../domain';

export type Narrowed<T> = { ok: true; value: T } | { ok: false; reason: string };

type Row = Record<string, unknown>;

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first of `keys` the row lacks. A row from a narrower select than the
 * product's (the docs' examples are such rows) must not be read as "no
 * responsible" or "not recurring": a selected field always comes back, if
 * only as null or "".
 */
function missingKey(row: Row, keys: readonly string[]): string | null {
  for (const k of keys) if (!(k in row)) return k;
  return null;
}

/** A positive integer from `"15"` or `15`; null otherwise. */
export function wireId(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** An integer ≥ 0, `""`/null as `fallback`. */
function wireInt(value: unknown, fallback = 0): number {
  if (value === null || value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

function wireText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function wireBool(value: unknown): boolean {
  return value === true || value === 'Y' || value === 'y' || value === 1 || value === '1';
}

function wireSemantic(value: unknown): StageSemantic | null {
  return value === 'P' || value === 'S' || value === 'F' ? value : null;
}

/** An instant from an ISO date-time; one without offset is read in the portal's. */
export function wireTime(value: unknown, portalOffsetMinutes: number): number | null {
  return typeof value === 'string' && value !== '' ? parseDeadline(value, portalOffsetMinutes) : null;
}

/** `+03:00` at the end of `2026-05-13T18:00:00+03:00`, in minutes east of UTC; null when absent. */
export function offsetOfDateTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(value.trim());
  if (!m) return /Z$/i.test(value.trim()) ? 0 : null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Formats an instant in the portal's offset, as filters expect it: `2026-05-13T18:00:00+03:00`. */
export function portalDateTime(ms: number, portalOffsetMinutes: number): string {
  const local = new Date(ms + portalOffsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = portalOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(portalOffsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const ACTIVITY_SELECT = [
  'ID',
  'OWNER_TYPE_ID',
  'OWNER_ID',
  'TYPE_ID',
  'PROVIDER_ID',
  'PROVIDER_TYPE_ID',
  'DIRECTION',
  'COMPLETED',
  'STATUS',
  'SUBJECT',
  'CREATED',
  'START_TIME',
  'END_TIME',
  'DEADLINE',
  'RESPONSIBLE_ID',
  'NOTIFY_TYPE',
  'NOTIFY_VALUE',
  'LAST_UPDATED',
  'SETTINGS',
  'IS_INCOMING_CHANNEL',
];

/**
 * An activity row. Bindings start as the owner alone; the sync adds the
 * secondary ones from crm.activity.binding.list or per-item look-ups.
 */
export function narrowActivity(value: unknown, portalOffsetMinutes: number): Narrowed<CrmActivity> {
  if (!isRow(value)) return fail('activity: not an object');
  const id = wireId(value.ID);
  if (id === null) return fail(`activity: bad ID ${JSON.stringify(value.ID)}`);
  const ownerTypeId = wireId(value.OWNER_TYPE_ID);
  const ownerId = wireId(value.OWNER_ID);
  if (ownerTypeId === null || ownerId === null) return fail(`activity ${id}: bad owner`);
  const lastUpdated = wireTime(value.LAST_UPDATED, portalOffsetMinutes);
  if (lastUpdated === null) return fail(`activity ${id}: bad LAST_UPDATED`);
  if (value.COMPLETED !== 'Y' && value.COMPLETED !== 'N' && typeof value.COMPLETED !== 'boolean') {
    return fail(`activity ${id}: bad COMPLETED`);
  }
  const absent = missingKey(value, ['RESPONSIBLE_ID', 'DEADLINE']);
  if (absent) return fail(`activity ${id}: no ${absent} (trimmed select?)`);
  const settings = isRow(value.SETTINGS) ? value.SETTINGS : {};
  const incoming = value.IS_INCOMING_CHANNEL;
  return {
    ok: true,
    value: {
      id,
      ownerTypeId,
      ownerId,
      bindings: [{ entityTypeId: ownerTypeId, entityId: ownerId }],
      typeId: wireInt(value.TYPE_ID),
      providerId: wireText(value.PROVIDER_ID),
      providerTypeId: wireText(value.PROVIDER_TYPE_ID),
      direction: wireInt(value.DIRECTION),
      completed: wireBool(value.COMPLETED),
      status: wireInt(value.STATUS, 1),
      subject: wireText(value.SUBJECT),
      responsibleId: wireInt(value.RESPONSIBLE_ID),
      created: wireTime(value.CREATED, portalOffsetMinutes),
      startTime: wireTime(value.START_TIME, portalOffsetMinutes),
      endTime: wireTime(value.END_TIME, portalOffsetMinutes),
      deadline: wireTime(value.DEADLINE, portalOffsetMinutes),
      notifyType: wireInt(value.NOTIFY_TYPE),
      notifyValue: wireInt(value.NOTIFY_VALUE),
      isIncomingChannel: incoming === undefined || incoming === null || incoming === '' ? null : wireBool(incoming),
      missedCall: wireBool(settings.MISSED_CALL),
      lastUpdated,
    },
  };
}

/** `[{entityTypeId, entityId}]` of crm.activity.binding.list. */
export function narrowBindings(value: unknown): Narrowed<ItemRef[]> {
  if (!Array.isArray(value)) return fail('bindings: not a list');
  const refs: ItemRef[] = [];
  for (const row of value) {
    if (!isRow(row)) return fail('bindings: a row is not an object');
    const entityTypeId = wireId(row.entityTypeId ?? row.ENTITY_TYPE_ID ?? row.OWNER_TYPE_ID);
    const entityId = wireId(row.entityId ?? row.ENTITY_ID ?? row.OWNER_ID);
    if (entityTypeId === null || entityId === null) return fail('bindings: bad entity');
    refs.push({ entityTypeId, entityId });
  }
  return { ok: true, value: refs };
}

export const ITEM_SELECT: Record<number, string[]> = {
  [EntityType.deal]: ['ID', 'TITLE', 'ASSIGNED_BY_ID', 'STAGE_ID', 'STAGE_SEMANTIC_ID', 'CATEGORY_ID', 'IS_RECURRING', 'CLOSED', 'DATE_MODIFY', 'CONTACT_ID', 'COMPANY_ID'],
  [EntityType.lead]: ['ID', 'TITLE', 'ASSIGNED_BY_ID', 'STATUS_ID', 'STATUS_SEMANTIC_ID', 'DATE_MODIFY'],
  [EntityType.contact]: ['ID', 'NAME', 'LAST_NAME', 'ASSIGNED_BY_ID', 'DATE_MODIFY'],
  [EntityType.company]: ['ID', 'TITLE', 'ASSIGNED_BY_ID', 'IS_MY_COMPANY', 'DATE_MODIFY'],
};

export const SMART_ITEM_SELECT = ['id', 'title', 'assignedById', 'stageId', 'categoryId', 'updatedTime', 'entityTypeId', 'contactId', 'companyId'];

/**
 * The contact and company a deal or smart-process row names (CONTACT_ID,
 * COMPANY_ID / contactId, companyId): where the portal puts an item's
 * activities' secondary bindings.
 */
export function clientRefsOf(value: unknown): ItemRef[] {
  if (!isRow(value)) return [];
  const refs: ItemRef[] = [];
  const contact = wireId(value.CONTACT_ID ?? value.contactId);
  const company = wireId(value.COMPANY_ID ?? value.companyId);
  if (contact !== null) refs.push({ entityTypeId: EntityType.contact, entityId: contact });
  if (company !== null) refs.push({ entityTypeId: EntityType.company, entityId: company });
  return refs;
}

/** Fields that change how an item counts and have no safe default when absent. */
const LEGACY_REQUIRED: Record<number, readonly string[]> = {
  [EntityType.deal]: ['ASSIGNED_BY_ID', 'IS_RECURRING'],
  [EntityType.company]: ['ASSIGNED_BY_ID', 'IS_MY_COMPANY'],
};

/** A row of crm.deal.list, crm.lead.list, crm.contact.list or crm.company.list. */
export function narrowLegacyItem(entityTypeId: number, value: unknown, portalOffsetMinutes: number): Narrowed<CrmItem> {
  if (!isRow(value)) return fail(`item ${entityTypeId}: not an object`);
  const id = wireId(value.ID);
  if (id === null) return fail(`item ${entityTypeId}: bad ID ${JSON.stringify(value.ID)}`);
  const updatedAt = wireTime(value.DATE_MODIFY, portalOffsetMinutes);
  if (updatedAt === null) return fail(`item ${entityTypeId}:${id}: bad DATE_MODIFY`);
  const absent = missingKey(value, LEGACY_REQUIRED[entityTypeId] ?? ['ASSIGNED_BY_ID']);
  if (absent) return fail(`item ${entityTypeId}:${id}: no ${absent} (trimmed select?)`);
  const base: CrmItem = {
    entityTypeId,
    id,
    title: wireText(value.TITLE),
    responsibleId: wireInt(value.ASSIGNED_BY_ID),
    stageSemantic: null,
    stageId: null,
    categoryId: null,
    isRecurring: false,
    isMyCompany: false,
    updatedAt,
  };
  switch (entityTypeId) {
    case EntityType.deal: {
      const semantic = wireSemantic(value.STAGE_SEMANTIC_ID);
      if (semantic === null) return fail(`deal ${id}: bad STAGE_SEMANTIC_ID`);
      return {
        ok: true,
        value: {
          ...base,
          stageSemantic: semantic,
          stageId: wireText(value.STAGE_ID) || null,
          categoryId: wireInt(value.CATEGORY_ID),
          isRecurring: wireBool(value.IS_RECURRING),
        },
      };
    }
    case EntityType.lead: {
      const semantic = wireSemantic(value.STATUS_SEMANTIC_ID);
      if (semantic === null) return fail(`lead ${id}: bad STATUS_SEMANTIC_ID`);
      return { ok: true, value: { ...base, stageSemantic: semantic, stageId: wireText(value.STATUS_ID) || null } };
    }
    case EntityType.contact:
      return { ok: true, value: { ...base, title: fullName(wireText(value.NAME), wireText(value.LAST_NAME)) } };
    case EntityType.company:
      return { ok: true, value: { ...base, isMyCompany: wireBool(value.IS_MY_COMPANY) } };
    default:
      return fail(`item: ${entityTypeId} is not a legacy type`);
  }
}

/** A row of crm.item.list; `stageSemantics` maps stage ids to P/S/F (crm.status.list). */
export function narrowSmartItem(
  entityTypeId: number,
  value: unknown,
  stageSemantics: ReadonlyMap<string, StageSemantic>,
  portalOffsetMinutes: number,
): Narrowed<CrmItem> {
  if (!isRow(value)) return fail(`item ${entityTypeId}: not an object`);
  const id = wireId(value.id);
  if (id === null) return fail(`item ${entityTypeId}: bad id ${JSON.stringify(value.id)}`);
  const updatedAt = wireTime(value.updatedTime, portalOffsetMinutes);
  if (updatedAt === null) return fail(`item ${entityTypeId}:${id}: bad updatedTime`);
  if (!('assignedById' in value)) return fail(`item ${entityTypeId}:${id}: no assignedById (trimmed select?)`);
  const stageId = wireText(value.stageId) || null;
  const explicit = wireSemantic(value.stageSemanticId);
  return {
    ok: true,
    value: {
      entityTypeId,
      id,
      title: wireText(value.title),
      responsibleId: wireInt(value.assignedById),
      stageSemantic: explicit ?? (stageId ? (stageSemantics.get(stageId) ?? 'P') : 'P'),
      stageId,
      categoryId: value.categoryId === null || value.categoryId === undefined ? null : wireInt(value.categoryId),
      isRecurring: false,
      isMyCompany: false,
      updatedAt,
    },
  };
}

/** A row of user.get / user.current. */
export function narrowPerson(value: unknown): Narrowed<Person> {
  if (!isRow(value)) return fail('user: not an object');
  const id = wireId(value.ID);
  if (id === null) return fail(`user: bad ID ${JSON.stringify(value.ID)}`);
  const name = wireText(value.NAME);
  const lastName = wireText(value.LAST_NAME);
  const departments = Array.isArray(value.UF_DEPARTMENT) ? value.UF_DEPARTMENT : [];
  const zone = wireText(value.TIME_ZONE).trim();
  return {
    ok: true,
    value: {
      id,
      name,
      lastName,
      fullName: fullName(name, lastName) || `#${id}`,
      timeZone: zone || null,
      departmentIds: departments.map(wireId).filter((d): d is number => d !== null),
      active: value.ACTIVE === undefined ? true : wireBool(value.ACTIVE),
    },
  };
}

/** A row of department.get. */
export function narrowDepartment(value: unknown): Narrowed<Department> {
  if (!isRow(value)) return fail('department: not an object');
  const id = wireId(value.ID);
  if (id === null) return fail(`department: bad ID ${JSON.stringify(value.ID)}`);
  return { ok: true, value: { id, name: wireText(value.NAME), parentId: wireId(value.PARENT) } };
}

/** crm.status.list rows → stage id → semantic (`SEMANTICS` null means in progress). */
export function narrowStageSemantics(value: unknown): Map<string, StageSemantic> {
  const map = new Map<string, StageSemantic>();
  if (!Array.isArray(value)) return map;
  for (const row of value) {
    if (!isRow(row)) continue;
    const statusId = wireText(row.STATUS_ID);
    if (!statusId) continue;
    const extra = isRow(row.EXTRA) ? wireText(row.EXTRA.SEMANTICS) : '';
    const semantic =
      wireSemantic(row.SEMANTICS) ?? (extra === 'success' ? 'S' : extra === 'failure' ? 'F' : 'P');
    map.set(statusId, semantic);
  }
  return map;
}

/** crm.type.list → the entity type ids of smart processes with counters on. */
export function narrowCountedSmartTypes(value: unknown): number[] {
  const types = isRow(value) && Array.isArray(value.types) ? value.types : Array.isArray(value) ? value : [];
  const ids: number[] = [];
  for (const t of types) {
    if (!isRow(t)) continue;
    const id = wireId(t.entityTypeId);
    if (id !== null && wireBool(t.isCountersEnabled)) ids.push(id);
  }
  return ids;
}

/** Narrows every row, logging and dropping the malformed ones. */
export function narrowRows<T>(rows: unknown[], narrow: (row: unknown) => Narrowed<T>, log: (reason: string) => void): T[] {
  const out: T[] = [];
  for (const row of rows) {
    const n = narrow(row);
    if (n.ok) out.push(n.value);
    else log(`rejected row: ${n.reason}`);
  }
  return out;
}

/** crm.category.list (entityTypeId 2) → deal pipeline names by CATEGORY_ID. */
export function narrowDealCategories(value: unknown): Record<number, string> {
  const rows = isRow(value) && Array.isArray(value.categories) ? value.categories : [];
  const out: Record<number, string> = {};
  for (const row of rows) {
    if (!isRow(row)) continue;
    const rawId = wireText(row.id);
    const id = Number(rawId);
    const name = wireText(row.name).trim();
    if (/^[0-9]+$/.test(rawId) && Number.isSafeInteger(id) && name) out[id] = name.slice(0, 200);
  }
  return out;
}
