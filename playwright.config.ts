import { defineConfig } from '@playwright/test';

const LONG = ['**/worker-death.spec.ts', '**/faults.spec.ts', '**/login.spec.ts'];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // Each test drives its own Chromium with the extension. Most of a test's time is spent waiting for
  // polls and timers, so two cores run three (all green at 7.1 min, against 9.0 min with two);
  // E2E_WORKERS overrides it.
  workers: Number(process.env.E2E_WORKERS ?? 3),
  fullyParallel: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./tests/reporters/fault-table.ts'], ['./tests/reporters/playwright-summary.ts']],
  use: { trace: 'retain-on-failure' },
  projects: [
    // The longest tests (a minute each: worker kills, fault matrices, the login's idle-poll watch) are
    // queued first (projects are queued in this order), so that no worker is left with one of them at the end.
    { name: 'e2e-long', testMatch: LONG },
    { name: 'e2e', testIgnore: ['**/policy.spec.ts', ...LONG] },
    // A machine-wide Chromium policy for the demo build's ID (tests/e2e/policy-file.ts): one test at a
    // time, queued after every e2e test (projects run in this order), and it waits for the last of them
    // to close its browser before it writes the file; browsers launched meanwhile wait for it to go.
    { name: 'policy', testMatch: '**/policy.spec.ts', fullyParallel: false, workers: 1 },
  ],
});
