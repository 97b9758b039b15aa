// Who sees what on the demo portal, the way Bitrix24's CRM permissions decide
// it (crm module: CCrmPerms / UserPermissions). A role grants a level per
// entity type: own ('A': the user is the responsible), own + department
// ('D'), own + department + sub-departments ('F'), all ('X'). Read access is
// row-level by the item's responsible (ASSIGNED_BY_ID / assignedById); an
// activity has no rights of its own and is readable when any item it is bound
// to is. Pure: the store and a user id in, predicates out; nothing is cached,
// so a reassignment or a department change shows at once.

import type { DemoActivity, DemoStore, ItemRef } from './store.ts';

/**
 * The demo's three roles, one per user, derived from the seed: a portal
 * administrator sees all ('X'); the head of a department gets
 * own + department + sub-departments ('F'); everyone else is a rep with
 * own ('A'), for every entity type. These are roles an administrator sets up:
 * today's crm module installs only "Administrator" and "Manager", both 'X'
 * (everyone reads everything); its old installer also made "Head of
 * department" ('D', no sub-departments) and a "Manager" with 'A', both with
 * all companies ('X').
 */
export type CrmRole = 'administrator' | 'departmentHead' | 'rep';

export function roleOf(store: DemoStore, userId: number): CrmRole {
  if (store.users.get(userId)?.isAdmin) return 'administrator';
  for (const d of store.departments.values()) if (d.headId === userId) return 'departmentHead';
  return 'rep';
}

/** A department and every department below it. */
function withSubDepartments(store: DemoStore, roots: Iterable<number>): Set<number> {
  const out = new Set<number>(roots);
  // Few departments: walk until nothing is added rather than build a tree.
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of store.departments.values()) {
      if (d.parentId !== null && out.has(d.parentId) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * The responsibles whose items `userId` reads; null = everyone's (and the
 * unassigned ones). A head's departments are those they belong to (Bitrix24
 * matches the user's own department codes) and those they head (a head is
 * also given the codes of their subordinates), each with its sub-departments.
 */
export function visibleResponsibles(store: DemoStore, userId: number): Set<number> | null {
  const role = roleOf(store, userId);
  if (role === 'administrator') return null;
  const ids = new Set([userId]);
  if (role === 'rep') return ids;
  const roots = new Set(store.users.get(userId)?.departmentIds ?? []);
  for (const d of store.departments.values()) if (d.headId === userId) roots.add(d.id);
  const departments = withSubDepartments(store, roots);
  for (const u of store.users.values()) if (u.departmentIds.some((d) => departments.has(d))) ids.add(u.id);
  return ids;
}

/** Responsible of any item, null when the item does not exist. */
export function responsibleOf(store: DemoStore, ref: ItemRef): number | null {
  switch (ref.entityTypeId) {
    case 1:
      return store.leads.get(ref.entityId)?.assignedById ?? null;
    case 2:
      return store.deals.get(ref.entityId)?.assignedById ?? null;
    case 3:
      return store.contacts.get(ref.entityId)?.assignedById ?? null;
    case 4:
      return store.companies.get(ref.entityId)?.assignedById ?? null;
    default:
      return store.smartItems.get(ref.entityTypeId)?.get(ref.entityId)?.assignedById ?? null;
  }
}

/** A row any list or get returns: an item (it has a responsible) or an activity (it has bindings). */
export type RightsRow = { assignedById: number } | DemoActivity;

export interface Rights {
  /** Sees everything: callers may skip the checks. */
  readonly all: boolean;
  item(ref: ItemRef): boolean;
  activity(a: DemoActivity): boolean;
  row(row: RightsRow): boolean;
}

export function rightsFor(store: DemoStore, userId: number): Rights {
  const who = visibleResponsibles(store, userId);
  if (who === null) return { all: true, item: () => true, activity: () => true, row: () => true };
  const item = (ref: ItemRef) => {
    const r = responsibleOf(store, ref);
    return r !== null && who.has(r);
  };
  const activity = (a: DemoActivity) => a.bindings.some(item);
  return {
    all: false,
    item,
    activity,
    row: (row) => ('bindings' in row ? activity(row) : who.has(row.assignedById)),
  };
}

/**
 * The list engine's hook: a list's filter narrowed to the rows the calling
 * user may read. Every list row is an item or an activity ({@link RightsRow});
 * the administrator's filter comes back unchanged.
 */
export function visibleOnly<T>(filter: (row: T) => boolean, store: DemoStore, userId: number): (row: T) => boolean {
  const rights = rightsFor(store, userId);
  if (rights.all) return filter;
  return (row) => filter(row) && rights.row(row as unknown as RightsRow);
}
