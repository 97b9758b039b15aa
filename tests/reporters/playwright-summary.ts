// Prints the line CI reads: `e2e: N passed, N failed`, and above it where the
// wall time went: per worker, its tests' own time against the run's, so a
// worker left idle (a queue that ends with long tests) shows.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

interface Span {
  start: number;
  ms: number;
}

export default class SummaryReporter implements Reporter {
  private readonly outcome = new Map<string, 'passed' | 'failed' | 'skipped'>();
  private readonly spans = new Map<number, Span[]>();
  private errors = 0;
  private begun = Date.now();

  onBegin() {
    this.begun = Date.now();
  }

  onTestEnd(test: TestCase, result: TestResult) {
    const final = test.outcome();
    if (final === 'skipped') this.outcome.set(test.id, 'skipped');
    else if (final === 'expected' || final === 'flaky') this.outcome.set(test.id, 'passed');
    else if (result.status !== 'passed' || final === 'unexpected') this.outcome.set(test.id, 'failed');
    const spans = this.spans.get(result.parallelIndex) ?? [];
    spans.push({ start: result.startTime.getTime(), ms: result.duration });
    this.spans.set(result.parallelIndex, spans);
  }

  onError() {
    this.errors++;
  }

  onEnd(result: FullResult) {
    const wall = (Date.now() - this.begun) / 1000;
    const lines = [...this.spans.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, spans]) => {
        const busy = spans.reduce((sum, s) => sum + s.ms, 0) / 1000;
        const lastEnd = Math.max(...spans.map((s) => s.start + s.ms));
        return `worker ${index}: ${spans.length} tests, ${busy.toFixed(0)} s in tests, done at ${((lastEnd - this.begun) / 1000).toFixed(0)} s`;
      });
    if (lines.length) console.log(`e2e timing: ${wall.toFixed(0)} s wall; ${lines.join('; ')}`);
    const values = [...this.outcome.values()];
    const passed = values.filter((v) => v === 'passed').length;
    let failed = values.filter((v) => v === 'failed').length + this.errors;
    if (result.status !== 'passed' && failed === 0) failed = 1;
    console.log(`e2e: ${passed} passed, ${failed} failed`);
  }

  printsToStdio() {
    return false;
  }
}
