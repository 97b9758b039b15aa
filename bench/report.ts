// One row of `npm run bench`'s table. Every benchmark module returns rows.
export interface BenchRow {
  /** What was measured, e.g. "full count, 100k activities". */
  figure: string;
  unit: 'ms' | 'MB' | 'KB' | 'requests' | 's' | 'bytes' | 'req/s' | 'req/min' | 'min' | '%';
  /** Median of the runs. */
  median: number;
  min: number;
  max: number;
  /** The budget in the same unit; null when only printed. Timings have none: their budget is on `ref.ratio`. */
  budget: number | null;
  /** The lower bound, where one exists (for the ratio column). */
  lowerBound?: number | null;
  /** A timing's reference, measured in the same run and interleaved with it (bench/ratio.ts). */
  ref?: RatioFigures;
}

/** A timing against its reference: the reference's ms and the ratio of timing to reference, per interleaved pair. */
export interface RatioFigures {
  /** What the reference is, briefly (e.g. "sort 100k, Node"). */
  what: string;
  /** The reference's median ms. */
  median: number;
  /** Median, min and max of the pairs' ratios (timing / reference). */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** The budget on `ratio`; null when only printed. */
  budget: number | null;
}

/** A row of a figure's samples: their median, min and max, rounded to `digits`. */
export function row(figure: string, unit: BenchRow['unit'], samples: number[], budget: number | null, digits = 1): BenchRow {
  const s = summarize(samples);
  const round = (n: number) => Math.round(n * 10 ** digits) / 10 ** digits;
  return { figure, unit, median: round(s.median), min: round(s.min), max: round(s.max), budget };
}

export function summarize(samples: number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** A table in the style of `npm run bench`'s own (Markdown pipes, padded columns), for a part's detail. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
