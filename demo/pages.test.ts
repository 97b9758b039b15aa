// The demo portal's CRM pages and their data endpoints.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SECRET } from './config.ts';
import { type DemoPortal, startPortal } from './server.ts';

const T0 = Date.UTC(2026, 4, 13, 8, 0, 0);

// biome-ignore lint/suspicious/noExplicitAny: the tests read loosely shaped JSON answers
type Json = Record<string, any>;

describe('demo portal pages', () => {
  let portal: DemoPortal;
  beforeAll(async () => {
    portal = await startPortal({ port: 0, seed: 1, now: () => T0, quiet: true });
  });
  afterAll(async () => {
    await portal.close();
  });

  it('pages never hold the webhook secret; the control panel acts through /demo/act/', async () => {
    for (const path of ['/crm/deal/list/', '/crm/deal/kanban/', '/crm/deal/details/1/', '/crm/contact/list/']) {
      expect(await (await fetch(`${portal.origin}${path}`)).text()).not.toContain(DEMO_SECRET);
    }
    const before = portal.store.activities.size;
    const r = await fetch(`${portal.origin}/demo/act/crm.activity.add`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 2, DIRECTION: 1, SUBJECT: 'Panel call' } }),
    });
    const body = (await r.json()) as Json;
    expect(r.status).toBe(200);
    expect(typeof body.result).toBe('number');
    expect(portal.store.activities.size).toBe(before + 1);
    const unknown = await fetch(`${portal.origin}/demo/act/no.such.method`, { method: 'POST', body: '{}' });
    expect(((await unknown.json()) as Json).error).toBe('ERROR_METHOD_NOT_FOUND');
  });

  it('redirects / to the deal list (signed in) and renders escaped deal links', async () => {
    const r = await fetch(`${portal.origin}/`, { redirect: 'manual', headers: { Cookie: portal.sessions.signIn(1).cookie } });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/crm/deal/list/');
    const list = await (await fetch(`${portal.origin}/crm/deal/list/`)).text();
    expect(list).toContain(`href="${portal.origin}/crm/deal/details/`);
    expect(list).toContain('href="/crm/deal/details/0/"');
    const details = await (await fetch(`${portal.origin}/crm/deal/details/2/`)).text();
    expect(details).toContain('Angebot &lt;Premium&gt; – Café &quot;Belle Époque&quot;');
    expect(details).not.toContain('<Premium>');
  });

  it('serves JSON rows for in-page paging and kanban columns', async () => {
    const page2 = await (await fetch(`${portal.origin}/demo/api/deals?page=2&sort=title&dir=asc`)).json();
    expect(page2.page).toBe(2);
    expect(page2.rows.length).toBeGreaterThan(0);
    const col = await (await fetch(`${portal.origin}/demo/api/kanban?stage=NEW&offset=0&limit=3`)).json();
    expect(col.rows.every((r: Json) => r.stageId === 'NEW')).toBe(true);
  });

  it('renders details pages, the slider frame and other lists', async () => {
    const slider = await fetch(`${portal.origin}/crm/deal/details/2/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER`);
    expect(slider.status).toBe(200);
    const html = await slider.text();
    expect(html).toContain('/crm/contact/details/');
    for (const path of ['/crm/lead/list/', '/crm/contact/list/', '/crm/company/list/', '/crm/type/128/list/', '/crm/deal/kanban/', '/crm/deal/activity/', '/crm/lead/details/1/', '/crm/contact/details/1/', '/crm/company/details/2/', '/crm/type/128/details/1/']) {
      expect((await fetch(portal.origin + path)).status, path).toBe(200);
    }
    expect((await fetch(`${portal.origin}/crm/deal/details/999999/`)).status).toBe(404);
  });
});
