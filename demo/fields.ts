// Field tables: how each stored record reads in Bitrix24's wire names.

import { noDeadlineInstant } from './dates.ts';
import type { FieldSpecs } from './legacy.ts';
import {
  type DemoActivity,
  type DemoCompany,
  type DemoContact,
  type DemoDeal,
  type DemoLead,
  type DemoSmartItem,
  type DemoStore,
  semanticOf,
} from './store.ts';

export function activityFields(offsetMinutes: number): FieldSpecs<DemoActivity> {
  const noDeadline = noDeadlineInstant(offsetMinutes);
  return {
    ID: { kind: 'int', get: (a) => a.id },
    OWNER_ID: { kind: 'int', get: (a) => a.ownerId },
    OWNER_TYPE_ID: { kind: 'int', get: (a) => a.ownerTypeId },
    TYPE_ID: { kind: 'int', get: (a) => a.typeId },
    PROVIDER_ID: { kind: 'string', get: (a) => a.providerId },
    PROVIDER_TYPE_ID: { kind: 'string', get: (a) => a.providerTypeId },
    PROVIDER_GROUP_ID: { kind: 'string', get: () => null },
    ASSOCIATED_ENTITY_ID: { kind: 'int', get: (a) => a.id },
    SUBJECT: { kind: 'string', get: (a) => a.subject },
    CREATED: { kind: 'date', get: (a) => a.created },
    LAST_UPDATED: { kind: 'date', get: (a) => a.lastUpdated },
    START_TIME: { kind: 'date', get: (a) => a.startTime },
    END_TIME: { kind: 'date', get: (a) => a.endTime },
    DEADLINE: { kind: 'date', get: (a) => a.deadline ?? noDeadline },
    COMPLETED: { kind: 'yn', get: (a) => a.completed },
    STATUS: { kind: 'int', get: (a) => a.status },
    RESPONSIBLE_ID: { kind: 'int', get: (a) => a.responsibleId },
    PRIORITY: { kind: 'int', get: (a) => a.priority },
    NOTIFY_TYPE: { kind: 'int', get: (a) => a.notifyType },
    NOTIFY_VALUE: { kind: 'int', get: (a) => a.notifyValue },
    DESCRIPTION: { kind: 'string', get: (a) => a.description },
    DESCRIPTION_TYPE: { kind: 'int', get: () => 1 },
    DIRECTION: { kind: 'int', get: (a) => a.direction },
    LOCATION: { kind: 'string', get: () => '' },
    SETTINGS: { kind: 'object', get: (a) => a.settings },
    ORIGINATOR_ID: { kind: 'string', get: () => null },
    ORIGIN_ID: { kind: 'string', get: () => null },
    AUTHOR_ID: { kind: 'int', get: (a) => a.authorId },
    EDITOR_ID: { kind: 'int', get: (a) => a.authorId },
    IS_INCOMING_CHANNEL: { kind: 'yn', get: (a) => a.isIncomingChannel, inDefault: false, filterable: false },
  };
}

export function dealFields(store: DemoStore): FieldSpecs<DemoDeal> {
  return {
    ID: { kind: 'int', get: (d) => d.id },
    TITLE: { kind: 'string', get: (d) => d.title },
    TYPE_ID: { kind: 'string', get: () => 'SALE' },
    STAGE_ID: { kind: 'string', get: (d) => d.stageId },
    STAGE_SEMANTIC_ID: { kind: 'string', get: (d) => semanticOf(store, d.stageId) },
    CATEGORY_ID: { kind: 'int', get: (d) => d.categoryId },
    PROBABILITY: { kind: 'int', get: () => null },
    CURRENCY_ID: { kind: 'string', get: (d) => d.currencyId },
    OPPORTUNITY: { kind: 'float', get: (d) => d.opportunity },
    IS_MANUAL_OPPORTUNITY: { kind: 'yn', get: () => false },
    COMPANY_ID: { kind: 'int', get: (d) => d.companyId ?? 0 },
    CONTACT_ID: { kind: 'int', get: (d) => d.contactId },
    BEGINDATE: { kind: 'date', get: (d) => d.dateCreate },
    CLOSEDATE: { kind: 'date', get: (d) => d.dateCreate + 30 * 86_400_000 },
    OPENED: { kind: 'yn', get: () => true },
    CLOSED: { kind: 'yn', get: (d) => semanticOf(store, d.stageId) !== 'P' },
    ASSIGNED_BY_ID: { kind: 'int', get: (d) => d.assignedById },
    CREATED_BY_ID: { kind: 'int', get: (d) => d.createdBy },
    MODIFY_BY_ID: { kind: 'int', get: (d) => d.assignedById || d.createdBy },
    DATE_CREATE: { kind: 'date', get: (d) => d.dateCreate },
    DATE_MODIFY: { kind: 'date', get: (d) => d.dateModify },
    IS_RECURRING: { kind: 'yn', get: (d) => d.isRecurring },
    IS_RETURN_CUSTOMER: { kind: 'yn', get: () => false },
    IS_REPEATED_APPROACH: { kind: 'yn', get: () => false },
    SOURCE_ID: { kind: 'string', get: () => 'WEB' },
    LEAD_ID: { kind: 'int', get: () => null },
  };
}

