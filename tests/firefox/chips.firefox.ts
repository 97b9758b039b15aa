// End to end in Firefox (firefox-esr over WebDriver BiDi, see run.ts): the
// demo build connects to a demo portal through its options page and puts the
// chips of docs/contract.md ("Chips on CRM pages") on the portal's pages, equal
// to the truth computed from the portal's memory (tests/e2e/truth.ts).
// Not a Playwright spec nor a vitest test: `npm run test:firefox` runs it.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { ElementHandle, Page } from 'puppeteer-core';
import type { DemoPortal } from '../../demo/server';
import type { ItemRef } from '../../lib/domain';
import { truthChip, truthTotals } from '../e2e/truth';
import type { FirefoxContext, FirefoxTest } from './run';

interface ChipAttributes {
  entityTypeId: number;
  entityId: number;
  state: string;
  count: number;
  mine: boolean;
}

/** The WebExtension API of an extension page, as far as these tests use it. */
interface ExtensionApi {
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
  action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> };
}

const VIEWER = 1; // the demo webhook's user (Anna Schmidt)

/** Polls `check` until it returns a value other than undefined/false, or throws its last failure after `timeout`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${last ? `: ${last instanceof Error ? last.message : last}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expected(portal: DemoPortal, ref: ItemRef): ChipAttributes | null {
  const truth = truthChip(portal.store, ref, VIEWER);
  return truth && { ...ref, state: truth.state, count: truth.count, mine: truth.mine };
}

/** The chip that is the next sibling element of each link matching `selector` (null: none there). */
function chipsAfter(page: Page, selector: string): Promise<(ChipAttributes | null)[]> {
  return page.$$eval(selector, (links) =>
    links.map((link) => {
      const chip = link.nextElementSibling;
      if (chip?.localName !== 'crm-counter-chip') return null;
      return {
        entityTypeId: Number(chip.getAttribute('data-entity-type-id')),
        entityId: Number(chip.getAttribute('data-entity-id')),
        state: chip.getAttribute('data-state') ?? '',
        count: Number(chip.getAttribute('data-count')),
        mine: chip.getAttribute('data-mine') === 'true',
      };
    }),
  );
}

function allChips(page: Page): Promise<ChipAttributes[]> {
  return page.$$eval('crm-counter-chip', (chips) =>
    chips.map((chip) => ({
      entityTypeId: Number(chip.getAttribute('data-entity-type-id')),
      entityId: Number(chip.getAttribute('data-entity-id')),
      state: chip.getAttribute('data-state') ?? '',
      count: Number(chip.getAttribute('data-count')),
      mine: chip.getAttribute('data-mine') === 'true',
    })),
  );
}

// Extension pages may use the WebExtension API (web pages may not): these read it from the options page.
function hasLoopbackPermissions(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const { browser } = globalThis as unknown as { browser: ExtensionApi };
    return browser.permissions.contains({ origins: ['http://127.0.0.1/*', 'http://localhost/*'] });
  });
}

function readBadge(page: Page): Promise<{ text: string; title: string }> {
  return page.evaluate(async () => {
    const { browser } = globalThis as unknown as { browser: ExtensionApi };
    return { text: await browser.action.getBadgeText({}), title: await browser.action.getTitle({}) };
  });
}

