// `npm run bench -- team` (issue #14, items 4 and 5): a whole team's load on
// one portal's request bucket over a simulated working day, and one user with
// whole-portal rights on the big portal. Runs only when named. Alone:
// `npx tsx bench/team.ts`; TEAMS=10,50 picks teams, BIG_USER=0 skips item 5.
import 'fake-indexeddb/auto';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { STANDARD_BUCKET } from '../lib/bitrix/limiter';
import { TEAM_SHARE } from '../lib/sync/team-share';
import { type BigUser, simulateBigUser } from './big-user';
import { type BenchRow, markdownTable, summarize } from './report';
import { DAY_HOURS, simulateTeamDay, type TeamDay, type TeamSpec } from './team-day';

/**
 * The portals hold 20,000 open activities; these hold a quarter of
 * that. The demo portal scans every row for every list command, so a day of
 * 200 engines on 20,000 would take about an hour; on 5,000 it takes ten
 * minutes. A poll costs one request whatever the size, and a rep's
 * reconciliation mostly its fixed scans, so the team's load keeps its shape;
 * what shrinks is the reconciliation of heads and administrators (their
 * binding look-ups scale with what they see): the figures are a lower bound.
 */
const OPEN_ACTIVITIES = 5_000;
/** Teams of 10, 50 and 200 on portals of 15, 60 and 250 active employees; one or two administrators among their one in ten leaders. */
const TEAMS: TeamSpec[] = [
  { team: 10, employees: 15, admins: 1, openActivities: OPEN_ACTIVITIES, seed: 14 },
  { team: 50, employees: 60, admins: 1, openActivities: OPEN_ACTIVITIES, seed: 15 },
  { team: 200, employees: 250, admins: 2, openActivities: OPEN_ACTIVITIES, seed: 16 },
];
/** Budgets of issue #14 by team size: the worst hour's share of the drain, the neighbour's 503s (share of its calls), freshness p95. */
const BUDGETS: Record<number, { neighbourShare: number; p95Min: number }> = {
  50: { neighbourShare: 0, p95Min: 3 },
  200: { neighbourShare: 0.001, p95Min: 10 },
};
const DRAIN = STANDARD_BUCKET.drainPerSecond;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : Number.NaN);
const one = (n: number) => ({ median: n, min: n, max: n });

function detail(d: TeamDay): string {
  const perSecond = d.hourly.map((n) => n / 3600);
  const header = ['clock hour', ...perSecond.map((_, h) => `${9 + h}`), 'mean'];
  const mean = perSecond.reduce((a, b) => a + b, 0) / perSecond.length;
  const rows = [
    ['team, req/s', ...perSecond.map((r) => r.toFixed(2)), mean.toFixed(2)],
    ['share of the drain', ...perSecond.map((r) => `${Math.round((100 * r) / DRAIN)} %`), `${Math.round((100 * mean) / DRAIN)} %`],
  ];
  const byRole = new Map<string, number[]>();
  for (const u of d.perUser) byRole.set(u.role, [...(byRole.get(u.role) ?? []), u.requests / DAY_HOURS]);
  const roles = [...byRole].map(([role, list]) => `${role} ${list.length} × ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(1)}`).join(', ');
  const runs = Object.entries(d.runs)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `\nTeam of ${d.spec.team} on a portal of ${d.spec.employees} active employees, ${d.spec.openActivities.toLocaleString('en')} open activities, ${d.changes.toLocaleString('en')} changes during the day (simulated in ${d.dayS.toFixed(0)} s after ${d.setupS.toFixed(0)} s of first syncs)`,
    markdownTable(header, rows),
    `requests per user per hour by role: ${roles}; runs: ${runs}; team requests refused (503): ${d.refused}; neighbour: ${d.neighbour503} × 503 of ${d.neighbourCalls} calls; freshness samples (change × user who sees it, made while at the computer): ${d.freshnessMs.length}, not yet in the copy when the browser closed at 19:00: ${d.unresolved}`,
  ].join('\n');
}

