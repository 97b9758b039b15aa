// Issue #18: a timing's budget is a ratio to a reference measured in the same
// run, on the same machine, interleaved with it (reference, timing,
// reference, timing, ...), so that a load that comes and goes hits both
// alike. Milliseconds compare only within a run; ratios compare across
// machines. Pure functions: the table `npm run bench` prints and its verdict.
import { type BenchRow, markdownTable, type RatioFigures, summarize } from './report';

/** The ratio of each interleaved pair, timing / reference. */
export function pairRatios(timings: number[], references: number[]): number[] {
  if (timings.length !== references.length || timings.length === 0) {
    throw new Error(`pairs need as many references as timings (${timings.length} timings, ${references.length} references)`);
  }
  return timings.map((t, i) => t / references[i]);
}

/** The reference figures of a timing measured in pairs with its reference. */
export function ratioFigures(what: string, timings: number[], references: number[], budget: number | null): RatioFigures {
  const ratios = summarize(pairRatios(timings, references));
  return { what, median: summarize(references).median, ratio: ratios.median, ratioMin: ratios.min, ratioMax: ratios.max, budget };
}

/** A timing row (ms, printed) judged on its ratio to the reference. */
export function ratioRow(figure: string, timings: number[], references: number[], what: string, budget: number | null): BenchRow {
  return { figure, unit: 'ms', ...summarize(timings), budget: null, ref: ratioFigures(what, timings, references, budget) };
}

/**
 * A ratio budget that keeps a figure's margin: `ratio` (today's code, measured
 * here) times the README's budget over its median in ms, up to 2 significant
 * digits.
 */
export function keepMargin(ratio: number, readmeMedianMs: number, readmeBudgetMs: number): number {
  const raw = (ratio * readmeBudgetMs) / readmeMedianMs;
  const step = 10 ** (Math.floor(Math.log10(raw)) - 1);
  return Math.ceil(raw / step - 1e-9) * step;
}

/** Whether a row is within its budgets (the bound-based one in its unit, the ratio of a timing). */
export function withinBudget(row: BenchRow): boolean {
  if (row.budget !== null && row.median > row.budget) return false;
  if (row.ref && row.ref.budget !== null && row.ref.ratio > row.ref.budget) return false;
  return true;
}

export function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** A ratio to 3 significant digits (0.000412×, 1.13×, 12.4×). */
export function fmtRatio(n: number): string {
  return `${Number(n.toPrecision(3))}×`;
}

/** `npm run bench`'s table: ms, the reference and the ratio side by side; budgets on ratios for timings. */
export function benchTable(rows: BenchRow[]): string {
  const header = ['figure', 'median', 'min–max', 'reference (median)', 'ratio (min–max)', 'budget', 'vs lower bound', 'ok'];
  const cells = rows.map((r) => {
    const budget = r.ref?.budget != null ? `≤ ${fmtRatio(r.ref.budget)}` : r.budget !== null ? `≤ ${fmt(r.budget)} ${r.unit}` : '—';
    return [
      r.figure,
      `${fmt(r.median)} ${r.unit}`,
      `${fmt(r.min)}–${fmt(r.max)}`,
      r.ref ? `${fmt(r.ref.median)} ms (${r.ref.what})` : '—',
      r.ref ? `${fmtRatio(r.ref.ratio)} (${fmtRatio(r.ref.ratioMin)}–${fmtRatio(r.ref.ratioMax)})` : '—',
      budget,
      r.lowerBound ? `${(r.median / r.lowerBound).toFixed(2)}×` : '—',
      withinBudget(r) ? 'yes' : 'NO',
    ];
  });
  return markdownTable(header, cells);
}
