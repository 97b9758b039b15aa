// Chips benchmark (issues #7 and #18), in a portal page of the demo portal
// with the demo build loaded: 2,000 item links put in at once, time until
// every one has its chip, and the longest main-thread task meanwhile (from a
// trace, bench/longest-task.ts); then 200 more in batches of 20. Each against
// its reference, measured in the same browser and interleaved with it: the
// same page, served under an origin no content script matches, inserting the
// same links, until its next frame has rendered (its own longest task).
import type { BrowserContext, Page } from '@playwright/test';
import type { DemoPortal } from '../demo/server';
import { semanticOf } from '../demo/store';
import type { ExtensionBrowser } from '../scripts/chromium';
import { CHIPS_2000, CHIPS_BATCH, CHIPS_LONGEST_TASK } from './budgets';
import { type LongestTask, withLongestTask } from './longest-task';
import { ratioRow } from './ratio';
import { type BenchRow, row } from './report';

const CHIP_RUNS = 7;
const TRACED_RUNS = 7;
const CHIP_LINKS = 2000;
const LATE_LINKS = 200;
const LATE_BATCH = 20;
/** The demo portal's pages under an origin outside every content script's matches (routed to the portal). */
const PLAIN_ORIGIN = 'http://plain-page.test';

interface ItemLink {
  href: string;
  text: string;
}

/** Distinct open deals with open activities (each gets a chip), none of them on the lead list page. */
function chipLinks(portal: DemoPortal, count: number): ItemLink[] {
  const seen = new Set<string>();
  const out: ItemLink[] = [];
  const store = portal.store;
  for (const a of store.activities.values()) {
    if (a.completed) continue;
    for (const ref of a.bindings) {
      const key = `${ref.entityTypeId}:${ref.entityId}`;
      if (seen.has(key)) continue;
      let title: string | undefined;
      if (ref.entityTypeId === 2) {
        const deal = store.deals.get(ref.entityId);
        if (deal && !deal.isRecurring && semanticOf(store, deal.stageId) === 'P') title = deal.title;
      }
      if (!title) continue;
      seen.add(key);
      out.push({ href: `/crm/deal/details/${ref.entityId}/`, text: title });
      if (out.length === count) return out;
    }
  }
  throw new Error(`only ${out.length} open deals with open activities (need ${count})`);
}

interface InsertRun {
  /** Insertion → every chip added (annotated), or → the next frame rendered (plain). */
  totalMs: number;
  chips: number;
  /** Tasks over 50 ms (longtask observer; printed only). */
  longTasks: number[];
}

/**
 * In the page: puts the links in at once; waits for every chip (`annotated`)
 * or for the next frame to render (rAF, then a task: as Preact's effects).
 */
async function insertLinks(page: Page, links: ItemLink[], annotated: boolean): Promise<InsertRun> {
  return page.evaluate(
    async ({ links, annotated }) => {
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask' });
      const box = document.createElement('div');
      for (const { href, text } of links) {
        const a = document.createElement('a');
        a.href = href;
        a.textContent = text;
        box.append(a, ' ');
      }
      let chips = 0;
      const allChips = new Promise<number>((resolve) => {
        new MutationObserver((records, mo) => {
          for (const r of records) for (const n of r.addedNodes) if ((n as Element).localName === 'crm-counter-chip') chips++;
          if (chips >= links.length) {
            mo.disconnect();
            resolve(performance.now());
          }
        }).observe(box, { childList: true });
      });
      // A long task is reported only to observers registered before it began: the insertion gets a task of its own.
      await new Promise((r) => setTimeout(r, 100));
      // (No named functions in here: the bench's transpiler would wrap them in a helper the page lacks.)
      performance.mark('bench-window-start');
      const t0 = performance.now();
      (document.querySelector('main') ?? document.body).prepend(box);
      const done = annotated
        ? allChips
        : new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))));
      const end = await Promise.race([done, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 20_000))]);
      // The frame after the last chip, and long tasks, are reported after they end.
      await new Promise((r) => setTimeout(r, 300));
      performance.mark('bench-window-end');
      observer.disconnect();
      box.remove();
      return { totalMs: end - t0, chips, longTasks };
    },
    { links, annotated },
  );
}

/** In the page: one batch of links appended, waited for (chips, or the next frame), after a pause at no particular point of a frame. */
async function insertBatch(page: Page, links: ItemLink[], annotated: boolean): Promise<number> {
  return page.evaluate(
    async ({ links, annotated }) => {
      const part = document.createElement('div');
      for (const { href, text } of links) {
        const a = document.createElement('a');
        a.href = href;
        a.textContent = text;
        part.append(a, ' ');
      }
      let chips = 0;
      const allChips = new Promise<number>((resolve) => {
        new MutationObserver((records, mo) => {
          for (const r of records) for (const n of r.addedNodes) if ((n as Element).localName === 'crm-counter-chip') chips++;
          if (chips >= links.length) {
            mo.disconnect();
            resolve(performance.now());
          }
        }).observe(part, { childList: true });
      });
      // Like a list that loads more rows: the insertion comes from a task of its own, at no particular point of a frame.
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 17));
      const t0 = performance.now();
      (document.querySelector('main') ?? document.body).append(part);
      const done = annotated
        ? allChips
        : new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))));
      const end = await Promise.race([done, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 10_000))]);
      return end - t0;
    },
    { links, annotated },
  );
}

