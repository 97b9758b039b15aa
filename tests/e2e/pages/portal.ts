// Helpers for the demo portal's pages.
import type { BrowserContext, Locator, Page } from '@playwright/test';
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

/**
 * Signs the browser in to the demo portal as this person on its sign-in page
 * (a new tab, closed afterwards unless kept), as a user would.
 */
export async function signIn(
  context: BrowserContext,
  origin: string,
  fullName: string,
  options: { remember?: boolean; keep?: boolean } = {},
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/auth/`);
  await signInOn(page, fullName, options.remember ?? true);
  if (!options.keep) await page.close();
  return page;
}

/** Signs in on a sign-in page already open in this tab. */
export async function signInOn(page: Page, fullName: string, remember = true): Promise<void> {
  await page.getByLabel('Remember me').setChecked(remember);
  await page.getByRole('button', { name: `Sign in as ${fullName}` }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/auth'));
}
