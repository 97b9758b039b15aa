// CRM rights on the demo portal, over real HTTP through the webhooks of a rep,
// a department head and the administrator: lists omit what the caller may not
// read, `.get` and writes answer "Access denied.", people stay visible.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SECRET, DEMO_USER_ID, HEAD_SECRET, HEAD_USER_ID, REP_SECRET, REP_USER_ID } from './config.ts';
import { rightsFor, roleOf, visibleResponsibles } from './rights.ts';
import { type DemoPortal, startPortal } from './server.ts';
import { generateStore } from './seed.ts';

// Wednesday 2026-05-13 10:00 in Berlin.
const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely shaped JSON answers
type Json = Record<string, any>;

let portal: DemoPortal;
beforeAll(async () => {
  portal = await startPortal({ port: 0, seed: 3, openActivities: 600, now: () => T0, rateLimit: { enabled: false }, quiet: true });
});
afterAll(() => portal.close());

const hookOf = (userId: number, secret: string) => `${portal.origin}/rest/${userId}/${secret}/`;
const rep = () => hookOf(REP_USER_ID, REP_SECRET);
const head = () => hookOf(HEAD_USER_ID, HEAD_SECRET);
const admin = () => hookOf(DEMO_USER_ID, DEMO_SECRET);

async function call(base: string, method: string, params: Json = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Every ID a legacy list returns, by the fast scan (`>ID`, start -1). */
async function allIds(base: string, method: string, filter: Json = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let last = 0; ; ) {
    const r = await call(base, method, { order: { ID: 'ASC' }, filter: { ...filter, '>ID': last }, select: ['ID'], start: -1 });
    const rows = r.body.result as Json[];
    for (const row of rows) ids.push(Number(row.ID));
    if (rows.length < 50) return ids;
    last = ids[ids.length - 1];
  }
}

const dealsOf = (who: Set<number> | null) => [...portal.store.deals.values()].filter((d) => who === null || who.has(d.assignedById)).map((d) => d.id);

describe('CRM roles of the seed', () => {
  it('gives user 1 the administrator role, heads the department-head role, everyone else the rep role', () => {
    const s = generateStore({ seed: 1, now: T0, openActivities: 300 });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((id) => roleOf(s, id))).toEqual(['administrator', 'rep', 'rep', 'rep', 'rep', 'rep', 'departmentHead', 'rep']);
    expect(visibleResponsibles(s, 1)).toBeNull();
    expect([...visibleResponsibles(s, 3)!]).toEqual([3]);
    // The support head: his department (users 4 and 7) and its sub-department (user 6), recursively.
    expect([...visibleResponsibles(s, 7)!].sort()).toEqual([4, 6, 7]);
  });

  it('reads an activity when any item it is bound to is readable', () => {
    const s = portal.store;
    const rights = rightsFor(s, REP_USER_ID);
    const mixed = [...s.activities.values()].find((a) => a.bindings.length > 1 && a.bindings.some(rights.item) && !a.bindings.every(rights.item));
    if (mixed) expect(rights.activity(mixed)).toBe(true);
    for (const a of s.activities.values()) expect(rights.activity(a)).toBe(a.bindings.some(rights.item));
  });
});

