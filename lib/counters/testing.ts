// Builders for counter tests (and for other modules' tests): complete domain
// records from the few fields a case cares about.
import type { CrmActivity, CrmItem, Person } from '../domain';

export function makeItem(fields: Partial<CrmItem> & Pick<CrmItem, 'entityTypeId' | 'id'>): CrmItem {
  return {
    title: `Item ${fields.entityTypeId}:${fields.id}`,
    responsibleId: 1,
    stageSemantic: fields.entityTypeId === 3 || fields.entityTypeId === 4 ? null : 'P',
    stageId: null,
    categoryId: fields.entityTypeId === 2 ? 0 : null,
    isRecurring: false,
    isMyCompany: false,
    updatedAt: 0,
    ...fields,
  };
}

/** An open to-do bound to its owner only; pass `bindings` for more. */
export function makeActivity(fields: Partial<CrmActivity> & Pick<CrmActivity, 'id'>): CrmActivity {
  const ownerTypeId = fields.ownerTypeId ?? 2;
  const ownerId = fields.ownerId ?? 1;
  return {
    ownerTypeId,
    ownerId,
    bindings: [{ entityTypeId: ownerTypeId, entityId: ownerId }],
    typeId: 6,
    providerId: 'CRM_TODO',
    providerTypeId: 'TODO',
    direction: 0,
    completed: false,
    status: 1,
    subject: `Activity ${fields.id}`,
    responsibleId: 1,
    created: 0,
    startTime: null,
    endTime: null,
    deadline: null,
    notifyType: 0,
    notifyValue: 0,
    isIncomingChannel: false,
    missedCall: false,
    lastUpdated: 0,
    ...fields,
  };
}

export function makePerson(id: number, timeZone: string | null = null): Person {
  return { id, name: `User${id}`, lastName: '', fullName: `User${id}`, timeZone, departmentIds: [], active: true };
}
