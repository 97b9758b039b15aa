import { describe, expect, it } from 'vitest';
import { longestTaskIn, WINDOW_END, WINDOW_START } from '../../bench/longest-task';
import { benchTable, fmtRatio, keepMargin, pairRatios, ratioRow, withinBudget } from '../../bench/ratio';
import { REFERENCE_SOURCE, referenceTask, timedReferenceExpression } from '../../bench/reference';
import type { BenchRow } from '../../bench/report';

describe('bench ratios (issue #18)', () => {
  it('pairs each timing with the reference measured next to it', () => {
    expect(pairRatios([10, 30, 20], [5, 10, 20])).toEqual([2, 3, 1]);
    expect(() => pairRatios([1, 2], [1])).toThrow(/as many references/);
    expect(() => pairRatios([], [])).toThrow();
  });

  it('summarises a timing, its reference and the median of the pair ratios', () => {
    // A load that doubles one pair moves both halves: the ratio stays.
    const row = ratioRow('full count', [100, 200, 110], [50, 100, 50], 'sort 100k, Node', 2.5);
    expect(row).toMatchObject({ unit: 'ms', median: 110, min: 100, max: 200, budget: null });
    expect(row.ref).toEqual({ what: 'sort 100k, Node', median: 50, ratio: 2, ratioMin: 2, ratioMax: 2.2, budget: 2.5 });
    expect(withinBudget(row)).toBe(true);
    expect(withinBudget({ ...row, ref: { ...row.ref!, budget: 1.9 } })).toBe(false);
  });

  it('judges a timing on its ratio only, a count on its bound', () => {
    const slow = ratioRow('popup', [900, 950, 1000], [450, 500, 480], 'empty extension page', 2.1);
    expect(slow.median).toBe(950);
    expect(withinBudget(slow)).toBe(true);
    const count: BenchRow = { figure: 'idle poll: requests', unit: 'requests', median: 2, min: 2, max: 2, budget: 1, lowerBound: 1 };
    expect(withinBudget(count)).toBe(false);
    expect(withinBudget({ ...count, median: 1 })).toBe(true);
  });

  it('keeps the README margin, rounded up to 2 significant digits', () => {
    // 98.7 ms against 150 ms: a margin of 1.52; today's ratio 1.13 → 1.72 → 1.8.
    expect(keepMargin(1.13, 98.7, 150)).toBeCloseTo(1.8, 10);
    expect(keepMargin(2, 50, 50)).toBeCloseTo(2, 10);
    expect(keepMargin(0.000561, 0.04, 2)).toBeCloseTo(0.029, 10);
    expect(keepMargin(0.5, 4.5, 16.7)).toBeCloseTo(1.9, 10);
  });

  it('prints ms, the reference and the ratio side by side, the ratio budget in the budget column', () => {
    const rows: BenchRow[] = [
      ratioRow('full count', [100, 120], [50, 60], 'sort 100k, Node', 1.5),
      { figure: 'idle poll: requests', unit: 'requests', median: 1, min: 1, max: 1, budget: 1, lowerBound: 1 },
    ];
    const lines = benchTable(rows).split('\n');
    expect(lines[0]).toMatch(/figure.*median.*min–max.*reference \(median\).*ratio \(min–max\).*budget.*vs lower bound.*ok/);
    expect(lines[2]).toMatch(/full count +\| 110 ms +\| 100–120 +\| 55\.0 ms \(sort 100k, Node\) \| 2× \(2×–2×\) +\| ≤ 1\.5× +\| — +\| NO/);
    expect(lines[3]).toMatch(/idle poll: requests \| 1\.00 requests +\| 1\.00–1\.00 \| — +\| — +\| ≤ 1\.00 requests \| 1\.00× +\| yes/);
    expect(fmtRatio(0.000412)).toBe('0.000412×');
    expect(fmtRatio(1.1349)).toBe('1.13×');
  });
});

describe('bench reference task', () => {
  it('is deterministic and of the given size', () => {
    expect(referenceTask(1000)).toBe(referenceTask(1000));
    expect(referenceTask(1000)).not.toBe(referenceTask(2000));
  });

  it('runs from its source text alone (as in the worker and the page)', () => {
    // As the worker and the page get it: the expression's text alone, evaluated in a fresh scope.
    const ms = new Function(`return ${timedReferenceExpression(1000)}`)() as number;
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(REFERENCE_SOURCE).not.toMatch(/\bimport\b|\brequire\b/);
  });
});

describe('bench longest task from a trace', () => {
  const task = (ts: number, durMs: number, tid = 1, threadMs = durMs / 2) => ({ name: 'RunTask', ph: 'X', pid: 7, tid, ts, dur: durMs * 1000, tdur: threadMs * 1000 });
  const mark = (name: string, ts: number) => ({ name, ph: 'R', pid: 7, tid: 1, ts });

  it('takes the longest task on the thread that marked the window, overlapping it', () => {
    const events = [
      task(0, 500), // ends before the window
      mark(WINDOW_START, 1_000_000),
      task(990_000, 30), // began just before the mark: the insertion's own task
      task(1_100_000, 80),
      task(1_300_000, 60, 1, 55), // shorter on the wall, longer on the thread: it waited less for a core
      task(1_200_000, 900, 2), // another thread
      mark(WINDOW_END, 1_500_000),
      task(1_600_000, 400), // after the window
    ];
    expect(longestTaskIn(events)).toEqual({ wallMs: 80, threadMs: 55 });
  });

  it('takes the wall time where the trace has no thread time', () => {
    const { tdur: _, ...noThread } = task(1_100_000, 80);
    expect(longestTaskIn([mark(WINDOW_START, 1_000_000), noThread, mark(WINDOW_END, 1_500_000)])).toEqual({ wallMs: 80, threadMs: 80 });
  });

  it('is 0 without the marks', () => {
    expect(longestTaskIn([task(0, 50)])).toEqual({ wallMs: 0, threadMs: 0 });
  });
});
