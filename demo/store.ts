// The demo portal's in-memory CRM. Records keep typed values (numbers, epoch
// ms, booleans); the REST layer turns them into Bitrix24's wire shapes.
// Maps keep insertion order, and IDs only grow, so iterating a map walks IDs
// in ascending order.

import type { CounterListConfig } from './counter-list.ts';

export interface DemoUser {
  id: number;
  name: string;
  lastName: string;
  email: string;
  /** IANA zone, or '' when the profile has none. */
  timeZone: string;
  departmentIds: number[];
  active: boolean;
  workPosition: string;
  gender: 'M' | 'F' | '';
  isAdmin: boolean;
  dateRegister: number;
  /** Set on accounts that are not employees (`bot`, `imconnector`, `shop`, ...): Bitrix24's external user types. */
  externalType?: string;
}

export interface DemoDepartment {
  id: number;
  name: string;
  parentId: number | null;
  headId: number | null;
  sort: number;
}

export interface DemoStage {
  /** STATUS_ID, e.g. `NEW`, `C1:WON`, `DT128_5:NEW`. */
  statusId: string;
  /** ENTITY_ID in crm.status.list, e.g. `DEAL_STAGE`, `DEAL_STAGE_1`, `STATUS`, `DYNAMIC_128_STAGE_5`. */
  entityId: string;
  name: string;
  sort: number;
  semantic: 'P' | 'S' | 'F';
  categoryId: number | null;
  color: string;
}

export interface DemoDeal {
  id: number;
  title: string;
  assignedById: number;
  stageId: string;
  categoryId: number;
  isRecurring: boolean;
  contactId: number | null;
  companyId: number | null;
  opportunity: number;
  currencyId: string;
  createdBy: number;
  dateCreate: number;
  dateModify: number;
}

export interface DemoLead {
  id: number;
  title: string;
  name: string;
  lastName: string;
  assignedById: number;
  statusId: string;
  createdBy: number;
  dateCreate: number;
  dateModify: number;
}

export interface DemoContact {
  id: number;
  name: string;
  lastName: string;
  assignedById: number;
  companyId: number | null;
  email: string;
  createdBy: number;
  dateCreate: number;
  dateModify: number;
}

export interface DemoCompany {
  id: number;
  title: string;
  assignedById: number;
  isMyCompany: boolean;
  createdBy: number;
  dateCreate: number;
  dateModify: number;
}

export interface DemoSmartType {
  id: number;
  entityTypeId: number;
  title: string;
  isCountersEnabled: boolean;
  /** Category ids; the first is the default. */
  categoryIds: number[];
  createdTime: number;
  updatedTime: number;
}

export interface DemoSmartItem {
  id: number;
  entityTypeId: number;
  title: string;
  assignedById: number;
  stageId: string;
  categoryId: number;
  contactId: number | null;
  companyId: number | null;
  createdBy: number;
  createdTime: number;
  updatedTime: number;
}

export interface ItemRef {
  entityTypeId: number;
  entityId: number;
}

export interface DemoActivity {
  id: number;
  ownerTypeId: number;
  ownerId: number;
  /** All bindings, the owner first. */
  bindings: ItemRef[];
  typeId: number;
  providerId: string;
  providerTypeId: string;
  direction: number;
  completed: boolean;
  status: number;
  subject: string;
  description: string;
  priority: number;
  responsibleId: number;
  authorId: number;
  created: number;
  startTime: number | null;
  endTime: number | null;
  /** null = "no deadline" (the wire shows year 9999). */
  deadline: number | null;
  notifyType: number;
  notifyValue: number;
  /**
   * Reminder ("ping") offsets, minutes before the deadline: Bitrix24 keeps
   * them apart from the activity row (crm module, table b_crm_act_ping_offsets,
   * `ActivityPingOffsetsTable`), so crm.activity.list never returns them;
   * crm.activity.todo.fetchSettings does (`entityData.pingOffsets`). Absent
   * or empty: none, and the light time falls back to NOTIFY.
   */
  pingOffsets?: number[];
  lastUpdated: number;
  settings: Record<string, unknown>;
  isIncomingChannel: boolean;
}

export interface DemoCategory {
  id: number;
  name: string;
  sort: number;
}

