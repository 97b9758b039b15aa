// One user with whole-portal rights on the 100,000-activity portal (issue
// #14, item 5): the stretch off, 60 s polls, at the computer, nobody else on
// the portal. Requests a minute in the steady state, reconciliation included:
// counted from the start of the first reconciliation after the first sync to
// the start of the fifth: four whole reconciliation periods (two hours or
// more, as the engine spaces reconciliations by the portal's size).
import { startPortal } from '../demo/server';
import { SimClock } from './sim-clock';
import { SimBrowser } from './team-browser';
import { DAY_START } from './team-day';

export interface BigUser {
  requestsPerMinute: number;
  windowMinutes: number;
  reconciliations: number;
  polls: number;
  firstSyncRequests: number;
  wallS: number;
}

const PERIODS = 4;

export async function simulateBigUser(openActivities = 100_000): Promise<BigUser> {
  const t0 = performance.now();
  const clock = new SimClock(DAY_START);
  // The benchmark's big portal (bench/browser.ts): 100,000 open activities, 20,000 items, 200 users.
  const portal = await startPortal({ port: 0, quiet: true, openActivities, items: openActivities / 5, users: 200, now: clock.now, operatingLimit: { enabled: false } });
  const sent: number[] = [];
  const meter = { request: (_userId: number, at: number) => void sent.push(at) };
  const browser = await SimBrowser.open({ userId: 1, webhookUrl: portal.webhookUrl, clock, meter, random: Math.random, teamShare: false });
  let windowStart = Number.NaN;
  let windowEnd = Number.NaN;
  let reconciliations = 0;
  let polls = 0;
  let firstEnd = Number.NaN;
  clock.spawn(async () => {
    const first = await browser.runSync();
    if (!first.ok) throw new Error(`first sync failed: ${first.error.kind}`);
    firstEnd = clock.now();
    // Which run reconciles is the engine's own decision (its interval may grow with the portal): read from the outcome.
    for (;;) {
      await clock.sleepUntil(browser.nextAlarm ?? clock.now());
      const started = clock.now();
      const outcome = await browser.runSync();
      if (outcome.kind !== 'reconcile') {
        if (reconciliations > 0) polls++;
        continue;
      }
      if (reconciliations === 0) windowStart = started;
      if (reconciliations === PERIODS) {
        windowEnd = started;
        return;
      }
      reconciliations++;
    }
  });
  await clock.runUntil(DAY_START + 8 * 3_600_000);
  const firstSyncRequests = sent.filter((at) => at < firstEnd).length;
  const inWindow = sent.filter((at) => at >= windowStart && at < windowEnd).length;
  browser.close();
  await portal.close();
  if (Number.isNaN(windowEnd)) throw new Error('the fifth reconciliation never started');
  const windowMinutes = (windowEnd - windowStart) / 60_000;
  return {
    requestsPerMinute: inWindow / windowMinutes,
    windowMinutes,
    reconciliations,
    polls,
    firstSyncRequests,
    wallS: (performance.now() - t0) / 1000,
  };
}
