// The sync run as a sales rep (her own webhook, her CRM rights on the demo
// portal): the copy holds exactly what the portal shows her, and her badge
// counts what her own Bitrix24 would count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAD_SECRET, HEAD_USER_ID, REP_SECRET, REP_USER_ID } from '../../demo/config';
import { rightsFor, visibleResponsibles } from '../../demo/rights';
import type { DemoPortal } from '../../demo/server';
import { type DemoActivity, type DemoStore, semanticOf } from '../../demo/store';
import { parseWebhookUrl } from '../bitrix/webhook';
import { CounterIndex, countingRules, naiveTotals, type PortalSnapshot } from '../counters';
import type { CrmActivity, CrmItem, Person } from '../domain';
import { loadLive } from '../store/sync-store';
import { actualCopy, expectedCopy, openCountersDb, startTestPortal, testEngine } from '../../tests/unit/sync-harness';

/**
 * The portal as one user sees it: the same store with the records their role
 * may not read left out. An activity keeps its owner (every list row names
 * it) and the bindings to items the user reads: crm.activity.binding.list
 * and the BINDINGS filter show no others.
 */
function viewOf(store: DemoStore, userId: number): DemoStore {
  const rights = rightsFor(store, userId);
  const keep = <T extends { assignedById: number }>(m: Map<number, T>) => new Map([...m].filter(([, row]) => rights.row(row)));
  const seen = (a: DemoActivity): DemoActivity => ({
    ...a,
    bindings: a.bindings.filter((b, i) => i === 0 || (rights.item(b) && !(b.entityTypeId === a.ownerTypeId && b.entityId === a.ownerId))),
  });
  return {
    ...store,
    deals: keep(store.deals),
    leads: keep(store.leads),
    contacts: keep(store.contacts),
    companies: keep(store.companies),
    smartItems: new Map([...store.smartItems].map(([type, items]) => [type, keep(items)])),
    activities: new Map([...store.activities].filter(([, a]) => rights.activity(a)).map(([id, a]) => [id, seen(a)])),
  };
}

/**
 * The copy's bindings to items the user may not read left out (the owner
 * stays). The portal is not consistent about those: binding.list hides them,
 * while a BINDINGS-filtered crm.activity.list about such an item (the sync
 * asks about the contact and company a deal names) lists the readable
 * activities bound to it. Either way such an item is not in the copy and
 * counts for nothing.
 */
function inView(copy: Awaited<ReturnType<typeof actualCopy>>, store: DemoStore, userId: number): Awaited<ReturnType<typeof actualCopy>> {
  const rights = rightsFor(store, userId);
  const readable = (key: string) => {
    const [entityTypeId, entityId] = key.split(':').map(Number);
    return rights.item({ entityTypeId, entityId });
  };
  return { ...copy, activities: copy.activities.map((a) => ({ ...a, bindings: a.bindings.filter((b) => b === a.owner || readable(b)) })) };
}

