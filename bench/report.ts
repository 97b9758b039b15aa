// One row of `npm run bench`'s table. Every benchmark module returns rows.
export interface BenchRow {
  /** What was measured, e.g. "full count, 100k activities". */
  figure: string;
  unit: 'ms' | 'MB' | 'KB' | 'requests' | 's' | 'bytes';
  /** Median of the runs. */
  median: number;
  min: number;
  max: number;
  /** The budget in the same unit; null when only printed. */
  budget: number | null;
  /** The lower bound, where one exists (for the ratio column). */
  lowerBound?: number | null;
}

export function summarize(samples: number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}