/** Serves PLAIN_ORIGIN's requests from the portal. */
async function routePlainOrigin(context: BrowserContext, portal: DemoPortal): Promise<void> {
  await context.route(`${PLAIN_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${portal.origin}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
}

/** The lead list page, with the content script running (its own links have chips) or under the plain origin. */
async function listPage(b: ExtensionBrowser, origin: string, annotated: boolean): Promise<Page> {
  const page = await b.context.newPage();
  await page.goto(`${origin}/crm/lead/list/`);
  if (annotated) await page.locator('crm-counter-chip').first().waitFor({ state: 'attached', timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 500));
  return page;
}

const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');

/** One insertion of the links into a fresh page, traced: its figures and the longest task. */
async function tracedInsertion(b: ExtensionBrowser, origin: string, links: ItemLink[], annotated: boolean): Promise<LongestTask> {
  const page = await listPage(b, origin, annotated);
  try {
    return (await withLongestTask(page, () => insertLinks(page, links, annotated))).longest;
  } finally {
    await page.close();
  }
}

export async function benchChips(b: ExtensionBrowser, portal: DemoPortal): Promise<BenchRow[]> {
  await routePlainOrigin(b.context, portal);
  const all = chipLinks(portal, CHIP_LINKS + LATE_LINKS);
  const links = all.slice(0, CHIP_LINKS);
  const withExt: InsertRun[] = [];
  const plain: InsertRun[] = [];
  // Pairs: the plain page, then a fresh annotated page (its content script knows none of the items yet).
  for (let run = 0; run < CHIP_RUNS; run++) {
    const p = await listPage(b, PLAIN_ORIGIN, false);
    plain.push(await insertLinks(p, links, false));
    await p.close();
    const page = await listPage(b, portal.origin, true);
    const r = await insertLinks(page, links, true);
    await page.close();
    if (!(r.chips >= CHIP_LINKS)) throw new Error(`only ${r.chips} of ${CHIP_LINKS} links got a chip`);
    if (plain.at(-1)!.chips !== 0) throw new Error('the plain page got chips: a content script ran there');
    withExt.push(r);
  }
  // The longest tasks, in pairs of traced runs of their own (tracing costs time: the runs above are not traced).
  const longest: LongestTask[] = [];
  const plainLongest: LongestTask[] = [];
  for (let run = 0; run < TRACED_RUNS; run++) {
    plainLongest.push(await tracedInsertion(b, PLAIN_ORIGIN, links, false));
    longest.push(await tracedInsertion(b, portal.origin, links, true));
  }
  // Batches: both pages open, each batch into the plain page then into the annotated one, each page brought to the front for its batch (a page behind gets no frames).
  const p = await listPage(b, PLAIN_ORIGIN, false);
  const page = await listPage(b, portal.origin, true);
  const batches: number[] = [];
  const plainBatches: number[] = [];
  try {
    for (let i = CHIP_LINKS; i < all.length; i += LATE_BATCH) {
      const batch = all.slice(i, i + LATE_BATCH);
      await p.bringToFront();
      plainBatches.push(await insertBatch(p, batch, false));
      await page.bringToFront();
      batches.push(await insertBatch(page, batch, true));
    }
  } finally {
    await p.close();
    await page.close();
  }
  if ([...batches, ...plainBatches].some(Number.isNaN)) throw new Error('a batch of links did not get its chips (or its frame)');
  console.error(
    `chips: 2,000 links in ${ms(withExt.map((r) => r.totalMs))} ms, the page's own ${ms(plain.map((r) => r.totalMs))} ms; ` +
      `longest task (traced, thread time) ${ms(longest.map((l) => l.threadMs))} ms, the page's own ${ms(plainLongest.map((l) => l.threadMs))} ms; ` +
      `by wall time ${ms(longest.map((l) => l.wallMs))} ms, the page's own ${ms(plainLongest.map((l) => l.wallMs))} ms; ` +
      `long tasks (> 50 ms, untraced runs) per run ${withExt.map((r) => r.longTasks.length).join(', ')}, longest ${ms(withExt.map((r) => Math.max(0, ...r.longTasks)))} ms, ` +
      `the page's own ${ms(plain.map((r) => Math.max(0, ...r.longTasks)))} ms; ` +
      `batches of 20: ${batches.map((x) => x.toFixed(1)).join(', ')} ms, the page's next frame ${plainBatches.map((x) => x.toFixed(1)).join(', ')} ms`,
  );
  const own = 'same page, no chips';
  return [
    ratioRow(`chips: ${CHIP_LINKS.toLocaleString('en')} links inserted → all annotated`, withExt.map((r) => r.totalMs), plain.map((r) => r.totalMs), `${own}: → next frame`, CHIPS_2000),
    ratioRow(
      'chips: longest task meanwhile (traced, thread time)',
      longest.map((l) => l.threadMs),
      plainLongest.map((l) => l.threadMs),
      `${own}: its longest task`,
      CHIPS_LONGEST_TASK,
    ),
    row('chips: longest task meanwhile (traced, wall time)', 'ms', longest.map((l) => l.wallMs), null),
    ratioRow(`chips: ${LATE_LINKS} links added later, batches of ${LATE_BATCH}: insertion → chips`, batches, plainBatches, `${own}: → next frame`, CHIPS_BATCH),
  ];
}
