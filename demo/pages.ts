// The CRM web pages of the demo portal: Bitrix24's paths, a plain look,
// server-rendered HTML with small inline scripts. Every text is escaped.

import type { IncomingMessage } from 'node:http';
import { formatDateTime, type PortalClock } from './dates.ts';
import { DEAL_PAGE_SIZE, dealPage, dealRow, kanbanCards, userName } from './pages-data.ts';
import { CONTROL_PANEL_SCRIPT, DEAL_APP_SCRIPT } from './pages-client.ts';
import { type DemoActivity, type DemoStore, type ItemRef, itemTitle, refKey, semanticOf, stageOf } from './store.ts';

export interface PageContext {
  store: DemoStore;
  clock: PortalClock;
  /** Where the control panel sends its REST calls (never the webhook: pages hold no secret). */
  actionPath: string;
}

export interface PageAnswer {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON inside <script>: no `</script>` or `<!--` can break out. */
function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 "Helvetica Neue",Arial,sans-serif;color:#333;background:#eef2f4}
a{color:#2067b0;text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#2fc6f6;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
header.top .logo{font-weight:bold;font-size:18px}header.top a{color:#fff}
.layout{display:flex}nav.menu{width:190px;padding:16px 0;background:#fff;min-height:calc(100vh - 46px)}
nav.menu a{display:block;padding:7px 20px;color:#535c69}nav.menu a.active{background:#e6f6fd;font-weight:bold}
main{flex:1;padding:18px 24px;min-width:0}h1{font-weight:normal;font-size:24px;margin:0 0 12px}
.tabs{display:flex;gap:4px;margin-bottom:12px}.tabs a{padding:6px 14px;border-radius:14px;background:#fff}.tabs a.active{background:#3bc8f5;color:#fff}
.toolbar{display:flex;gap:10px;align-items:center;margin:8px 0}.btn,button{border:1px solid #c6cdd3;background:#fff;border-radius:3px;padding:5px 12px;cursor:pointer;font:inherit}
.btn-new{background:#bbed21;border-color:#bbed21;color:#535c69;font-weight:bold;padding:6px 14px;border-radius:3px}
table.grid{width:100%;border-collapse:collapse;background:#fff}table.grid th,table.grid td{padding:7px 10px;border-bottom:1px solid #edeef0;text-align:left;vertical-align:top}
table.grid th button.sort{border:0;background:none;padding:0;font-weight:bold;color:#535c69}
td.num{text-align:right;white-space:nowrap}.row-links{font-size:12px;color:#999}.stage{border-left:4px solid #ccc;padding-left:6px}
.kanban{display:flex;gap:10px;overflow-x:auto;align-items:flex-start}.column{width:240px;flex:none;background:#e4eaee;border-radius:4px}
.column-head{padding:8px 10px;border-top:4px solid #39a8ef;font-weight:bold;background:#fff;border-radius:4px 4px 0 0}
.cards{height:calc(100vh - 220px);overflow-y:auto;padding:6px}.card{background:#fff;border-radius:3px;padding:8px;margin-bottom:6px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.card-client,.card-meta{font-size:12px;color:#80868e;margin-top:3px}.sentinel{font-size:12px;color:#999;padding:8px;text-align:center}
.side-panel-overlay{position:fixed;inset:0;background:rgba(0,0,0,.35);z-index:50}.side-panel{position:absolute;top:0;right:0;bottom:0;width:min(900px,85vw);background:#eef2f4;box-shadow:-4px 0 16px rgba(0,0,0,.2)}
.side-panel-frame{width:100%;height:100%;border:0}.side-panel-close{position:absolute;left:-44px;top:16px;border-radius:50% 0 0 50%;background:#2fc6f6;color:#fff;border:0;font-size:22px;width:44px}
.card-box{background:#fff;border-radius:4px;padding:14px 18px;margin-bottom:14px}dl.fields{display:grid;grid-template-columns:180px 1fr;gap:6px 12px;margin:0}dt{color:#80868e}
.act{padding:6px 0;border-bottom:1px solid #edeef0}.act .meta{font-size:12px;color:#80868e}.act.done{opacity:.6}
.pager a,.pager span{margin-right:8px}
#demo-control{position:fixed;right:14px;bottom:14px;z-index:40;background:#fff;border:1px solid #c6cdd3;border-radius:6px;box-shadow:0 2px 10px rgba(0,0,0,.15);font-size:13px;max-width:330px}
#demo-control summary{padding:8px 12px;cursor:pointer;font-weight:bold}#demo-control .body{padding:0 12px 12px;display:grid;gap:6px}
#demo-control label{display:flex;justify-content:space-between;gap:8px;align-items:center}#demo-control input,#demo-control select{width:150px;font:inherit}
#demo-control .buttons{display:flex;flex-wrap:wrap;gap:4px}#demo-control-out.bad{color:#d0021b}#demo-control-out.ok{color:#3b7d00}
body.iframe main{padding:14px}
`;

const ENTITY_NAMES: Record<number, { path: string; label: string }> = {
  1: { path: 'lead', label: 'Lead' },
  2: { path: 'deal', label: 'Deal' },
  3: { path: 'contact', label: 'Contact' },
  4: { path: 'company', label: 'Company' },
};

export function itemPath(ref: ItemRef): string {
  const named = ENTITY_NAMES[ref.entityTypeId];
  return named ? `/crm/${named.path}/details/${ref.entityId}/` : `/crm/type/${ref.entityTypeId}/details/${ref.entityId}/`;
}

function controlPanel(ctx: PageContext, target: ItemRef | null, reload: boolean): string {
  const users = [...ctx.store.users.values()]
    .filter((u) => u.active)
    .slice(0, 60)
    .map((u) => `<option value="${u.id}">${esc(`${u.name} ${u.lastName}`.trim())}</option>`)
    .join('');
  const types = [
    [2, 'Deal'],
    [1, 'Lead'],
    [3, 'Contact'],
    [4, 'Company'],
    ...[...ctx.store.smartTypes.values()].map((t) => [t.entityTypeId, t.title] as [number, string]),
  ]
    .map(([id, label]) => `<option value="${id}"${target?.entityTypeId === id ? ' selected' : ''}>${esc(label)}</option>`)
    .join('');
  return `<details id="demo-control" data-action-path="${esc(ctx.actionPath)}" data-reload="${reload ? '1' : '0'}">
<summary>Demo controls</summary>
<div class="body">
<label>Item type <select name="entityTypeId">${types}</select></label>
<label>Item ID <input name="entityId" type="number" min="1" value="${target ? target.entityId : ''}"></label>
<div class="buttons"><button type="button" data-action="call">Incoming call</button><button type="button" data-action="missed">Missed call</button><button type="button" data-action="email">Incoming e-mail</button></div>
<label>To-do due in (min) <input name="minutes" type="number" value="30"></label>
<div class="buttons"><button type="button" data-action="todo">New to-do</button></div>
<label>Activity ID <input name="activityId" type="number" min="1" placeholder="oldest open"></label>
<div class="buttons"><button type="button" data-action="complete">Complete activity</button></div>
<label>New responsible <select name="userId">${users}</select></label>
<div class="buttons"><button type="button" data-action="reassign">Reassign item</button></div>
<div id="demo-control-out" role="status"></div>
</div></details>`;
}

function layout(ctx: PageContext, o: { title: string; active: string; body: string; iframe?: boolean; target?: ItemRef | null; scripts?: string[]; reload?: boolean }): string {
  const menu = [
    ['deal', '/crm/deal/list/', 'Deals'],
    ['lead', '/crm/lead/list/', 'Leads'],
    ['contact', '/crm/contact/list/', 'Contacts'],
    ['company', '/crm/company/list/', 'Companies'],
    ...[...ctx.store.smartTypes.values()].map((t) => [`type${t.entityTypeId}`, `/crm/type/${t.entityTypeId}/list/`, t.title]),
    ['activity', '/crm/deal/activity/', 'Activities'],
  ]
    .map(([key, href, label]) => `<a href="${href}"${key === o.active ? ' class="active"' : ''}>${esc(label)}</a>`)
    .join('');
  const chrome = o.iframe
    ? `<main>${o.body}</main>`
    : `<header class="top"><span class="logo">Bitrix24 <small>demo</small></span><a href="/crm/deal/list/">CRM</a></header><div class="layout"><nav class="menu">${menu}</nav><main>${o.body}</main></div>`;
  const scripts = [...(o.scripts ?? []), CONTROL_PANEL_SCRIPT].map((s) => `<script>${s}</script>`).join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)} – Demo CRM</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body class="${o.iframe ? 'iframe' : ''}">${chrome}${o.iframe ? '' : controlPanel(ctx, o.target ?? null, !!o.reload)}
${scripts}</body></html>`;
}

function html(body: string, status = 200): PageAnswer {
  return { status, body, contentType: 'text/html; charset=utf-8' };
}

function jsonAnswer(data: unknown): PageAnswer {
  return { status: 200, body: JSON.stringify(data), contentType: 'application/json; charset=utf-8' };
}

function notFoundPage(ctx: PageContext, what: string): PageAnswer {
  return html(layout(ctx, { title: 'Not found', active: '', body: `<h1>${esc(what)} not found</h1><p>It may have been deleted.</p>` }), 404);
}

function dealApp(ctx: PageContext, originAbs: string, view: 'list' | 'kanban', category: number | null): PageAnswer {
  const stages = ctx.store.stages.filter((s) => s.entityId === (category === 1 ? 'DEAL_STAGE_1' : 'DEAL_STAGE'));
  // Page 1 rendered on the server too, so links exist before the script runs.
  const first = dealPage(ctx.store, ctx.clock, { page: 1, sort: 'id', dir: 'desc', category });
  const rows =
    view === 'list'
      ? first.rows
          .map(
            (r) =>
              `<tr data-id="${r.id}"><td>${r.id}</td><td><a class="deal-title" data-slider="1" href="${esc(originAbs)}/crm/deal/details/${r.id}/">${esc(r.title)}</a></td><td>${esc(r.stageName)}</td><td>${r.contactId ? `<a href="/crm/contact/details/${r.contactId}/">${esc(r.contactName)}</a>` : ''}</td><td>${r.companyId ? `<a href="/crm/company/details/${r.companyId}/">${esc(r.companyName)}</a>` : ''}</td><td>${esc(r.responsible)}</td></tr>`,
          )
          .join('')
      : '';
  const catQuery = category === null ? '' : `?category=${category}`;
  const body = `<h1>Deals</h1>
<div class="toolbar"><a class="btn-new" href="/crm/deal/details/0/">New deal</a>
<span class="tabs"><a data-view-tab="list" href="/crm/deal/list/${catQuery}"${view === 'list' ? ' class="active"' : ''}>List</a><a data-view-tab="kanban" href="/crm/deal/kanban/${catQuery}"${view === 'kanban' ? ' class="active"' : ''}>Kanban</a></span>
<span>Pipeline: <a href="/crm/deal/list/">All</a>${[...ctx.store.dealCategories.values()].map((c) => ` · <a href="/crm/deal/list/?category=${c.id}">${esc(c.name)}</a>`).join('')}</span></div>
<div id="deal-app" data-category="${category ?? ''}"><div id="deal-view">${view === 'list' ? `<div id="list-view"><table class="grid"><tbody id="deal-rows">${rows}</tbody></table></div>` : ''}</div></div>
<script type="application/json" id="stage-data">${scriptJson(stages.map((s) => ({ statusId: s.statusId, name: s.name, color: s.color })))}</script>`;
  return html(layout(ctx, { title: view === 'kanban' ? 'Deals: kanban' : 'Deals', active: 'deal', body, scripts: [DEAL_APP_SCRIPT] }));
}

function activityList(ctx: PageContext, ref: ItemRef): string {
  const acts = [...(ctx.store.bindingIndex.get(refKey(ref.entityTypeId, ref.entityId)) ?? [])].sort(
    (a, b) => Number(a.completed) - Number(b.completed) || (a.deadline ?? Number.MAX_SAFE_INTEGER) - (b.deadline ?? Number.MAX_SAFE_INTEGER) || a.id - b.id,
  );
  if (acts.length === 0) return '<p>No activities.</p>';
  return acts.map((a) => activityLine(ctx, a, ref)).join('');
}

function activityLine(ctx: PageContext, a: DemoActivity, from: ItemRef | null): string {
  const kind = a.isIncomingChannel ? 'incoming' : a.completed ? 'completed' : 'planned';
  const deadline = a.deadline === null ? 'no deadline' : formatDateTime(a.deadline, ctx.clock).replace('T', ' ').slice(0, 16);
  const others = a.bindings
    .filter((b) => !from || b.entityTypeId !== from.entityTypeId || b.entityId !== from.entityId)
    .map((b) => `<a href="${itemPath(b)}">${esc(itemTitle(ctx.store, b) ?? `#${b.entityId}`)}</a>`)
    .join(', ');
  const missed = a.settings.MISSED_CALL ? ' · missed call' : '';
  return `<div class="act${a.completed ? ' done' : ''}" data-activity-id="${a.id}"><div>${esc(a.subject)}</div><div class="meta">#${a.id} · ${esc(a.providerId)} · ${kind}${missed} · ${esc(deadline)} · ${esc(userName(ctx.store, a.responsibleId))}${others ? ` · also on ${others}` : ''}</div></div>`;
}

function details(ctx: PageContext, ref: ItemRef, url: URL): PageAnswer {
  const iframe = url.searchParams.get('IFRAME') === 'Y';
  const label = ENTITY_NAMES[ref.entityTypeId]?.label ?? ctx.store.smartTypes.get(ref.entityTypeId)?.title ?? 'Item';
  if (ref.entityId === 0) {
    const body = `<h1>New ${esc(label.toLowerCase())}</h1><div class="card-box"><p>Creating items is done through the REST API in this demo (for example <code>crm.deal.add</code>).</p><p><a href="/crm/deal/list/">Back to deals</a></p></div>`;
    return html(layout(ctx, { title: `New ${label}`, active: ENTITY_NAMES[ref.entityTypeId]?.path ?? '', body, iframe }));
  }
  const title = itemTitle(ctx.store, ref);
  if (title === null) return notFoundPage(ctx, label);
  const s = ctx.store;
  const fields: [string, string][] = [['ID', String(ref.entityId)]];
  const link = (r: ItemRef) => `<a href="${itemPath(r)}">${esc(itemTitle(s, r) ?? `#${r.entityId}`)}</a>`;
  let responsible = 0;
  if (ref.entityTypeId === 2) {
    const d = s.deals.get(ref.entityId)!;
    responsible = d.assignedById;
    const row = dealRow(s, ctx.clock, d);
    fields.push(['Stage', esc(`${row.stageName} (${d.stageId}, ${row.semantic})`)], ['Pipeline', esc(ctx.store.dealCategories.get(d.categoryId)?.name ?? String(d.categoryId))], ['Amount', esc(row.opportunity)]);
    if (d.isRecurring) fields.push(['Recurring', 'yes (template)']);
    if (d.contactId) fields.push(['Contact', link({ entityTypeId: 3, entityId: d.contactId })]);
    if (d.companyId) fields.push(['Company', link({ entityTypeId: 4, entityId: d.companyId })]);
  } else if (ref.entityTypeId === 1) {
    const l = s.leads.get(ref.entityId)!;
    responsible = l.assignedById;
    fields.push(['Status', esc(`${stageOf(s, l.statusId)?.name ?? l.statusId} (${semanticOf(s, l.statusId)})`)], ['Name', esc(`${l.name} ${l.lastName}`)]);
  } else if (ref.entityTypeId === 3) {
    const c = s.contacts.get(ref.entityId)!;
    responsible = c.assignedById;
    fields.push(['E-mail', esc(c.email)]);
    if (c.companyId) fields.push(['Company', link({ entityTypeId: 4, entityId: c.companyId })]);
    const deals = [...s.deals.values()].filter((d) => d.contactId === c.id).slice(0, 20);
    if (deals.length) fields.push(['Deals', deals.map((d) => link({ entityTypeId: 2, entityId: d.id })).join('<br>')]);
  } else if (ref.entityTypeId === 4) {
    const c = s.companies.get(ref.entityId)!;
    responsible = c.assignedById;
    if (c.isMyCompany) fields.push(['My company', 'yes']);
    const contacts = [...s.contacts.values()].filter((x) => x.companyId === c.id).slice(0, 20);
    if (contacts.length) fields.push(['Contacts', contacts.map((x) => link({ entityTypeId: 3, entityId: x.id })).join('<br>')]);
  } else {
    const it = s.smartItems.get(ref.entityTypeId)!.get(ref.entityId)!;
    responsible = it.assignedById;
    fields.push(['Stage', esc(`${stageOf(s, it.stageId)?.name ?? it.stageId} (${semanticOf(s, it.stageId)})`)]);
    if (it.contactId) fields.push(['Contact', link({ entityTypeId: 3, entityId: it.contactId })]);
    if (it.companyId) fields.push(['Company', link({ entityTypeId: 4, entityId: it.companyId })]);
  }
  fields.push(['Responsible', esc(userName(s, responsible))]);
  const body = `<h1>${esc(title)}</h1>
<div class="card-box"><dl class="fields">${fields.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl></div>
<div class="card-box"><h2>Activities</h2>${activityList(ctx, ref)}</div>`;
  return html(layout(ctx, { title, active: ENTITY_NAMES[ref.entityTypeId]?.path ?? `type${ref.entityTypeId}`, body, iframe, target: ref, reload: true }));
}

const LIST_PAGE = 50;

function simpleList(ctx: PageContext, url: URL, entityTypeId: number): PageAnswer {
  const s = ctx.store;
  let rows: { id: number; title: string; extra: string; responsible: number }[];
  let heading: string;
  if (entityTypeId === 1) {
    heading = 'Leads';
    rows = [...s.leads.values()].map((l) => ({ id: l.id, title: l.title, extra: stageOf(s, l.statusId)?.name ?? l.statusId, responsible: l.assignedById }));
  } else if (entityTypeId === 3) {
    heading = 'Contacts';
    rows = [...s.contacts.values()].map((c) => ({
      id: c.id,
      title: `${c.name} ${c.lastName}`.trim(),
      extra: c.companyId ? `<a href="/crm/company/details/${c.companyId}/">${esc(itemTitle(s, { entityTypeId: 4, entityId: c.companyId }))}</a>` : '',
      responsible: c.assignedById,
    }));
  } else if (entityTypeId === 4) {
    heading = 'Companies';
    rows = [...s.companies.values()].map((c) => ({ id: c.id, title: c.title, extra: c.isMyCompany ? 'My company' : '', responsible: c.assignedById }));
  } else {
    const type = s.smartTypes.get(entityTypeId);
    if (!type) return notFoundPage(ctx, 'Smart process');
    heading = type.title;
    rows = [...(s.smartItems.get(entityTypeId)?.values() ?? [])].map((i) => ({ id: i.id, title: i.title, extra: stageOf(s, i.stageId)?.name ?? i.stageId, responsible: i.assignedById }));
  }
  rows.reverse();
  const pages = Math.max(1, Math.ceil(rows.length / LIST_PAGE));
  const page = Math.min(pages, Math.max(1, Number(url.searchParams.get('page')) || 1));
  const shown = rows.slice((page - 1) * LIST_PAGE, page * LIST_PAGE);
  const path = (id: number) => itemPath({ entityTypeId, entityId: id });
  const extraIsHtml = entityTypeId === 3;
  const table = shown
    .map((r) => `<tr><td>${r.id}</td><td><a href="${path(r.id)}">${esc(r.title)}</a></td><td>${extraIsHtml ? r.extra : esc(r.extra)}</td><td>${esc(userName(s, r.responsible))}</td></tr>`)
    .join('');
  const pager = Array.from({ length: Math.min(pages, 30) }, (_, i) => (i + 1 === page ? `<span>${i + 1}</span>` : `<a href="?page=${i + 1}">${i + 1}</a>`)).join('');
  const key = ENTITY_NAMES[entityTypeId]?.path ?? `type${entityTypeId}`;
  const body = `<h1>${esc(heading)}</h1><div class="toolbar pager">${pager}</div><table class="grid"><thead><tr><th>ID</th><th>Name</th><th></th><th>Responsible</th></tr></thead><tbody>${table}</tbody></table>`;
  return html(layout(ctx, { title: heading, active: key, body }));
}

function activityView(ctx: PageContext): PageAnswer {
  const now = ctx.clock.now();
  const open = [...ctx.store.deals.values()].filter((d) => semanticOf(ctx.store, d.stageId) === 'P' && !d.isRecurring);
  const rows = open.slice(0, 200).map((d) => {
    const acts = [...(ctx.store.bindingIndex.get(refKey(2, d.id)) ?? [])].filter((a) => !a.completed);
    const earliest = acts.reduce<number | null>((m, a) => (a.deadline !== null && !a.isIncomingChannel && (m === null || a.deadline < m) ? a.deadline : m), null);
    const incoming = acts.some((a) => a.isIncomingChannel);
    const when = earliest === null ? '' : formatDateTime(earliest, ctx.clock).replace('T', ' ').slice(0, 16);
    const flag = incoming ? 'incoming' : earliest !== null && earliest < now ? 'overdue' : '';
    return `<tr><td><a href="/crm/deal/details/${d.id}/">${esc(d.title)}</a></td><td>${acts.length}</td><td>${esc(when)}</td><td>${flag}</td><td>${esc(userName(ctx.store, d.assignedById))}</td></tr>`;
  });
  const body = `<h1>Deals: activities</h1><table class="grid"><thead><tr><th>Deal</th><th>Open activities</th><th>Earliest deadline</th><th></th><th>Responsible</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return html(layout(ctx, { title: 'Deals: activities', active: 'activity', body }));
}

const ENTITY_BY_PATH: Record<string, number> = { lead: 1, deal: 2, contact: 3, company: 4 };

export function handlePage(req: IncomingMessage, url: URL, ctx: PageContext): PageAnswer | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const path = url.pathname;
  const host = req.headers.host ?? 'localhost';
  const originAbs = `http://${host}`;
  // `/` itself is the sign-in layer's (demo/session.ts): the deal list or the sign-in page.
  if (path === '/' || path === '/crm' || path === '/crm/') {
    return { status: 302, body: '', contentType: 'text/plain', headers: { Location: '/crm/deal/list/' } };
  }
  if (path === '/favicon.ico') return { status: 204, body: '', contentType: 'image/x-icon' };
  if (path === '/demo/api/deals') {
    const cat = url.searchParams.get('category');
    return jsonAnswer({
      ...dealPage(ctx.store, ctx.clock, {
        page: Number(url.searchParams.get('page')) || 1,
        sort: url.searchParams.get('sort') ?? 'id',
        dir: url.searchParams.get('dir') ?? 'desc',
        category: cat === null || cat === '' ? null : Number(cat),
      }),
      pageSize: DEAL_PAGE_SIZE,
    });
  }
  if (path === '/demo/api/kanban') {
    const limit = Math.min(50, Math.max(1, Number(url.searchParams.get('limit')) || 10));
    return jsonAnswer(kanbanCards(ctx.store, ctx.clock, url.searchParams.get('stage') ?? 'NEW', Math.max(0, Number(url.searchParams.get('offset')) || 0), limit));
  }
  const cat = url.searchParams.get('category');
  const category = cat === null || cat === '' ? null : Number(cat);
  if (path === '/crm/deal/list/' || path === '/crm/deal/list') return dealApp(ctx, originAbs, 'list', category);
  if (path === '/crm/deal/kanban/' || path === '/crm/deal/kanban') return dealApp(ctx, originAbs, 'kanban', category);
  if (path === '/crm/deal/activity/' || path === '/crm/deal/activity') return activityView(ctx);
  let m = /^\/crm\/(lead|contact|company)\/list\/?$/.exec(path);
  if (m) return simpleList(ctx, url, ENTITY_BY_PATH[m[1]]);
  m = /^\/crm\/type\/(\d+)\/list\/?$/.exec(path);
  if (m) return simpleList(ctx, url, Number(m[1]));
  m = /^\/crm\/(lead|deal|contact|company)\/details\/(\d+)\/?$/.exec(path);
  if (m) return details(ctx, { entityTypeId: ENTITY_BY_PATH[m[1]], entityId: Number(m[2]) }, url);
  m = /^\/crm\/type\/(\d+)\/details\/(\d+)\/?$/.exec(path);
  if (m) {
    const entityTypeId = Number(m[1]);
    if (!ctx.store.smartTypes.has(entityTypeId)) return notFoundPage(ctx, 'Smart process');
    return details(ctx, { entityTypeId, entityId: Number(m[2]) }, url);
  }
  return null;
}