export function leadFields(store: DemoStore): FieldSpecs<DemoLead> {
  return {
    ID: { kind: 'int', get: (l) => l.id },
    TITLE: { kind: 'string', get: (l) => l.title },
    NAME: { kind: 'string', get: (l) => l.name },
    LAST_NAME: { kind: 'string', get: (l) => l.lastName },
    STATUS_ID: { kind: 'string', get: (l) => l.statusId },
    STATUS_SEMANTIC_ID: { kind: 'string', get: (l) => semanticOf(store, l.statusId) },
    OPENED: { kind: 'yn', get: () => true },
    ASSIGNED_BY_ID: { kind: 'int', get: (l) => l.assignedById },
    CREATED_BY_ID: { kind: 'int', get: (l) => l.createdBy },
    DATE_CREATE: { kind: 'date', get: (l) => l.dateCreate },
    DATE_MODIFY: { kind: 'date', get: (l) => l.dateModify },
    DATE_CLOSED: { kind: 'date', get: (l) => (semanticOf(store, l.statusId) === 'P' ? null : l.dateModify) },
    SOURCE_ID: { kind: 'string', get: () => 'WEB' },
    IS_RETURN_CUSTOMER: { kind: 'yn', get: () => false },
  };
}

export function contactFields(): FieldSpecs<DemoContact> {
  return {
    ID: { kind: 'int', get: (c) => c.id },
    NAME: { kind: 'string', get: (c) => c.name },
    SECOND_NAME: { kind: 'string', get: () => null },
    LAST_NAME: { kind: 'string', get: (c) => c.lastName },
    COMPANY_ID: { kind: 'int', get: (c) => c.companyId },
    OPENED: { kind: 'yn', get: () => true },
    EXPORT: { kind: 'yn', get: () => true },
    ASSIGNED_BY_ID: { kind: 'int', get: (c) => c.assignedById },
    CREATED_BY_ID: { kind: 'int', get: (c) => c.createdBy },
    DATE_CREATE: { kind: 'date', get: (c) => c.dateCreate },
    DATE_MODIFY: { kind: 'date', get: (c) => c.dateModify },
    HAS_EMAIL: { kind: 'yn', get: (c) => c.email !== '' },
    HAS_PHONE: { kind: 'yn', get: () => false },
  };
}

export function companyFields(): FieldSpecs<DemoCompany> {
  return {
    ID: { kind: 'int', get: (c) => c.id },
    TITLE: { kind: 'string', get: (c) => c.title },
    COMPANY_TYPE: { kind: 'string', get: () => 'CUSTOMER' },
    IS_MY_COMPANY: { kind: 'yn', get: (c) => c.isMyCompany },
    OPENED: { kind: 'yn', get: () => true },
    ASSIGNED_BY_ID: { kind: 'int', get: (c) => c.assignedById },
    CREATED_BY_ID: { kind: 'int', get: (c) => c.createdBy },
    DATE_CREATE: { kind: 'date', get: (c) => c.dateCreate },
    DATE_MODIFY: { kind: 'date', get: (c) => c.dateModify },
  };
}