/** The demo store's records in the counters' terms, read straight from the store (not through REST or the sync). */
function snapshotOf(store: DemoStore, connectedUserId: number, browserZone: string): PortalSnapshot {
  const items: CrmItem[] = [];
  const base = { stageId: null, categoryId: null, isRecurring: false, isMyCompany: false, stageSemantic: null };
  for (const d of store.deals.values()) {
    items.push({ ...base, entityTypeId: 2, id: d.id, title: d.title, responsibleId: d.assignedById, stageId: d.stageId, stageSemantic: semanticOf(store, d.stageId), categoryId: d.categoryId, isRecurring: d.isRecurring, updatedAt: d.dateModify });
  }
  for (const l of store.leads.values()) {
    items.push({ ...base, entityTypeId: 1, id: l.id, title: l.title, responsibleId: l.assignedById, stageId: l.statusId, stageSemantic: semanticOf(store, l.statusId), updatedAt: l.dateModify });
  }
  for (const c of store.contacts.values()) items.push({ ...base, entityTypeId: 3, id: c.id, title: c.name, responsibleId: c.assignedById, updatedAt: c.dateModify });
  for (const c of store.companies.values()) items.push({ ...base, entityTypeId: 4, id: c.id, title: c.title, responsibleId: c.assignedById, isMyCompany: c.isMyCompany, updatedAt: c.dateModify });
  for (const map of store.smartItems.values()) {
    for (const i of map.values()) {
      items.push({ ...base, entityTypeId: i.entityTypeId, id: i.id, title: i.title, responsibleId: i.assignedById, stageId: i.stageId, stageSemantic: semanticOf(store, i.stageId), categoryId: i.categoryId, updatedAt: i.updatedTime });
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
    isIncomingChannel: a.isIncomingChannel,
    missedCall: a.settings.MISSED_CALL === true,
    lastUpdated: a.lastUpdated,
  }));
  const people: Person[] = [...store.users.values()].map((u) => ({
    id: u.id,
    name: u.name,
    lastName: u.lastName,
    fullName: `${u.name} ${u.lastName}`.trim(),
    timeZone: u.timeZone || null,
    departmentIds: [...u.departmentIds],
    active: u.active,
  }));
  const smart = [...store.smartTypes.values()].filter((t) => t.isCountersEnabled).map((t) => t.entityTypeId);
  return { items, activities, people, connectedUserId, browserZone, rules: countingRules({}, smart) };
}

let portal: DemoPortal;
beforeAll(async () => {
  portal = await startTestPortal({ seed: 11, openActivities: 400 });
});
afterAll(() => portal.close());