describe('rights over the webhook of a rep, a head and the administrator', () => {
  it("a rep's crm.deal.list returns exactly her deals; the head's his department's; the administrator's all", async () => {
    expect(await allIds(rep(), 'crm.deal.list')).toEqual(dealsOf(new Set([REP_USER_ID])));
    expect(await allIds(head(), 'crm.deal.list')).toEqual(dealsOf(visibleResponsibles(portal.store, HEAD_USER_ID)));
    expect(await allIds(admin(), 'crm.deal.list')).toEqual(dealsOf(null));
    // The head's view holds the sub-department's deals (user 6, department 4 under 3).
    const sub = [...portal.store.deals.values()].find((d) => d.assignedById === 6)!;
    expect(await allIds(head(), 'crm.deal.list', { ID: sub.id })).toEqual([sub.id]);
    // total counts the visible rows only.
    const paged = await call(rep(), 'crm.deal.list', { select: ['ID'] });
    expect(paged.body.total).toBe(dealsOf(new Set([REP_USER_ID])).length);
  });

  it("a rep's crm.activity.list returns exactly the activities bound to an item she reads, completed ones too", async () => {
    for (const [base, userId] of [
      [rep(), REP_USER_ID],
      [head(), HEAD_USER_ID],
    ] as const) {
      const rights = rightsFor(portal.store, userId);
      const expected = [...portal.store.activities.values()].filter(rights.activity).map((a) => a.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(portal.store.activities.size);
      expect(await allIds(base, 'crm.activity.list')).toEqual(expected);
    }
    expect(await allIds(admin(), 'crm.activity.list')).toEqual([...portal.store.activities.keys()]);
    // The BINDINGS filter goes through the same rights.
    const other = [...portal.store.deals.values()].find((d) => d.assignedById !== REP_USER_ID && portal.store.bindingIndex.get(`2:${d.id}`)?.size)!;
    const only = [...portal.store.bindingIndex.get(`2:${other.id}`)!].filter((a) => a.bindings.every((b) => !rightsFor(portal.store, REP_USER_ID).item(b)));
    const seen = await allIds(rep(), 'crm.activity.list', { BINDINGS: [{ OWNER_TYPE_ID: 2, OWNER_ID: other.id }] });
    for (const a of only) expect(seen).not.toContain(a.id);
  });

  it('lists leads, contacts, companies and smart-process items by the same rule', async () => {
    const who = new Set([REP_USER_ID]);
    const mine = <T extends { id: number; assignedById: number }>(m: Map<number, T>) => [...m.values()].filter((r) => who.has(r.assignedById)).map((r) => r.id);
    expect(await allIds(rep(), 'crm.lead.list')).toEqual(mine(portal.store.leads));
    expect(await allIds(rep(), 'crm.contact.list')).toEqual(mine(portal.store.contacts));
    expect(await allIds(rep(), 'crm.company.list')).toEqual(mine(portal.store.companies));
    const items = await call(rep(), 'crm.item.list', { entityTypeId: 128, select: ['id', 'assignedById'] });
    expect(items.body.result.items.map((i: Json) => i.id)).toEqual(mine(portal.store.smartItems.get(128)!).slice(0, 50));
  });

  it('answers .get of a record the caller may not read with 400 "Access denied." (batch commands too)', async () => {
    const other = [...portal.store.deals.values()].find((d) => d.assignedById !== REP_USER_ID)!;
    const denied = await call(rep(), 'crm.deal.get', { id: other.id });
    expect(denied).toEqual({ status: 400, body: { error: '', error_description: 'Access denied.' } });
    const hidden = [...portal.store.activities.values()].find((a) => !rightsFor(portal.store, REP_USER_ID).activity(a))!;
    expect((await call(rep(), 'crm.activity.get', { id: hidden.id })).body).toEqual({ error: '', error_description: 'Access denied.' });
    expect((await call(admin(), 'crm.deal.get', { id: other.id })).body.result.ID).toBe(String(other.id));
    const own = [...portal.store.deals.values()].find((d) => d.assignedById === REP_USER_ID)!;
    expect((await call(rep(), 'crm.deal.get', { id: own.id })).body.result.ID).toBe(String(own.id));
    // A missing record stays "Not found": access is checked only on what exists.
    expect((await call(rep(), 'crm.deal.get', { id: 999_999 })).body.error_description).toBe('Not found');
    const batch = await call(rep(), 'batch', { halt: 0, cmd: { mine: `crm.deal.get?id=${own.id}`, theirs: `crm.deal.get?id=${other.id}` } });
    expect(batch.body.result.result.mine.ID).toBe(String(own.id));
    expect(batch.body.result.result_error.theirs).toEqual({ error: '', error_description: 'Access denied.' });
  });

  it('refuses writes to records the caller may not read; the crm module controllers say ACCESS_DENIED', async () => {
    const s = portal.store;
    const other = [...s.deals.values()].find((d) => d.assignedById !== REP_USER_ID)!;
    const before = other.title;
    expect((await call(rep(), 'crm.deal.update', { id: other.id, fields: { TITLE: 'x' } })).body.error_description).toBe('Access denied.');
    expect(other.title).toBe(before);
    expect((await call(rep(), 'crm.activity.add', { fields: { OWNER_TYPE_ID: 2, OWNER_ID: other.id, SUBJECT: 'x' } })).body.error_description).toBe('Access denied.');
    const hidden = [...s.activities.values()].find((a) => !rightsFor(s, REP_USER_ID).activity(a))!;
    expect((await call(rep(), 'crm.activity.update', { id: hidden.id, fields: { COMPLETED: 'Y' } })).body.error_description).toBe('Access denied.');
    expect((await call(rep(), 'crm.activity.delete', { id: hidden.id })).body.error_description).toBe('Access denied.');
    expect(s.activities.has(hidden.id)).toBe(true);
    // The binding controller checks the item bound or unbound, with ACCESS_DENIED.
    const mine = [...s.contacts.values()].find((c) => c.assignedById === REP_USER_ID)!;
    const bind = await call(rep(), 'crm.activity.binding.add', { activityId: hidden.id, entityTypeId: 2, entityId: other.id });
    expect(bind.body).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied.' });
    const unbind = await call(rep(), 'crm.activity.binding.delete', { activityId: hidden.id, entityTypeId: hidden.bindings[0].entityTypeId, entityId: hidden.bindings[0].entityId });
    expect(unbind.body.error).toBe('ACCESS_DENIED');
    expect(mine).toBeDefined();
    const item = [...s.smartItems.get(128)!.values()].find((i) => i.assignedById !== REP_USER_ID)!;
    expect((await call(rep(), 'crm.item.update', { entityTypeId: 128, id: item.id, fields: { title: 'x' } })).body.error).toBe('ACCESS_DENIED');
    // Her own records stay writable.
    const own = [...s.deals.values()].find((d) => d.assignedById === REP_USER_ID)!;
    expect((await call(rep(), 'crm.deal.update', { id: own.id, fields: { TITLE: own.title } })).body.result).toBe(true);
  });

  it('lists only the bindings whose items the caller reads, never refusing (crm.activity.binding.list)', async () => {
    const s = portal.store;
    const rights = rightsFor(s, REP_USER_ID);
    const hidden = [...s.activities.values()].find((a) => !rights.activity(a))!;
    expect((await call(rep(), 'crm.activity.binding.list', { activityId: hidden.id })).body.result).toEqual([]);
    const mixed = [...s.activities.values()].find((a) => a.bindings.some(rights.item) && !a.bindings.every(rights.item));
    if (mixed) {
      const r = await call(rep(), 'crm.activity.binding.list', { activityId: mixed.id });
      expect(r.body.result).toEqual(mixed.bindings.filter(rights.item).map((b) => ({ entityTypeId: b.entityTypeId, entityId: b.entityId })));
    }
    expect((await call(admin(), 'crm.activity.binding.list', { activityId: hidden.id })).body.result).toHaveLength(hidden.bindings.length);
  });

  it("applies the same rights to a browser session: the signed-in rep's calls see her records only", async () => {
    const { cookie, sessid } = portal.sessions.signIn(REP_USER_ID);
    const session = async (method: string, params: Json) => {
      const res = await fetch(`${portal.origin}/rest/${method}.json?sessid=${sessid}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: JSON.stringify(params),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const list = await session('crm.deal.list', { select: ['ID'], order: { ID: 'ASC' } });
    expect(list.body.result.map((r: Json) => Number(r.ID))).toEqual(dealsOf(new Set([REP_USER_ID])).slice(0, 50));
    const other = [...portal.store.deals.values()].find((d) => d.assignedById !== REP_USER_ID)!;
    expect(await session('crm.deal.get', { id: other.id })).toEqual({ status: 400, body: { error: '', error_description: 'Access denied.' } });
  });

  it('shows user.get and department.get to everyone, whatever the role', async () => {
    const users = await call(rep(), 'user.get', {});
    expect(users.body.total).toBe(portal.store.users.size);
    const deps = await call(rep(), 'department.get', {});
    expect(deps.body.total).toBe(portal.store.departments.size);
    expect((await call(rep(), 'user.current')).body.result.ID).toBe(String(REP_USER_ID));
    expect((await call(head(), 'user.current')).body.result.ID).toBe(String(HEAD_USER_ID));
  });
});
