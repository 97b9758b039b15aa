// The demo portal's browser login over real HTTP: sign-in page, cookies, and
// REST with session authorization as docs/bitrix24-rest.md describes it.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID, DEMO_SECRET } from './config.ts';
import { buildPhpQuery } from './params.ts';
import { type DemoPortal, startPortal } from './server.ts';

const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely shaped JSON answers
type Json = Record<string, any>;

/** A browser's cookies for the portal: what Set-Cookie sets, Max-Age=0 removes. */
class Jar {
  readonly values = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.values.delete(name);
      else this.values.set(name, pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

interface Reply {
  status: number;
  body: Json;
  res: Response;
}

async function signInForm(portal: DemoPortal, jar: Jar, userId: number, remember: boolean, backurl = '/crm/deal/kanban/'): Promise<Response> {
  const body = new URLSearchParams({ user_id: String(userId), backurl });
  if (remember) body.set('remember', 'Y');
  const res = await fetch(`${portal.origin}/auth/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header() },
    body,
  });
  jar.take(res);
  return res;
}

/** A session REST call the way BX.rest.callMethod makes it: sessid in the query, form body. */
async function rest(portal: DemoPortal, jar: Jar | string, method: string, o: { sessid?: string | null; params?: Json; query?: string; json?: boolean } = {}): Promise<Reply> {
  const q = new URLSearchParams();
  if (o.sessid !== null && !o.json) q.set('sessid', o.sessid ?? '');
  const extra = o.query ? `&${o.query}` : '';
  const cookie = typeof jar === 'string' ? jar : jar.header();
  const res = await fetch(`${portal.origin}/rest/${method}.json?${q}${extra}`, {
    method: 'POST',
    headers: { 'Content-Type': o.json ? 'application/json' : 'application/x-www-form-urlencoded', Cookie: cookie },
    body: o.json ? JSON.stringify({ ...o.params, sessid: o.sessid ?? '' }) : buildPhpQuery(o.params ?? {}),
  });
  if (typeof jar !== 'string') jar.take(res);
  return { status: res.status, body: (await res.json()) as Json, res };
}

/** Signs in on the page and learns the sessid the way a client does: from the first 401. */
async function signedInJar(portal: DemoPortal, userId: number, remember = true): Promise<{ jar: Jar; sessid: string }> {
  const jar = new Jar();
  await signInForm(portal, jar, userId, remember);
  const first = await rest(portal, jar, 'server.time', { query: 'BX_LAST_ACTIVITY=N' });
  return { jar, sessid: first.body.sessid };
}

describe('demo portal: sign-in page and session cookies', () => {
  let portal: DemoPortal;
  beforeAll(async () => {
    portal = await startPortal({ port: 0, seed: 1, now: () => T0, rateLimit: { enabled: false }, quiet: true });
  });
  afterAll(async () => {
    await portal.close();
  });

  it('lists active employees and, apart, the other accounts, in one form with Remember me', async () => {
    const res = await fetch(`${portal.origin}/auth/?backurl=%2Fcrm%2Flead%2Flist%2F`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<form method="post" action="/auth/">');
    expect(html).toContain('<input type="hidden" name="backurl" value="/crm/lead/list/">');
    expect(html).toMatch(/<input type="checkbox" name="remember" value="Y" checked> Remember me/);
    expect(html).toContain('>Sign in as Anna Schmidt</button>');
    expect(html).toContain('>Sign in as Camille Dubois</button>');
    // User 8 is inactive: no button.
    expect(html).not.toContain(`Sign in as ${portal.store.users.get(8)?.name}`);
    expect(html.indexOf('Other accounts')).toBeGreaterThan(html.indexOf('Sign in as Anna Schmidt'));
    expect(html.indexOf('Sign in as Sales Bot')).toBeGreaterThan(html.indexOf('Other accounts'));
    // Only same-origin paths come back as backurl.
    const evil = await (await fetch(`${portal.origin}/auth/?backurl=https%3A%2F%2Fevil.example%2F`)).text();
    expect(evil).toContain('name="backurl" value="/crm/deal/list/"');
    expect(await (await fetch(`${portal.origin}/auth`)).text()).toContain('Sign in as Anna Schmidt');
  });

  it('signs in: PHPSESSID, remember-me cookies, 302 to backurl; another user gets a new session and sessid', async () => {
    const jar = new Jar();
    const res = await signInForm(portal, jar, 2, true, '/crm/contact/list/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/crm/contact/list/');
    const cookies = res.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('PHPSESSID='))).toMatch(/^PHPSESSID=[0-9a-f]+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(cookies.find((c) => c.startsWith('BITRIX_SM_UIDL='))).toMatch(/^BITRIX_SM_UIDL=2; Path=\/; Max-Age=\d{7,}/);
    expect(cookies.find((c) => c.startsWith('BITRIX_SM_UIDH='))).toMatch(/^BITRIX_SM_UIDH=[0-9a-f]{32}; Path=\/; Max-Age=\d{7,}/);
    const first = await rest(portal, jar, 'user.current');
    expect(first.body.sessid).toMatch(/^[0-9a-f]{32}$/);

    const session = jar.values.get('PHPSESSID');
    const again = await signInForm(portal, jar, 3, false);
    expect(jar.values.get('PHPSESSID')).not.toBe(session);
    // Without remember-me the old remember-me cookies go.
    expect(jar.values.has('BITRIX_SM_UIDH')).toBe(false);
    expect(again.headers.get('location')).toBe('/crm/deal/kanban/');
    const second = await rest(portal, jar, 'user.current');
    expect(second.body.sessid).not.toBe(first.body.sessid);
    const me = await rest(portal, jar, 'user.current', { sessid: second.body.sessid });
    expect(me.body.result.ID).toBe('3');
    // An unsafe backurl falls back to the deal list; an unknown user cannot sign in.
    expect((await signInForm(portal, new Jar(), 2, false, '//evil.example/')).headers.get('location')).toBe('/crm/deal/list/');
    expect((await signInForm(portal, new Jar(), 424242, false)).status).toBe(400);
  });

  it('redirects / to the deal list when signed in, else to the sign-in page', async () => {
    const anonymous = await fetch(`${portal.origin}/`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/auth/?backurl=%2Fcrm%2Fdeal%2Flist%2F');
    const { cookie } = portal.sessions.signIn(1);
    const signed = await fetch(`${portal.origin}/`, { redirect: 'manual', headers: { Cookie: cookie } });
    expect(signed.headers.get('location')).toBe('/crm/deal/list/');
    // The other pages stay open without signing in (the demo is lenient there).
    expect((await fetch(`${portal.origin}/crm/deal/list/`)).status).toBe(200);
  });

  it('puts the session’s sessid into every page, in BX.message', async () => {
    const { cookie, sessid } = portal.sessions.signIn(1);
    for (const path of ['/crm/deal/list/', '/crm/deal/details/1/', '/crm/lead/list/', '/auth/']) {
      const html = await (await fetch(portal.origin + path, { headers: { Cookie: cookie } })).text();
      const head = html.slice(0, html.indexOf('</head>'));
      expect(head, path).toContain(`BX.message({"bitrix_sessid":"${sessid}"})`);
      expect(head.indexOf('window.BX=')).toBeLessThan(head.indexOf('BX.message('));
    }
    expect(await (await fetch(`${portal.origin}/auth/`, { headers: { Cookie: cookie } })).text()).toContain(`<input type="hidden" name="sessid" value="${sessid}">`);
    expect(await (await fetch(`${portal.origin}/crm/deal/list/`)).text()).not.toContain('bitrix_sessid');
  });

  it('logs out: the three cookies cleared, the session and the remember-me token forgotten', async () => {
    const { jar, sessid } = await signedInJar(portal, 2);
    const before = new Jar();
    for (const [k, v] of jar.values) before.values.set(k, v);
    const res = await fetch(`${portal.origin}/auth/?logout=yes`, { redirect: 'manual', headers: { Cookie: jar.header() } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/auth/');
    for (const name of ['PHPSESSID', 'BITRIX_SM_UIDL', 'BITRIX_SM_UIDH']) {
      expect(res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))).toMatch(/Max-Age=0/);
    }
    // The old cookies, kept by a misbehaving client, open nothing.
    const r = await rest(portal, before.header(), 'user.current', { sessid });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: 'access_denied', extended_error: 'user_not_authorized' });
  });

  it('keeps the ?login=N shortcut as a real session; a webhook call with another user’s session is refused', async () => {
    const login = await fetch(`${portal.origin}/crm/deal/list/?login=2`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/crm/deal/list/');
    const jar = new Jar();
    jar.take(login);
    expect(jar.values.has('PHPSESSID')).toBe(true);
    expect(jar.values.has('BITRIX_SM_UIDH')).toBe(false);
    const other = await fetch(`${portal.webhookUrl}user.current`, { headers: { Cookie: jar.header() } });
    expect(other.status).toBe(401);
    expect(((await other.json()) as Json).error).toBe('authorization_error');
    const anna = portal.sessions.signIn(1);
    expect((await fetch(`${portal.webhookUrl}user.current`, { headers: { Cookie: anna.cookie } })).status).toBe(200);
    const first = await rest(portal, jar, 'user.current');
    expect((await rest(portal, jar, 'user.current', { sessid: first.body.sessid })).body.result.ID).toBe('2');
    const old = jar.header();
    const out = await fetch(`${portal.origin}/crm/deal/list/?login=0`, { redirect: 'manual', headers: { Cookie: old } });
    jar.take(out);
    expect(jar.values.has('PHPSESSID')).toBe(false);
    // The session is gone: its old cookie no longer clashes with the webhook.
    expect((await fetch(`${portal.webhookUrl}user.current`, { headers: { Cookie: old } })).status).toBe(200);
  });
});

describe('demo portal: REST with session authorization', () => {
  let portal: DemoPortal;
  beforeAll(async () => {
    portal = await startPortal({ port: 0, seed: 1, now: () => T0, rateLimit: { enabled: false }, operatingLimit: { limitSeconds: 1, costSeconds: 5 }, quiet: true });
  });
  afterAll(async () => {
    await portal.close();
  });
  afterEach(() => {
    portal.faults.clear();
  });

  it('answers the first call (empty sessid) with session_failed and the sessid; the retry runs as that user', async () => {
    const jar = new Jar();
    await signInForm(portal, jar, 2, false);
    const first = await rest(portal, jar, 'user.current');
    expect(first.status).toBe(401);
    expect(first.body).toEqual({ error: 'session_failed', error_description: 'Sessid check failed', sessid: first.body.sessid });
    expect(first.body.sessid).toMatch(/^[0-9a-f]{32}$/);
    const retry = await rest(portal, jar, 'user.current', { sessid: first.body.sessid });
    expect(retry.status).toBe(200);
    expect(retry.body.result).toMatchObject({ ID: '2', NAME: 'Camille' });
    expect(retry.body.time).toHaveProperty('date_start');
    // GET works too, and `.json` is optional.
    const get = await fetch(`${portal.origin}/rest/user.current?sessid=${first.body.sessid}`, { headers: { Cookie: jar.header() } });
    expect(((await get.json()) as Json).result.ID).toBe('2');
  });

  it('answers a wrong sessid with session_failed carrying the valid one', async () => {
    const { jar, sessid } = await signedInJar(portal, 1);
    const wrong = await rest(portal, jar, 'server.time', { sessid: '0123456789abcdef0123456789abcdef' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'session_failed', error_description: 'Sessid check failed', sessid });
  });

  it('runs batch with every scope and the user’s rights, 50 commands, and user.get lists no external account', async () => {
    const { jar, sessid } = await signedInJar(portal, 3);
    const cmd: Record<string, string> = { me: 'user.current', deals: 'crm.deal.list?select[]=ID&select[]=ASSIGNED_BY_ID', users: 'user.get?filter[ACTIVE]=true' };
    for (let i = 0; i < 47; i++) cmd[`t${i}`] = 'server.time';
    cmd.over = 'server.time';
    const r = await rest(portal, jar, 'batch', { sessid, params: { halt: 0, cmd } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.result.result)).toHaveLength(50);
    expect(Object.keys(r.body.result.result_error)).toEqual(['over']);
    expect(r.body.result.result.me.ID).toBe('3');
    expect(r.body.result.result.deals.every((d: Json) => d.ASSIGNED_BY_ID === '3')).toBe(true);
    expect(r.body.result.result.users.some((u: Json) => u.ID === String(BOT_USER_ID))).toBe(false);
    const scopes = await rest(portal, jar, 'scope', { sessid });
    expect(scopes.body.result).toEqual(expect.arrayContaining(['crm', 'user']));
  });

  it('renews an expired session from remember-me: a new PHPSESSID and session_failed with the new sessid, then calls work', async () => {
    const { jar, sessid } = await signedInJar(portal, 1, true);
    const session = jar.values.get('PHPSESSID');
    portal.sessions.expire({ renewable: true });
    const r = await rest(portal, jar, 'user.current', { sessid });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('session_failed');
    expect(r.body.sessid).not.toBe(sessid);
    expect(r.res.headers.getSetCookie().some((c) => c.startsWith('PHPSESSID='))).toBe(true);
    expect(jar.values.get('PHPSESSID')).not.toBe(session);
    const retry = await rest(portal, jar, 'user.current', { sessid: r.body.sessid });
    expect(retry.body.result.ID).toBe('1');
    // Over HTTP as well.
    expect((await fetch(`${portal.origin}/demo/sessions/expire`, { method: 'POST', body: '{"renewable":true}' })).status).toBe(200);
    const again = await rest(portal, jar, 'user.current', { sessid: r.body.sessid });
    expect(again.body.error).toBe('session_failed');
    expect((await rest(portal, jar, 'user.current', { sessid: again.body.sessid })).status).toBe(200);
  });

  it('after a final expiry: access_denied user_not_authorized, the same anonymous sessid for the same cookie', async () => {
    const { jar, sessid } = await signedInJar(portal, 1, true);
    await fetch(`${portal.origin}/demo/sessions/expire`, { method: 'POST', body: '{"renewable":false}' });
    const r = await rest(portal, jar, 'user.current', { sessid });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'access_denied', error_description: 'User not authorized', sessid: r.body.sessid, extended_error: 'user_not_authorized' });
    expect(r.body.sessid).toMatch(/^[0-9a-f]{32}$/);
    const again = await rest(portal, jar, 'user.current', { sessid: r.body.sessid });
    expect(again.body).toMatchObject({ error: 'access_denied', sessid: r.body.sessid });
    // Signing in again is needed, and enough.
    await signInForm(portal, jar, 1, false);
    const first = await rest(portal, jar, 'user.current', { sessid: r.body.sessid });
    expect(first.body.error).toBe('session_failed');
    expect((await rest(portal, jar, 'user.current', { sessid: first.body.sessid })).body.result.ID).toBe('1');
  });

  it('refuses accounts of external types', async () => {
    const jar = new Jar();
    await signInForm(portal, jar, BOT_USER_ID, false);
    const r = await rest(portal, jar, 'user.current');
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'access_denied', error_description: 'Access denied for this type of user' });
    expect(portal.store.users.has(BOT_USER_ID)).toBe(false);
  });

  it('marks the user online unless the query carries BX_LAST_ACTIVITY=N; counts whole-request errors by code', async () => {
    const { jar, sessid } = await signedInJar(portal, 4, false);
    portal.stats.reset();
    await rest(portal, jar, 'server.time', { sessid, query: 'BX_LAST_ACTIVITY=N' });
    await rest(portal, jar, 'batch', { sessid, query: 'BX_LAST_ACTIVITY=N', params: { cmd: { a: 'server.time' } } });
    expect(portal.stats.markedOnline).toEqual({});
    // In the body it does not count: the portal reads it from the query string.
    await rest(portal, jar, 'server.time', { sessid, params: { BX_LAST_ACTIVITY: 'N' } });
    await rest(portal, jar, 'server.time', { sessid });
    expect(portal.stats.markedOnline).toEqual({ 4: 2 });
    await rest(portal, jar, 'server.time', { sessid: 'nope', query: 'BX_LAST_ACTIVITY=N' });
    await rest(portal, jar, 'server.time', { sessid: 'nope', query: 'BX_LAST_ACTIVITY=N' });
    const stats = (await (await fetch(`${portal.origin}/demo/stats`)).json()) as Json;
    expect(stats.markedOnline).toEqual({ 4: 2 });
    expect(stats.errors).toEqual({ session_failed: 2 });
    await fetch(`${portal.origin}/demo/stats/reset`, { method: 'POST' });
    expect([portal.stats.markedOnline, portal.stats.errors]).toEqual([{}, {}]);
  });

  it('has no per-method operating-time limit for session calls', async () => {
    // This portal charges 5 s per call against a 1 s budget: the webhook's second call is blocked.
    await fetch(`${portal.webhookUrl}crm.deal.list`);
    const blocked = await fetch(`${portal.webhookUrl}crm.deal.list`);
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as Json).error).toBe('OPERATION_TIME_LIMIT');
    const { jar, sessid } = await signedInJar(portal, 1);
    for (let i = 0; i < 3; i++) {
      const r = await rest(portal, jar, 'crm.deal.list', { sessid });
      expect(r.status).toBe(200);
      expect(r.body.time).not.toHaveProperty('operating');
      const b = await rest(portal, jar, 'batch', { sessid, params: { cmd: { a: 'crm.deal.list' } } });
      expect(b.body.result.result_error).toEqual([]);
    }
  });

  it('refuses webhooks, not sessions, on a portal without the subscription; other faults hit both', async () => {
    const { jar, sessid } = await signedInJar(portal, 1);
    portal.faults.set({ restUnavailable: true });
    const plan = await fetch(`${portal.webhookUrl}server.time`);
    expect(plan.status).toBe(401);
    expect(await plan.json()).toEqual({ error: 'ACCESS_DENIED', error_description: 'REST is available only by subscription.' });
    expect((await rest(portal, jar, 'server.time', { sessid })).status).toBe(200);
    portal.faults.set({ restUnavailable: false, paymentRequired: true, revoked: true, noCrmScope: true });
    const paid = await fetch(`${portal.origin}/rest/3/r3p4demo8lucia03/server.time`);
    expect(paid.status).toBe(401);
    expect(await paid.json()).toEqual({ error: 'PAYMENT_REQUIRED', error_description: 'Subscription has expired.' });
    expect((await rest(portal, jar, 'crm.deal.list', { sessid })).status).toBe(200);
    portal.faults.set({ p503: 1 });
    expect((await rest(portal, jar, 'server.time', { sessid })).body.error).toBe('QUERY_LIMIT_EXCEEDED');
    portal.faults.clear();
    portal.faults.set({ pHtml: 1 });
    const html = await fetch(`${portal.origin}/rest/server.time.json?sessid=${sessid}`, { headers: { Cookie: jar.header() } });
    expect(html.headers.get('content-type')).toContain('text/html');
  });

  it('needs sessid in the query or a form body: a JSON body’s is not read (NO_AUTH_FOUND); auth and ap go to other handlers', async () => {
    const { jar, sessid } = await signedInJar(portal, 1);
    const json = await rest(portal, jar, 'server.time', { sessid, json: true });
    expect(json.status).toBe(401);
    expect(json.body).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
    const none = await rest(portal, jar, 'server.time', { sessid: null });
    expect(none.body.error).toBe('NO_AUTH_FOUND');
    // In a form body it works.
    const form = await fetch(`${portal.origin}/rest/server.time.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header() },
      body: `sessid=${sessid}`,
    });
    expect(form.status).toBe(200);
    // With the sessid in the query a JSON body carries the parameters.
    const withJson = await fetch(`${portal.origin}/rest/crm.deal.get.json?sessid=${sessid}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: jar.header() },
      body: JSON.stringify({ id: 1 }),
    });
    expect(((await withJson.json()) as Json).result.ID).toBe('1');
    expect((await rest(portal, jar, 'server.time', { sessid, query: 'auth=abc' })).body.error).toBe('invalid_token');
    expect((await rest(portal, jar, 'server.time', { sessid, query: `aplogin=1&ap=${DEMO_SECRET}` })).body.error).toBe('INVALID_CREDENTIALS');
  });

  it('gives Node tests a signed-in Cookie header', async () => {
    const { cookie, sessid } = portal.sessions.signIn(2, { remember: true });
    expect(cookie).toMatch(/PHPSESSID=[0-9a-f]+; BITRIX_SM_UIDL=2; BITRIX_SM_UIDH=[0-9a-f]{32}/);
    const r = await rest(portal, cookie, 'user.current', { sessid });
    expect(r.body.result.ID).toBe('2');
  });
});

describe('demo portal: session calls share the request-rate bucket', () => {
  it('answers QUERY_LIMIT_EXCEEDED once webhook and session calls together fill it', async () => {
    const portal = await startPortal({ port: 0, seed: 1, now: () => T0, rateLimit: { drainPerSecond: 0.001, capacity: 3 }, quiet: true });
    try {
      const { cookie, sessid } = portal.sessions.signIn(1);
      expect((await fetch(`${portal.webhookUrl}server.time`)).status).toBe(200);
      expect((await fetch(`${portal.webhookUrl}server.time`)).status).toBe(200);
      expect((await rest(portal, cookie, 'server.time', { sessid })).status).toBe(200);
      const over = await rest(portal, cookie, 'server.time', { sessid });
      expect([over.status, over.body.error]).toEqual([503, 'QUERY_LIMIT_EXCEEDED']);
      // The demo switches are never limited.
      expect((await fetch(`${portal.origin}/demo/sessions/expire`, { method: 'POST', body: '{"renewable":true}' })).status).toBe(200);
    } finally {
      await portal.close();
    }
  });
});
