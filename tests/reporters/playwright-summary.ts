// Prints the line CI reads: `e2e: N passed, N failed`.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private readonly outcome = new Map<string, 'passed' | 'failed' | 'skipped'>();
  private errors = 0;

  onTestEnd(test: TestCase, result: TestResult) {
    const final = test.outcome();
    if (final === 'skipped') this.outcome.set(test.id, 'skipped');
    else if (final === 'expected' || final === 'flaky') this.outcome.set(test.id, 'passed');
    else if (result.status !== 'passed' || final === 'unexpected') this.outcome.set(test.id, 'failed');
  }

  onError() {
    this.errors++;
  }

  onEnd(result: FullResult) {
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