async function openDealList(ctx: FirefoxContext): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${ctx.portal.origin}/crm/deal/list/`);
  // The grid's client renders the rows with all three links (title, "Open", icon).
  await page.waitForSelector('#deal-rows tr a.deal-icon');
  return page;
}

let optionsPage: Page;

export const tests: FirefoxTest[] = [
  {
    name: 'the demo build holds its host permissions for the demo portal (Firefox grants them at install)',
    prerequisite: true,
    async run(ctx) {
      optionsPage = await ctx.openExtensionPage('options.html', 'form button[type="submit"]');
      ok(await hasLoopbackPermissions(optionsPage), 'the loopback host permissions are not granted: no content script, no REST calls to the demo portal');
    },
  },
  {
    name: 'signed in to the portal, the options page connects with the browser login: "Connected as Anna Schmidt"',
    prerequisite: true,
    async run(ctx) {
      // Signed in on the portal's own sign-in page, as a user would.
      const portalTab = await ctx.newPage();
      await portalTab.goto(`${ctx.portal.origin}/auth/`);
      const signIn = (
        await portalTab.evaluateHandle(() =>
          [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Sign in as Anna Schmidt'),
        )
      ).asElement() as ElementHandle<HTMLButtonElement> | null;
      ok(signIn, 'no button "Sign in as Anna Schmidt" on the demo portal\'s sign-in page');
      await Promise.all([portalTab.waitForNavigation(), signIn.click()]);
      ok(!new URL(portalTab.url()).pathname.startsWith('/auth'), `still on the sign-in page: ${portalTab.url()}`);

      const page = optionsPage;
      const input = (
        await page.evaluateHandle(() =>
          [...document.querySelectorAll('input')].find((i) =>
            [...(i.labels ?? [])].some((label) => label.textContent?.includes('Portal address')),
          ),
        )
      ).asElement() as ElementHandle<HTMLInputElement> | null;
      ok(input, 'no text field labelled "Portal address" on the options page');
      await input.click({ count: 3 });
      await input.type(ctx.portal.origin);
      const useLogin = (
        await page.evaluateHandle(() =>
          [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Use my Bitrix24 login'),
        )
      ).asElement() as ElementHandle<HTMLButtonElement> | null;
      ok(useLogin, 'no button "Use my Bitrix24 login" on the options page');
      await useLogin.click();
      const text = await waitFor('"Connected as"', async () => {
        const alerts = await page.evaluate(() => [...document.querySelectorAll('[role="alert"]')].map((a) => a.textContent?.trim()).filter(Boolean));
        if (alerts.length) throw new Error(`the page says: ${alerts.join(' / ')}`);
        // The innermost element whose text says it.
        return page.evaluate(() =>
          [...document.querySelectorAll('body *')]
            .find((el) => el.childElementCount === 0 && el.textContent?.trim().startsWith('Connected as'))
            ?.textContent?.trim(),
        );
      });
      strictEqual(text, 'Connected as Anna Schmidt');
    },
  },
  {
    name: 'the first sync finishes: the badge shows All of the connected user',
    prerequisite: true,
    async run(ctx) {
      const { text, title } = await waitFor(
        'the badge title "Incoming: …" (first sync)',
        async () => {
          const badge = await readBadge(optionsPage);
          return badge.title.includes('Incoming:') && badge;
        },
        30_000,
      );
      const truth = truthTotals(ctx.portal.store, VIEWER);
      strictEqual(text, truth.all > 99 ? '99+' : truth.all > 0 ? String(truth.all) : '');
      ok(title.includes(`Incoming: ${truth.incoming}`), `badge title ${JSON.stringify(title)}: Incoming should be ${truth.incoming}`);
      ok(title.includes(`Planned: ${truth.planned}`), `badge title ${JSON.stringify(title)}: Planned should be ${truth.planned}`);
    },
  },
  {
    name: 'the deal list: a chip after each deal link of the first rows, equal to the truth; every chip on the page too',
    async run(ctx) {
      const page = await openDealList(ctx);
      const ids = (await page.$$eval('#deal-rows tr', (rows) => rows.map((r) => Number(r.getAttribute('data-id'))))).slice(0, 10);
      ok(ids.length >= 5, `only ${ids.length} rows on the deal list`);
      const want = ids.map((id) => expected(ctx.portal, { entityTypeId: 2, entityId: id }));
      ok(want.some((chip) => chip !== null), 'no open deal among the first rows');
      for (const selector of ['a.deal-title', 'a.deal-open']) {
        const rows = ids.map((id) => `#deal-rows tr[data-id="${id}"] ${selector}`).join(', ');
        await waitFor(`chips after ${selector} of the first rows`, async () => {
          deepStrictEqual(await chipsAfter(page, rows), want);
          return true;
        });
      }
      const chips = await allChips(page);
      ok(chips.length > 10, `only ${chips.length} chips on the deal list`);
      for (const chip of chips) {
        deepStrictEqual(chip, expected(ctx.portal, chip), `chip of ${chip.entityTypeId}:${chip.entityId}`);
      }
      await page.close();
    },
  },
  {
    name: 'the icon-only link and the new-deal link (/crm/deal/details/0/) get no chip',
    async run(ctx) {
      const page = await openDealList(ctx);
      // Wait until the chips are there, so that "none" is not just "not yet".
      await waitFor('chips on the deal list', async () => (await allChips(page)).length > 10);
      const icons = await chipsAfter(page, '#deal-rows a.deal-icon');
      ok(icons.length > 0, 'no icon-only links on the deal list');
      deepStrictEqual(
        icons.filter((chip) => chip !== null),
        [],
        'icon-only links got chips',
      );
      const newDeal = await chipsAfter(page, 'a[href="/crm/deal/details/0/"]');
      deepStrictEqual(newDeal, [null]);
      await page.close();
    },
  },
  {
    name: 'links the page adds later get chips (a deal and a contact)',
    async run(ctx) {
      const page = await openDealList(ctx);
      const refs: ItemRef[] = [
        { entityTypeId: 2, entityId: 1 }, // counters.md example: a to-do today
        { entityTypeId: 2, entityId: 4 }, // chat + overdue call: both
      ];
      const contact = [...ctx.portal.store.activities.values()].find(
        (a) => !a.completed && a.ownerTypeId === 3 && expected(ctx.portal, { entityTypeId: 3, entityId: a.ownerId }),
      );
      if (contact) refs.push({ entityTypeId: 3, entityId: contact.ownerId });
      const paths: Record<number, string> = { 2: 'deal', 3: 'contact' };
      await page.evaluate(
        (links) => {
          const box = document.createElement('div');
          box.id = 'added-later';
          for (const { href, text } of links) {
            const link = document.createElement('a');
            link.href = href;
            link.textContent = text;
            box.append(link, ' ');
          }
          (document.querySelector('main') ?? document.body).prepend(box);
        },
        refs.map((ref) => ({ href: `/crm/${paths[ref.entityTypeId]}/details/${ref.entityId}/`, text: `Item ${ref.entityId}` })),
      );
      const want = refs.map((ref) => expected(ctx.portal, ref));
      ok(
        want.every((chip) => chip !== null),
        'the added items should all have chips',
      );
      await waitFor('chips after the added links', async () => {
        deepStrictEqual(await chipsAfter(page, '#added-later a'), want);
        return true;
      });
      await page.close();
    },
  },
];
