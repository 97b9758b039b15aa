// One simulated working day of a team on its portal (issue #14, item 4):
// every browser comes back between 9:00 and 9:05 after 14 hours off (its
// reconciliation overdue), its user at the computer until 18:00 with an hour's
// lunch away (idle), opening the popup every 15 minutes or so; the portal
// changes all day; a neighbour integration calls once a second from the same
// office (same bucket). Measured: the team's requests per clock hour, the
// neighbour's 503s, how long a change takes to reach each user who sees it.
import { createRandom } from '../demo/seed';
import type { CrmRole } from '../demo/rights';
import { SimClock } from './sim-clock';
import { atComputer, SimBrowser, type UserDay } from './team-browser';
import { type PortalChange, TeamPortal } from './team-portal';

export interface TeamSpec {
  team: number;
  employees: number;
  admins: number;
  openActivities: number;
  seed: number;
}

export interface TeamDay {
  spec: TeamSpec;
  /** Requests the team sent in each clock hour from 9:00 (refused ones included). */
  hourly: number[];
  refused: number;
  neighbourCalls: number;
  neighbour503: number;
  /** Change → copy, ms, for changes made while the user was at the computer. */
  freshnessMs: number[];
  /** Such changes not in the copy when the browser closed (at 19:00, most made just before 18:00: idle polls are slow). */
  unresolved: number;
  perUser: { userId: number; role: CrmRole; requests: number }[];
  runs: Record<string, number>;
  changes: number;
  setupS: number;
  dayS: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 9:00 on a Tuesday at the demo portal's +03:00. */
export const DAY_START = Date.UTC(2027, 2, 9, 6);
export const DAY_HOURS = 10;
/** Changes a minute per employee at work (one every 10 minutes), and a fifth of that after 18:00. */
const CHANGES_PER_EMPLOYEE_MINUTE = 0.1;

function userDay(rnd: () => number): UserDay {
  const start = DAY_START + Math.floor(rnd() * 5 * MINUTE);
  const lunchStart = DAY_START + 3 * HOUR + Math.floor(rnd() * HOUR);
  const leave = DAY_START + 9 * HOUR + Math.floor(rnd() * 10 * MINUTE);
  const popups: number[] = [];
  for (let t = start + rnd() * 15 * MINUTE; t < leave; t += (0.5 + rnd()) * 15 * MINUTE) popups.push(Math.floor(t));
  return { start, lunchStart, lunchEnd: lunchStart + HOUR, leave, end: DAY_START + DAY_HOURS * HOUR, popups };
}

export async function simulateTeamDay(spec: TeamSpec, log: (m: string) => void = () => {}): Promise<TeamDay> {
  const t0 = performance.now();
  // The evening before: every browser makes its first sync, then 14 hours off.
  const clock = new SimClock(DAY_START - 15 * HOUR);
  const company = await TeamPortal.start({ ...spec, now: clock.now });
  const rnd = createRandom(spec.seed * 101 + 3);
  const hourly = new Array<number>(DAY_HOURS).fill(0);
  const perUser = new Map<number, number>();
  let refused = 0;
  let counting = false;
  const meter = {
    request(userId: number, at: number, wasRefused: boolean) {
      if (!counting) return;
      const hour = Math.floor((at - DAY_START) / HOUR);
      if (hour >= 0 && hour < DAY_HOURS) hourly[hour]++;
      perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
      if (wasRefused) refused++;
    },
  };
  const browsers: SimBrowser[] = [];
  for (const member of company.members) {
    const seedRandom = createRandom(spec.seed * 7 + member.userId);
    browsers.push(await SimBrowser.open({ userId: member.userId, webhookUrl: member.webhookUrl, clock, meter, random: seedRandom, teamShare: true }));
  }
  // First syncs one after the other with the portal's limit lifted: last evening is not measured.
  company.portal.faults.set({ rateLimit: { enabled: false } });
  clock.spawn(async () => {
    for (const b of browsers) {
      const outcome = await b.engine.run();
      if (!outcome.ok) throw new Error(`first sync of user ${b.userId} failed: ${outcome.error.kind} ${outcome.error.message}`);
    }
  });
  await clock.runUntil(DAY_START - 14 * HOUR);
  company.portal.faults.clear();
  const setupS = (performance.now() - t0) / 1000;
  log(`team of ${spec.team}: ${browsers.length} first syncs in ${setupS.toFixed(0)} s`);

  // Freshness: each change waits in the queue of every member who sees it until that member's copy has it.
  const days = new Map<number, UserDay>();
  const pending = new Map<number, PortalChange[]>();
  const freshnessMs: number[] = [];
  for (const b of browsers) {
    const day = userDay(rnd);
    days.set(b.userId, day);
    pending.set(b.userId, []);
    b.onRun = async () => {
      const queue = pending.get(b.userId)!;
      if (!queue.length) return;
      const tx = b.db.transaction('activities');
      const held = await Promise.all(queue.map((c) => tx.store.get(c.activityId)));
      const now = clock.now();
      const left: PortalChange[] = [];
      queue.forEach((c, i) => {
        const row = held[i];
        // An edit superseded by a completion has arrived once the copy holds the completion.
        const gone = row === undefined && company.portal.store.activities.get(c.activityId)?.completed === true;
        const arrived = c.expect === 'absent' || gone ? row === undefined : row !== undefined && row.lastUpdated >= c.lastUpdated;
        if (!arrived) left.push(c);
        else if (atComputer(day, c.at)) freshnessMs.push(now - c.at);
      });
      pending.set(b.userId, left);
    };
  }

  counting = true;
  const end = DAY_START + DAY_HOURS * HOUR;
  for (const b of browsers) clock.spawn(() => b.live(days.get(b.userId)!));
  let changes = 0;
  clock.spawn(async () => {
    await clock.sleepUntil(DAY_START);
    while (clock.now() < end) {
      const atWork = clock.now() < DAY_START + 9 * HOUR;
      const perMinute = spec.employees * CHANGES_PER_EMPLOYEE_MINUTE * (atWork ? 1 : 0.2);
      await clock.sleep(Math.ceil(-Math.log(1 - rnd()) * (MINUTE / perMinute)));
      const change = company.change();
      if (!change) continue;
      changes++;
      for (const userId of change.seers) pending.get(userId)?.push(change);
    }
  });
  let neighbourCalls = 0;
  let neighbour503 = 0;
  clock.spawn(async () => {
    await clock.sleepUntil(DAY_START);
    // In-process through the portal's own bucket: 36,000 HTTP round trips would cost a minute of CPU a day.
    while (clock.now() < end) {
      neighbourCalls++;
      if (!company.portal.takeRequest()) neighbour503++;
      await clock.sleep(1000);
    }
  });
  await clock.runUntil(end);
  counting = false;

  let unresolved = 0;
  for (const [userId, queue] of pending) unresolved += queue.filter((c) => atComputer(days.get(userId)!, c.at)).length;
  const runs: Record<string, number> = {};
  for (const b of browsers) for (const kind of b.runs) runs[kind] = (runs[kind] ?? 0) + 1;
  for (const b of browsers) b.close();
  await company.close();
  const dayS = (performance.now() - t0) / 1000 - setupS;
  log(`team of ${spec.team}: day simulated in ${dayS.toFixed(0)} s (${changes} changes)`);
  return {
    spec,
    hourly,
    refused,
    neighbourCalls,
    neighbour503,
    freshnessMs,
    unresolved,
    perUser: company.members.map((m) => ({ userId: m.userId, role: m.role, requests: perUser.get(m.userId) ?? 0 })),
    runs,
    changes,
    setupS,
    dayS,
  };
}