export interface DemoStore {
  users: Map<number, DemoUser>;
  /**
   * Accounts of external types (bots, connectors, shop customers). Kept out of
   * `users` so that user.get, rights and every count of employees ignore them;
   * they can sign in to the portal, and session REST refuses them.
   */
  externalUsers: Map<number, DemoUser>;
  /** Deal pipelines (CATEGORY_ID → pipeline). */
  dealCategories: Map<number, DemoCategory>;
  departments: Map<number, DemoDepartment>;
  stages: DemoStage[];
  deals: Map<number, DemoDeal>;
  leads: Map<number, DemoLead>;
  contacts: Map<number, DemoContact>;
  companies: Map<number, DemoCompany>;
  smartTypes: Map<number, DemoSmartType>;
  /** Keyed by entityTypeId, then item id. */
  smartItems: Map<number, Map<number, DemoSmartItem>>;
  activities: Map<number, DemoActivity>;
  /** `entityTypeId:entityId` → activities bound to that item. Kept in step by {@link bindActivity}/{@link unbindActivity}. */
  bindingIndex: Map<string, Set<DemoActivity>>;
  nextId: { deal: number; lead: number; contact: number; company: number; smartItem: number; activity: number };
  /** crm.counter.list (demo/counter-list.ts): off unless switched on. */
  counterList?: CounterListConfig;
}

export function refKey(entityTypeId: number, entityId: number): string {
  return `${entityTypeId}:${entityId}`;
}

export function emptyStore(): DemoStore {
  return {
    users: new Map(),
    externalUsers: new Map(),
    dealCategories: new Map(),
    departments: new Map(),
    stages: [],
    deals: new Map(),
    leads: new Map(),
    contacts: new Map(),
    companies: new Map(),
    smartTypes: new Map(),
    smartItems: new Map(),
    activities: new Map(),
    bindingIndex: new Map(),
    nextId: { deal: 1, lead: 1, contact: 1, company: 1, smartItem: 1, activity: 1 },
  };
}

export function bindActivity(store: DemoStore, activity: DemoActivity, ref: ItemRef): boolean {
  if (activity.bindings.some((b) => b.entityTypeId === ref.entityTypeId && b.entityId === ref.entityId)) return false;
  activity.bindings.push({ entityTypeId: ref.entityTypeId, entityId: ref.entityId });
  const key = refKey(ref.entityTypeId, ref.entityId);
  let set = store.bindingIndex.get(key);
  if (!set) {
    set = new Set();
    store.bindingIndex.set(key, set);
  }
  set.add(activity);
  return true;
}

export function unbindActivity(store: DemoStore, activity: DemoActivity, ref: ItemRef): boolean {
  const i = activity.bindings.findIndex((b) => b.entityTypeId === ref.entityTypeId && b.entityId === ref.entityId);
  if (i < 0) return false;
  activity.bindings.splice(i, 1);
  store.bindingIndex.get(refKey(ref.entityTypeId, ref.entityId))?.delete(activity);
  return true;
}

export function insertActivity(store: DemoStore, activity: DemoActivity): void {
  const refs = activity.bindings;
  activity.bindings = [];
  store.activities.set(activity.id, activity);
  for (const ref of refs) bindActivity(store, activity, ref);
  if (activity.id >= store.nextId.activity) store.nextId.activity = activity.id + 1;
}

export function removeActivity(store: DemoStore, activity: DemoActivity): void {
  for (const ref of [...activity.bindings]) unbindActivity(store, activity, ref);
  store.activities.delete(activity.id);
}

export function stageOf(store: DemoStore, statusId: string): DemoStage | undefined {
  return store.stages.find((s) => s.statusId === statusId);
}

/** P, S or F for a deal stage, lead status or smart-process stage id. */
export function semanticOf(store: DemoStore, statusId: string): 'P' | 'S' | 'F' {
  return stageOf(store, statusId)?.semantic ?? 'P';
}

/** Title of any item (contacts: full name), for pages. */
export function itemTitle(store: DemoStore, ref: ItemRef): string | null {
  switch (ref.entityTypeId) {
    case 1:
      return store.leads.get(ref.entityId)?.title ?? null;
    case 2:
      return store.deals.get(ref.entityId)?.title ?? null;
    case 3: {
      const c = store.contacts.get(ref.entityId);
      return c ? `${c.name} ${c.lastName}`.trim() : null;
    }
    case 4:
      return store.companies.get(ref.entityId)?.title ?? null;
    default:
      return store.smartItems.get(ref.entityTypeId)?.get(ref.entityId)?.title ?? null;
  }
}
