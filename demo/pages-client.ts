// Inline scripts of the CRM pages (plain ES2017, no build step). They build
// rows with DOM calls and textContent, so titles never reach innerHTML.

/** The deal grid and kanban: in-page paging and sorting, lazy kanban columns, side-panel slider, pushState between the two views. */
export const DEAL_APP_SCRIPT = String.raw`
(function () {
  var root = document.getElementById('deal-app');
  if (!root) return;
  var state = { page: 1, sort: 'id', dir: 'desc', category: root.getAttribute('data-category') || '' };
  var origin = location.origin;

  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) n.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }
  function icon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '14'); svg.setAttribute('height', '14'); svg.setAttribute('viewBox', '0 0 16 16');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', 'M9 2h5v5h-2V5.4L7.7 9.7 6.3 8.3 10.6 4H9V2zM3 4h4v2H4v6h6V9h2v5H2V4z');
    p.setAttribute('fill', 'currentColor');
    svg.appendChild(p);
    return svg;
  }
  function dealLinks(row) {
    var frag = document.createDocumentFragment();
    var a = el('a', { href: origin + '/crm/deal/details/' + row.id + '/', 'class': 'deal-title', 'data-slider': '1' }, row.title);
    frag.appendChild(a);
    return frag;
  }
  function renderRow(row) {
    var tr = el('tr', { 'data-id': String(row.id) });
    tr.appendChild(el('td', null, String(row.id)));
    var tdTitle = el('td');
    tdTitle.appendChild(dealLinks(row));
    var small = el('div', { 'class': 'row-links' });
    small.appendChild(el('a', { href: '/crm/deal/details/' + row.id + '/?any=1#x', 'class': 'deal-open' }, 'Open'));
    small.appendChild(document.createTextNode(' '));
    var ic = el('a', { href: '/crm/deal/details/' + row.id + '/', 'class': 'deal-icon', title: 'Open in a new tab', target: '_blank' });
    ic.appendChild(icon());
    small.appendChild(ic);
    tdTitle.appendChild(small);
    tr.appendChild(tdTitle);
    var st = el('td');
    var badge = el('span', { 'class': 'stage', style: 'border-color:' + row.stageColor }, row.stageName);
    st.appendChild(badge);
    tr.appendChild(st);
    var tdC = el('td');
    if (row.contactId) tdC.appendChild(el('a', { href: '/crm/contact/details/' + row.contactId + '/' }, row.contactName || ('#' + row.contactId)));
    tr.appendChild(tdC);
    var tdCo = el('td');
    if (row.companyId) tdCo.appendChild(el('a', { href: origin + '/crm/company/details/' + row.companyId + '/' }, row.companyName || ('#' + row.companyId)));
    tr.appendChild(tdCo);
    tr.appendChild(el('td', null, row.responsible));
    tr.appendChild(el('td', { 'class': 'num' }, row.opportunity));
    tr.appendChild(el('td', null, row.dateModify));
    return tr;
  }

  function loadList() {
    var q = '/demo/api/deals?page=' + state.page + '&sort=' + state.sort + '&dir=' + state.dir + (state.category !== '' ? '&category=' + state.category : '');
    return fetch(q).then(function (r) { return r.json(); }).then(function (data) {
      var body = document.getElementById('deal-rows');
      if (!body) return;
      while (body.firstChild) body.removeChild(body.firstChild);
      data.rows.forEach(function (row) { body.appendChild(renderRow(row)); });
      state.page = data.page;
      var info = document.getElementById('page-info');
      if (info) info.textContent = 'Page ' + data.page + ' of ' + data.pages + ' (' + data.total + ' deals)';
      var prev = document.getElementById('page-prev'); if (prev) prev.disabled = data.page <= 1;
      var next = document.getElementById('page-next'); if (next) next.disabled = data.page >= data.pages;
    });
  }

  function listView() {
    var wrap = el('div', { id: 'list-view' });
    var bar = el('div', { 'class': 'toolbar' });
    var prev = el('button', { id: 'page-prev', type: 'button' }, '‹ Previous');
    var next = el('button', { id: 'page-next', type: 'button' }, 'Next ›');
    prev.onclick = function () { state.page--; loadList(); };
    next.onclick = function () { state.page++; loadList(); };
    bar.appendChild(prev); bar.appendChild(el('span', { id: 'page-info' }, '')); bar.appendChild(next);
    wrap.appendChild(bar);
    var table = el('table', { 'class': 'grid', id: 'deal-grid' });
    var head = el('tr');
    [['id', 'ID'], ['title', 'Deal'], ['stage', 'Stage'], [null, 'Contact'], [null, 'Company'], [null, 'Responsible'], [null, 'Amount'], ['dateModify', 'Modified']].forEach(function (c) {
      var th = el('th');
      if (c[0]) {
        var b = el('button', { type: 'button', 'class': 'sort', 'data-sort': c[0] }, c[1]);
        b.onclick = function () {
          if (state.sort === c[0]) state.dir = state.dir === 'asc' ? 'desc' : 'asc'; else { state.sort = c[0]; state.dir = 'asc'; }
          state.page = 1; loadList();
        };
        th.appendChild(b);
      } else th.textContent = c[1];
      head.appendChild(th);
    });
    var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
    table.appendChild(el('tbody', { id: 'deal-rows' }));
    wrap.appendChild(table);
    return wrap;
  }

  function kanbanView() {
    var stages = JSON.parse(document.getElementById('stage-data').textContent);
    var board = el('div', { 'class': 'kanban', id: 'kanban-view' });
    stages.forEach(function (s) {
      var col = el('div', { 'class': 'column', 'data-stage': s.statusId });
      var h = el('div', { 'class': 'column-head', style: 'border-top-color:' + s.color }, s.name);
      col.appendChild(h);
      var cards = el('div', { 'class': 'cards' });
      var sentinel = el('div', { 'class': 'sentinel' }, 'Loading…');
      cards.appendChild(sentinel);
      col.appendChild(cards);
      board.appendChild(col);
      var offset = 0, busy = false, done = false;
      function more() {
        if (busy || done) return;
        busy = true;
        fetch('/demo/api/kanban?stage=' + encodeURIComponent(s.statusId) + '&offset=' + offset + '&limit=8').then(function (r) { return r.json(); }).then(function (data) {
          data.rows.forEach(function (row) {
            var card = el('div', { 'class': 'card', 'data-id': String(row.id) });
            card.appendChild(dealLinks(row));
            if (row.contactId) {
              var c = el('div', { 'class': 'card-client' });
              c.appendChild(el('a', { href: '/crm/contact/details/' + row.contactId + '/' }, row.contactName || ''));
              card.appendChild(c);
            }
            if (row.companyId) {
              var co = el('div', { 'class': 'card-client' });
              co.appendChild(el('a', { href: '/crm/company/details/' + row.companyId + '/' }, row.companyName || ''));
              card.appendChild(co);
            }
            card.appendChild(el('div', { 'class': 'card-meta' }, row.opportunity + ' · ' + row.responsible));
            cards.insertBefore(card, sentinel);
          });
          offset += data.rows.length;
          busy = false;
          if (!data.more) { done = true; sentinel.textContent = offset ? '' : 'No deals'; }
          else if (sentinel.getBoundingClientRect().top < cards.getBoundingClientRect().bottom) more();
        });
      }
      if ('IntersectionObserver' in window) {
        new IntersectionObserver(function (entries) { if (entries[0].isIntersecting) more(); }, { root: cards }).observe(sentinel);
      }
      cards.addEventListener('scroll', function () { if (cards.scrollTop + cards.clientHeight > cards.scrollHeight - 40) more(); });
      setTimeout(more, 0);
    });
    return board;
  }

  function render() {
    var view = location.pathname.indexOf('/kanban') >= 0 ? 'kanban' : 'list';
    var work = document.getElementById('deal-view');
    while (work.firstChild) work.removeChild(work.firstChild);
    document.querySelectorAll('[data-view-tab]').forEach(function (t) { t.classList.toggle('active', t.getAttribute('data-view-tab') === view); });
    if (view === 'kanban') work.appendChild(kanbanView());
    else { work.appendChild(listView()); loadList(); }
    document.title = (view === 'kanban' ? 'Deals: kanban' : 'Deals') + ' – Demo CRM';
  }

  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a') : null;
    if (!a) return;
    if (a.hasAttribute('data-view-tab')) {
      e.preventDefault();
      history.pushState({}, '', a.getAttribute('href'));
      render();
      return;
    }
    if (a.getAttribute('data-slider') === '1' && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
      var m = /\/crm\/deal\/details\/(\d+)\//.exec(a.getAttribute('href'));
      if (!m) return;
      e.preventDefault();
      openSlider('/crm/deal/details/' + m[1] + '/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER');
    }
  });
  window.addEventListener('popstate', render);

  function openSlider(src) {
    closeSlider();
    var overlay = el('div', { 'class': 'side-panel-overlay', id: 'side-panel' });
    var panel = el('div', { 'class': 'side-panel' });
    var close = el('button', { type: 'button', 'class': 'side-panel-close', title: 'Close' }, '×');
    close.onclick = closeSlider;
    overlay.onclick = function (ev) { if (ev.target === overlay) closeSlider(); };
    var frame = el('iframe', { src: src, 'class': 'side-panel-frame', name: 'side-panel-frame' });
    panel.appendChild(close); panel.appendChild(frame); overlay.appendChild(panel);
    document.body.appendChild(overlay);
  }
  function closeSlider() { var o = document.getElementById('side-panel'); if (o) o.remove(); }
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeSlider(); });

  render();
})();
`;