/** crm.item.list: camelCase, typed; unknown filter fields are errors. */
export function smartItemFields(): FieldSpecs<DemoSmartItem> {
  return {
    id: { kind: 'int', get: (i) => i.id },
    xmlId: { kind: 'string', get: () => null },
    title: { kind: 'string', get: (i) => i.title },
    createdBy: { kind: 'int', get: (i) => i.createdBy },
    updatedBy: { kind: 'int', get: (i) => i.createdBy },
    movedBy: { kind: 'int', get: (i) => i.createdBy },
    createdTime: { kind: 'date', get: (i) => i.createdTime },
    updatedTime: { kind: 'date', get: (i) => i.updatedTime },
    movedTime: { kind: 'date', get: (i) => i.updatedTime },
    categoryId: { kind: 'int', get: (i) => i.categoryId },
    opened: { kind: 'yn', get: () => true },
    stageId: { kind: 'string', get: (i) => i.stageId },
    previousStageId: { kind: 'string', get: () => null },
    begindate: { kind: 'date', get: (i) => i.createdTime },
    closedate: { kind: 'date', get: (i) => i.createdTime + 30 * 86_400_000 },
    companyId: { kind: 'int', get: (i) => i.companyId },
    contactId: { kind: 'int', get: (i) => i.contactId },
    opportunity: { kind: 'float', get: () => 0 },
    isManualOpportunity: { kind: 'yn', get: () => false },
    currencyId: { kind: 'string', get: () => 'EUR' },
    assignedById: { kind: 'int', get: (i) => i.assignedById },
    entityTypeId: { kind: 'int', get: (i) => i.entityTypeId },
  };
}

/** crm.item.list over the classic types (leads 1, deals 2, contacts 3, companies 4). */
export function classicItemFields(store: DemoStore) {
  const deal: FieldSpecs<DemoDeal> = {
    id: { kind: 'int', get: (d) => d.id },
    title: { kind: 'string', get: (d) => d.title },
    typeId: { kind: 'string', get: () => 'SALE' },
    stageId: { kind: 'string', get: (d) => d.stageId },
    categoryId: { kind: 'int', get: (d) => d.categoryId },
    isRecurring: { kind: 'yn', get: (d) => d.isRecurring },
    closed: { kind: 'yn', get: (d) => semanticOf(store, d.stageId) !== 'P' },
    opportunity: { kind: 'float', get: (d) => d.opportunity },
    currencyId: { kind: 'string', get: (d) => d.currencyId },
    contactId: { kind: 'int', get: (d) => d.contactId },
    companyId: { kind: 'int', get: (d) => d.companyId ?? 0 },
    assignedById: { kind: 'int', get: (d) => d.assignedById },
    createdBy: { kind: 'int', get: (d) => d.createdBy },
    createdTime: { kind: 'date', get: (d) => d.dateCreate },
    updatedTime: { kind: 'date', get: (d) => d.dateModify },
    entityTypeId: { kind: 'int', get: () => 2 },
  };
  const lead: FieldSpecs<DemoLead> = {
    id: { kind: 'int', get: (l) => l.id },
    title: { kind: 'string', get: (l) => l.title },
    name: { kind: 'string', get: (l) => l.name },
    lastName: { kind: 'string', get: (l) => l.lastName || null },
    stageId: { kind: 'string', get: (l) => l.statusId },
    assignedById: { kind: 'int', get: (l) => l.assignedById },
    createdBy: { kind: 'int', get: (l) => l.createdBy },
    createdTime: { kind: 'date', get: (l) => l.dateCreate },
    updatedTime: { kind: 'date', get: (l) => l.dateModify },
    sourceId: { kind: 'string', get: () => 'WEB' },
    entityTypeId: { kind: 'int', get: () => 1 },
  };
  const contact: FieldSpecs<DemoContact> = {
    id: { kind: 'int', get: (c) => c.id },
    name: { kind: 'string', get: (c) => c.name },
    lastName: { kind: 'string', get: (c) => c.lastName || null },
    companyId: { kind: 'int', get: (c) => c.companyId },
    assignedById: { kind: 'int', get: (c) => c.assignedById },
    createdBy: { kind: 'int', get: (c) => c.createdBy },
    createdTime: { kind: 'date', get: (c) => c.dateCreate },
    updatedTime: { kind: 'date', get: (c) => c.dateModify },
    entityTypeId: { kind: 'int', get: () => 3 },
  };
  const company: FieldSpecs<DemoCompany> = {
    id: { kind: 'int', get: (c) => c.id },
    title: { kind: 'string', get: (c) => c.title },
    isMyCompany: { kind: 'yn', get: (c) => c.isMyCompany },
    assignedById: { kind: 'int', get: (c) => c.assignedById },
    createdBy: { kind: 'int', get: (c) => c.createdBy },
    createdTime: { kind: 'date', get: (c) => c.dateCreate },
    updatedTime: { kind: 'date', get: (c) => c.dateModify },
    entityTypeId: { kind: 'int', get: () => 4 },
  };
  return { lead, deal, contact, company };
}
