// The ★ points of docs/bitrix24-rest.md that Bitrix24's own source settles
// (batch references, integer casts, controller parameters, whole seconds,
// bindings), one test each, over HTTP as a client sees them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from './dates.ts';
import { type DemoPortal, startPortal } from './server.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely shaped JSON answers
type Json = Record<string, any>;

// Wednesday 2026-05-13 10:00:00.000 in Berlin; the clock is moved by hand.
const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);

describe('demo portal, as Bitrix24 code behaves', () => {
  let portal: DemoPortal;
  let clock = T0;
  beforeAll(async () => {
    portal = await startPortal({ port: 0, seed: 1, now: () => clock, rateLimit: { enabled: false }, quiet: true });
  });
  afterAll(async () => {
    await portal.close();
  });

  async function call(method: string, params: Json = {}): Promise<{ status: number; body: Json; text: string }> {
    const res = await fetch(portal.webhookUrl + method, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text };
  }

  async function batch(cmd: Record<string, string>, halt = 0): Promise<Json> {
    const r = await call('batch', { halt, cmd });
    expect(r.status).toBe(200);
    return r.body.result;
  }

  const openIds = () => [...portal.store.activities.values()].filter((a) => !a.completed).map((a) => a.id);
  const ids = (rows: Json[]) => rows.map((r) => Number(r.ID));
  const lastId = () => Math.max(...portal.store.activities.keys());

  it('a reference to a failed command stops at the whole result map of the commands that succeeded', async () => {
    const r = await batch({
      ok: 'crm.activity.list?filter[ID]=1&select[]=ID&start=-1',
      bad: 'crm.activity.get?id=0',
      probe: 'crm.activity.binding.list?activityId=$result[bad][0][ID]',
    });
    expect(r.result_error.bad).toBeDefined();
    // The binder saw an array (the map {ok: [...]}) for `int $activityId`.
    expect(r.result_error.probe).toEqual({ error: 100, error_description: 'Invalid value {Array} to match with parameter {activityId}. Should be value of type int.' });
  });

  it('a reference past a short page stops at that page\'s row list, [] when it is empty', async () => {
    const after = lastId() - 3;
    const r = await batch({
      short: `crm.activity.list?filter[>ID]=${after}&order[ID]=ASC&select[]=ID&start=-1`,
      empty: `crm.activity.list?filter[>ID]=${lastId()}&select[]=ID&start=-1`,
      // Written into text, the row's ID; the path of a short page is not.
      one: `crm.activity.add?fields[OWNER_TYPE_ID]=2&fields[OWNER_ID]=1&fields[SUBJECT]=row $result[short][2][ID] / $result[short][3][ID]`,
    });
    expect(ids(r.result.short)).toHaveLength(3);
    expect(r.result.empty).toEqual([]);
    const created = portal.store.activities.get(r.result.one as number)!;
    expect(created.subject).toBe(`row ${r.result.short[2].ID} / $result[short][3][ID]`);
    portal.call('crm.activity.delete', { id: created.id });
  });

  it('a reference that is the whole parameter value substitutes the array itself', async () => {
    const r = await batch({
      short: `crm.activity.list?filter[>ID]=${lastId() - 2}&select[]=ID&start=-1`,
      // The whole value: the row list itself, which the controller's binder refuses for its int parameter.
      whole: 'crm.activity.binding.list?activityId=$result[short]',
      scalar: 'crm.activity.binding.list?activityId=$result[short][0][ID]',
    });
    expect(r.result_error.whole.error).toBe(100);
    expect(r.result.scalar).toEqual(expect.arrayContaining([expect.objectContaining({ entityTypeId: expect.any(Number) })]));
  });

  it('inside a longer string a non-scalar leaves the literal $result[...] text', async () => {
    const r = await batch({
      rows: 'crm.activity.list?filter[ID]=1&select[]=ID&start=-1',
      text: 'crm.activity.add?fields[OWNER_TYPE_ID]=2&fields[OWNER_ID]=1&fields[SUBJECT]=see $result[rows] and $result[rows][0][ID]',
    });
    const created = portal.store.activities.get(r.result.text as number)!;
    expect(created.subject).toBe('see $result[rows] and 1');
    portal.call('crm.activity.delete', { id: created.id });
  });

  it('an unresolved reference never fails a command by itself, so halt does not stop there', async () => {
    const r = await batch(
      {
        short: `crm.activity.list?filter[>ID]=${lastId() - 1}&order[ID]=ASC&select[]=ID&start=-1`,
        // Past the short page: '>ID' gets the row list, (int) 1, and the list answers like any other.
        next: 'crm.activity.list?filter[>ID]=$result[short][49][ID]&order[ID]=ASC&select[]=ID&start=-1',
        after: 'server.time',
      },
      1,
    );
    expect(r.result_error).toEqual([]);
    expect(ids(r.result.next)).toEqual(openIds().concat([...portal.store.activities.values()].filter((a) => a.completed).map((a) => a.id)).sort((a, b) => a - b).filter((id) => id > 1).slice(0, 50));
    expect(r.result.after).toMatch(/^2026-05-13T/);
  });

  it('legacy lists cast integer filters for >, <, >=, <= with PHP (int): [] and text 0, a non-empty array 1', async () => {
    const first = ids((await call('crm.activity.list', { order: { ID: 'ASC' }, select: ['ID'], start: -1 })).body.result);
    const cases: [unknown, number][] = [
      [[], 0],
      ['text', 0],
      ['12abc', 12],
      [[7, 9], 1],
      [{ a: 1 }, 1],
    ];
    for (const [value, asInt] of cases) {
      const got = ids((await call('crm.activity.list', { filter: { '>ID': value }, order: { ID: 'ASC' }, select: ['ID'], start: -1 })).body.result);
      expect(got, JSON.stringify(value)).toEqual([...portal.store.activities.keys()].filter((id) => id > asInt).slice(0, 50));
    }
    expect(first[0]).toBe(1);
    const none = await call('crm.activity.list', { filter: { '<=ID': 'text' }, select: ['ID'], start: -1 });
    expect(none.body.result).toEqual([]);
  });

  it('a controller method given an array for an integer parameter fails in the parameter binder (error 100)', async () => {
    const binding = await call('crm.activity.binding.list', { activityId: [1, 2] });
    expect(binding.status).toBe(400);
    expect(binding.body).toEqual({ error: 100, error_description: 'Invalid value {Array} to match with parameter {activityId}. Should be value of type int.' });
    const items = await call('crm.item.list', { entityTypeId: [] });
    expect(items.body.error).toBe(100);
    expect((await call('crm.activity.binding.list', { activityId: 'abc' })).body.error_description).toBe(
      'Invalid value {abc} to match with parameter {activityId}. Should be value of type int.',
    );
    expect((await call('crm.activity.binding.list', {})).body.error_description).toBe('Could not find value for parameter {activityId}');
    // Numeric text is an int to the binder.
    expect((await call('crm.activity.binding.list', { activityId: ' 1' })).status).toBe(200);
  });

  it('date-times are whole seconds: >LAST_UPDATED of second X leaves out rows of second X, and no milliseconds reach the wire', async () => {
    clock = T0 + 60_000 + 700;
    const a = portal.store.activities.get(openIds()[0])!;
    await call('crm.activity.update', { id: a.id, fields: { SUBJECT: 'Whole seconds' } });
    expect(a.lastUpdated % 1000).toBe(0);
    const second = formatDateTime(T0 + 60_000, portal.clock);
    const before = formatDateTime(T0 + 59_000, portal.clock);
    const listed = async (since: string) =>
      ids((await call('crm.activity.list', { filter: { '>LAST_UPDATED': since, ID: a.id }, select: ['ID', 'LAST_UPDATED'], start: -1 })).body.result);
    expect(await listed(second)).toEqual([]);
    expect(await listed(before)).toEqual([a.id]);
    const row = (await call('crm.activity.get', { id: a.id })).body.result;
    expect(row.LAST_UPDATED).toBe(second);
    const all = await call('crm.activity.list', { select: ['ID', 'CREATED', 'LAST_UPDATED', 'START_TIME', 'DEADLINE'] });
    expect(all.text).not.toMatch(/T\d\d:\d\d:\d\d\.\d/);
    for (const act of portal.store.activities.values()) expect(act.lastUpdated % 1000).toBe(0);
    clock = T0;
  });

  it("adding or removing a binding moves the activity's LAST_UPDATED", async () => {
    const a = [...portal.store.activities.values()].find((x) => !x.completed && x.bindings.length === 1 && x.ownerTypeId === 2)!;
    const contact = [...portal.store.contacts.values()].find((c) => !a.bindings.some((b) => b.entityTypeId === 3 && b.entityId === c.id))!;
    clock = T0 + 120_000;
    expect((await call('crm.activity.binding.add', { activityId: a.id, entityTypeId: 3, entityId: contact.id })).body.result).toBe(true);
    expect(a.lastUpdated).toBe(T0 + 120_000);
    clock = T0 + 180_000;
    expect((await call('crm.activity.binding.delete', { activityId: a.id, entityTypeId: 3, entityId: contact.id })).body.result).toBe(true);
    expect(a.lastUpdated).toBe(T0 + 180_000);
    clock = T0;
  });

  it('deleting the last binding refuses with LAST_BINDING_CANNOT_BE_DELETED', async () => {
    const a = [...portal.store.activities.values()].find((x) => x.bindings.length === 1)!;
    const only = a.bindings[0];
    const r = await call('crm.activity.binding.delete', { activityId: a.id, entityTypeId: only.entityTypeId, entityId: only.entityId });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('LAST_BINDING_CANNOT_BE_DELETED');
    expect(a.bindings).toEqual([only]);
  });

  it('OWNER_* filters match the primary owner only', async () => {
    // Activity on deals 6 and 7 (the seed's worked example): owned by deal 6.
    const shared = [...portal.store.activities.values()].find((x) => x.bindings.length === 2 && x.ownerTypeId === 2 && x.ownerId === 6)!;
    const second = shared.bindings.find((b) => !(b.entityTypeId === 2 && b.entityId === 6))!;
    const byOwner = (id: number) => call('crm.activity.list', { filter: { OWNER_TYPE_ID: second.entityTypeId, OWNER_ID: id }, select: ['ID'] });
    expect(ids((await byOwner(second.entityId)).body.result)).not.toContain(shared.id);
    expect(ids((await call('crm.activity.list', { filter: { OWNER_TYPE_ID: 2, OWNER_ID: 6 }, select: ['ID'] })).body.result)).toContain(shared.id);
  });

  it('the BINDINGS filter is a list, its entries OR-ed', async () => {
    const on = (t: number, id: number) => [...portal.store.activities.values()].filter((a) => a.bindings.some((b) => b.entityTypeId === t && b.entityId === id)).map((a) => a.id);
    const expected = [...new Set([...on(2, 2), ...on(2, 4)])].sort((a, b) => a - b);
    const r = await call('crm.activity.list', {
      filter: { BINDINGS: [{ OWNER_TYPE_ID: 2, OWNER_ID: 2 }, { OWNER_TYPE_ID: 2, OWNER_ID: 4 }] },
      order: { ID: 'ASC' },
      select: ['ID'],
    });
    expect(ids(r.body.result)).toEqual(expected);
    expect(on(2, 2).length).toBeGreaterThan(0);
    expect(on(2, 4).length).toBeGreaterThan(0);
  });
});