/** The control panel: makes things happen on one item through the portal's own REST API. */
export const CONTROL_PANEL_SCRIPT = `
(function () {
  var panel = document.getElementById('demo-control');
  if (!panel) return;
  var hook = panel.getAttribute('data-action-path');
  var out = document.getElementById('demo-control-out');
  function q(name) { return panel.querySelector('[name="' + name + '"]'); }
  function call(method, params) {
    return fetch(hook + method, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (data.error) throw new Error(data.error + ': ' + data.error_description); return data.result; });
  }
  function target() {
    var t = Number(q('entityTypeId').value), id = Number(q('entityId').value);
    if (!(id > 0)) throw new Error('Choose an item ID first');
    return { t: t, id: id };
  }
  function iso(ms) { return new Date(ms).toISOString(); }
  function say(text, bad) { out.textContent = text; out.className = bad ? 'bad' : 'ok'; }
  function addIncoming(kind) {
    var it = target(), now = Date.now();
    var f = { OWNER_TYPE_ID: it.t, OWNER_ID: it.id, DIRECTION: 1, START_TIME: iso(now), END_TIME: iso(now), DEADLINE: iso(now), IS_INCOMING_CHANNEL: 'Y' };
    if (kind === 'email') { f.TYPE_ID = 4; f.PROVIDER_ID = 'CRM_EMAIL'; f.PROVIDER_TYPE_ID = 'EMAIL'; f.SUBJECT = 'Re: Demo e-mail ' + new Date(now).toLocaleTimeString(); }
    else { f.TYPE_ID = 2; f.PROVIDER_ID = 'VOXIMPLANT_CALL'; f.PROVIDER_TYPE_ID = 'CALL'; f.SUBJECT = (kind === 'missed' ? 'Missed call ' : 'Incoming call ') + new Date(now).toLocaleTimeString(); if (kind === 'missed') f.SETTINGS = { MISSED_CALL: 'Y' }; }
    return call('crm.activity.add', { fields: f }).then(function (id) { return 'Activity ' + id + ' added'; });
  }
  var actions = {
    call: function () { return addIncoming('call'); },
    missed: function () { return addIncoming('missed'); },
    email: function () { return addIncoming('email'); },
    todo: function () {
      var it = target(), minutes = Number(q('minutes').value || 0);
      return call('crm.activity.todo.add', { ownerTypeId: it.t, ownerId: it.id, deadline: iso(Date.now() + minutes * 60000), title: 'Demo to-do (due in ' + minutes + ' min)' })
        .then(function (r) { return 'To-do ' + r.id + ' added'; });
    },
    complete: function () {
      var aid = Number(q('activityId').value);
      var pick = aid > 0 ? Promise.resolve(aid) : (function () {
        var it = target();
        return call('crm.activity.list', { filter: { BINDINGS: [{ OWNER_TYPE_ID: it.t, OWNER_ID: it.id }], COMPLETED: 'N' }, order: { ID: 'ASC' }, select: ['ID'], start: -1 })
          .then(function (rows) { if (!rows.length) throw new Error('No open activity on this item'); return Number(rows[0].ID); });
      })();
      return pick.then(function (id) { return call('crm.activity.update', { id: id, fields: { COMPLETED: 'Y' } }).then(function () { return 'Activity ' + id + ' completed'; }); });
    },
    reassign: function () {
      var it = target(), user = Number(q('userId').value);
      var names = { 1: 'lead', 2: 'deal', 3: 'contact', 4: 'company' };
      var p = names[it.t] ? call('crm.' + names[it.t] + '.update', { id: it.id, fields: { ASSIGNED_BY_ID: user } })
        : call('crm.item.update', { entityTypeId: it.t, id: it.id, fields: { assignedById: user } });
      return p.then(function () { return 'Responsible changed'; });
    }
  };
  panel.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('button[data-action]') : null;
    if (!b) return;
    e.preventDefault();
    var run;
    try { run = actions[b.getAttribute('data-action')](); } catch (err) { say(err.message, true); return; }
    say('…');
    run.then(function (msg) { say(msg); if (panel.getAttribute('data-reload') === '1') setTimeout(function () { location.reload(); }, 400); }, function (err) { say(err.message, true); });
  });
})();
`;
