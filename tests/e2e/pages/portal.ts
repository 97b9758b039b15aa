// Helpers for the demo portal's pages.
import type { Locator, Page } from '@playwright/test';
import type { ItemRef } from '../../../lib/domain';

const PATHS: Record<number, string> = { 1: 'lead', 2: 'deal', 3: 'contact', 4: 'company' };

export function itemPath(ref: ItemRef): string {
  const kind = PATHS[ref.entityTypeId];
  return kind ? `/crm/${kind}/details/${ref.entityId}/` : `/crm/type/${ref.entityTypeId}/details/${ref.entityId}/`;
}

/**
 * Adds text links to these items at the top of the page, in a box with this
 * id, as a page that renders links late would. Returns the chip locator of one item.
 */
export async function addItemLinks(page: Page, boxId: string, refs: ItemRef[]): Promise<(ref: ItemRef) => Locator> {
  await page.evaluate(
    ({ id, links }) => {
      const box = document.createElement('div');
      box.id = id;
      for (const { href, text } of links) {
        const link = document.createElement('a');
        link.href = href;
        link.textContent = text;
        box.append(link, ' ');
      }
      (document.querySelector('main') ?? document.body).prepend(box);
    },
    { id: boxId, links: refs.map((ref) => ({ href: itemPath(ref), text: `Item ${ref.entityTypeId}:${ref.entityId}` })) },
  );
  return (ref) => page.locator(`#${boxId} a[href="${itemPath(ref)}"] + crm-counter-chip`);
}

export const deal = (entityId: number): ItemRef => ({ entityTypeId: 2, entityId });
