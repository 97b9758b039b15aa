// Which links point at a CRM item (docs/contract.md, "Chips on CRM pages").
import type { ItemRef } from './domain';

const CLASSIC: Record<string, number> = { lead: 1, deal: 2, contact: 3, company: 4 };
const ITEM_PATH = /^\/crm\/(?:(lead|deal|contact|company)|type\/([1-9][0-9]{0,9}))\/details\/([0-9]{1,12})\/?$/;

/**
 * The item a link points at, or null. `href` may be absolute or relative (it
 * is resolved against `base`); only links on `portalOrigin` count, and the
 * new-item form (ID 0) does not.
 */
export function itemRefFromHref(href: string, base: string, portalOrigin: string): ItemRef | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.origin !== portalOrigin) return null;
  const match = ITEM_PATH.exec(url.pathname);
  if (!match) return null;
  const entityId = Number(match[3]);
  if (!Number.isSafeInteger(entityId) || entityId <= 0) return null;
  const entityTypeId = match[1] ? CLASSIC[match[1]] : Number(match[2]);
  return { entityTypeId, entityId };
}

/** The item's page on the portal. */
export function itemUrl(portalOrigin: string, ref: ItemRef): string {
  const classic = Object.entries(CLASSIC).find(([, id]) => id === ref.entityTypeId)?.[0];
  const path = classic ? `/crm/${classic}` : `/crm/type/${ref.entityTypeId}`;
  return `${portalOrigin}${path}/details/${ref.entityId}/`;
}

/** Which kind of portal page a path is, for the per-kind chip switches. */
export function pageKind(pathname: string): 'lists' | 'itemPages' | 'elsewhere' {
  if (/^\/crm\/(?:[a-z]+|type\/[0-9]+)\/details\/[0-9]+\/?$/.test(pathname)) return 'itemPages';
  if (/^\/crm\/(?:[a-z]+|type\/[0-9]+)\/(?:list|kanban|activity|category\/[0-9]+)(?:\/|$)/.test(pathname)) return 'lists';
  return 'elsewhere';
}
