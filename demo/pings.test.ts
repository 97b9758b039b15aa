// To-dos carry reminder ("ping") offsets as in Bitrix24's crm module: the
// form's default for seeded to-dos, what crm.activity.todo.add was given,
// never in crm.activity.list, readable one to-do at a time (batched) through
// crm.activity.todo.fetchSettings.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REP_SECRET, REP_USER_ID } from './config.ts';
import { type DemoPortal, startPortal } from './server.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely shaped JSON answers
type Json = Record<string, any>;

const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);

describe('demo portal: reminder offsets of to-dos', () => {
  let portal: DemoPortal;
  beforeAll(async () => {
    portal = await startPortal({ port: 0, seed: 1, now: () => T0, rateLimit: { enabled: false }, quiet: true });
  });
  afterAll(async () => {
    await portal.close();
  });

  async function call(method: string, params: Json = {}, url = portal.webhookUrl): Promise<{ status: number; body: Json }> {
    const res = await fetch(url + method, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) });
    return { status: res.status, body: JSON.parse(await res.text()) };
  }
  const addTodo = async (extra: Json) =>
    Number((await call('crm.activity.todo.add', { ownerTypeId: 2, ownerId: 1, deadline: '2026-05-13T18:00:00+02:00', title: 'Reminders', ...extra })).body.result.id);
  const settings = (id: number, owner = 1) => call('crm.activity.todo.fetchSettings', { ownerTypeId: 2, ownerId: owner, id });

  it.each<[string, Json, number[]]>([
    ['given', { pingOffsets: [0, 60, 1440] }, [0, 60, 1440]],
    ['filtered as TodoPingSettingsProvider::filterOffsets does', { pingOffsets: [15, '30', -5, 15, 'x'] }, [15, 30]],
    ['none given: none (the REST default is an empty list)', {}, []],
  ])('crm.activity.todo.add keeps the offsets %s', async (_, extra, expected) => {
    const id = await addTodo(extra);
    expect(portal.store.activities.get(id)?.pingOffsets).toEqual(expected);
    const r = await settings(id);
    expect(r.status).toBe(200);
    expect(r.body.result.entityData).toMatchObject({ id, pingOffsets: expected });
  });

  it('seeded to-dos have the form\'s default reminders (at the deadline, 15 min before); calls have none', () => {
    const open = [...portal.store.activities.values()];
    const todo = open.find((a) => a.providerId === 'CRM_TODO');
    const call = open.find((a) => a.providerId === 'VOXIMPLANT_CALL');
    expect(todo?.pingOffsets).toEqual([0, 15]);
    expect(call?.pingOffsets ?? []).toEqual([]);
  });

  it('crm.activity.list never returns them, even when asked', async () => {
    const id = await addTodo({ pingOffsets: [60] });
    const r = await call('crm.activity.list', { filter: { ID: id }, select: ['ID', 'PING_OFFSETS', 'LIGHT_COUNTER_AT', 'NOTIFY_TYPE'] });
    expect(Object.keys(r.body.result[0]).sort()).toEqual(['ID', 'NOTIFY_TYPE']);
  });

  it('fetchSettings: not found for another owner, a call, or a to-do the caller may not read', async () => {
    const id = await addTodo({ pingOffsets: [30] });
    expect((await settings(id, 2)).body.error).toBe('NOT_FOUND');
    const callId = [...portal.store.activities.values()].find((a) => a.providerId === 'VOXIMPLANT_CALL')!;
    const owner = callId.bindings[0];
    const r = await call('crm.activity.todo.fetchSettings', { ownerTypeId: owner.entityTypeId, ownerId: owner.entityId, id: callId.id });
    expect(r.body.error).toBe('NOT_FOUND');
    // A rep's webhook (user 3) reads her own items only.
    const hidden = [...portal.store.activities.values()].find(
      (a) => a.providerId === 'CRM_TODO' && a.ownerTypeId === 2 && portal.store.deals.get(a.ownerId)?.assignedById !== 3,
    )!;
    const rep = `${portal.origin}/rest/${REP_USER_ID}/${REP_SECRET}/`;
    const denied = await call('crm.activity.todo.fetchSettings', { ownerTypeId: 2, ownerId: hidden.ownerId, id: hidden.id }, rep);
    expect(denied.body.error).toBe('NOT_FOUND');
  });

  it('fetchSettings binds its integers as a controller does: text fails with error 100', async () => {
    const r = await call('crm.activity.todo.fetchSettings', { ownerTypeId: 2, ownerId: 1, id: 'abc' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(100);
  });

  it('a batch reads 50 to-dos\' reminders in one request', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) ids.push(await addTodo({ pingOffsets: [i] }));
    const cmd = Object.fromEntries(ids.map((id) => [`p${id}`, `crm.activity.todo.fetchSettings?ownerTypeId=2&ownerId=1&id=${id}`]));
    const r = await call('batch', { halt: 0, cmd });
    expect(r.status).toBe(200);
    expect(ids.map((id) => r.body.result.result[`p${id}`].entityData.pingOffsets)).toEqual(ids.map((_, i) => [i]));
  });
});
