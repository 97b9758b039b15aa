// `npm run bench`: every benchmark, one table of figures against budgets.
// `npm run bench -- --check` exits non-zero when a budget is missed.
// `npm run bench -- counters` runs only the named parts. The sync figures of
// issue #7 come from the real extension on the big portal (part `browser`);
// part `sync` (issue #4's own: the engine in Node on 50,000 activities) and
// part `team` (issue #14's: a team's working day on one portal) run only when
// named.
import os from 'node:os';
import { benchCounters } from './counters';
import type { BenchRow } from './report';

const PARTS: Record<string, () => Promise<BenchRow[]>> = {
  counters: benchCounters,
  sync: async () => (await import('./sync')).benchSync(),
  browser: async () => (await import('./browser')).benchBrowser(),
  bundles: async () => (await import('./bundles')).benchBundles(),
  // Issue #14's simulated working day of teams of 10, 50 and 200 (about ten minutes): only when named.
  team: async () => (await import('./team')).benchTeam(),
};

const args = process.argv.slice(2);
const check = args.includes('--check');
const wanted = args.filter((a) => !a.startsWith('--'));
const parts = wanted.length ? wanted : ['counters', 'browser', 'bundles'];

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

// The machine is shared: the load average goes with the figures.
const loadAtStart = os.loadavg()[0];
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

const header = ['figure', 'median', 'min–max', 'budget', 'vs lower bound', 'ok'];
const table = rows.map((r) => {
  const ok = r.budget === null || r.median <= r.budget;
  return [
    r.figure,
    `${fmt(r.median)} ${r.unit}`,
    `${fmt(r.min)}–${fmt(r.max)}`,
    r.budget === null ? '—' : `≤ ${fmt(r.budget)} ${r.unit}`,
    r.lowerBound ? `${(r.median / r.lowerBound).toFixed(2)}×` : '—',
    ok ? 'yes' : 'NO',
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average (1 min) ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end`,
);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));

const missed = rows.filter((r) => r.budget !== null && r.median > r.budget);
if (missed.length) {
  console.log(`\n${missed.length} figure(s) over budget: ${missed.map((r) => r.figure).join('; ')}`);
  if (check) process.exit(1);
}
