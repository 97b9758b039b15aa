// Domain records: what the store keeps and the counters read. REST wire types
// are narrowed into these once, at the edge (lib/bitrix, lib/sync).

/** Bitrix24 CRM entity type ids; smart processes use their own (128 and up, or 31 for invoices). */
export const EntityType = {
  lead: 1,
  deal: 2,
  contact: 3,
  company: 4,
} as const;

export interface ItemRef {
  entityTypeId: number;
  entityId: number;
}

/** A stable string key for an item, e.g. `2:15`. */
export function itemKey(ref: ItemRef): string {
  return `${ref.entityTypeId}:${ref.entityId}`;
}

/** Stage semantics as Bitrix24 reports them: P = in progress, S = success, F = failure. */
export type StageSemantic = 'P' | 'S' | 'F';

/** A CRM item: lead, deal, contact, company or smart-process item. */
export interface CrmItem {
  entityTypeId: number;
  id: number;
  /** Deals, leads, companies, smart processes: TITLE. Contacts: full name. */
  title: string;
  /** ASSIGNED_BY_ID; 0 = unassigned. */
  responsibleId: number;
  /** Deals STAGE_SEMANTIC_ID, leads STATUS_SEMANTIC_ID, smart-process stage semantics; null where the type has none (contacts, companies). */
  stageSemantic: StageSemantic | null;
  stageId: string | null;
  /** Deal pipeline (CATEGORY_ID) or smart-process category; null elsewhere. */
  categoryId: number | null;
  /** Deals: IS_RECURRING = 'Y'. */
  isRecurring: boolean;
  /** Companies: IS_MY_COMPANY = 'Y'. */
  isMyCompany: boolean;
  /** DATE_MODIFY / updatedTime, epoch ms. */
  updatedAt: number;
}

/** A row of crm.activity.list, narrowed. Times are epoch ms. */
export interface CrmActivity {
  id: number;
  ownerTypeId: number;
  ownerId: number;
  /** Every item the activity is bound to, the owner included (crm.activity.binding.list). */
  bindings: ItemRef[];
  /** TYPE_ID: 1 meeting, 2 call, 3 task, 4 e-mail, 5 calendar import, 6 provider. */
  typeId: number;
  providerId: string;
  providerTypeId: string;
  /** DIRECTION: 0 none, 1 incoming, 2 outgoing. */
  direction: number;
  completed: boolean;
  /** STATUS: 1 waiting, 2 completed, 3 auto-completed. */
  status: number;
  subject: string;
  responsibleId: number;
  created: number | null;
  startTime: number | null;
  endTime: number | null;
  /** DEADLINE as an instant; null when empty or in year 9999 ("no deadline"). */
  deadline: number | null;
  /** NOTIFY_TYPE: 0 none, 1 minutes, 2 hours, 3 days. */
  notifyType: number;
  notifyValue: number;
  /**
   * The activity's reminder ("ping") offsets, minutes before the deadline
   * (to-dos, tasks, configurable activities keep a list of them). Absent when
   * not read from the portal; then rule light time falls back to NOTIFY.
   */
  pingOffsets?: readonly number[];
  /** IS_INCOMING_CHANNEL; null when the portal did not return the field. */
  isIncomingChannel: boolean | null;
  /** SETTINGS.MISSED_CALL on calls. */
  missedCall: boolean;
  lastUpdated: number;
}

/** An employee (user.get / user.current). */
export interface Person {
  id: number;
  name: string;
  lastName: string;
  /** `NAME LAST_NAME` trimmed; `NAME` alone without a last name. */
  fullName: string;
  /** IANA zone of the profile, or null when the profile has none. */
  timeZone: string | null;
  departmentIds: number[];
  active: boolean;
}

export interface Department {
  id: number;
  name: string;
  parentId: number | null;
}

/** `NAME LAST_NAME`, trimmed; `NAME` alone when there is no last name. */
export function fullName(name: string, lastName: string): string {
  return `${name.trim()} ${lastName.trim()}`.trim();
}