function rowsOf(d: TeamDay): BenchRow[] {
  const t = `team of ${d.spec.team} (${d.spec.employees} employees)`;
  const perSecond = d.hourly.map((n) => n / 3600);
  const mean = perSecond.reduce((a, b) => a + b, 0) / perSecond.length;
  const budget = BUDGETS[d.spec.team];
  const fresh = [...d.freshnessMs].sort((a, b) => a - b).map((ms) => ms / 60_000);
  const perHour = summarize(d.perUser.map((u) => u.requests / DAY_HOURS));
  return [
    { figure: `${t}: worst clock hour (min–max of the hours)`, unit: 'req/s', median: round(Math.max(...perSecond), 3), min: round(Math.min(...perSecond), 3), max: round(Math.max(...perSecond), 3), budget: budget ? TEAM_SHARE * DRAIN : null },
    { figure: `${t}: the day's mean, 9:00–19:00`, unit: 'req/s', ...one(round(mean, 3)), budget: null },
    {
      figure: `${t}: neighbour's 503s (share of its ${d.neighbourCalls} calls)`,
      unit: '%',
      ...one(round((100 * d.neighbour503) / Math.max(1, d.neighbourCalls), 3)),
      budget: budget ? 100 * budget.neighbourShare : null,
    },
    { figure: `${t}: freshness p50 at the computer`, unit: 'min', ...one(round(percentile(fresh, 0.5), 2)), budget: null },
    { figure: `${t}: freshness p95 at the computer`, unit: 'min', ...one(round(percentile(fresh, 0.95), 2)), budget: budget ? budget.p95Min : null },
    { figure: `${t}: requests per user per hour (median, min–max)`, unit: 'requests', median: round(perHour.median, 1), min: round(perHour.min, 1), max: round(perHour.max, 1), budget: null },
  ];
}

/**
 * Runs a job in a child process of its own (the machine has two cores, and
 * each simulation is single-threaded): its results come back as JSON.
 */
function inChild<T>(job: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--worker', job], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`bench team worker ${job} exited with ${code}`))));
  });
}

async function work(job: string): Promise<unknown> {
  if (job === 'big') return simulateBigUser();
  const spec = TEAMS.find((t) => String(t.team) === job);
  if (!spec) throw new Error(`unknown team ${job}`);
  return simulateTeamDay(spec, (m) => console.error(m));
}

export async function benchTeam(): Promise<BenchRow[]> {
  const wanted = process.env.TEAMS ? process.env.TEAMS.split(',').map(Number) : TEAMS.map((t) => t.team);
  const jobs = [...TEAMS.filter((t) => wanted.includes(t.team)).map((t) => String(t.team)), ...(process.env.BIG_USER !== '0' ? ['big'] : [])];
  // Two queues of about ten minutes each (teams 200 and 50; the big portal and team 10), one per core.
  const queues = [jobs.filter((j) => j === '200' || j === '50'), jobs.filter((j) => j !== '200' && j !== '50')];
  const results = new Map<string, unknown>();
  await Promise.all(
    queues.map(async (queue) => {
      for (const job of queue) results.set(job, await inChild(job));
    }),
  );
  const days = jobs.filter((j) => j !== 'big').map((j) => results.get(j) as TeamDay);
  const big = results.get('big') as BigUser | undefined;
  const rows: BenchRow[] = [];
  for (const day of days) {
    console.log(detail(day));
    rows.push(...rowsOf(day));
  }
  if (big) {
    console.log(
      `\nOne user, whole portal, 100,000 open activities, stretch off, 60 s polls: ${big.requestsPerMinute.toFixed(1)} requests a minute over ${big.windowMinutes.toFixed(0)} simulated minutes (${big.reconciliations} reconciliations, ${big.polls} polls; first sync ${big.firstSyncRequests} requests; ${big.wallS.toFixed(0)} s)`,
    );
    rows.push({
      figure: `one user, whole portal, 100k open activities, 60 s polls, stretch off: requests a minute over ${big.windowMinutes.toFixed(0)} min, reconciliation included`,
      unit: 'req/min',
      ...one(round(big.requestsPerMinute, 2)),
      budget: 2.5,
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const job = process.argv[process.argv.indexOf('--worker') + 1];
  if (process.argv.includes('--worker')) process.stdout.write(JSON.stringify(await work(job)));
  else console.table(await benchTeam());
}
