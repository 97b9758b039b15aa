// The demo portal's REST API over real HTTP: every ★ point of docs/bitrix24-rest.md.

import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SECRET, NO_CRM_SCOPE_SECRET } from './config.ts';
import { buildPhpQuery } from './params.ts';
import { type DemoPortal, startPortal } from './server.ts';

// Wednesday 2026-05-13 10:00 in Berlin.
const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely shaped JSON answers
type Json = Record<string, any>;

interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}

async function call(portal: DemoPortal, method: string, params: Json = {}, how: 'json' | 'query' | 'form' = 'json', base = portal.webhookUrl): Promise<Reply> {
  let res: Response;
  if (how === 'json') {
    res = await fetch(base + method, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) });
  } else if (how === 'form') {
    res = await fetch(base + method, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: buildPhpQuery(params) });
  } else {
    const q = buildPhpQuery(params);
    res = await fetch(base + method + (q ? `?${q}` : ''));
  }
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

describe('demo portal REST', () => {
  let portal: DemoPortal;
  let clockOffset = 0;
  beforeAll(async () => {
    portal = await startPortal({ port: 0, seed: 1, now: () => T0 + clockOffset, rateLimit: { enabled: false }, quiet: true });
  });
  afterAll(async () => {
    await portal.close();
  });

  it('answers user.current with the time block and the portal offset', async () => {
    const r = await call(portal, 'user.current');
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ ID: '1', NAME: 'Anna', LAST_NAME: 'Schmidt', TIME_ZONE: 'Europe/Berlin', ACTIVE: true, UF_DEPARTMENT: [1, 2] });
    for (const k of ['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish', 'operating', 'operating_reset_at']) expect(r.body.time).toHaveProperty(k);
    expect(r.body.time.date_start).toBe('2026-05-13T11:00:00+03:00');
  });

  it('pages legacy lists by 50 with total and next, rounding start down', async () => {
    const total = portal.store.activities.size;
    const first = await call(portal, 'crm.activity.list', { order: { ID: 'ASC' }, select: ['ID'] });
    expect(first.body.result).toHaveLength(50);
    expect(first.body.total).toBe(total);
    expect(first.body.next).toBe(50);
    const rounded = await call(portal, 'crm.activity.list', { order: { ID: 'ASC' }, select: ['ID'], start: 73 });
    const fifty = await call(portal, 'crm.activity.list', { order: { ID: 'ASC' }, select: ['ID'], start: 50 });
    expect(rounded.body.result).toEqual(fifty.body.result);
    expect(rounded.body.next).toBe(100);
    const lastStart = Math.floor((total - 1) / 50) * 50;
    const last = await call(portal, 'crm.activity.list', { order: { ID: 'ASC' }, select: ['ID'], start: lastStart });
    expect(last.body.result).toHaveLength(total - lastStart);
    expect(last.body).not.toHaveProperty('next');
    expect(last.body.total).toBe(total);
  });

  it('scans with start=-1 and >ID: no total, no next, every row once', async () => {
    const ids: number[] = [];
    let lastId = 0;
    for (;;) {
      const r = await call(portal, 'crm.activity.list', { order: { ID: 'ASC' }, filter: { '>ID': lastId }, select: ['ID'], start: -1 });
      expect(r.body.total ?? 0).toBe(0);
      expect(r.body).not.toHaveProperty('next');
      for (const row of r.body.result) ids.push(Number(row.ID));
      if (r.body.result.length < 50) break;
      lastId = Number(r.body.result[49].ID);
    }
    expect(ids).toEqual([...portal.store.activities.keys()]);
  });

  it('returns strings in legacy lists: IDs, Y/N, dates with the offset, "" for empty dates', async () => {
    const r = await call(portal, 'crm.activity.list', { filter: { ID: 1 } });
    const row = r.body.result[0];
    expect(row.ID).toBe('1');
    expect(typeof row.OWNER_ID).toBe('string');
    expect(typeof row.RESPONSIBLE_ID).toBe('string');
    expect(['Y', 'N']).toContain(row.COMPLETED);
    expect(row.LAST_UPDATED).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    const chat = [...portal.store.activities.values()].find((a) => a.providerId === 'IMOPENLINES_SESSION' && a.deadline === null)!;
    const c = await call(portal, 'crm.activity.list', { filter: { ID: chat.id }, select: ['ID', 'DEADLINE', 'END_TIME'] });
    expect(c.body.result[0].DEADLINE).toBe('9999-12-31T00:00:00+03:00');
    expect(c.body.result[0].END_TIME).toBe('');
    const d = await call(portal, 'crm.deal.list', { filter: { ID: 8 }, select: ['ID', 'STAGE_SEMANTIC_ID', 'IS_RECURRING', 'CATEGORY_ID', 'CLOSED', 'ASSIGNED_BY_ID'] });
    expect(d.body.result[0]).toEqual({ ID: '8', STAGE_SEMANTIC_ID: 'S', IS_RECURRING: 'N', CATEGORY_ID: '0', CLOSED: 'Y', ASSIGNED_BY_ID: '1' });
  });

  it('returns IS_INCOMING_CHANNEL only when named, and ignores filters on it', async () => {
    const star = await call(portal, 'crm.activity.list', { select: ['*'] });
    expect(star.body.result[0]).not.toHaveProperty('IS_INCOMING_CHANNEL');
    const none = await call(portal, 'crm.activity.list', {});
    expect(none.body.result[0]).not.toHaveProperty('IS_INCOMING_CHANNEL');
    const named = await call(portal, 'crm.activity.list', { select: ['ID', 'IS_INCOMING_CHANNEL'] });
    expect(['Y', 'N']).toContain(named.body.result[0].IS_INCOMING_CHANNEL);
    const starAndNamed = await call(portal, 'crm.activity.list', { select: ['*', 'IS_INCOMING_CHANNEL'] });
    expect(starAndNamed.body.result[0]).toHaveProperty('IS_INCOMING_CHANNEL');
    const filtered = await call(portal, 'crm.activity.list', { filter: { IS_INCOMING_CHANNEL: 'Y' }, select: ['ID'] });
    expect(filtered.body.total).toBe(portal.store.activities.size);
  });

  it('applies filter prefixes =, !, >, >=, <, <=, @, !@, % and ignores unknown keys', async () => {
    const count = async (filter: Json) => (await call(portal, 'crm.activity.list', { filter, select: ['ID'] })).body.total;
    const acts = [...portal.store.activities.values()];
    expect(await count({ '>ID': 100 })).toBe(acts.filter((a) => a.id > 100).length);
    expect(await count({ '>=ID': 100 })).toBe(acts.filter((a) => a.id >= 100).length);
    expect(await count({ '<ID': 10 })).toBe(9);
    expect(await count({ '<=ID': 10 })).toBe(10);
    expect(await count({ '@ID': [1, 2, 3] })).toBe(3);
    expect(await count({ '!@ID': [1, 2, 3] })).toBe(acts.length - 3);
    expect(await count({ '!ID': 1 })).toBe(acts.length - 1);
    expect(await count({ COMPLETED: 'N' })).toBe(acts.filter((a) => !a.completed).length);
    expect(await count({ '=COMPLETED': 'Y' })).toBe(acts.filter((a) => a.completed).length);
    expect(await count({ RESPONSIBLE_ID: 1, COMPLETED: 'N' })).toBe(acts.filter((a) => a.responsibleId === 1 && !a.completed).length);
    expect(await count({ '%SUBJECT': 'relance' })).toBe(acts.filter((a) => a.subject.toLowerCase().includes('relance')).length);
    expect(await count({ NO_SUCH_FIELD: 'x' })).toBe(acts.length);
  });

  it('compares date filters as instants whatever the offset', async () => {
    const cut = T0 - 3 * 86_400_000;
    const expected = [...portal.store.activities.values()].filter((a) => a.lastUpdated > cut).length;
    const iso = (ms: number, off: number) => {
      const s = new Date(ms + off * 60_000).toISOString().slice(0, 19);
      const sign = off < 0 ? '-' : '+';
      const abs = Math.abs(off);
      return `${s}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    };
    for (const off of [180, 0, -300, 120]) {
      const r = await call(portal, 'crm.activity.list', { filter: { '>LAST_UPDATED': iso(cut, off) }, select: ['ID'] });
      expect(r.body.total).toBe(expected);
    }
    const deadlines = await call(portal, 'crm.activity.list', { filter: { '<DEADLINE': iso(T0, 0), COMPLETED: 'N' }, select: ['ID'] });
    expect(deadlines.body.total).toBe([...portal.store.activities.values()].filter((a) => !a.completed && a.deadline !== null && a.deadline < T0).length);
  });

  it('orders by LAST_UPDATED and DEADLINE', async () => {
    const r = await call(portal, 'crm.activity.list', { order: { LAST_UPDATED: 'DESC' }, select: ['ID', 'LAST_UPDATED'] });
    const times = r.body.result.map((x: Json) => Date.parse(x.LAST_UPDATED));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const d = await call(portal, 'crm.activity.list', { order: { DEADLINE: 'ASC' }, filter: { COMPLETED: 'N' }, select: ['ID', 'DEADLINE'] });
    const dl = d.body.result.map((x: Json) => Date.parse(x.DEADLINE));
    expect([...dl].sort((a, b) => a - b)).toEqual(dl);
  });

  it('filters activities by BINDINGS and lists bindings', async () => {
    const shared = [...portal.store.activities.values()].find((a) => a.ownerTypeId === 2 && a.ownerId === 6 && a.bindings.length === 2)!;
    const r = await call(portal, 'crm.activity.list', { filter: { BINDINGS: [{ OWNER_TYPE_ID: 2, OWNER_ID: 7 }] }, select: ['ID', 'OWNER_ID'] });
    expect(r.body.result.map((x: Json) => Number(x.ID))).toContain(shared.id);
    const b = await call(portal, 'crm.activity.binding.list', { activityId: shared.id });
    expect(b.body.result).toEqual([
      { entityTypeId: 2, entityId: 6 },
      { entityTypeId: 2, entityId: 7 },
    ]);
  });

  it('runs a chained batch scan with $result references and answers the first page of everything after a short one', async () => {
    const cmd: Record<string, string> = {};
    const pages = Math.ceil(portal.store.activities.size / 50) + 2;
    for (let i = 0; i < pages; i++) {
      const filter = i === 0 ? 'filter[>ID]=0' : `filter[>ID]=$result[p${i - 1}][49][ID]`;
      cmd[`p${i}`] = `crm.activity.list?order[ID]=ASC&${filter}&select[]=ID&start=-1`;
    }
    const before = portal.stats.requests;
    const r = await call(portal, 'batch', { halt: 0, cmd });
    expect(portal.stats.requests - before).toBe(1);
    expect(r.body.result.result_error).toEqual([]);
    expect(r.body.result.result_next).toEqual([]);
    const all = portal.store.activities.size;
    const full = Math.floor(all / 50);
    const got: number[] = [];
    for (let i = 0; i <= full; i++) for (const row of r.body.result.result[`p${i}`]) got.push(Number(row.ID));
    expect(got).toEqual([...portal.store.activities.keys()]);
    // The page after the short one refers to a row that does not exist: the reference stops at the short
    // page's row list, which '>ID' casts to 1 (demo/faithful.test.ts has each rule on its own).
    const afterShort = r.body.result.result[`p${full + 1}`].map((row: { ID: string }) => Number(row.ID));
    expect(afterShort).toEqual([...portal.store.activities.keys()].filter((id) => id > 1).slice(0, 50));
    expect(r.body.result.result_time.p0).toHaveProperty('date_start');
  });

  it('resolves encoded references and paging in batch, and reports totals and next', async () => {
    const r = await call(portal, 'batch', {
      halt: 0,
      cmd: {
        me: 'user.current',
        dep: `department.get?${encodeURIComponent('ID')}=${encodeURIComponent('$result[me][UF_DEPARTMENT][0]')}`,
        acts: 'crm.activity.list?select[]=ID&start=0',
      },
    });
    expect(r.body.result.result.dep[0].ID).toBe('1');
    expect(r.body.result.result_total.acts).toBe(portal.store.activities.size);
    expect(r.body.result.result_next).toEqual({ acts: 50 });
  });

  it('fails batch commands beyond 50 with ERROR_BATCH_LENGTH_EXCEEDED', async () => {
    const cmd: Record<string, string> = {};
    for (let i = 0; i < 53; i++) cmd[`c${i}`] = 'server.time';
    const r = await call(portal, 'batch', { halt: 0, cmd });
    expect(Object.keys(r.body.result.result)).toHaveLength(50);
    expect(Object.keys(r.body.result.result_error)).toEqual(['c50', 'c51', 'c52']);
    expect(r.body.result.result_error.c50.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
  });

  it('halts a batch on the first error when halt=1', async () => {
    const r = await call(portal, 'batch', { halt: 1, cmd: { a: 'crm.deal.get?id=999999', b: 'server.time' } });
    expect(r.body.result.result).toEqual([]);
    expect(r.body.result.result_error.a).toEqual({ error: '', error_description: 'Not found' });
    expect(r.body.result.result_error).not.toHaveProperty('b');
  });

  it('answers crm.item.list with typed camelCase items and rejects unknown filter fields', async () => {
    const r = await call(portal, 'crm.item.list', { entityTypeId: 128, select: ['id', 'title', 'assignedById', 'stageId', 'updatedTime', 'categoryId'] });
    expect(r.status).toBe(200);
    const item = r.body.result.items[0];
    expect(typeof item.id).toBe('number');
    expect(typeof item.assignedById).toBe('number');
    expect(item.updatedTime).toMatch(/\+03:00$/);
    expect(r.body.total).toBe(portal.store.smartItems.get(128)!.size);
    const bad = await call(portal, 'crm.item.list', { entityTypeId: 128, filter: { NO_SUCH: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'INVALID_ARG_VALUE', error_description: "Invalid filter: field 'NO_SUCH' is not allowed in filter" });
    const legacyName = await call(portal, 'crm.item.list', { entityTypeId: 2, filter: { ASSIGNED_BY_ID: 1 } });
    expect(legacyName.body.error).toBe('INVALID_ARG_VALUE');
    const badOrder = await call(portal, 'crm.item.list', { entityTypeId: 2, order: { id: 'UP' } });
    expect(badOrder.body.error).toBe('INVALID_ARG_VALUE');
    const deals = await call(portal, 'crm.item.list', { entityTypeId: 2, filter: { assignedById: 1, isRecurring: 'Y' }, select: ['id', 'isRecurring', 'categoryId'] });
    expect(deals.body.result.items).toEqual([
      { id: 13, isRecurring: 'Y', categoryId: 0 },
      { id: 14, isRecurring: 'Y', categoryId: 0 },
    ]);
    const missing = await call(portal, 'crm.item.list', { entityTypeId: 1999 });
    expect([missing.status, missing.body.error]).toEqual([400, 'NOT_FOUND']);
    const ok = await call(portal, 'crm.item.list', { entityTypeId: 128, filter: { assignedById: 1, '>updatedTime': '2000-01-01T00:00:00+00:00' } });
    expect(ok.body.result.items.every((i: Json) => i.assignedById === 1)).toBe(true);
    const types = await call(portal, 'crm.type.list');
    expect(types.body.result.types.find((t: Json) => t.entityTypeId === 128).isCountersEnabled).toBe('Y');
    expect(types.body.result.types.find((t: Json) => t.entityTypeId === 129).isCountersEnabled).toBe('N');
  });

  it('answers crm.status.list, user.get, department.get, profile, scope and server.time', async () => {
    const st = await call(portal, 'crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE_1' } });
    expect(st.body.result.map((s: Json) => s.STATUS_ID)).toContain('C1:WON');
    expect(st.body.result.find((s: Json) => s.STATUS_ID === 'C1:WON').SEMANTICS).toBe('S');
    const active = await call(portal, 'user.get', { filter: { ACTIVE: true } });
    expect(active.body.result.every((u: Json) => u.ACTIVE === true)).toBe(true);
    expect(active.body.total).toBe(7);
    expect(active.body.result.map((u: Json) => u.TIME_ZONE)).toContain('');
    const deps = await call(portal, 'department.get');
    expect(deps.body.result[1]).toMatchObject({ ID: '2', PARENT: '1', UF_HEAD: '1' });
    const profile = await call(portal, 'profile');
    expect(profile.body.result).toMatchObject({ ID: '1', ADMIN: true, TIME_ZONE: 'Europe/Berlin' });
    const scope = await call(portal, 'scope');
    expect(scope.body.result).toEqual(expect.arrayContaining(['crm', 'user', 'department']));
    const time = await call(portal, 'server.time');
    expect(time.body.result).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
  });

  it('reads parameters from the query string, a form body and a JSON body; the body wins', async () => {
    const params = { filter: { '@ID': [3, 4] }, select: ['ID', 'SUBJECT'], order: { ID: 'DESC' } };
    for (const how of ['json', 'query', 'form'] as const) {
      const r = await call(portal, 'crm.activity.list', params, how);
      expect(r.body.result.map((x: Json) => x.ID)).toEqual(['4', '3']);
    }
    const mixed = await fetch(`${portal.webhookUrl}crm.deal.get?id=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 2 }) });
    expect((await mixed.json()).result.ID).toBe('2');
  });

  it('treats method names case-insensitively, with optional .json and trailing slash', async () => {
    for (const m of ['SERVER.TIME', 'server.time.json', 'Server.Time/']) {
      const r = await fetch(portal.webhookUrl + m);
      expect(r.status).toBe(200);
    }
  });

  it('answers unknown methods with 404 ERROR_METHOD_NOT_FOUND and missing ids with 400 Not found', async () => {
    const r = await call(portal, 'crm.nothing.list');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    const nf = await call(portal, 'crm.deal.get', { id: 999999 });
    expect(nf.status).toBe(400);
    expect(nf.body).toEqual({ error: '', error_description: 'Not found' });
  });

  it('refuses wrong credentials, missing auth, revoked webhooks and missing scopes', async () => {
    const wrongSecret = await call(portal, 'user.current', {}, 'json', `${portal.origin}/rest/1/wrongsecret123/`);
    expect([wrongSecret.status, wrongSecret.body.error]).toEqual([401, 'INVALID_CREDENTIALS']);
    const wrongUser = await call(portal, 'user.current', {}, 'json', `${portal.origin}/rest/2/${DEMO_SECRET}/`);
    expect([wrongUser.status, wrongUser.body.error]).toEqual([401, 'INVALID_CREDENTIALS']);
    const noAuth = await call(portal, 'user.current', {}, 'json', `${portal.origin}/rest/`);
    expect([noAuth.status, noAuth.body.error]).toEqual([401, 'NO_AUTH_FOUND']);
    expect(noAuth.body).not.toHaveProperty('time');

    const noCrm = `${portal.origin}/rest/1/${NO_CRM_SCOPE_SECRET}/`;
    const scoped = await call(portal, 'crm.deal.list', {}, 'json', noCrm);
    expect([scoped.status, scoped.body.error]).toEqual([401, 'insufficient_scope']);
    expect((await call(portal, 'user.current', {}, 'json', noCrm)).status).toBe(200);
    const inBatch = await call(portal, 'batch', { cmd: { a: 'crm.activity.list' } }, 'json', noCrm);
    expect(inBatch.body.result.result_error.a.error).toBe('insufficient_scope');

    try {
      portal.faults.set({ revoked: true });
      expect((await call(portal, 'user.current')).body.error).toBe('INVALID_CREDENTIALS');
      portal.faults.set({ revoked: false, noCrmScope: true });
      expect((await call(portal, 'crm.activity.list')).body.error).toBe('insufficient_scope');
      portal.faults.set({ noCrmScope: false, restUnavailable: true });
      const denied = await call(portal, 'user.current');
      expect([denied.status, denied.body.error]).toEqual([401, 'ACCESS_DENIED']);
    } finally {
      portal.faults.clear();
    }
  });

  it('reads a top-level auth parameter as a token, and a session cookie of another user as a clash', async () => {
    const withAuth = await call(portal, 'user.current', { auth: 'abc' });
    expect([withAuth.status, withAuth.body.error]).toEqual([401, 'invalid_token']);
    const other = await fetch(`${portal.webhookUrl}user.current`, { headers: { Cookie: portal.sessions.signIn(2).cookie } });
    expect(other.status).toBe(401);
    expect((await other.json()).error).toBe('authorization_error');
    const same = await fetch(`${portal.webhookUrl}user.current`, { headers: { Cookie: portal.sessions.signIn(1).cookie } });
    expect(same.status).toBe(200);
    // A cookie naming no live session is no clash.
    expect((await fetch(`${portal.webhookUrl}user.current`, { headers: { Cookie: 'PHPSESSID=0123' } })).status).toBe(200);
    const login = await fetch(`${portal.origin}/crm/deal/list/?login=2`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('set-cookie')).toContain('PHPSESSID=');
    expect(login.headers.get('location')).toBe('/crm/deal/list/');
  });

  it('sends CORS headers and answers preflight', async () => {
    const r = await fetch(`${portal.webhookUrl}server.time`);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const bad = await fetch(`${portal.webhookUrl}nope`);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
    const pre = await fetch(`${portal.webhookUrl}crm.activity.list`, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://abc', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect([200, 204]).toContain(pre.status);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('origin, content-type, accept');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('moves LAST_UPDATED and DATE_MODIFY on writes, visible to a >LAST_UPDATED delta', async () => {
    const since = '2026-05-13T11:00:30+03:00';
    clockOffset = 60_000;
    try {
      const open = [...portal.store.activities.values()].find((a) => !a.completed && a.lastUpdated < T0)!;
      const up = await call(portal, 'crm.activity.update', { id: open.id, fields: { COMPLETED: 'Y' } });
      expect(up.body.result).toBe(true);
      const delta = await call(portal, 'crm.activity.list', { filter: { '>LAST_UPDATED': since }, select: ['ID', 'COMPLETED', 'STATUS', 'LAST_UPDATED'] });
      expect(delta.body.result).toEqual([{ ID: String(open.id), COMPLETED: 'Y', STATUS: '2', LAST_UPDATED: '2026-05-13T11:01:00+03:00' }]);

      clockOffset = 120_000;
      const other = [...portal.store.activities.values()].find((a) => a.bindings.length === 1 && a.ownerTypeId === 2 && a.ownerId !== 1)!;
      expect((await call(portal, 'crm.activity.binding.add', { activityId: other.id, entityTypeId: 2, entityId: 1 })).body.result).toBe(true);
      const afterBind = await call(portal, 'crm.activity.list', { filter: { '>LAST_UPDATED': '2026-05-13T11:01:30+03:00' }, select: ['ID'] });
      expect(afterBind.body.result).toEqual([{ ID: String(other.id) }]);
      expect((await call(portal, 'crm.activity.binding.delete', { activityId: other.id, entityTypeId: 2, entityId: 1 })).body.result).toBe(true);

      const deal = await call(portal, 'crm.deal.update', { id: 3, fields: { ASSIGNED_BY_ID: 2 } });
      expect(deal.body.result).toBe(true);
      const deals = await call(portal, 'crm.deal.list', { filter: { '>=DATE_MODIFY': '2026-05-13T08:02:00Z' }, select: ['ID', 'ASSIGNED_BY_ID'] });
      expect(deals.body.result).toEqual([{ ID: '3', ASSIGNED_BY_ID: '2' }]);

      const todo = await call(portal, 'crm.activity.todo.add', { ownerTypeId: 2, ownerId: 1, deadline: '2026-05-13T12:00:00+03:00', title: 'New <to-do>' });
      const created = portal.store.activities.get(todo.body.result.id)!;
      expect(created).toMatchObject({ providerId: 'CRM_TODO', subject: 'New <to-do>', completed: false, responsibleId: 1 });
      const added = await call(portal, 'crm.activity.add', {
        fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, PROVIDER_ID: 'VOXIMPLANT_CALL', DIRECTION: 1, SUBJECT: 'Call', SETTINGS: { MISSED_CALL: 'Y' } },
      });
      const call2 = await call(portal, 'crm.activity.list', { filter: { ID: added.body.result }, select: ['ID', 'IS_INCOMING_CHANNEL', 'SETTINGS'] });
      expect(call2.body.result[0]).toEqual({ ID: String(added.body.result), IS_INCOMING_CHANNEL: 'Y', SETTINGS: { MISSED_CALL: true } });
      expect((await call(portal, 'crm.activity.delete', { id: added.body.result })).body.result).toBe(true);
      expect(portal.store.activities.has(added.body.result)).toBe(false);
    } finally {
      clockOffset = 0;
    }
  });

  it('runs methods in-process with portal.call, past faults and outside the stats', async () => {
    try {
      portal.faults.set({ revoked: true, p503: 1 });
      const before = portal.stats.requests;
      const id = portal.call('crm.activity.todo.add', { ownerTypeId: 2, ownerId: 9, title: 'From a harness' }).result as { id: number };
      expect(portal.store.activities.get(id.id)?.subject).toBe('From a harness');
      expect(portal.call('CRM.DEAL.GET', { id: 9 }).result).toMatchObject({ ID: '9' });
      expect(() => portal.call('crm.deal.get', { id: 999999 })).toThrow('Not found');
      expect(portal.stats.requests).toBe(before);
    } finally {
      portal.faults.clear();
    }
  });

  it('serves fault and stats endpoints', async () => {
    await fetch(`${portal.origin}/demo/stats/reset`, { method: 'POST' });
    await call(portal, 'server.time');
    await call(portal, 'batch', { cmd: { a: 'server.time', b: 'server.time' } });
    const stats = await (await fetch(`${portal.origin}/demo/stats`)).json();
    expect(stats.requests).toBe(2);
    expect(stats.byMethod).toEqual({ 'server.time': 1, batch: 1 });
    expect(stats.commands['server.time']).toBe(3);
    expect(stats.responseBytes).toBeGreaterThan(100);
    const set = await fetch(`${portal.origin}/demo/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 1, revoked: true }) });
    expect(await set.json()).toEqual({ latencyMs: 1, revoked: true });
    expect(await (await fetch(`${portal.origin}/demo/faults`)).json()).toEqual({ latencyMs: 1, revoked: true });
    await fetch(`${portal.origin}/demo/faults/clear`, { method: 'POST' });
    expect(portal.faults.get()).toEqual({});
  });

  it('answers a 200 HTML maintenance page and drops sockets on request', async () => {
    try {
      portal.faults.set({ pHtml: 1 });
      const r = await fetch(`${portal.webhookUrl}server.time`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      await expect(r.clone().json()).rejects.toThrow();
      portal.faults.set({ pHtml: 0, pDrop: 1 });
      await expect(fetch(`${portal.webhookUrl}server.time`)).rejects.toThrow();
      portal.faults.set({ pDrop: 0, p500: 1 });
      const e = await call(portal, 'server.time');
      expect([e.status, e.body.error]).toEqual([500, 'INTERNAL_SERVER_ERROR']);
    } finally {
      portal.faults.clear();
    }
  });
});

describe('demo portal limits and outages', () => {
  it('limits the request rate with a leaky bucket (a batch is one request)', async () => {
    const portal = await startPortal({ port: 0, quiet: true, rateLimit: { enabled: true, drainPerSecond: 10, capacity: 5 } });
    try {
      const replies = await Promise.all(Array.from({ length: 8 }, () => call(portal, 'server.time')));
      const refused = replies.filter((r) => r.status === 503);
      expect(refused.length).toBeGreaterThanOrEqual(2);
      expect(refused[0].body).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      await new Promise((r) => setTimeout(r, 600));
      const cmd: Record<string, string> = {};
      for (let i = 0; i < 20; i++) cmd[`c${i}`] = 'server.time';
      const batch = await call(portal, 'batch', { cmd });
      expect(batch.status).toBe(200);
      expect(Object.keys(batch.body.result.result)).toHaveLength(20);
      expect((await call(portal, 'server.time')).status).toBe(200);
    } finally {
      await portal.close();
    }
  });

  it('pages user.get by 50 and takes batch commands from a GET query string', async () => {
    const portal = await startPortal({ port: 0, quiet: true, users: 120, rateLimit: { enabled: false } });
    try {
      const first = await call(portal, 'user.get', {});
      expect(first.body.result).toHaveLength(50);
      expect([first.body.total, first.body.next]).toEqual([120, 50]);
      const last = await call(portal, 'user.get', { start: 110 });
      expect(last.body.result.map((u: Json) => u.ID)[0]).toBe('101');
      expect(last.body).not.toHaveProperty('next');
      const q = `cmd[me]=${encodeURIComponent('user.current')}&cmd[acts]=${encodeURIComponent('crm.activity.list?filter[ID]=1&select[]=ID')}`;
      const r = await (await fetch(`${portal.webhookUrl}batch?${q}`)).json();
      expect(r.result.result.me.ID).toBe('1');
      expect(r.result.result.acts).toEqual([{ ID: '1' }]);
    } finally {
      await portal.close();
    }
  });

  it('takes rate-limit overrides from faults, over HTTP too', async () => {
    const portal = await startPortal({ port: 0, quiet: true, rateLimit: { enabled: false } });
    try {
      await fetch(`${portal.origin}/demo/faults`, { method: 'POST', body: JSON.stringify({ rateLimit: { enabled: true, capacity: 2, drainPerSecond: 0.01 } }) });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await call(portal, 'server.time')).status);
      expect(codes).toEqual([200, 200, 503, 503]);
      // The demo endpoints are never limited.
      expect((await fetch(`${portal.origin}/demo/stats`)).status).toBe(200);
      await fetch(`${portal.origin}/demo/faults/clear`, { method: 'POST' });
      expect((await call(portal, 'server.time')).status).toBe(200);
    } finally {
      await portal.close();
    }
  });

  it('answers 503 QUERY_LIMIT_EXCEEDED by probability with p503', async () => {
    const portal = await startPortal({ port: 0, quiet: true, rateLimit: { enabled: false } });
    try {
      portal.faults.set({ p503: 1 });
      const r = await call(portal, 'server.time');
      expect([r.status, r.body.error]).toEqual([503, 'QUERY_LIMIT_EXCEEDED']);
      portal.faults.set({ p503: 0.5 });
      const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await call(portal, 'server.time')).status));
      expect(statuses).toContain(200);
      expect(statuses).toContain(503);
    } finally {
      await portal.close();
    }
  });

  it('blocks one method with 429 OPERATION_TIME_LIMIT once it used its time budget', async () => {
    const portal = await startPortal({ port: 0, quiet: true, rateLimit: { enabled: false }, operatingLimit: { limitSeconds: 1, costSeconds: 0.4 } });
    try {
      const first = await call(portal, 'crm.deal.list', { select: ['ID'] });
      expect(first.body.time.operating).toBeCloseTo(0.4);
      expect(first.body.time.operating_reset_at).toBeGreaterThan(Date.now() / 1000);
      await call(portal, 'crm.deal.list');
      await call(portal, 'crm.deal.list');
      const blocked = await call(portal, 'crm.deal.list');
      expect([blocked.status, blocked.body.error]).toEqual([429, 'OPERATION_TIME_LIMIT']);
      expect((await call(portal, 'crm.lead.list')).status).toBe(200);
      // Per webhook and method: the other webhook still has its own budget.
      for (let i = 0; i < 3; i++) await call(portal, 'user.get');
      expect((await call(portal, 'user.get')).body.error).toBe('OPERATION_TIME_LIMIT');
      expect((await call(portal, 'user.get', {}, 'json', `${portal.origin}/rest/1/${NO_CRM_SCOPE_SECRET}/`)).status).toBe(200);
      const viaBatch = await call(portal, 'batch', { cmd: { d: 'crm.deal.list' } });
      expect(viaBatch.body.result.result_error.d.error).toBe('OPERATION_TIME_LIMIT');
    } finally {
      await portal.close();
    }
  });

  it('goes down (connections refused) and comes back on the same port', async () => {
    const portal = await startPortal({ port: 0, quiet: true });
    try {
      const r = await fetch(`${portal.origin}/demo/faults`, { method: 'POST', body: JSON.stringify({ downForMs: 400 }) });
      expect(r.status).toBe(200);
      await new Promise((res) => setTimeout(res, 100));
      await expect(fetch(`${portal.webhookUrl}server.time`)).rejects.toThrow();
      await new Promise((res) => setTimeout(res, 600));
      const back = await call(portal, 'server.time');
      expect(back.status).toBe(200);
      expect(portal.faults.get()).toEqual({});
      portal.faults.set({ downForMs: 300 });
      await expect(fetch(`${portal.webhookUrl}server.time`)).rejects.toThrow();
      await new Promise((res) => setTimeout(res, 500));
      expect((await call(portal, 'server.time')).status).toBe(200);
    } finally {
      await portal.close();
    }
  });

  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
  it.skipIf(!lanAddress)('refuses plain HTTP from anywhere but loopback', async () => {
    const portal = await startPortal({ port: 0, host: '0.0.0.0', quiet: true });
    try {
      const r = await fetch(`http://${lanAddress}:${portal.port}/rest/1/${DEMO_SECRET}/server.time`);
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({ error: 'INVALID_REQUEST', error_description: 'Https required.' });
      expect((await fetch(`http://127.0.0.1:${portal.port}/rest/1/${DEMO_SECRET}/server.time`)).status).toBe(200);
    } finally {
      await portal.close();
    }
  });

  it('starts a 100,000-activity portal within seconds and counts it over REST', async () => {
    const t = Date.now();
    const portal = await startPortal({ port: 0, quiet: true, openActivities: 100_000, rateLimit: { enabled: false } });
    try {
      expect(Date.now() - t).toBeLessThan(10_000);
      const r = await call(portal, 'crm.activity.list', { filter: { COMPLETED: 'N' }, select: ['ID'] });
      expect(r.body.total).toBe(100_000);
      const users = await call(portal, 'user.get', { filter: { ACTIVE: true } });
      expect(users.body.next).toBe(50);
    } finally {
      await portal.close();
    }
  });

  it('answers after stallMs', async () => {
    const portal = await startPortal({ port: 0, quiet: true });
    try {
      portal.faults.set({ stallMs: 300 });
      const t = Date.now();
      expect((await call(portal, 'server.time')).status).toBe(200);
      expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    } finally {
      await portal.close();
    }
  });
});


describe('denyWrites fault', () => {
  it('refuses writes with "Access denied." and still answers reads', async () => {
    const portal = await startPortal({ port: 0, quiet: true, rateLimit: { enabled: false } });
    try {
      portal.faults.set({ denyWrites: true });
      const call = (method: string, body: unknown) =>
        fetch(`${portal.webhookUrl}${method}.json`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      const write = await call('crm.activity.update', { id: 1, fields: { COMPLETED: 'Y' } });
      expect(write.status).toBe(400);
      expect(await write.json()).toEqual({ error: '', error_description: 'Access denied.' });
      expect((await call('crm.activity.get', { id: 1 })).status).toBe(200);
    } finally {
      await portal.close();
    }
  });
});
