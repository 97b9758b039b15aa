// `npm run bench`: every benchmark, one table of figures against budgets.
// `npm run bench -- --check` exits non-zero when a budget is missed: a
// timing's budget is a ratio to a reference measured in the same run (issue
// #18, bench/ratio.ts), a count's a bound in its unit.
// `npm run bench -- counters` runs only the named parts. The sync figures of
// issue #7 come from the real extension on the big portal (part `browser`);
// part `sync` (issue #4's own: the engine in Node on 50,000 activities) and
// part `team` (issue #14's: a team's working day on one portal) run only when
// named; so does part `portals` (issue #17's: two portals in one browser).
import os from 'node:os';
import { benchCounters } from './counters';
import { benchTable, withinBudget } from './ratio';
import type { BenchRow } from './report';

const PARTS: Record<string, () => Promise<BenchRow[]>> = {
  counters: benchCounters,
  sync: async () => (await import('./sync')).benchSync(),
  browser: async () => (await import('./browser')).benchBrowser(),
  bundles: async () => (await import('./bundles')).benchBundles(),
  // Issue #14's simulated working day of teams of 10, 50 and 200 (about ten minutes): only when named.
  team: async () => (await import('./team')).benchTeam(),
  // Issue #17's two portals in one browser (100k + 20k: heap and idle polls, about eight minutes): only when named.
  portals: async () => (await import('./portals')).benchPortals(),
};

const args = process.argv.slice(2);
const check = args.includes('--check');
const wanted = args.filter((a) => !a.startsWith('--'));
const parts = wanted.length ? wanted : ['counters', 'browser', 'bundles'];

// The machine is shared: the load average goes with the figures.
const loadAtStart = os.loadavg();
const loads = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
const rows: BenchRow[] = [];
for (const part of parts) {
  const run = PARTS[part];
  if (!run) {
    console.error(`Unknown benchmark part: ${part} (known: ${Object.keys(PARTS).join(', ')})`);
    process.exit(2);
  }
  console.error(`running ${part}…`);
  rows.push(...(await run()));
}

console.log(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average (1 / 5 / 15 min) ${loads(loadAtStart)} at the start, ${loads(os.loadavg())} at the end`,
);
console.log(benchTable(rows));

const missed = rows.filter((r) => !withinBudget(r));
if (missed.length) {
  console.log(`\n${missed.length} figure(s) over budget: ${missed.map((r) => r.figure).join('; ')}`);
  if (check) process.exit(1);
}
