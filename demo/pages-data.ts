// Data the CRM pages show: rows for the deal grid and kanban, shaped for the
// pages' own JSON endpoints. Names are plain text; the pages escape them.

import type { PortalClock } from './dates.ts';
import { formatDateTime } from './dates.ts';
import { type DemoDeal, type DemoStore, itemTitle, semanticOf, stageOf } from './store.ts';

export interface DealRow {
  id: number;
  title: string;
  stageId: string;
  stageName: string;
  stageColor: string;
  semantic: string;
  responsible: string;
  contactId: number | null;
  contactName: string | null;
  companyId: number | null;
  companyName: string | null;
  opportunity: string;
  dateModify: string;
}

export function userName(store: DemoStore, id: number): string {
  if (id === 0) return '—';
  const u = store.users.get(id);
  return u ? `${u.name} ${u.lastName}`.trim() : `#${id}`;
}

export function dealRow(store: DemoStore, clock: PortalClock, d: DemoDeal): DealRow {
  const stage = stageOf(store, d.stageId);
  return {
    id: d.id,
    title: d.title,
    stageId: d.stageId,
    stageName: stage?.name ?? d.stageId,
    stageColor: stage?.color ?? '#ccc',
    semantic: semanticOf(store, d.stageId),
    responsible: userName(store, d.assignedById),
    contactId: d.contactId,
    contactName: d.contactId ? itemTitle(store, { entityTypeId: 3, entityId: d.contactId }) : null,
    companyId: d.companyId,
    companyName: d.companyId ? itemTitle(store, { entityTypeId: 4, entityId: d.companyId }) : null,
    opportunity: `${d.opportunity.toFixed(2)} ${d.currencyId}`,
    dateModify: formatDateTime(d.dateModify, clock).replace('T', ' ').slice(0, 16),
  };
}

export const DEAL_PAGE_SIZE = 20;

export function dealPage(
  store: DemoStore,
  clock: PortalClock,
  q: { page: number; sort: string; dir: string; category: number | null },
): { rows: DealRow[]; page: number; pages: number; total: number } {
  let deals = [...store.deals.values()].filter((d) => !d.isRecurring && (q.category === null || d.categoryId === q.category));
  const dir = q.dir === 'desc' ? -1 : 1;
  const key = q.sort;
  deals.sort((a, b) => {
    let c = 0;
    if (key === 'title') c = a.title.localeCompare(b.title);
    else if (key === 'dateModify') c = a.dateModify - b.dateModify;
    else if (key === 'stage') c = (stageOf(store, a.stageId)?.sort ?? 0) - (stageOf(store, b.stageId)?.sort ?? 0);
    return (c || a.id - b.id) * dir;
  });
  const total = deals.length;
  const pages = Math.max(1, Math.ceil(total / DEAL_PAGE_SIZE));
  const page = Math.min(Math.max(1, q.page), pages);
  deals = deals.slice((page - 1) * DEAL_PAGE_SIZE, page * DEAL_PAGE_SIZE);
  return { rows: deals.map((d) => dealRow(store, clock, d)), page, pages, total };
}

export function kanbanCards(store: DemoStore, clock: PortalClock, stageId: string, offset: number, limit: number): { rows: DealRow[]; more: boolean } {
  const deals = [...store.deals.values()].filter((d) => d.stageId === stageId && !d.isRecurring).sort((a, b) => b.dateModify - a.dateModify || b.id - a.id);
  const rows = deals.slice(offset, offset + limit).map((d) => dealRow(store, clock, d));
  return { rows, more: offset + limit < deals.length };
}
