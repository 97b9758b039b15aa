// Prints the fault matrix (tests/e2e/faults.spec.ts) and the worker-death
// figures (tests/e2e/worker-death.spec.ts) from the tests' annotations, after
// every run that has them.
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

interface FaultRow {
  fault: string;
  pollSeconds: number;
  faultMs: number;
  surfacedMs: number;
  recoveredMs: number;
  boundMs: number;
  samples: number;
  wrong: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export default class FaultTableReporter implements Reporter {
  private readonly faults = new Map<string, FaultRow & { passed: boolean }>();
  private readonly deaths: string[] = [];

  onTestEnd(test: TestCase, result: TestResult) {
    for (const a of result.annotations ?? test.annotations) {
      if (a.type === 'fault' && a.description) {
        this.faults.set(test.id, { ...(JSON.parse(a.description) as FaultRow), passed: result.status === 'passed' });
      }
      if (a.type === 'worker-death' && a.description) this.deaths.push(`${test.title}: ${a.description}`);
    }
  }

  onEnd() {
    if (this.faults.size) {
      const rows = [...this.faults.values()];
      const head = ['fault', 'poll', 'fault lasted', 'said so after', 'time to recover', 'allowed', 'badge samples', 'wrong numbers seen'];
      const body = rows.map((r) => [
        r.passed ? r.fault : `${r.fault} (FAILED)`,
        `${r.pollSeconds} s`,
        seconds(r.faultMs),
        seconds(r.surfacedMs),
        seconds(r.recoveredMs),
        seconds(r.boundMs),
        String(r.samples),
        String(r.wrong),
      ]);
      const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
      const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
      console.log('\nFault matrix');
      console.log(line(head));
      console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
      for (const row of body) console.log(line(row));
    }
    if (this.deaths.length) {
      console.log('\nWorker death');
      for (const d of this.deaths) console.log(`- ${d}`);
    }
  }

  printsToStdio() {
    return false;
  }
}
