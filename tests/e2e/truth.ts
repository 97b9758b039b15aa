// What the counters must be, computed straight from the demo portal's memory
// (not through REST or the extension) with the counters' naive reference.
import type { DemoStore } from '../../demo/store';
import { semanticOf } from '../../demo/store';
import { type CountingRules, countingRules, naiveChip, naiveLists, naiveTotals, type PortalSnapshot } from '../../lib/counters';
import { type CrmActivity, type CrmItem, fullName, type ItemRef, type Person } from '../../lib/domain';

export function snapshotOf(store: DemoStore, overrides: Partial<CountingRules> = {}, browserZone = 'UTC'): PortalSnapshot {
  const items: CrmItem[] = [];
  const base = { stageId: null, categoryId: null, isRecurring: false, isMyCompany: false, stageSemantic: null };
  for (const d of store.deals.values()) {
    items.push({
      ...base,
      entityTypeId: 2,
      id: d.id,
      title: d.title,
      responsibleId: d.assignedById,
      stageSemantic: semanticOf(store, d.stageId),
      stageId: d.stageId,
      categoryId: d.categoryId,
      isRecurring: d.isRecurring,
      updatedAt: d.dateModify,
    });
  }
  for (const l of store.leads.values()) {
    items.push({ ...base, entityTypeId: 1, id: l.id, title: l.title, responsibleId: l.assignedById, stageSemantic: semanticOf(store, l.statusId), stageId: l.statusId, updatedAt: l.dateModify });
  }
  for (const c of store.contacts.values()) {
    items.push({ ...base, entityTypeId: 3, id: c.id, title: fullName(c.name, c.lastName), responsibleId: c.assignedById, updatedAt: c.dateModify });
  }
  for (const c of store.companies.values()) {
    items.push({ ...base, entityTypeId: 4, id: c.id, title: c.title, responsibleId: c.assignedById, isMyCompany: c.isMyCompany, updatedAt: c.dateModify });
  }
  const smartTypes = [...store.smartTypes.values()].filter((t) => t.isCountersEnabled).map((t) => t.entityTypeId);
  for (const [entityTypeId, byId] of store.smartItems) {
    for (const s of byId.values()) {
      items.push({ ...base, entityTypeId, id: s.id, title: s.title, responsibleId: s.assignedById, stageSemantic: semanticOf(store, s.stageId), stageId: s.stageId, categoryId: s.categoryId, updatedAt: s.updatedTime });
    }
  }
  const activities: CrmActivity[] = [...store.activities.values()].map((a) => ({
    id: a.id,
    ownerTypeId: a.ownerTypeId,
    ownerId: a.ownerId,
    bindings: a.bindings.map((b) => ({ ...b })),
    typeId: a.typeId,
    providerId: a.providerId,
    providerTypeId: a.providerTypeId,
    direction: a.direction,
    completed: a.completed,
    status: a.status,
    subject: a.subject,
    responsibleId: a.responsibleId,
    created: a.created,
    startTime: a.startTime,
    endTime: a.endTime,
    deadline: a.deadline,
    notifyType: a.notifyType,
    notifyValue: a.notifyValue,
    // The to-dos' reminders, which the extension reads under rule light time (lib/sync/reminders.ts).
    ...(a.pingOffsets ? { pingOffsets: [...a.pingOffsets] } : {}),
    isIncomingChannel: a.isIncomingChannel,
    missedCall: a.settings.MISSED_CALL === true || a.settings.MISSED_CALL === 'Y',
    lastUpdated: a.lastUpdated,
  }));
  const people: Person[] = [...store.users.values()].map((u) => ({
    id: u.id,
    name: u.name,
    lastName: u.lastName,
    fullName: fullName(u.name, u.lastName),
    timeZone: u.timeZone || null,
    departmentIds: u.departmentIds,
    active: u.active,
  }));
  return {
    items,
    activities,
    people,
    connectedUserId: 1,
    browserZone,
    rules: countingRules(overrides, smartTypes),
  };
}

export function truthTotals(store: DemoStore, personId: number, now = Date.now(), rules: Partial<CountingRules> = {}) {
  return naiveTotals(snapshotOf(store, rules), personId, now);
}

export function truthChip(
  store: DemoStore,
  ref: ItemRef,
  viewerId: number,
  now = Date.now(),
  rules: Partial<CountingRules> = {},
) {
  return naiveChip(snapshotOf(store, rules), ref, viewerId, now);
}

export function truthLists(store: DemoStore, personId: number, now = Date.now()) {
  return naiveLists(snapshotOf(store), personId, now);
}