describe('the sync as a sales rep and as a department head', () => {
  it("holds exactly what the portal shows the rep, and her badge equals what her own Bitrix24 counts", async () => {
    const parsed = parseWebhookUrl(`${portal.origin}/rest/${REP_USER_ID}/${REP_SECRET}/`);
    if (!parsed.ok) throw new Error('bad rep webhook');
    // One of her activities is also bound to a colleague's contact: she never learns that binding.
    const store = portal.store;
    const contact = [...store.contacts.values()].find((c) => c.assignedById !== REP_USER_ID)!;
    const shared = [...store.activities.values()].find((a) => !a.completed && a.ownerTypeId === 2 && store.deals.get(a.ownerId)?.assignedById === REP_USER_ID)!;
    portal.call('crm.activity.binding.add', { activityId: shared.id, entityTypeId: 3, entityId: contact.id });
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { client: { webhook: parsed.webhook } });
    expect((await engine.run()).ok).toBe(true);
    expect((await db.get('activities', shared.id))?.bindings).toEqual([{ entityTypeId: 2, entityId: shared.ownerId }]);

    const seen = viewOf(portal.store, REP_USER_ID);
    const expected = expectedCopy(seen);
    const actual = inView(await actualCopy(db), portal.store, REP_USER_ID);
    expect(actual.items).toEqual(expected.items);
    expect(actual.activities).toEqual(expected.activities);
    // She sees part of the portal only: the comparison is not the whole-portal one by accident.
    expect(expected.activities.length).toBeGreaterThan(0);
    expect(expected.activities.length).toBeLessThan(expectedCopy(portal.store).activities.length);
    expect(actual.items.every((i) => i.responsibleId === REP_USER_ID)).toBe(true);

    // Her counters from the copy, as the background builds them, against an independent recount from the store.
    const zone = 'Europe/Berlin';
    const now = Date.now();
    const reference = snapshotOf(seen, REP_USER_ID, zone);
    const index = new CounterIndex({ rules: reference.rules, browserZone: zone, people: reference.people, connectedUserId: REP_USER_ID });
    index.load(await loadLive(db));
    expect(index.totals(REP_USER_ID, now)).toEqual(naiveTotals(reference, REP_USER_ID, now));
    // Her own numbers need nothing she cannot see: the whole portal counts the same for her.
    const whole = naiveTotals(snapshotOf(portal.store, REP_USER_ID, zone), REP_USER_ID, now);
    const mine = index.totals(REP_USER_ID, now);
    expect([mine.incoming, mine.planned, mine.all]).toEqual([whole.incoming, whole.planned, whole.all]);
    expect(mine.all).toBeGreaterThan(0);
  });

  it("a department head's copy holds his department's view, and every person's counters in it match a recount", async () => {
    const parsed = parseWebhookUrl(`${portal.origin}/rest/${HEAD_USER_ID}/${HEAD_SECRET}/`);
    if (!parsed.ok) throw new Error('bad head webhook');
    const db = await openCountersDb();
    expect((await testEngine(portal, db, { client: { webhook: parsed.webhook } }).run()).ok).toBe(true);
    const seen = viewOf(portal.store, HEAD_USER_ID);
    const expected = expectedCopy(seen);
    const actual = inView(await actualCopy(db), portal.store, HEAD_USER_ID);
    expect(actual.items).toEqual(expected.items);
    expect(actual.activities).toEqual(expected.activities);
    const team = visibleResponsibles(portal.store, HEAD_USER_ID)!;
    expect(actual.items.every((i) => team.has(i.responsibleId))).toBe(true);
    // The sub-department's member (user 6) is in his view.
    expect(actual.items.some((i) => i.responsibleId === 6)).toBe(true);
    const zone = 'Europe/Berlin';
    const now = Date.now();
    const reference = snapshotOf(seen, HEAD_USER_ID, zone);
    const index = new CounterIndex({ rules: reference.rules, browserZone: zone, people: reference.people, connectedUserId: HEAD_USER_ID });
    index.load(await loadLive(db));
    for (const person of team) expect(index.totals(person, now)).toEqual(naiveTotals(reference, person, now));
  });

  // Known gap, left to the sync (issue #13, item 3): on a real portal an item
  // handed to a colleague outside the rep's view simply stops being listed,
  // like a deletion; the poll reads '>DATE_MODIFY' deltas of what it can see,
  // so the item and its activities stay in the copy (and in her badge) until a
  // full reconcile. Remove `.fails` once a poll notices items leaving the view.
  it.fails('after a poll, still holds exactly her view when a deal leaves it and another enters it', async () => {
    const parsed = parseWebhookUrl(`${portal.origin}/rest/${REP_USER_ID}/${REP_SECRET}/`);
    if (!parsed.ok) throw new Error('bad rep webhook');
    const db = await openCountersDb();
    const engine = testEngine(portal, db, { client: { webhook: parsed.webhook } });
    expect((await engine.run()).ok).toBe(true);
    // A deal of hers handed to a colleague leaves her view; a colleague's deal given to her enters it.
    const hers = [...portal.store.deals.values()].find((d) => d.assignedById === REP_USER_ID && portal.store.bindingIndex.get(`2:${d.id}`)?.size && semanticOf(portal.store, d.stageId) === 'P')!;
    const theirs = [...portal.store.deals.values()].find((d) => d.assignedById !== REP_USER_ID && portal.store.bindingIndex.get(`2:${d.id}`)?.size && semanticOf(portal.store, d.stageId) === 'P')!;
    portal.call('crm.deal.update', { id: hers.id, fields: { ASSIGNED_BY_ID: 2 } });
    portal.call('crm.deal.update', { id: theirs.id, fields: { ASSIGNED_BY_ID: REP_USER_ID } });
    const outcome = await engine.run();
    expect(outcome).toMatchObject({ ok: true });
    const after = expectedCopy(viewOf(portal.store, REP_USER_ID));
    const now2 = inView(await actualCopy(db), portal.store, REP_USER_ID);
    expect(now2.items).toEqual(after.items);
    expect(now2.activities).toEqual(after.activities);
  });
});
