/// <reference types="chrome" />
// `npm run bench -- portals` (issue #17, only when named): two portals in one
// browser, a big one (100,000 open activities on 127.0.0.1) and a smaller one
// (20,000 on localhost), each connected by webhook through the options page.
// - memory: the service worker's JS heap (after a forced GC) with the big
//   portal alone, then with both: what the second portal adds, against what
//   the same smaller portal costs alone in a fresh browser (its heap less that
//   browser's heap before connecting). The second portal should cost its own
//   copy, not more.
// - idle polls: both portals polled every 5 s with nothing changing; each
//   portal's own request log matched by time to the worker's runs of that
//   portal that began and ended in the window (bench/poll-requests.ts):
//   requests per poll (budget 1: a second portal costs its own requests only,
//   and never the other's); a request outside every run fails the bench.
// BENCH_BIG_ACTIVITIES shrinks both portals (development only).
import type { Worker } from '@playwright/test';
import { type DemoPortal, startPortal } from '../demo/server';
import { CURSOR_OVERLAP_MS } from '../lib/sync/context';
import { type ExtensionBrowser, launchWithExtension } from '../scripts/chromium';
import { badgeTitle, lastChange, row, setPollSeconds, sleep, waitFor, workerSession } from './browser';
import { ensureBuild } from './build';
import { pollRequests, type RunSpan } from './poll-requests';
import type { BenchRow } from './report';

const MB = 2 ** 20;
const BIG = Number(process.env.BENCH_BIG_ACTIVITIES ?? 100_000);
const SMALL = Math.round(BIG / 5);
/** How long both portals are watched polling every 5 s with nothing changing. */
const IDLE_WINDOW_MS = 40_000;

const hostOf = (portal: DemoPortal) => new URL(portal.webhookUrl).host;

/** Connects a portal by webhook on the options page and waits for its first full sync (its badge title line, or the only title). */
async function connect(b: ExtensionBrowser, portal: DemoPortal, several: boolean, timeoutMs: number): Promise<number> {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/options.html`);
  await page.getByRole('textbox', { name: /Webhook URL/ }).fill(portal.webhookUrl);
  const t0 = performance.now();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const host = hostOf(portal);
  await waitFor(
    `the first sync of ${host}`,
    async () => {
      const title = await badgeTitle(b.worker);
      return several ? title.split('\n').some((line) => line.startsWith(`${host}: `) && line.includes('Incoming:')) : title.includes('Incoming:');
    },
    timeoutMs,
  );
  const s = (performance.now() - t0) / 1000;
  await page.close();
  return s;
}

/** The worker's JS heap after a forced GC, MB (a CDP session through an extension page). */
async function heapAfterGc(b: ExtensionBrowser): Promise<number> {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/options.html`);
  // Let the worker finish what follows a sync (alarms, the wake-up, the badge).
  await sleep(2000);
  const worker = await workerSession(page, b.extensionId);
  try {
    await worker.send('HeapProfiler.collectGarbage');
    return (await worker.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize / MB;
  } finally {
    await worker.detach();
    await page.close();
  }
}

/** The worker's sync runs per origin (their `sync-run` measures, lib/background/sync.ts), in wall-clock ms. */
async function runSpans(worker: Worker): Promise<Record<string, RunSpan[]>> {
  return worker.evaluate(() => {
    const spans: Record<string, { start: number; end: number }[]> = {};
    for (const e of performance.getEntriesByName('sync-run') as PerformanceMeasure[]) {
      const origin = String((e.detail as { origin?: string } | null)?.origin);
      const start = performance.timeOrigin + e.startTime;
      spans[origin] = [...(spans[origin] ?? []), { start, end: start + e.duration }];
    }
    return spans;
  });
}

export async function benchPortals(): Promise<BenchRow[]> {
  const dir = await ensureBuild('demo');
  const big = await startPortal({ quiet: true, openActivities: BIG, items: BIG / 5, users: 200 });
  const small = await startPortal({ quiet: true, host: 'localhost', openActivities: SMALL, items: SMALL / 5, users: 60, seed: 7 });
  const rows: BenchRow[] = [];
  try {
    // The smaller portal alone, in a fresh browser: what its copy costs.
    let alone: { before: number; after: number; s: number };
    {
      const b = await launchWithExtension({ extensionDir: dir });
      try {
        const before = await heapAfterGc(b);
        const s = await connect(b, small, false, 240_000);
        alone = { before, after: await heapAfterGc(b), s };
      } finally {
        await b.close();
      }
    }
    const b = await launchWithExtension({ extensionDir: dir });
    try {
      const bigS = await connect(b, big, false, 600_000);
      const bigHeap = await heapAfterGc(b);
      const smallS = await connect(b, small, true, 240_000);
      const bothHeap = await heapAfterGc(b);
      const added = bothHeap - bigHeap;
      const own = alone.after - alone.before;
      console.error(
        `portals: ${SMALL.toLocaleString('en')} activities alone: heap ${alone.before.toFixed(1)} → ${alone.after.toFixed(1)} MB (first sync ${alone.s.toFixed(0)} s); ` +
          `${BIG.toLocaleString('en')} alone ${bigHeap.toFixed(1)} MB (first sync ${bigS.toFixed(0)} s), with the second ${bothHeap.toFixed(1)} MB (its first sync ${smallS.toFixed(0)} s)`,
      );
      rows.push(row(`worker heap, ${BIG.toLocaleString('en')} + ${SMALL.toLocaleString('en')} open activities in two portals (after GC)`, 'MB', [bothHeap], null));
      rows.push(row('worker heap added by the second portal', 'MB', [added], Math.round((1.25 * own + 2) * 10) / 10));
      rows.push(row('the same portal alone in a fresh browser: heap it adds', 'MB', [own], null));

      // Idle polls of both, every 5 s: each portal's own log.
      await setPollSeconds(b.worker, 5);
      for (const portal of [big, small]) {
        const quietAt = lastChange(portal) + CURSOR_OVERLAP_MS + 1000;
        if (portal.clock.now() < quietAt) await sleep(quietAt - portal.clock.now());
      }
      await sleep(6000);
      const window = { start: Date.now(), end: Date.now() + IDLE_WINDOW_MS };
      await sleep(IDLE_WINDOW_MS + 1000);
      const spans = await runSpans(b.worker);
      const perPoll = [big, small].map((portal) => {
        const runs = spans[new URL(portal.webhookUrl).origin] ?? [];
        const p = pollRequests(runs, portal.stats.log, window);
        const ms = runs.filter((r) => r.start >= window.start && r.end <= window.end).map((r) => Math.round(r.end - r.start));
        return { host: hostOf(portal), ...p, ms, perPoll: p.requests / Math.max(1, p.runs) };
      });
      await setPollSeconds(b.worker, 60);
      console.error(
        `portals: idle ${IDLE_WINDOW_MS / 1000} s: ${perPoll
          .map((p) => `${p.host} ${p.requests} requests in ${p.runs} polls (runs of ${p.ms.join(', ')} ms)${p.stray.length ? `, outside any run: ${p.stray.join(', ')}` : ''}`)
          .join('; ')}`,
      );
      if (perPoll.some((p) => p.stray.length)) throw new Error('a portal was called outside its sync runs while nothing changed');
      rows.push({
        ...row('idle polls, two portals: requests per poll of each portal (its own log)', 'requests', perPoll.map((p) => p.perPoll), 1.2, 2),
        lowerBound: 1,
      });
    } finally {
      await b.close();
    }
  } finally {
    await Promise.all([big.close(), small.close()]);
  }
  return rows;
}
